from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from targets.choices import PeriodKind, Pillar
from targets.models import Period
from targets.selectors import denominators_as_of, periods_visible_to
from teams.models import Team
from teams.selectors import teams_visible_to
from totech.forms import add_service_errors
from totech.pagination import paginate
from totech.params import id_param
from totech.spreadsheets import xlsx_response
from units.choices import Level
from units.selectors import units_visible_to

from . import services
from .charts import children_chart, trend_chart
from .exports import OfficialReport, QualityProblems, SummaryData, export_file_name
from .filters import ReportFilter
from .forms import (
    PhotoForm,
    QualityFilterForm,
    QualityRuleForm,
    ReportForm,
    ReportRequestForm,
    ReviewForm,
    ScheduleForm,
)
from .images import CONTENT_TYPES, EXTENSIONS, stored_photo_format
from .models import QualityRule, Report, ReportingSchedule
from .presenters import area_table, dashboard_table
from .progress import commune_areas, progress
from .quality import open_problems, problems_by_indicator, quality_periods
from .rankings import RANK_SHOWN, commune_ranking, leaders_and_support, unit_team_scores
from .selectors import (
    ancestor_ids,
    can_edit_report,
    can_manage_quality_rules,
    can_recompute,
    can_reopen_report,
    can_request_reports,
    can_review_report,
    can_set_schedule,
    can_view_quality,
    dashboard_for,
    dashboard_indicators,
    dashboard_units_visible_to,
    fills_on_behalf,
    freshness,
    indicators_for,
    kept_from_reviewing,
    notifications_of,
    quality_rules_visible_to,
    quality_units_visible_to,
    reports_visible_to,
    requests_visible_to,
    schedules_visible_to,
    slot_for,
    summaries_under,
    summary_periods,
    team_fillable_by,
    teams_fillable_by,
    trend_for,
)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


# --- reports ---------------------------------------------------------------------------------------------


@login_required
def report_list(request):
    reports = reports_visible_to(request.user).order_by("-deadline", "team__name", "pk")  # pk: stable pages
    periods = Period.objects.filter(pk__in=reports.order_by().values("period_id")).order_by(
        "-start"
    )  # a semi-join, no DISTINCT
    report_filter = ReportFilter(request.GET, queryset=reports, user=request.user, periods=periods)
    context = {"filter": report_filter, "page": paginate(request, report_filter.qs)}
    return render(request, "reports/report_list.html", context)


@login_required
def report_new(request, team_pk, period_pk=None, request_pk=None):
    """The form for a report not started yet; the first save creates it."""
    team = team_fillable_by(request.user, team_pk)
    if team is None:
        raise Http404
    if request.user.scope_unit_id == team.unit_id:  # a leader's scope is their team's unit: already read
        request.user.scope_unit = team.unit
    period = get_object_or_404(periods_visible_to(request.user), pk=period_pk) if period_pk else None
    ad_hoc = get_object_or_404(requests_visible_to(request.user), pk=request_pk) if request_pk else None
    slot = slot_for(team, period=period, request=ad_hoc)
    existing = slot.report if slot else team.reports.filter(period=period, request=ad_hoc).first()
    if existing:
        return redirect("reports:edit", pk=existing.pk)
    if slot is None:
        raise Http404
    return _report_form(request, team=team, slot=slot, report=None)


@login_required
def report_edit(request, pk):
    report = get_object_or_404(
        Report.objects.filter(team__in=teams_fillable_by(request.user)).select_related(
            "team__unit", "period", "request"
        ),
        pk=pk,
    )
    if not report.is_editable and not (request.method == "POST"):
        messages.info(request, _("This report has been sent: it can no longer be changed."))
        return redirect("reports:detail", pk=report.pk)
    return _report_form(request, team=report.team, slot=None, report=report)


def _initial(report: Report | None) -> dict:
    if report is None:
        return {"version": 0}
    initial = {"version": report.version, **{name: getattr(report, name) for name in services.TEXT_FIELDS}}
    for value in report.values.all():
        initial[f"value_{value.indicator_id}"] = value.value
    return initial


def _report_form(request, *, team: Team, slot, report: Report | None):
    """Fill in and send a report; answers JSON to the page's script (which keeps unsent input in the browser)
    and plain HTML without it."""
    period = report.period if report else slot.period
    ad_hoc = report.request if report else slot.request
    indicators = indicators_for(report)
    on = ad_hoc.covers_end if ad_hoc else period.end
    denominators = denominators_as_of(indicators=indicators, unit=team.unit, date=on)
    form_kwargs = {"indicators": indicators, "denominators": denominators}
    if request.method == "POST":
        form = ReportForm(request.POST, **form_kwargs)
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            try:
                report = services.report_save(
                    user=request.user,
                    team=team,
                    period=period,
                    request=ad_hoc,
                    version=form.cleaned_data["version"],
                    values=form.values(),
                    submit=submit,
                    slot=slot,
                    indicators=indicators,
                    **form.texts(),
                )
            except services.StaleReportError as error:
                current = Report.objects.get(team=team, period=period, request=ad_hoc)
                form = _with_version(request.POST, current.version, form_kwargs, error)
                return _form_errors(request, form, team, period, ad_hoc, current, status=409)
            except ValidationError as error:  # a services.QualityWarning brings the problems shown under the values
                add_service_errors(form, error)
                current = Report.objects.filter(team=team, period=period, request=ad_hoc).first()
                return _form_errors(
                    request, form, team, period, ad_hoc, current, status=400, warnings=getattr(error, "problems", ())
                )
            return _saved(request, report, submit)
        return _form_errors(request, form, team, period, ad_hoc, report, status=400)
    form = ReportForm(initial=_initial(report), **form_kwargs)
    return _render_form(request, form, team, period, ad_hoc, report)


def _with_version(data, version, form_kwargs, error):
    """The same input, now based on the saved version: the user has been told, and saving again is their choice."""
    data = data.copy()
    data["version"] = str(version)
    fresh = ReportForm(data, **form_kwargs)
    fresh.is_valid()
    add_service_errors(fresh, error)
    return fresh


def _saved(request, report: Report, submit: bool):
    message = _("The report was sent for review.") if submit else _("The draft was saved on the server.")
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "message": message,
                "version": report.version,
                "status": report.status,
                "edit_url": reverse("reports:edit", args=[report.pk]),
                "detail_url": reverse("reports:detail", args=[report.pk]),
                "submitted": submit,
            }
        )
    messages.success(request, message)
    return redirect("reports:detail" if submit else "reports:edit", pk=report.pk)


def _form_errors(request, form, team, period, ad_hoc, report, status, warnings=()):
    """`warnings`: the data-quality problems that stopped a sending, shown under their values."""
    by_field = {}
    for problem in warnings:
        by_field.setdefault(services.value_field(problem.indicator), []).append(problem.message)
    if _wants_json(request):
        errors = {field: [str(message) for message in field_errors] for field, field_errors in form.errors.items()}
        return JsonResponse(
            {"ok": False, "errors": errors, "warnings": by_field, "version": form.data.get("version")}, status=status
        )
    return _render_form(request, form, team, period, ad_hoc, report, status=200, warnings=by_field)


def _render_form(request, form, team, period, ad_hoc, report, status=200, warnings=None):
    warnings = warnings or {}
    context = {
        "form": form,
        "team": team,
        "period": period,
        "ad_hoc": ad_hoc,
        "report": report,
        "on_behalf": fills_on_behalf(request.user, team),
        "storage_key": f"totech-report-{team.pk}-{f'r{ad_hoc.pk}' if ad_hoc else f'p{period.pk}'}",
        "action_url": reverse("reports:edit", args=[report.pk]) if report else request.path,
        "photo_form": PhotoForm() if report else None,
        "max_photos": services.MAX_PHOTOS,
        "value_fields": [
            (form[f"value_{indicator.pk}"], warnings.get(f"value_{indicator.pk}", [])) for indicator in form.indicators
        ],
        "show_quality_note": bool(warnings or form["quality_note"].value()),
    }
    return render(request, "reports/report_form.html", context, status=status)


@login_required
def report_detail(request, pk):
    report = get_object_or_404(reports_visible_to(request.user), pk=pk)
    return render(request, "reports/report_detail.html", _detail_context(request, report, ReviewForm()))


def _detail_context(request, report: Report, review_form) -> dict:
    indicators = indicators_for(report)
    values = {value.indicator_id: value.value for value in report.values.all()}
    problems = problems_by_indicator(report)
    rows = progress(period=report.period, team=report.team, indicators=indicators) if report.period_id else []
    return {
        "report": report,
        "values": [(indicator, values.get(indicator.pk), problems.get(indicator.pk, [])) for indicator in indicators],
        "has_problems": bool(problems),
        # Shown once there is something to show: an approved figure or a target.
        "progress_rows": rows if any(row.actual is not None or row.target for row in rows) else [],
        "transitions": report.transitions.select_related("actor"),
        "photos": report.photos.all(),
        "can_edit": can_edit_report(request.user, report),
        "can_review": can_review_report(request.user, report),
        "entered_it": kept_from_reviewing(request.user, report),
        "can_reopen": can_reopen_report(request.user, report),
        "review_form": review_form,
    }


@login_required
def report_review(request, pk):
    """Approve or return a submitted report; reopen an approved one."""
    report = get_object_or_404(reports_visible_to(request.user), pk=pk)
    if request.method != "POST":
        return redirect("reports:detail", pk=report.pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    action = request.POST.get("action")
    actions = {
        "approve": (services.report_approve, {"comment": comment}, _("The report was approved.")),
        "return": (services.report_return, {"comment": comment}, _("The report was returned to the team.")),
        "reopen": (services.report_reopen, {"reason": comment}, _("The report was reopened.")),
    }
    if action not in actions:
        return redirect("reports:detail", pk=report.pk)
    if not form.is_valid():  # a comment with hidden characters is refused, not dropped
        return render(request, "reports/report_detail.html", _detail_context(request, report, form), status=400)
    service, kwargs, done = actions[action]
    try:
        service(user=request.user, report=report, **kwargs)
    except ValidationError as error:
        add_service_errors(form, error)
        context = _detail_context(request, report, form)
        if not (context["can_review"] or context["can_reopen"]):  # no review card to show the refusal in
            for message in form.non_field_errors():
                messages.error(request, message)
        return render(request, "reports/report_detail.html", context, status=400)
    messages.success(request, done)
    return redirect("reports:detail", pk=report.pk)


# --- photos ----------------------------------------------------------------------------------------------


@login_required
def photo_add(request, pk):
    report = get_object_or_404(Report.objects.filter(team__in=teams_fillable_by(request.user)), pk=pk)
    if request.method != "POST":
        return redirect("reports:edit", pk=report.pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(
                user=request.user, report=report, image=form.cleaned_data["image"], caption=form.cleaned_data["caption"]
            )
        except ValidationError as error:
            for messages_ in error.message_dict.values():
                for message in messages_:
                    messages.error(request, message)
        else:
            messages.success(request, _("The photo was added."))
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect("reports:edit", pk=report.pk)


@login_required
def photo_view(request, pk, photo_pk):
    """Photos are served through the report's scope, never from a public folder."""
    report = get_object_or_404(reports_visible_to(request.user), pk=pk)
    photo = get_object_or_404(report.photos, pk=photo_pk)
    try:
        file = photo.image.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    image_format = stored_photo_format(file)
    if image_format is None:  # not a picture (stored before photos were re-encoded): nothing safe to show
        file.close()
        raise Http404
    response = FileResponse(
        file, content_type=CONTENT_TYPES[image_format], filename=f"anh-{photo.pk}.{EXTENSIONS[image_format]}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the photo is a document: it may show itself and nothing else, and run nothing (the
    # browser's image viewer styles the page inline, hence style-src).
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


@login_required
def photo_delete(request, pk, photo_pk):
    report = get_object_or_404(Report.objects.filter(team__in=teams_fillable_by(request.user)), pk=pk)
    photo = get_object_or_404(report.photos, pk=photo_pk)
    if request.method != "POST":
        return redirect("reports:edit", pk=report.pk)
    try:
        services.photo_delete(user=request.user, photo=photo)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The photo was removed."))
    return redirect("reports:edit", pk=report.pk)


# --- progress --------------------------------------------------------------------------------------------


@login_required
def progress_view(request):
    """Progress against targets for a unit or a team over a period."""
    user = request.user
    periods = periods_visible_to(user).order_by("-start")
    today = timezone.localdate()
    period = periods.filter(pk=period_id).first() if (period_id := id_param(request, "period")) else None
    period = period or periods.filter(kind=PeriodKind.QUARTER, start__lte=today).first()
    team = unit = None
    if team_id := id_param(request, "team"):
        team = get_object_or_404(teams_visible_to(user), pk=team_id)
    elif unit_id := id_param(request, "unit"):
        unit = get_object_or_404(units_visible_to(user), pk=unit_id)
    else:
        unit = user.scope_unit or units_visible_to(user).filter(level=Level.PROVINCE).order_by("name").first()
    rows = progress(period=period, unit=unit, team=team) if period and (unit or team) else []
    context = {
        "periods": periods.exclude(kind=PeriodKind.MONTH)[:40],
        "period": period,
        "unit": unit,
        "team": team,
        "rows": rows,
        "children": unit.children.order_by("name") if unit else [],
        "teams": Team.objects.filter(unit=unit).order_by("name") if unit else [],
    }
    return render(request, "reports/progress.html", context)


@login_required
def dashboard(request, unit_pk=None):
    """A unit's summaries (written by the roll-ups) for one period and pillar: the units right below it, the
    trend over the quarters, and the communes and teams ranked for commendation."""
    units = dashboard_units_visible_to(request.user)
    if unit_pk is not None:
        unit = get_object_or_404(units, pk=unit_pk)
    else:
        unit = (
            units.filter(pk=request.user.scope_unit_id).first()
            or units.filter(level=Level.PROVINCE).order_by("name").first()
        )
    periods, period = _summary_period(request, unit) if unit else (Period.objects.none(), None)
    pillar = _pillar(request)
    context = {
        "unit": unit,
        "periods": periods[:40],
        "period": period,
        "pillar": pillar,
        "pillars": Pillar.choices,
        "breadcrumbs": units.filter(pk__in=ancestor_ids(unit)).exclude(pk=unit.pk).order_by("path") if unit else [],
        "query": _query(period, pillar) if period else "",
    }
    if period:
        context.update(_dashboard_context(unit, period, dashboard_indicators(pillar)))
        context.update(freshness=freshness(unit, period), can_recompute=can_recompute(request.user, unit))
    return render(request, "reports/dashboard.html", context)


@login_required
def dashboard_recompute(request, unit_pk):
    """POST: queue "recompute now" for the unit's figures of the period (?period=); a GET goes to the dashboard."""
    unit, period = _summary_export(request, unit_pk)
    back = f"{reverse('reports:dashboard_unit', args=[unit.pk])}?{_query(period, _pillar(request))}"
    if request.method != "POST":
        return redirect(back)
    try:
        services.rollup_request(user=request.user, unit=unit, period=period)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The figures will be recomputed from the approved reports within minutes."))
    return redirect(back)


def _dashboard_context(unit, period, indicators) -> dict:
    """The team ranking is not here: it loads after the page (dashboard_teams)."""
    board = dashboard_for(unit, period, indicators)
    top_communes, weak_communes = leaders_and_support(commune_ranking(unit, period, indicators, board.rows))
    charts = [trend_chart(trend_for(unit, period, indicators), indicators)]
    if board.rows:
        charts.append(children_chart(board.rows))
    context = {
        "dashboard": board,
        "charts": charts,
        "table": dashboard_table(board),
        "top_communes": top_communes,
        "weak_communes": weak_communes,
    }
    if period.is_campaign:  # the campaign plan's own dated steps
        context["steps"] = list(period.deadlines.all())
    if unit.level == Level.COMMUNE:  # the drill-down below a commune: its villages and its commune team
        context["areas"] = area_table(commune_areas(commune=unit, period=period, indicators=indicators), indicators)
    return context


@login_required
def methodology(request):
    """How a unit's figures are formed from its teams' reports (the rule of reports.progress), for everyone."""
    return render(request, "reports/methodology.html")


def _pillar(request) -> str:
    return request.GET.get("pillar", "") if request.GET.get("pillar") in Pillar.values else ""


def _query(period, pillar: str) -> str:
    """The dashboard's query string, kept by its links."""
    return urlencode({"period": period.pk, **({"pillar": pillar} if pillar else {})})


@login_required
def dashboard_teams(request, unit_pk):
    """The teams under the unit ranked for commendation: loaded into the dashboard by htmx once the page is
    shown (their scores can take seconds to compute after a roll-up), or as a page of its own without JavaScript."""
    unit, period = _summary_export(request, unit_pk)
    pillar = _pillar(request)
    teams = unit_team_scores(unit, period, dashboard_indicators(pillar), timezone.localdate())
    top_teams, weak_teams = leaders_and_support(teams, shown=len(teams) if unit.level == Level.COMMUNE else RANK_SHOWN)
    context = {
        "unit": unit,
        "period": period,
        "top_teams": top_teams,
        "weak_teams": weak_teams,
        "query": _query(period, pillar),
    }
    return render(request, "reports/_team_ranking.html" if request.htmx else "reports/dashboard_teams.html", context)


def _summary_period(request, unit):
    """The periods the unit has summaries for, and the one asked for in ?period= (else the latest quarter)."""
    periods = summary_periods(unit)
    period = periods.filter(pk=period_id).first() if (period_id := id_param(request, "period")) else None
    return periods, period or periods.filter(kind=PeriodKind.QUARTER).first() or periods.first()


def _summary_export(request, unit_pk):
    """The unit (out of scope: 404) and its period; 404 too while the unit has no summaries."""
    unit = get_object_or_404(dashboard_units_visible_to(request.user), pk=unit_pk)
    _periods, period = _summary_period(request, unit)
    if period is None:
        raise Http404(_("No summaries yet for this unit."))
    return unit, period


@login_required
def dashboard_excel(request, unit_pk):
    """The unit's summary as the official report (Nghị định 30/2020 layout)."""
    unit, period = _summary_export(request, unit_pk)
    content, _count = OfficialReport(unit=unit, period=period).export(user=request.user)
    return xlsx_response(content, export_file_name("bao-cao-to-cnscd", unit, period))


@login_required
def dashboard_data(request, unit_pk):
    """The summaries of the unit and the units under it, flat, for analysts."""
    unit, period = _summary_export(request, unit_pk)
    indicator_summaries, unit_summaries = summaries_under(request.user, unit, period)
    export = SummaryData(
        unit=unit, period=period, indicator_summaries=indicator_summaries, unit_summaries=unit_summaries
    )
    content, _count = export.export(user=request.user)
    return xlsx_response(content, export_file_name("so-lieu-to-cnscd", unit, period))


# --- schedules and ad-hoc requests -----------------------------------------------------------------------


@login_required
def schedule_list(request):
    provinces = schedules_visible_to(request.user).order_by("name")
    rows = [
        (province, getattr(province, "reporting_schedule", None), can_set_schedule(request.user, province))
        for province in provinces
    ]
    return render(request, "reports/schedule_list.html", {"rows": rows})


@login_required
def schedule_edit(request, province_pk):
    province = get_object_or_404(schedules_visible_to(request.user), pk=province_pk)
    if not can_set_schedule(request.user, province):
        raise Http404
    schedule = ReportingSchedule.objects.filter(province=province).first() or ReportingSchedule(province=province)
    form = ScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_set(
                user=request.user,
                province=province,
                **{name: form.cleaned_data[name] for name in ScheduleForm.Meta.fields},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The reporting schedule was saved."))
            return redirect("reports:schedules")
    return render(
        request,
        "reports/form.html",
        {
            "form": form,
            "title": _("Reporting schedule of %(province)s") % {"province": province},
            "cancel_url": reverse("reports:schedules"),
        },
    )


@login_required
def request_list(request):
    requests = requests_visible_to(request.user).order_by("-deadline")
    return render(
        request,
        "reports/request_list.html",
        {"page": paginate(request, requests), "can_create": can_request_reports(request.user)},
    )


@login_required
def request_create(request):
    if not can_request_reports(request.user):
        raise Http404
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_request_create(user=request.user, unit=request.user.scope_unit, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The ad-hoc report was requested from the teams."))
            return redirect("reports:requests")
    return render(
        request,
        "reports/form.html",
        {"form": form, "title": _("Ask the teams for an ad-hoc report"), "cancel_url": reverse("reports:requests")},
    )


# --- notifications ---------------------------------------------------------------------------------------


@login_required
def notification_list(request):
    notifications = notifications_of(request.user)
    return render(request, "reports/notification_list.html", {"page": paginate(request, notifications)})


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(notifications_of(request.user), pk=pk)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect(notification.url or "reports:notifications")


@login_required
def notifications_read(request):
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
    return redirect("reports:notifications")


# --- data quality (reports.quality) ----------------------------------------------------------------------


@login_required
def quality_index(request):
    """The units whose data-quality pages the user opens: their own unit, or the provinces for a system
    administrator (the reports tabs link staff straight to their own unit's page)."""
    if not can_view_quality(request.user):
        raise Http404
    units = quality_units_visible_to(request.user)
    units = (
        units.filter(pk=request.user.scope_unit_id)
        if request.user.scope_unit_id
        else units.filter(level=Level.PROVINCE)
    )
    return render(request, "reports/quality_index.html", {"units": units.order_by("edition", "code")})


def _quality_problems(request, unit_pk):
    """The unit (out of scope: 404), the filter form and the problems it selects."""
    unit = get_object_or_404(quality_units_visible_to(request.user), pk=unit_pk)
    periods = quality_periods(unit)
    form = QualityFilterForm(request.GET or None, periods=periods)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    period = data.get("period") or periods.first()
    problems = open_problems(unit, period, kind=data.get("kind", ""), status=data.get("status", "")) if period else []
    return unit, form, period, problems


@login_required
def quality_unit(request, unit_pk):
    unit, form, period, problems = _quality_problems(request, unit_pk)
    context = {
        "unit": unit,
        "form": form,
        "period": period,
        "page": paginate(request, problems, 50),
        "children": quality_units_visible_to(request.user).filter(parent=unit).order_by("code", "name"),
        "rules_province": unit
        if unit.level == Level.PROVINCE and can_manage_quality_rules(request.user, unit)
        else None,
    }
    return render(request, "reports/quality.html", context)


@login_required
def quality_excel(request, unit_pk):
    unit, _form, period, problems = _quality_problems(request, unit_pk)
    if period is None:
        raise Http404(_("No report has been sent in this unit yet."))
    content, _count = QualityProblems(unit=unit, period=period, problems=problems).export(user=request.user)
    return xlsx_response(content, export_file_name("chat-luong-so-lieu", unit, period))


def _rules_province(request, province_pk):
    province = get_object_or_404(units_visible_to(request.user).filter(level=Level.PROVINCE), pk=province_pk)
    if not can_manage_quality_rules(request.user, province):
        raise Http404
    return province


@login_required
def quality_rules(request, province_pk):
    province = _rules_province(request, province_pk)
    rules = quality_rules_visible_to(request.user).filter(province=province)
    return render(request, "reports/quality_rules.html", {"province": province, "rules": rules})


@login_required
def quality_rule_edit(request, province_pk, pk=None):
    province = _rules_province(request, province_pk)
    rule = (
        get_object_or_404(quality_rules_visible_to(request.user).filter(province=province), pk=pk)
        if pk
        else QualityRule(province=province)
    )
    form = QualityRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.quality_rule_save(user=request.user, rule=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The rule “%(name)s” was saved.") % {"name": form.instance.name})
            return redirect("reports:quality_rules", province_pk=province.pk)
    title = _("Data-quality rule of %(province)s") % {"province": province.name}
    context = {
        "form": form,
        "title": title,
        "province": province,
        "rule": rule,
        "cancel_url": reverse("reports:quality_rules", args=[province.pk]),
    }
    return render(request, "reports/quality_rule_form.html", context)


@login_required
def quality_rule_delete(request, province_pk, pk):
    province = _rules_province(request, province_pk)
    rule = get_object_or_404(quality_rules_visible_to(request.user).filter(province=province), pk=pk)
    if request.method == "POST":
        services.quality_rule_delete(user=request.user, rule=rule)
        messages.success(request, _("The rule “%(name)s” was deleted.") % {"name": rule.name})
        return redirect("reports:quality_rules", province_pk=province.pk)
    return redirect("reports:quality_rule_edit", province_pk=province.pk, pk=rule.pk)
