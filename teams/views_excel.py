"""Excel in and out: upload → preview → confirm imports, the import log, roster exports, template, sample."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from totech.pagination import paginate
from totech.params import id_param
from totech.spreadsheets import SpreadsheetError, xlsx_response
from units.choices import Level

from .exports import blank_template, export_roster
from .filters import MemberExportFilter
from .forms import ImportUploadForm, VillageImportForm
from .import_jobs import import_job_confirm, import_job_start
from .models import ImportKind, ImportStatus
from .samples import messy_member_workbook
from .selectors import can_import, communes_importable_by, import_jobs_visible_to, memberships_in_scope_of

JOBS_PER_PAGE = 30


def _require_importer(user):
    """Imports are out of a team leader's scope: their pages answer 404, as everything out of scope does."""
    if not can_import(user):
        raise Http404


def _import_page(request, kind, form_class, template):
    _require_importer(request.user)
    communes = communes_importable_by(request.user)
    form = form_class(request.POST or None, request.FILES or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_start(
                kind=kind, commune=form.cleaned_data["commune"], user=request.user,
                upload=form.cleaned_data["file"], as_of=form.cleaned_data.get("as_of"),
            )
        except SpreadsheetError as problem:
            form.add_error("file", str(problem))
        else:
            return redirect("excel:job_detail", pk=job.pk)
    recent = import_jobs_visible_to(request.user).filter(kind=kind)[:5]
    return render(request, template, {"form": form, "recent": recent, "kind": kind})


@login_required
def members_import(request):
    return _import_page(request, ImportKind.MEMBERS, ImportUploadForm, "excel/import_form.html")


@login_required
def villages_import(request):
    return _import_page(request, ImportKind.VILLAGES, VillageImportForm, "excel/import_form.html")


@login_required
def job_list(request):
    _require_importer(request.user)
    jobs = import_jobs_visible_to(request.user)
    page = paginate(request, jobs, JOBS_PER_PAGE)
    return render(request, "excel/job_list.html", {"page": page, "total": page.paginator.count})


def _job_context(request, pk):
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=pk)
    progress = cache.get(job.progress_cache_key, 0) if job.is_running else 100
    return {"job": job, "progress": progress}


@login_required
def job_detail(request, pk):
    return render(request, "excel/job_detail.html", _job_context(request, pk))


@login_required
def job_progress(request, pk):
    """The progress bar, polled by htmx while the job runs; the whole page reloads when it is over."""
    context = _job_context(request, pk)
    response = render(request, "excel/_job_progress.html", context)
    if not context["job"].is_running and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
def job_confirm(request, pk):
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    job = import_job_confirm(job=job)
    if job.status == ImportStatus.DONE:
        messages.success(request, _("Imported %(file)s: %(summary)s.") % {"file": job.file_name, "summary": _summary(job)})
    return redirect("excel:job_detail", pk=job.pk)


def _summary(job):
    return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
        "created": job.created, "updated": job.updated, "unchanged": job.unchanged,
    }


@login_required
def members_export(request):
    """The roster of the teams the user sees, narrowed by the team list's filters."""
    member_filter = MemberExportFilter(request.GET, queryset=memberships_in_scope_of(request.user), user=request.user)
    if not member_filter.is_valid():
        return HttpResponse(_("These filters are not valid."), status=400)
    unit = member_filter.form.cleaned_data.get("unit") or request.user.scope_unit
    scope_label = unit.name if unit else _("All provinces")
    content, _count = export_roster(
        member_filter.qs, user=request.user, scope_label=scope_label, filters=request.GET.urlencode()
    )
    return xlsx_response(content, "danh-sach-thanh-vien-to-cnscd.xlsx")


@login_required
def members_template(request):
    return xlsx_response(blank_template(), "mau-danh-sach-thanh-vien-to-cnscd.xlsx")


@login_required
def members_sample(request):
    """A messy but valid sample list for one of the user's communes, to try the import with."""
    _require_importer(request.user)
    communes = communes_importable_by(request.user)
    commune = get_object_or_404(communes, pk=commune_id) if (commune_id := id_param(request, "commune")) else None
    commune = commune or communes.filter(children__level=Level.VILLAGE).distinct().first()
    if commune is None:
        messages.info(request, _("Enter your commune's villages first (village import): a member list names them."))
        return redirect("excel:villages_import")
    villages = list(commune.children.filter(level=Level.VILLAGE).order_by("name").values_list("name", flat=True)[:4])
    return xlsx_response(messy_member_workbook(commune.name, villages), "vi-du-danh-sach-thanh-vien.xlsx")
