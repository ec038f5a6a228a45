"""Team pages. Every object comes from a scoping selector (out of scope: 404); a user who may see an object
but not change it also gets 404 on the change pages, so the matrix has one answer for "not yours"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.permissions import assignable_roles
from accounts.views import LoginRow, login_sheet
from reports.progress import team_progress_this_quarter
from reports.selectors import team_reports_owed
from totech.dates import years_from
from totech.forms import add_service_errors
from totech.pagination import paginate
from totech.params import id_param, parse_id
from totech.spreadsheets import SpreadsheetError, xlsx_response
from units.choices import Level
from units.models import Unit
from units.selectors import unit_ancestors_visible_to, unit_scope_q, units_to_pick, units_visible_to

from . import services
from .choices import DEPUTY_ROLES, ImportKind, ImportStatus, RequestKind, RequestStatus, TeamRole, TeamStatus
from .filters import MemberExportFilter, RequestFilter, TeamFilter
from .forms import (
    CommunePickForm,
    DecisionForm,
    DissolveForm,
    ImportUploadForm,
    MembershipAddForm,
    MembershipEndForm,
    MembershipForm,
    NewPersonForm,
    PersonForm,
    PresetForm,
    RequestForm,
    RosterPeriodForm,
    RuleForm,
    TeamForm,
    TrainingForm,
    VillageImportForm,
)
from .models import TEAM_LEVELS, CompositionRule, Membership, Person, Training
from .selectors import (
    active_during_q,
    all_rule_ages,
    attach_violations,
    can_create_teams,
    can_decide_request,
    can_edit_team,
    can_file_request,
    can_give_login,
    can_import,
    can_manage_rules,
    can_name_report_deputy,
    communes_for_coverage,
    communes_importable_by,
    composition_violations,
    import_jobs_visible_to,
    leaders_without_login,
    members_during,
    members_on,
    memberships_in_scope_of,
    memberships_visible_to,
    past_members,
    people_visible_to,
    requests_visible_to,
    rule_for,
    sees_personal_data,
    team_counts,
    team_history,
    teams_led_by,
    teams_visible_to,
    trainings_visible_to,
    units_for_new_teams,
    villages_without_team,
    with_composition,
)
from .spreadsheets.exports import blank_template, export_roster
from .spreadsheets.jobs import import_job_confirm, import_job_start
from .spreadsheets.samples import messy_member_workbook


def _run(request, form, action, message):
    """Call a service with a valid form's data: on success say so and return its result; on refusal show
    the service's reasons on the form and return None."""
    try:
        result = action()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, message)
    return result


def _editable_team(request, pk):
    team = get_object_or_404(teams_visible_to(request.user), pk=pk)
    if not can_edit_team(request.user, team):
        raise Http404
    return team


# --- teams -----------------------------------------------------------------------------------------------


def _team_filter(request, today) -> TeamFilter:
    """The team list's filters over the teams the user sees: the list and its roster export read the same."""
    teams = with_composition(teams_visible_to(request.user), today, all_rule_ages())
    return TeamFilter(request.GET, queryset=teams.order_by("unit__path", "name"), user=request.user)


@login_required
def team_list(request):
    today = timezone.localdate()
    team_filter = _team_filter(request, today)
    filtered = team_filter.qs
    page = paginate(request, filtered)
    attach_violations(list(page.object_list), today)
    context = {
        "filter": team_filter,
        "page": page,
        "counts": team_counts(teams_visible_to(request.user).filter(pk__in=filtered.values("pk")), today),
        "levels": TEAM_LEVELS,
        "can_create": can_create_teams(request.user),
    }
    return render(request, "teams/team_list.html", context)


@login_required
def team_detail(request, pk):
    team = get_object_or_404(teams_visible_to(request.user), pk=pk)
    today = timezone.localdate()
    period_form = RosterPeriodForm(request.GET or None)
    period = period_form.period()
    if period and period[0] != period[1]:
        roster = members_during(team, *period)
    else:
        roster = members_on(team, period[0] if period else today)
    trainings = (
        trainings_visible_to(request.user)
        .filter(attendees__memberships__team=team)
        .annotate(team_attendees=Count("attendees", filter=Q(attendees__memberships__team=team), distinct=True))
        .distinct()
        .order_by("-date")[:10]
    )
    progress_period, progress_rows = team_progress_this_quarter(team)
    context = {
        "team": team,
        "progress_period": progress_period,
        "progress_rows": progress_rows,
        "owed": team_reports_owed(request.user, team, today),
        "ancestors": unit_ancestors_visible_to(request.user, team.unit),
        "roster": roster,
        "period": period,
        "period_form": period_form,
        "past": past_members(team, today) if not period else [],
        "today": today,
        "violations": composition_violations(team, today),
        "rule": rule_for(team),
        "trainings": trainings,
        "history": team_history(team, limit=10),
        "pending_requests": team.requests.filter(status=RequestStatus.PENDING).select_related("person"),
        "can_edit": can_edit_team(request.user, team),
        "can_file_request": can_file_request(request.user, team),
        "can_name_report_deputy": can_name_report_deputy(request.user, team) and not period,
        "deputy_roles": DEPUTY_ROLES,
        "show_personal": sees_personal_data(request.user, team),
        "login_ids": {membership.pk for membership in roster if can_give_login(request.user, membership, today)},
    }
    return render(request, "teams/team_detail.html", context)


@login_required
def team_history_view(request, pk):
    team = get_object_or_404(teams_visible_to(request.user), pk=pk)
    return render(request, "teams/team_history.html", {"team": team, "page": paginate(request, team_history(team), 50)})


@login_required
def team_create(request):
    if not can_create_teams(request.user):
        raise Http404
    units = units_for_new_teams(request.user)
    initial = {}
    if (unit_id := id_param(request, "unit")) and (unit := units.filter(pk=unit_id).first()):
        initial = {"unit": unit}
    form = TeamForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        if team := _run(
            request, form, lambda: services.team_create(**data), _("The team was created. Now add its members.")
        ):
            return redirect("teams:detail", pk=team.pk)
    return render(
        request,
        "teams/form.html",
        {"form": form, "title": _("New team"), "cancel_url": "teams:list", "submit": _("Create the team")},
    )


@login_required
def team_edit(request, pk):
    team = _editable_team(request, pk)
    form = TeamForm(request.POST or None, instance=team, units=units_for_new_teams(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        if _run(
            request, form, lambda: services.team_update(team=team, version=version, **data), _("The team was saved.")
        ):
            return redirect("teams:detail", pk=team.pk)
    return render(
        request, "teams/form.html", {"form": form, "team": team, "title": _("Edit the team"), "submit": _("Save")}
    )


@login_required
def team_dissolve(request, pk):
    team = _editable_team(request, pk)
    if team.status != TeamStatus.ACTIVE:
        raise Http404
    form = DissolveForm(request.POST or None, initial={"version": team.version})
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: services.team_dissolve(team=team, **form.cleaned_data),
            _("The team was dissolved; its open memberships ended that day."),
        ):
            return redirect("teams:detail", pk=team.pk)
    context = {
        "form": form,
        "team": team,
        "title": _("Dissolve the team"),
        "submit": _("Dissolve"),
        "danger": True,
        "intro": _(
            "All open memberships will end on the date of dissolution and pending requests will be refused. The roster's history is kept."
        ),
    }
    return render(request, "teams/form.html", context)


# --- members ---------------------------------------------------------------------------------------------


@login_required
def membership_add(request, pk):
    team = _editable_team(request, pk)
    if team.status != TeamStatus.ACTIVE:
        raise Http404
    home = services.person_home_unit(team)
    people = (
        people_visible_to(request.user)
        .filter(commune=home)
        .exclude(memberships__in=team.memberships.filter(end_date__isnull=True))
    )
    membership_form = MembershipAddForm(request.POST or None, people=people, prefix="membership")
    person_form = NewPersonForm(request.POST or None, prefix="person")
    if request.method == "POST" and membership_form.is_valid() and person_form.is_valid():
        data = dict(membership_form.cleaned_data)
        person = data.pop("existing_person")
        try:
            with transaction.atomic():
                if person is None:
                    if not person_form.cleaned_data["full_name"]:
                        raise ValidationError(
                            {"full_name": _("Type the new member's full name, or choose an existing person.")}
                        )
                    person = services.person_create(commune=home, **person_form.cleaned_data)
                services.membership_create(team=team, person=person, **data)
        except ValidationError as error:
            _show_member_errors(error, membership_form, person_form)
        else:
            messages.success(request, _("%(person)s was added to the team.") % {"person": person})
            if "add_another" in request.POST:
                return redirect("teams:membership_add", pk=team.pk)
            return redirect("teams:detail", pk=team.pk)
    context = {
        "team": team,
        "membership_form": membership_form,
        "person_form": person_form,
        "title": _("Add a member"),
        "violations": composition_violations(team),
        "rule": rule_for(team),
    }
    return render(request, "teams/membership_form.html", context)


def _show_member_errors(error: ValidationError, membership_form, person_form) -> None:
    """Person fields' errors on the person form; everything else on the membership form."""
    person_errors = {field: m for field, m in error.message_dict.items() if field in person_form.fields}
    other_errors = {field: m for field, m in error.message_dict.items() if field not in person_form.fields}
    if person_errors:
        add_service_errors(person_form, ValidationError(person_errors))
    if other_errors:
        add_service_errors(membership_form, ValidationError(other_errors))


@login_required
def membership_edit(request, pk):
    membership = get_object_or_404(memberships_visible_to(request.user), pk=pk)
    team = membership.team
    if not can_edit_team(request.user, team):
        raise Http404
    membership_form = MembershipForm(request.POST or None, instance=membership, prefix="membership")
    person_form = PersonForm(request.POST or None, instance=membership.person, prefix="person")
    if request.method == "POST" and membership_form.is_valid() and person_form.is_valid():
        try:
            with transaction.atomic():
                services.person_update(person=membership.person, **person_form.cleaned_data)
                services.membership_update(membership=membership, **membership_form.cleaned_data)
        except ValidationError as error:
            _show_member_errors(error, membership_form, person_form)
        else:
            messages.success(request, _("The membership of %(person)s was saved.") % {"person": membership.person})
            return redirect("teams:detail", pk=team.pk)
    context = {
        "team": team,
        "membership": membership,
        "membership_form": membership_form,
        "person_form": person_form,
        "title": _("Edit a membership"),
        "violations": composition_violations(team),
        "rule": rule_for(team),
    }
    return render(request, "teams/membership_form.html", context)


@login_required
def membership_end(request, pk):
    membership = get_object_or_404(memberships_visible_to(request.user), pk=pk)
    if not can_edit_team(request.user, membership.team) or membership.end_date:
        raise Http404
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: services.membership_end(
                membership=membership, end_date=form.cleaned_data["end_date"], reason=form.cleaned_data["reason"]
            ),
            _("The membership of %(person)s ended.") % {"person": membership.person},
        ):
            return redirect("teams:detail", pk=membership.team_id)
    context = {
        "form": form,
        "team": membership.team,
        "title": _("End a membership"),
        "submit": _("End the membership"),
        "danger": True,
        "intro": _(
            "%(person)s (%(role)s, since %(start)s) leaves the team. The membership stays in the roster's history."
        )
        % {
            "person": membership.person,
            "role": membership.get_role_display(),
            "start": date_format(membership.start_date, "SHORT_DATE_FORMAT"),
        },
    }
    return render(request, "teams/form.html", context)


@login_required
def membership_fills_reports(request, pk):
    """Name a deputy to fill in the team's reports, or stop it (a button on the team page)."""
    membership = get_object_or_404(memberships_visible_to(request.user).select_related("team", "person"), pk=pk)
    if not can_name_report_deputy(request.user, membership.team):
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    fills_reports = request.POST.get("fills_reports") == "1"
    try:
        services.membership_fills_reports_set(membership=membership, fills_reports=fills_reports)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        message = (
            _("%(person)s may now fill in the team's reports.")
            if fills_reports
            else _("%(person)s no longer fills in the team's reports.")
        )
        messages.success(request, message % {"person": membership.person})
    return redirect("teams:detail", pk=membership.team_id)


# --- join and leave requests -----------------------------------------------------------------------------


@login_required
def request_list(request):
    requests = requests_visible_to(request.user).order_by("status", "-requested_at")
    request_filter = RequestFilter(request.GET or {"status": RequestStatus.PENDING}, queryset=requests)
    page = paginate(request, request_filter.qs)
    for item in page.object_list:
        item.can_decide = can_decide_request(request.user, item)
    return render(request, "teams/request_list.html", {"filter": request_filter, "page": page})


@login_required
def request_create(request, pk):
    team = get_object_or_404(teams_visible_to(request.user), pk=pk)
    if not can_file_request(request.user, team):
        raise Http404
    home = services.person_home_unit(team)
    people = (
        people_visible_to(request.user)
        .filter(Q(commune=home) | Q(memberships__team=team))
        .distinct()
        .order_by("full_name")
    )
    form = RequestForm(request.POST or None, people=people, initial={"kind": request.GET.get("kind", RequestKind.JOIN)})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("existing_person")
        new_name, new_phone = data.pop("new_full_name"), data.pop("new_phone")
        try:
            with transaction.atomic():
                if person is None:
                    person = services.person_create(commune=home, full_name=new_name, phone=new_phone)
                services.membership_request_create(team=team, person=person, requested_by=request.user, **data)
        except ValidationError as error:
            # The form names its fields differently from the services.
            renamed = {"person": "existing_person", "full_name": "new_full_name", "phone": "new_phone"}
            add_service_errors(
                form, ValidationError({renamed.get(field, field): m for field, m in error.message_dict.items()})
            )
        else:
            messages.success(request, _("The request was filed and waits for a decision."))
            return redirect("teams:detail", pk=team.pk)
    return render(
        request,
        "teams/form.html",
        {"form": form, "team": team, "title": _("File a join or leave request"), "submit": _("File the request")},
    )


@login_required
def request_decide(request, pk):
    membership_request = get_object_or_404(requests_visible_to(request.user), pk=pk)
    team = membership_request.team
    may_decide = can_decide_request(request.user, membership_request)
    form = None
    if may_decide:
        form = DecisionForm(request.POST or None, initial=_decider_initial(request.user, team))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data

            def decide():
                return services.membership_request_decide(
                    request=membership_request,
                    approve=data["decision"],
                    decided_by=request.user,
                    decider_name=data["decider_name"],
                    decider_title=data["decider_title"],
                    decided_on=data["decided_on"],
                    note=data["note"],
                )

            if _run(request, form, decide, _("The decision was recorded.")):
                return redirect("teams:detail", pk=team.pk)
    elif request.method == "POST":
        raise Http404
    context = {"item": membership_request, "team": team, "form": form}
    return render(request, "teams/request_decide.html", context)


def _decider_initial(user, team):
    """Seed 003: the commune chair decides for commune teams, the team leader for village teams."""
    if team.level == Level.VILLAGE:
        leader = members_on(team, timezone.localdate()).filter(role=TeamRole.LEADER).first()
        return {"decider_name": leader.person.full_name if leader else "", "decider_title": _("Team leader")}
    return {"decider_title": _("Chair of the commune People's Committee")}


# --- coverage --------------------------------------------------------------------------------------------


@login_required
def coverage(request):
    """For each commune in scope: its villages that no active team serves."""
    communes = communes_for_coverage(request.user)
    if request.user.role == Role.TEAM_LEADER:
        communes = Unit.objects.none()
    communes = communes.annotate(village_count=Count("children", filter=Q(children__level=Level.VILLAGE)))
    only_gaps = request.GET.get("gaps", "1") == "1"
    rows = []
    page = paginate(request, communes, 20)
    for commune in page.object_list:
        missing = list(villages_without_team(commune))
        if missing or not only_gaps:
            rows.append({"commune": commune, "missing": missing})
    context = {"rows": rows, "page": page, "only_gaps": only_gaps, "can_create": can_create_teams(request.user)}
    return render(request, "teams/coverage.html", context)


# --- composition rules -----------------------------------------------------------------------------------


@login_required
def rules_index(request):
    """Province staff go to their province's rules; the administrator picks a province."""
    if request.user.role == Role.PROVINCE_STAFF:
        return redirect("teams:rules", province_pk=request.user.scope_unit_id)
    provinces = (
        Unit.objects.filter(level=Level.PROVINCE).order_by("edition", "code")
        if request.user.sees_everything
        else Unit.objects.none()
    )
    return render(request, "teams/rules_index.html", {"provinces": provinces})


def _rule_province(request, province_pk):
    province = get_object_or_404(units_visible_to(request.user).filter(level=Level.PROVINCE), pk=province_pk)
    if not can_manage_rules(request.user, province):
        raise Http404
    return province


@login_required
def rules(request, province_pk):
    province = _rule_province(request, province_pk)
    form = PresetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.composition_preset_apply(province=province, preset=form.cleaned_data["preset"])
        messages.success(request, _("The preset was applied. Adjust the rules below if your province's plan differs."))
        return redirect("teams:rules", province_pk=province.pk)
    existing = {rule.team_level: rule for rule in CompositionRule.objects.filter(province=province)}
    levels = [
        (level, label, existing.get(level))
        for level, label in TEAM_LEVELS
        if province.has_districts or level != Level.DISTRICT
    ]
    return render(request, "teams/rules.html", {"province": province, "form": form, "levels": levels})


@login_required
def rule_edit(request, province_pk, level):
    province = _rule_province(request, province_pk)
    if level not in dict(TEAM_LEVELS):
        raise Http404
    rule = CompositionRule.objects.filter(province=province, team_level=level).first() or CompositionRule(
        province=province, team_level=level
    )
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: services.composition_rule_set(province=province, team_level=level, **form.cleaned_data),
            _("The rule was saved. Teams that break it show a warning; nothing is blocked."),
        ):
            return redirect("teams:rules", province_pk=province.pk)
    title = _("Composition rule: %(level)s teams of %(province)s") % {
        "level": dict(TEAM_LEVELS)[level].lower(),
        "province": province,
    }
    return render(request, "teams/form.html", {"form": form, "title": title, "submit": _("Save")})


# --- trainings -------------------------------------------------------------------------------------------


@login_required
def training_list(request):
    trainings = (
        trainings_visible_to(request.user).annotate(attendee_count=Count("attendees", distinct=True)).order_by("-date")
    )
    can_create = can_create_teams(request.user)
    return render(request, "teams/training_list.html", {"page": paginate(request, trainings), "can_create": can_create})


def _training_form(request, training, units):
    """The training form; the attendees to tick are the people in a team under the chosen unit in the last
    year, plus anyone already ticked."""
    posted = parse_id(request.POST.get("unit")) if request.method == "POST" else None  # a bad one: the form says so
    unit_pk = posted or id_param(request, "unit") or training.unit_id or request.user.scope_unit_id
    unit = units.filter(pk=unit_pk or 0).first() or units.first()
    today = timezone.localdate()
    recent = active_during_q(years_from(today, -1), today, "memberships__")
    candidates = Q(recent, memberships__team__unit__path__startswith=unit.path) if unit else Q(pk__in=[])
    if training.pk:
        candidates |= Q(pk__in=training.attendees.values("pk"))
    team_name = (
        Membership.objects.filter(person=OuterRef("pk"))
        .order_by(F("end_date").desc(nulls_first=True))
        .values("team__unit__name")[:1]
    )
    people = people_visible_to(request.user).filter(pk__in=Person.objects.filter(candidates).values("pk"))
    people = people.annotate(team_name=Subquery(team_name)).order_by("full_name")
    return TrainingForm(request.POST or None, instance=training, units=units, initial={"unit": unit}, candidates=people)


@login_required
def training_create(request):
    if not can_create_teams(request.user):
        raise Http404
    units = Unit.objects.filter(
        unit_scope_q(request.user, unit_field=None),
        level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.VILLAGE],
    ).order_by("path")
    form = _training_form(request, Training(), units)
    if request.method == "POST" and "save" in request.POST and form.is_valid():
        if training := _run(
            request, form, lambda: services.training_create(**form.cleaned_data), _("The training was recorded.")
        ):
            return redirect("teams:training_edit", pk=training.pk)
    return render(request, "teams/training_form.html", {"form": form, "title": _("New training")})


@login_required
def training_edit(request, pk):
    training = get_object_or_404(trainings_visible_to(request.user), pk=pk)
    if not (can_create_teams(request.user) and units_visible_to(request.user).filter(pk=training.unit_id).exists()):
        raise Http404
    units = Unit.objects.filter(unit_scope_q(request.user, unit_field=None)).order_by("path")
    form = _training_form(request, training, units)
    if request.method == "POST" and "save" in request.POST and form.is_valid():
        if _run(
            request,
            form,
            lambda: services.training_update(training=training, **form.cleaned_data),
            _("The training was saved."),
        ):
            return redirect("teams:trainings")
    return render(
        request, "teams/training_form.html", {"form": form, "title": _("Edit a training"), "training": training}
    )


@login_required
def my_team(request):
    """A team leader's shortcut to the team they lead."""
    team = teams_led_by(request.user).first()
    return redirect("teams:detail", pk=team.pk) if team else redirect("teams:list")


# Spreadsheets: upload → preview → confirm imports, the import log, roster exports, template, sample.

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
                kind=kind,
                commune=form.cleaned_data["commune"],
                user=request.user,
                upload=form.cleaned_data["file"],
                as_of=form.cleaned_data.get("as_of"),
            )
        except SpreadsheetError as problem:
            form.add_error("file", str(problem))
        else:
            return redirect("teams:job_detail", pk=job.pk)
    recent = import_jobs_visible_to(request.user).filter(kind=kind)[:5]
    return render(request, template, {"form": form, "recent": recent, "kind": kind})


@login_required
def members_import(request):
    return _import_page(request, ImportKind.MEMBERS, ImportUploadForm, "teams/import_form.html")


@login_required
def villages_import(request):
    return _import_page(request, ImportKind.VILLAGES, VillageImportForm, "teams/import_form.html")


@login_required
def job_list(request):
    _require_importer(request.user)
    jobs = import_jobs_visible_to(request.user)
    page = paginate(request, jobs, JOBS_PER_PAGE)
    return render(request, "teams/import_job_list.html", {"page": page, "total": page.paginator.count})


def _job_context(request, pk):
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=pk)
    progress = cache.get(job.progress_cache_key, 0) if job.is_running else 100
    return {"job": job, "progress": progress}


@login_required
def job_detail(request, pk):
    return render(request, "teams/import_job_detail.html", _job_context(request, pk))


@login_required
def job_progress(request, pk):
    """The progress bar, polled by htmx while the job runs; the whole page reloads when it is over."""
    context = _job_context(request, pk)
    response = render(request, "teams/includes/import_job_progress.html", context)
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
        messages.success(
            request, _("Imported %(file)s: %(summary)s.") % {"file": job.file_name, "summary": _summary(job)}
        )
    return redirect("teams:job_detail", pk=job.pk)


def _summary(job):
    return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
        "created": job.created,
        "updated": job.updated,
        "unchanged": job.unchanged,
    }


@login_required
def members_export(request):
    """The roster of the teams the team list shows with the same filters (or of one team), optionally one role."""
    team_filter = _team_filter(request, timezone.localdate())
    member_filter = MemberExportFilter(request.GET, queryset=memberships_in_scope_of(request.user), user=request.user)
    if not (team_filter.is_valid() and member_filter.is_valid()):
        raise Http404(_("These filters are not valid."))  # a team or unit out of scope is not there for this user
    unit = team_filter.form.cleaned_data.get("unit") or request.user.scope_unit
    scope_label = unit.name if unit else _("All provinces")
    memberships = member_filter.qs.filter(team__in=team_filter.qs.values("pk"))
    content, _count = export_roster(
        memberships, user=request.user, scope_label=scope_label, filters=request.GET.urlencode()
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
        return redirect("teams:villages_import")
    villages = list(commune.children.filter(level=Level.VILLAGE).order_by("name").values_list("name", flat=True)[:4])
    return xlsx_response(messy_member_workbook(commune.name, villages), "vi-du-danh-sach-thanh-vien.xlsx")


# --- logins for leaders and deputies (accounts of the team leader role) ----------------------------------------


def _login_rows(created):
    return [
        LoginRow(user, password, f"{membership.get_role_display()} · {membership.team.name}")
        for membership, user, password in created
    ]


@login_required
def member_login(request, pk):
    """Give one leader or deputy of the roster a login, after a confirmation page; then print their sheet."""
    membership = get_object_or_404(memberships_in_scope_of(request.user).select_related("person", "team__unit"), pk=pk)
    if not can_give_login(request.user, membership, timezone.localdate()):
        raise Http404
    if request.method == "POST":
        try:
            user, password = services.member_login_create(actor=request.user, membership=membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("teams:detail", membership.team_id)
        return login_sheet(request, _login_rows([(membership, user, password)]), title=membership.team.name)
    return render(request, "teams/leader_logins.html", {"memberships": [membership]})


@login_required
def leader_logins(request):
    """Logins for every leader of a commune's teams who has none yet (a commune officer: their commune; the
    Department picks one), after a confirmation page listing them; then the sheet to print and hand out."""
    if Role.TEAM_LEADER not in assignable_roles(request.user):
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    if not data.get("commune") and request.user.role == Role.COMMUNE_OFFICER:
        data = {"commune": str(request.user.scope_unit_id)}
    form = CommunePickForm(data or None, communes=units_to_pick(request.user, "commune"))
    commune = form.cleaned_data["commune"] if form.is_valid() else None
    if request.method == "POST":
        if commune is None:
            raise Http404
        created = services.commune_leader_logins(actor=request.user, commune=commune)
        if not created:
            messages.info(request, _("Every leader of %(commune)s already has a login.") % {"commune": commune.name})
            return redirect(f"{reverse('teams:leader_logins')}?commune={commune.pk}")
        return login_sheet(request, _login_rows(created), title=commune.name)
    memberships = leaders_without_login(request.user, commune, timezone.localdate()) if commune else []
    return render(request, "teams/leader_logins.html", {"memberships": memberships, "commune": commune, "form": form})
