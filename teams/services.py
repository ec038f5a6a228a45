"""Writes to teams, people and rosters: keyword-only, validated with full_clean(), atomic.

Views, the member import and the demo all go through these. Every refusal is a ValidationError keyed by the
form field it concerns, so a view can show it on that field and an import on that column.
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from accounts.services import split_full_name, user_create, username_for
from units.choices import Level
from units.models import Unit

from .choices import DEPUTY_ROLES, Affiliation, RequestKind, RequestStatus, TeamRole, TeamStatus
from .models import CompositionRule, Membership, MembershipRequest, Person, Team, Training
from .presets import PRESETS, RULE_DEFAULTS
from .selectors import active_on_q, can_give_login, leaders_without_login
from .validators import normalize_phone

TEAM_FIELDS = {"unit", "name", "decision_number", "decision_date", "decision_signer", "zalo_link", "notes"}
PERSON_FIELDS = {"full_name", "gender", "birth_date", "birth_year", "phone", "email", "national_id", "user"}
MEMBERSHIP_FIELDS = {"role", "affiliation", "start_date", "end_date", "end_reason", "notes", "fills_reports"}
RULE_FIELDS = set(RULE_DEFAULTS) | {"source"}


def _set(instance, fields: dict, allowed: set) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields for {type(instance).__name__}: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)


# --- teams -----------------------------------------------------------------------------------------------


def _team_validate(team: Team) -> None:
    errors = {}
    if (
        team.unit_id
        and team.name
        and Team.objects.filter(unit_id=team.unit_id, name=team.name).exclude(pk=team.pk).exists()
    ):
        errors["name"] = [_("This unit already has a team with this name.")]
    try:
        team.full_clean(exclude=["name"] if errors else None)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def _lock_current(team: Team, version: int) -> Team:
    """The team, locked for this transaction, if nobody saved it since the form was loaded at `version`."""
    locked = Team.objects.select_for_update().get(pk=team.pk)
    if locked.version != version:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "Someone else changed this team after you opened the form, so nothing was saved. "
                        "Reload the page to see their changes, then make yours again."
                    )
                ]
            },
            code="stale",
        )
    return locked


@transaction.atomic
def team_create(*, unit: Unit, name: str, **fields) -> Team:
    team = Team(unit=unit, name=name)
    _set(team, fields, TEAM_FIELDS)
    _team_validate(team)
    team.save()
    return team


@transaction.atomic
def team_update(*, team: Team, version: int, **fields) -> Team:
    """Save an edit made on the team as it was at `version`; a stale edit is refused and nothing is overwritten."""
    locked = _lock_current(team, version)
    _set(locked, fields, TEAM_FIELDS)
    _team_validate(locked)
    locked.version += 1
    locked.save()
    return locked


@transaction.atomic
def team_dissolve(*, team: Team, version: int, dissolved_on: datetime.date, reason: str = "") -> Team:
    """Dissolve a team: its open memberships end that day and its pending requests are refused."""
    locked = _lock_current(team, version)
    if locked.status == TeamStatus.DISSOLVED:
        raise ValidationError({NON_FIELD_ERRORS: [_("This team is already dissolved.")]})
    if dissolved_on > timezone.localdate():
        raise ValidationError({"dissolved_on": [_("The date cannot be in the future.")]})
    if locked.memberships.filter(start_date__gt=dissolved_on).exists():
        raise ValidationError({"dissolved_on": [_("Some memberships start after this date: correct them first.")]})
    locked.status, locked.dissolved_on = TeamStatus.DISSOLVED, dissolved_on
    if reason:
        locked.notes = f"{locked.notes}\n{reason}".strip()
    _team_validate(locked)
    locked.version += 1
    locked.save()
    for membership in locked.memberships.filter(end_date__isnull=True):
        membership_end(membership=membership, end_date=dissolved_on, reason=_("The team was dissolved."))
    for request in locked.requests.filter(status=RequestStatus.PENDING):
        request.status, request.decided_on = RequestStatus.REFUSED, timezone.localdate()
        request.decision_note = _("The team was dissolved.")
        request.save()
    return locked


# --- people ----------------------------------------------------------------------------------------------


def person_home_unit(team: Team) -> Unit:
    """The unit whose officers keep the records of a team's members: the commune (a district for district teams)."""
    return team.unit.parent if team.unit.level == Level.VILLAGE else team.unit


def person_build(*, commune: Unit, full_name: str, **fields) -> Person:
    """A validated, unsaved Person (the member import validates a whole file this way before saving)."""
    person = Person(commune=commune, full_name=full_name)
    _set(person, fields, PERSON_FIELDS)
    _person_validate(person)
    return person


def _person_validate(person: Person) -> None:
    errors = {}
    try:
        person.phone = normalize_phone(person.phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    person.national_id = (person.national_id or "").strip()
    person.full_name = " ".join((person.full_name or "").split())
    try:
        person.full_clean(exclude=list(errors))
    except ValidationError as error:
        errors.update(error.message_dict)
    # A national ID is one person (teams.validators.same_person): entering it again makes a second record.
    if person.national_id and "national_id" not in errors and person.commune_id:
        holders = Person.objects.filter(commune_id=person.commune_id, national_id=person.national_id).exclude(
            pk=person.pk
        )
        if holders.exists():
            errors["national_id"] = [
                _(
                    "This national ID (CCCD) is already recorded for another person of the commune: choose that person "
                    "instead of entering them again, or check the number."
                )
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def person_create(*, commune: Unit, full_name: str, **fields) -> Person:
    person = person_build(commune=commune, full_name=full_name, **fields)
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, **fields) -> Person:
    _set(person, fields, PERSON_FIELDS)
    _person_validate(person)
    person.save()
    return person


# --- memberships -----------------------------------------------------------------------------------------


def membership_build(
    *,
    team: Team,
    person: Person,
    start_date: datetime.date,
    role: str = TeamRole.MEMBER,
    affiliation: str = Affiliation.CITIZEN,
    **fields,
) -> Membership:
    """A validated, unsaved membership: one person once in a team at a time, one leader at a time."""
    membership = Membership(team=team, person=person, start_date=start_date, role=role, affiliation=affiliation)
    _set(membership, fields, MEMBERSHIP_FIELDS)
    _membership_validate(membership)
    return membership


def _membership_validate(membership: Membership) -> None:
    if membership.team.status == TeamStatus.DISSOLVED and membership.end_date is None:
        raise ValidationError({"end_date": [_("The team is dissolved: a membership in it needs an end date.")]})
    # clean() checks the constraints' rules over whole periods, with the message on the right field; the
    # database constraints stay as the safety net against concurrent saves.
    membership.full_clean(validate_constraints=False)


@transaction.atomic
def membership_create(*, team: Team, person: Person, start_date: datetime.date, **fields) -> Membership:
    Team.objects.select_for_update().filter(pk=team.pk).first()  # one roster change per team at a time
    membership = membership_build(team=team, person=person, start_date=start_date, **fields)
    membership.save()
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, **fields) -> Membership:
    Team.objects.select_for_update().filter(pk=membership.team_id).first()
    _set(membership, fields, MEMBERSHIP_FIELDS)
    if membership.role not in DEPUTY_ROLES or membership.end_date is not None:
        membership.fills_reports = False  # only a serving deputy fills in reports for the team
    _membership_validate(membership)
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, end_date: datetime.date, reason: str = "") -> Membership:
    if membership.end_date is not None:
        raise ValidationError({"end_date": [_("This membership has already ended.")]})
    if end_date is None:
        raise ValidationError({"end_date": [_("Give the last day in the team.")]})
    return membership_update(membership=membership, end_date=end_date, end_reason=reason)


@transaction.atomic
def membership_fills_reports_set(*, membership: Membership, fills_reports: bool) -> Membership:
    """The leader names a deputy to fill in and send the team's reports (or stops it)."""
    if fills_reports and (membership.role not in DEPUTY_ROLES or membership.end_date is not None):
        raise ValidationError(
            {"fills_reports": [_("Only a deputy now in the team can be named to fill in the team's reports.")]}
        )
    return membership_update(membership=membership, fills_reports=fills_reports)


def person_open_membership(team: Team, person: Person, on: datetime.date) -> Membership | None:
    """The person's membership in the team that is active on `on` or still open."""
    return (
        team.memberships.filter(person=person)
        .filter(active_on_q(on) | Q(end_date__isnull=True))
        .order_by("-start_date")
        .first()
    )


# --- join and leave requests (seed 003) ------------------------------------------------------------------


@transaction.atomic
def membership_request_create(
    *,
    team: Team,
    person: Person,
    kind: str,
    effective_date: datetime.date,
    requested_by,
    role: str = TeamRole.MEMBER,
    affiliation: str = Affiliation.CITIZEN,
    reason: str = "",
) -> MembershipRequest:
    if team.status != TeamStatus.ACTIVE:
        raise ValidationError({NON_FIELD_ERRORS: [_("This team is dissolved: it takes no requests.")]})
    current = person_open_membership(team, person, effective_date)
    if kind == RequestKind.JOIN and current:
        raise ValidationError(
            {"person": [_("%(person)s is already an active member of this team.") % {"person": person}]}
        )
    if kind == RequestKind.LEAVE and not current:
        raise ValidationError({"person": [_("%(person)s is not an active member of this team.") % {"person": person}]})
    if team.requests.filter(person=person, kind=kind, status=RequestStatus.PENDING).exists():
        raise ValidationError(
            {
                "person": [
                    _("A request of this kind for %(person)s is already waiting for a decision.") % {"person": person}
                ]
            }
        )
    request = MembershipRequest(
        team=team,
        person=person,
        kind=kind,
        effective_date=effective_date,
        requested_by=requested_by,
        role=role if kind == RequestKind.JOIN else current.role,
        affiliation=affiliation if kind == RequestKind.JOIN else current.affiliation,
        reason=reason,
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def membership_request_decide(
    *,
    request: MembershipRequest,
    approve: bool,
    decided_by,
    decider_name: str,
    decider_title: str = "",
    decided_on: datetime.date,
    note: str = "",
) -> MembershipRequest:
    """Approve or refuse a request. Approving a join opens the membership on the effective date; approving a
    leave ends the current membership on it. The decider (commune chair or team leader) and the date are kept."""
    request = MembershipRequest.objects.select_for_update().select_related("team", "person").get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise ValidationError({NON_FIELD_ERRORS: [_("This request has already been decided.")]})
    errors = {}
    if not decider_name.strip():
        errors["decider_name"] = [_("Give the name of the person who decided.")]
    if decided_on > timezone.localdate():
        errors["decided_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    if approve and request.kind == RequestKind.JOIN:
        membership_create(
            team=request.team,
            person=request.person,
            start_date=request.effective_date,
            role=request.role,
            affiliation=request.affiliation,
        )
    elif approve:
        current = person_open_membership(request.team, request.person, request.effective_date)
        if current is None:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _("%(person)s is no longer an active member of this team.") % {"person": request.person}
                    ]
                }
            )
        membership_end(
            membership=current,
            end_date=request.effective_date,
            reason=request.reason or _("Left at their own request."),
        )
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.decided_by, request.decided_on = decided_by, decided_on
    request.decider_name, request.decider_title = decider_name.strip(), decider_title.strip()
    request.decision_note = note
    request.full_clean()
    request.save()
    return request


# --- composition rules -----------------------------------------------------------------------------------


@transaction.atomic
def composition_rule_set(*, province: Unit, team_level: str, **values) -> CompositionRule:
    """Create or change a province's rule for one team level."""
    if province.level != Level.PROVINCE:
        raise ValidationError({"province": [_("Composition rules belong to a province.")]})
    rule = CompositionRule.objects.filter(province=province, team_level=team_level).first() or CompositionRule(
        province=province, team_level=team_level
    )
    _set(rule, values, RULE_FIELDS)
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def composition_preset_apply(*, province: Unit, preset: str) -> list[CompositionRule]:
    """Set the province's rules for the levels a seed preset covers; other levels keep their rules."""
    if preset not in PRESETS:
        raise ValidationError({"preset": [_("Unknown preset.")]})
    chosen = PRESETS[preset]
    return [
        composition_rule_set(
            province=province, team_level=level, source=chosen["source"], **{**RULE_DEFAULTS, **values}
        )
        for level, values in chosen["rules"].items()
    ]


# --- trainings -------------------------------------------------------------------------------------------


def _training_validate(training: Training, attendees) -> None:
    training.full_clean()
    outside = [
        person
        for person in attendees
        if not person.memberships.filter(team__unit__path__startswith=training.unit.path).exists()
    ]
    if outside:
        raise ValidationError(
            {
                "attendees": [
                    _("Not a member of a team of %(unit)s: %(people)s.")
                    % {"unit": training.unit, "people": ", ".join(map(str, outside))}
                ]
            }
        )


@transaction.atomic
def training_create(*, unit: Unit, date: datetime.date, topic: str, attendees=(), **fields) -> Training:
    training = Training(unit=unit, date=date, topic=topic)
    _set(training, fields, {"organiser", "format"})
    _training_validate(training, attendees)
    training.save()
    training.attendees.set(attendees)
    return training


@transaction.atomic
def training_update(*, training: Training, attendees=None, **fields) -> Training:
    _set(training, fields, {"unit", "date", "topic", "organiser", "format"})
    attendees = list(training.attendees.all()) if attendees is None else list(attendees)
    _training_validate(training, attendees)
    training.save()
    training.attendees.set(attendees)
    return training


# --- logins for leaders and deputies ---------------------------------------------------------------------------


@transaction.atomic
def member_login_create(*, actor: User, membership: Membership) -> tuple[User, str]:
    """Give a current leader or deputy an account of the team leader role, scoped to the team's unit and linked to
    their roster entry (Person.user), in one step. Returns the account and its one-time password."""
    person = Person.objects.select_for_update().get(pk=membership.person_id)
    membership.person = person
    if not can_give_login(actor, membership, timezone.localdate()):
        raise ValidationError(
            _(
                "%(name)s cannot be given a login here: only a current leader or deputy of an active village or commune team in your scope, without an account yet."
            )
            % {"name": person.full_name}
        )
    last_name, first_name = split_full_name(person.full_name)
    user, password = user_create(
        actor=actor,
        username=username_for(person.full_name),
        first_name=first_name,
        last_name=last_name,
        role=Role.TEAM_LEADER,
        scope_unit=membership.team.unit,
        email=person.email,
        phone=person.phone,
    )
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    return user, password


@transaction.atomic
def commune_leader_logins(*, actor: User, commune: Unit) -> list[tuple[Membership, User, str]]:
    """A login for every current leader of the commune's teams (its own and its villages') who has none yet."""
    created = []
    for membership in leaders_without_login(actor, commune, timezone.localdate()):
        user, password = member_login_create(actor=actor, membership=membership)
        created.append((membership, user, password))
    return created
