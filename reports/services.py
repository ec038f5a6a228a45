"""Writes to reports: keyword-only, validated, atomic. Views, tasks and the demo all go through these.

Refusals are ValidationErrors keyed by the form field they concern (`value_<indicator id>`, `activities`,
`comment`, `image` ...), so the form shows each on the right field and keeps everything typed.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from accounts.models import User
from targets.models import Indicator, Period
from targets.services import periods_generate
from teams.choices import TeamRole
from teams.models import Team
from teams.selectors import members_on, province_of
from totech.celery import app as celery_app
from totech.dates import quarter_of
from units.choices import Level
from units.models import Unit

from .choices import AWAITING_REVIEW, Action, NotificationKind, ReportKind, ReportStatus
from .images import photo_encode
from .models import (
    Notification,
    QualityRule,
    RecomputeRequest,
    Report,
    ReportingSchedule,
    ReportPhoto,
    ReportRequest,
    ReportTransition,
    ReportValue,
    StaleRollup,
)
from .quality import problems_of
from .selectors import (
    Slot,
    can_manage_quality_rules,
    can_recompute,
    can_reopen_report,
    can_request_reports,
    can_review_report,
    can_set_schedule,
    entered_by_q,
    fills_on_behalf,
    indicators_for,
    kept_from_reviewing,
    notifications_keyed,
    periodic_deadline,
    reminder_slots,
    review_desk,
    reviews_report,
    rollup_span,
    slot_for,
    team_fillable_by,
    teams_fillable_by,
)

logger = logging.getLogger(__name__)

MAX_PHOTOS = 4
MAX_PHOTO_BYTES = 5 * 1024 * 1024
TEXT_FIELDS = ("activities", "difficulties", "proposals", "quality_note")
# A report's foreign keys come from rows the service has just read: full_clean need not query each one again.
REPORT_KEYS = ("team", "period", "request", "village", "commune", "district", "province", "created_by", "entered_by")


def value_field(indicator) -> str:
    """The form field (and error key) of an indicator's value."""
    return f"value_{indicator.pk}"


# --- schedules and ad-hoc requests -----------------------------------------------------------------------


@transaction.atomic
def schedule_set(
    *, user, province: Unit, frequency: str, deadline_day: int, remind_days_before: int, starts_on: datetime.date
) -> ReportingSchedule:
    """Set a province's schedule; the months and quarters it needs are generated. Reports not sent yet whose
    deadline has not come take the new deadline; the others keep the one they had when they fell due or were
    sent, so moving the deadline day never re-judges past reports (their page and the roll-ups read it)."""
    if not can_set_schedule(user, province):
        raise ValidationError(
            _("Only the Department of %(province)s sets its reporting schedule.") % {"province": province}
        )
    schedule = ReportingSchedule.objects.filter(province=province).first() or ReportingSchedule(province=province)
    schedule.frequency, schedule.deadline_day = frequency, deadline_day
    schedule.remind_days_before, schedule.starts_on = remind_days_before, starts_on
    schedule.full_clean()
    schedule.save()
    for year in range(starts_on.year, timezone.localdate().year + 1):
        periods_generate(year=year)
    not_due = Report.objects.filter(
        province=province,
        kind=ReportKind.PERIODIC,
        period__kind=frequency,
        submitted_at__isnull=True,
        deadline__gt=timezone.localdate(),
    )
    for period in Period.objects.filter(pk__in=not_due.values("period_id")):
        not_due.filter(period=period).update(deadline=periodic_deadline(period, schedule))
    return schedule


@transaction.atomic
def report_request_create(
    *,
    user,
    unit: Unit,
    title: str,
    covers_start: datetime.date,
    covers_end: datetime.date,
    deadline: datetime.date,
    instructions: str = "",
) -> ReportRequest:
    """An ad-hoc report asked of every active team under `unit` (a commune, or the Department's province)."""
    if not (can_request_reports(user) and user.scope_unit_id == unit.pk):
        raise ValidationError({"unit": _("You can ask for ad-hoc reports only for your own commune or province.")})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    request = ReportRequest(
        unit=unit,
        title=title,
        instructions=instructions,
        covers_start=covers_start,
        covers_end=covers_end,
        deadline=deadline,
        requested_by=user,
    )
    request.full_clean()
    request.save()
    return request


# --- the report ------------------------------------------------------------------------------------------


LEVELS_DOWN = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.VILLAGE)


def unit_ids_of(team: Team) -> dict[str, int | None]:
    """The ids of the team's village, commune, district (none on the reformed map) and province, as they are
    now, read from its unit's path (no query): the path runs from the province to the unit, and the only level
    it can skip between them is the district (units.models.ALLOWED_PARENT_LEVELS)."""
    ids = [*team.unit.ancestor_ids(), team.unit.pk]
    levels = LEVELS_DOWN[: LEVELS_DOWN.index(team.unit.level) + 1]
    chain = dict(zip(levels[:1] + levels[len(levels) - len(ids) + 1 :], ids, strict=True))
    return {level: chain.get(level) for level in LEVELS_DOWN}


class StaleReportError(ValidationError):
    """Someone saved the report since the form was loaded, with other content: nothing was written."""

    def __init__(self):
        super().__init__(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "Someone saved this report after you opened it, so your changes were not saved. Your input is "
                        "still in the form: check the saved report, then press Save again to replace it with yours."
                    )
                ]
            }
        )


def _not_filler_error() -> ValidationError:
    return ValidationError(
        {
            NON_FIELD_ERRORS: [
                _(
                    "Only the team's leader, the deputy the leader named, or an officer of its commune entering a paper report can fill in the team's report."
                )
            ]
        }
    )


def _locked_error(report: Report):
    if report.status == ReportStatus.APPROVED:
        message = _("This report was approved: its values are locked. Ask the district or the province to reopen it.")
    else:
        message = _("This report was already sent and is waiting for review: it cannot be changed now.")
    return ValidationError({NON_FIELD_ERRORS: [message]})


def _slot_report(
    *, user, team: Team, period: Period | None, request: ReportRequest | None, slot: Slot | None
) -> tuple[Report, bool]:
    """The team's report for the period or request, locked; created (as a draft) on first save, in `slot`
    when the caller has looked it up already."""
    lookup = {"team": team, "period": period, "request": request}
    # Unsorted: the default order (by team name) would join the team, and lock its row too.
    report = Report.objects.select_for_update().filter(**lookup).order_by().first()
    if report is not None:
        return report, False
    slot = slot or slot_for(team, period=period, request=request)
    if slot is None:
        raise ValidationError({NON_FIELD_ERRORS: [_("This team is not expected to send a report for this period.")]})
    units = unit_ids_of(team)
    report = Report(
        **lookup,
        kind=slot.kind,
        deadline=slot.deadline,
        created_by=user,
        village_id=units[Level.VILLAGE],
        commune_id=units[Level.COMMUNE],
        district_id=units[Level.DISTRICT],
        province_id=units[Level.PROVINCE],
    )
    report.full_clean(exclude=REPORT_KEYS, validate_constraints=False)
    try:
        with transaction.atomic():  # two first saves at once: the second finds the first one's report
            report.save()
    except IntegrityError:
        return Report.objects.select_for_update().get(**lookup), False
    _transition(report=report, user=user, action=Action.CREATE, to_status=ReportStatus.DRAFT)
    return report, True


def _same_content(report: Report, created: bool, values: dict[int, int | None], texts: dict[str, str]) -> bool:
    stored = {} if created else dict(report.values.values_list("indicator_id", "value"))
    return all(stored.get(pk) == value for pk, value in values.items()) and all(
        getattr(report, name) == texts.get(name, "") for name in TEXT_FIELDS
    )


def _check_values(indicators: list[Indicator], values: dict[int, int | None], submit: bool) -> None:
    """Values are not negative; a submitted report has every value (0 when none). Values above their denominator
    are warnings (reports.quality), not refusals."""
    errors = {}
    for indicator in indicators:
        value = values.get(indicator.pk)
        key = value_field(indicator)
        if value is None:
            if submit:
                errors[key] = [_("Enter a number (0 if there was none) before sending the report.")]
        elif value < 0:
            errors[key] = [_("A value cannot be negative.")]
    if errors:
        raise ValidationError(errors)


class QualityWarning(ValidationError):
    """The report about to be sent has figures the data-quality checks flag, and no explanation: nothing was
    written. `problems` are shown beside their values; the leader may send again with an explanation."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(
            {
                "quality_note": [
                    _(
                        "Some figures look unusual (see the warnings under them). Check them; if they are right, explain them here and send again."
                    )
                ]
            }
        )


def _write_values(report: Report, created: bool, indicators: list[Indicator], values: dict[int, int | None]) -> None:
    existing = {} if created else {row.indicator_id: row for row in report.values.all()}
    copied = _copied_fields(report)
    new = []
    for indicator in indicators:
        value = values.get(indicator.pk)
        row = existing.get(indicator.pk)
        if row is None:
            new.append(ReportValue(report=report, indicator=indicator, value=value, **copied))
        elif row.value != value:
            row.value = value
            row.save(update_fields=["value"])
    ReportValue.objects.bulk_create(new)


def _copied_fields(report: Report) -> dict:
    return {
        "kind": report.kind,
        "period_id": report.period_id,
        "team_id": report.team_id,
        "period_end": report.request.covers_end if report.request_id else report.period.end,
        "village_id": report.village_id,
        "commune_id": report.commune_id,
        "district_id": report.district_id,
        "province_id": report.province_id,
        "approved": report.status == ReportStatus.APPROVED,
    }


@transaction.atomic
def report_save(
    *,
    user,
    team: Team,
    version: int,
    values: dict[int, int | None],
    period: Period | None = None,
    request: ReportRequest | None = None,
    submit: bool = False,
    slot: Slot | None = None,
    indicators: list[Indicator] | None = None,
    **texts: str,
) -> Report:
    """Save the team's report for a period (or ad-hoc request) as the leader, the named deputy or the commune
    officer entering a paper report (selectors.teams_fillable_by) typed it, and send it if `submit`.

    The first save creates the report (one per team and period: a second first save finds it). `version` is
    the one the form was loaded at: when someone saved since, and what they saved differs from this input,
    nothing is written (StaleReportError). Sending twice is harmless: the second time finds the
    same content already sent and changes nothing.

    What the form has looked up already can be passed on, so it is not read twice: the `slot` a new report
    fills and the `indicators` a new report carries (`indicators_for()`).

    Sending runs the data-quality checks (reports.quality): flagged figures without an explanation
    (`quality_note`) stop the sending with a QualityWarning; with one, the report is sent and the reviewer sees
    both.
    """
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown report fields: {sorted(unknown)}")
    if (period is None) == (request is None):
        raise ValueError("report_save takes a period or a request")
    if team_fillable_by(user, team.pk) is None:
        raise _not_filler_error()
    report, created = _slot_report(user=user, team=team, period=period, request=request, slot=slot)
    same = _same_content(report, created, values, texts)
    if not report.is_editable:
        if same and (report.status in AWAITING_REVIEW or not submit):
            return report  # a repeated send (double tap, retry after a dropped answer)
        raise _locked_error(report)
    if not created and report.version != version and not same:
        raise StaleReportError()
    if not (created and indicators is not None):
        indicators = indicators_for(report)
    _check_values(indicators, values, submit)
    _write_values(report, created, indicators, values)
    if submit and not texts.get("quality_note"):
        problems = problems_of([report]).get(report.pk)
        if problems:
            raise QualityWarning(problems)
    for name in TEXT_FIELDS:
        setattr(report, name, texts.get(name, ""))
    if fills_on_behalf(user, team):  # a paper report typed in by the commune: shown on the report
        report.entered_by, report.entered_at = user, timezone.now()
    report.version += 1
    from_status = report.status
    if submit:  # sent in the same save: one history row for the whole change
        report.status = ReportStatus.RESUBMITTED if from_status == ReportStatus.RETURNED else ReportStatus.SUBMITTED
        report.submitted_at = report.submitted_at or timezone.now()
    report.full_clean(exclude=REPORT_KEYS, validate_constraints=False)
    report.save()
    if submit:
        _submitted(report=report, user=user, from_status=from_status)
    return report


def _submitted(*, report: Report, user, from_status: str) -> None:
    """Record the sending of a report (already saved with its new status) and tell its reviewers."""
    action = Action.RESUBMIT if report.status == ReportStatus.RESUBMITTED else Action.SUBMIT
    transition = ReportTransition.objects.create(
        report=report, action=action, from_status=from_status, to_status=report.status, actor=user
    )
    for reviewer in reviewers_of(report):
        notify(
            user=reviewer,
            kind=NotificationKind.SUBMITTED,
            key=f"transition:{transition.pk}",
            url=report_url(report),
            message=_("%(team)s sent its report for %(subject)s: waiting for your review.")
            % {"team": report.team, "subject": report.subject},
            new_key=True,
        )


def _transition(*, report: Report, user, action: str, to_status: str, comment: str = "") -> ReportTransition:
    transition = ReportTransition.objects.create(
        report=report,
        action=action,
        from_status="" if action == Action.CREATE else report.status,
        to_status=to_status,
        actor=user,
        comment=comment,
    )
    if report.status != to_status:
        report.status = to_status
        report.save()
    return transition


# --- review ----------------------------------------------------------------------------------------------


def _lock(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("team__unit", "period", "request")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_approve(*, user, report: Report, comment: str = "") -> Report:
    """Approve a submitted report: its values lock and count in progress and the roll-ups."""
    report = _lock(report)
    if report.status == ReportStatus.APPROVED and reviews_report(user, report):
        return report  # a reviewer's double tap: once is enough (anyone else is refused below, not told "approved")
    if kept_from_reviewing(user, report):
        raise ValidationError({NON_FIELD_ERRORS: [_("You entered or sent this report: another reviewer approves it.")]})
    if not can_review_report(user, report):
        raise ValidationError({NON_FIELD_ERRORS: [_("This report is not waiting for your review.")]})
    report.approved_at = timezone.now()
    _transition(report=report, user=user, action=Action.APPROVE, to_status=ReportStatus.APPROVED, comment=comment)
    report.values.update(approved=True)
    rollup_mark_stale(report=report)
    _notify_leaders(report, NotificationKind.APPROVED, _("Your report for %(subject)s was approved."))
    return report


@transaction.atomic
def report_return(*, user, report: Report, comment: str) -> Report:
    """Send a submitted report back to the team with what to correct."""
    report = _lock(report)
    if not can_review_report(user, report):
        raise ValidationError({NON_FIELD_ERRORS: [_("This report is not waiting for your review.")]})
    if not comment.strip():
        raise ValidationError({"comment": [_("Say what the team should correct.")]})
    _transition(
        report=report, user=user, action=Action.RETURN, to_status=ReportStatus.RETURNED, comment=comment.strip()
    )
    _notify_leaders(
        report,
        NotificationKind.RETURNED,
        _("Your report for %(subject)s was returned: %(comment)s"),
        comment=comment.strip(),
    )
    return report


@transaction.atomic
def report_reopen(*, user, report: Report, reason: str) -> Report:
    """Unlock an approved report (district or province staff) so the team can correct and resend it."""
    report = _lock(report)
    if not can_reopen_report(user, report):
        raise ValidationError({NON_FIELD_ERRORS: [_("Only district or province staff can reopen an approved report.")]})
    if not reason.strip():
        raise ValidationError({"comment": [_("Give the reason for reopening the report.")]})
    report.approved_at = None
    _transition(report=report, user=user, action=Action.REOPEN, to_status=ReportStatus.RETURNED, comment=reason.strip())
    report.values.update(approved=False)
    rollup_mark_stale(report=report)
    _notify_leaders(
        report,
        NotificationKind.REOPENED,
        _("Your approved report for %(subject)s was reopened: %(comment)s"),
        comment=reason.strip(),
    )
    return report


def rollup_mark_stale(*, report: Report) -> StaleRollup | None:
    """The roll-up hook (issue 7): mark the report's (commune, quarter) for recomputation. Ad-hoc reports are
    not rolled up. Marking again moves `marked_at`, so a roll-up already running knows to run once more."""
    if report.kind == ReportKind.AD_HOC:
        return None
    year, quarter = quarter_of(report.period.end)
    mark, _created = StaleRollup.objects.update_or_create(
        unit_id=report.commune_id or report.district_id or report.province_id,
        year=year,
        quarter=quarter,
        defaults={"marked_at": timezone.now()},
    )
    from .tasks import drain_stale_rollups  # tasks import this module

    if (
        celery_app.conf.task_always_eager
    ):  # tasks in-process (`make run`): no beat drains the marks, so drain after the commit
        _queue_on_commit(drain_stale_rollups)  # (many approvals in one transaction: the first drain takes every mark)
    return mark


def _queue_on_commit(task, *args) -> None:
    """Queue a task once the transaction commits (in-process: run it then, before the next page). With the task
    queue down nothing is lost: the failure is logged, and stale marks wait for the next drain."""

    def enqueue():
        try:
            task.delay(*args)
        except OperationalError:
            logger.exception("Task %s%s not queued: the task queue is unavailable", task.name, args)

    transaction.on_commit(enqueue)


# A recomputation asked for and not run within this time (its task lost) may be asked for again.
RECOMPUTE_QUEUED_FOR = datetime.timedelta(minutes=15)


@transaction.atomic
def rollup_request(*, user, unit: Unit, period: Period) -> RecomputeRequest:
    """Staff queue "recompute now" for the figures of their unit's period: its province's quarter (or year) is
    recomputed from source by a task. Once at a time: a second request while one waits is refused."""
    if not can_recompute(user, unit):
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Only staff whose scope covers this unit can recompute its figures.")]}
        )
    year, quarter = rollup_span(period)
    lookup = {"province_id": province_of(unit), "year": year, "quarter": quarter or 0}
    now = timezone.now()
    RecomputeRequest.objects.filter(**lookup, requested_at__lt=now - RECOMPUTE_QUEUED_FOR).delete()
    try:
        with transaction.atomic():
            request = RecomputeRequest.objects.create(**lookup, requested_by=user, requested_at=now)
    except IntegrityError:
        queued = RecomputeRequest.objects.get(**lookup)
        moment = timezone.localtime(queued.requested_at).strftime("%H:%M %d/%m/%Y")
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("A recomputation of these figures was already queued at %(moment)s: it runs within minutes.")
                    % {"moment": moment}
                ]
            }
        ) from None
    from .tasks import recompute_province_period  # tasks import this module

    _queue_on_commit(recompute_province_period, lookup["province_id"], year, quarter)
    return request


# --- photos ----------------------------------------------------------------------------------------------


@transaction.atomic
def photo_add(*, user, report: Report, image, caption: str = "") -> ReportPhoto:
    """Attach a photo of the team's activities: at most 4, at most 5 MB, really a JPEG, PNG or WebP image, kept
    as fresh JPEG pixels under a name the server chooses (reports.images)."""
    report = _lock(report)
    if not teams_fillable_by(user).filter(pk=report.team_id).exists():
        raise _not_filler_error()
    if not report.is_editable:
        raise _locked_error(report)
    if report.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            {"image": [_("A report holds at most %(count)s photos: remove one first.") % {"count": MAX_PHOTOS}]}
        )
    if image.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            {
                "image": [
                    _("The photo is larger than %(size)s MB: send a smaller one.")
                    % {"size": MAX_PHOTO_BYTES // (1024 * 1024)}
                ]
            }
        )
    photo = ReportPhoto(report=report, image=photo_encode(image), caption=caption)
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def photo_delete(*, user, photo: ReportPhoto) -> None:
    report = _lock(photo.report)
    if not teams_fillable_by(user).filter(pk=report.team_id).exists():
        raise _not_filler_error()
    if not report.is_editable:
        raise _locked_error(report)
    photo.image.delete(save=False)
    photo.delete()


# --- notifications and reminders -------------------------------------------------------------------------


def report_url(report: Report) -> str:
    return reverse("reports:detail", args=[report.pk])


def leaders_of(team: Team, on: datetime.date | None = None) -> list[User]:
    """The portal accounts of the team's current leader."""
    memberships = members_on(team, on or timezone.localdate()).filter(
        role=TeamRole.LEADER, person__user__is_active=True
    )
    return [membership.person.user for membership in memberships.select_related("person__user")]


def reviewers_of(report: Report) -> list[User]:
    """The users who review this report (selectors.review_desk), administrators and whoever entered it aside."""
    role, unit_id = review_desk(report)
    # With their person (notify() reads its e-mail address when the account has none).
    users = User.objects.filter(role=role, scope_unit_id=unit_id, is_active=True).exclude(entered_by_q(report))
    return list(users.select_related("person"))


def _notify_leaders(report: Report, kind: str, template: str, comment: str = "") -> None:
    last = report.transitions.order_by("-pk").first()
    for leader in leaders_of(report.team):
        notify(
            user=leader,
            kind=kind,
            key=f"transition:{last.pk}",
            url=report_url(report),
            message=template % {"subject": report.subject, "comment": comment},
        )


def notify(
    *, user: User, kind: str, key: str, message: str, url: str = "", new_key: bool = False
) -> Notification | None:
    """Put a message in the user's portal inbox and, once the transaction commits, e-mail it where an address is
    known (the task email_notifications): no mail server is waited for while the caller holds its locks, and a
    rollback sends nothing. Once per user and key, so a reminder run twice sends nothing the second time. Returns
    the notification when it is new. `new_key`: the key cannot have been used yet (it names a transition just
    recorded), no need to look."""
    fields = {"kind": kind, "message": message, "url": url}
    if new_key:
        notification = Notification.objects.create(user=user, key=key, **fields)
    else:
        notification, created = Notification.objects.get_or_create(user=user, key=key, defaults=fields)
        if not created:
            return None
    if email_address(user):
        _email_on_commit([notification.pk])
    return notification


def email_address(user: User) -> str:
    """Where a user's notifications are e-mailed: the account's address, else its person's ("" for none)."""
    return user.email or getattr(getattr(user, "person", None), "email", "")


def _email_on_commit(ids: list[int]) -> None:
    """Queue the e-mailing of these notifications once the transaction commits, in the active language (the
    subject is translated when sending). With the task queue (Redis) down they stay not e-mailed, logged."""
    from .tasks import email_notifications  # tasks import this module

    _queue_on_commit(email_notifications, ids, translation.get_language() or settings.LANGUAGE_CODE)


def notifications_email(*, ids: list[int]) -> list[int]:
    """E-mail the notifications of `ids` that have not been e-mailed yet (run by the task email_notifications
    once their transaction has committed; a run after one that sent them sends nothing). Returns the ids a mail
    server refused."""
    return _email(Notification.objects.filter(pk__in=ids, emailed=False).select_related("user__person"))


def _email(notifications) -> list[int]:
    """The one sending of notification e-mails (review notices and reminders): each to its user's address, its
    whole message and link; those sent are marked `emailed` (one query). A mail server's refusal is logged and
    leaves the notification not e-mailed. Returns the ids refused."""
    sent, refused = [], []
    for notification in notifications:
        address = email_address(notification.user)
        if not address:
            continue
        try:
            send_mail(
                subject=f"[Totech] {NotificationKind(notification.kind).label}",
                message=f"{notification.message}\n\n{settings.PORTAL_URL}{notification.url}",
                from_email=None,
                recipient_list=[address],
            )
        except OSError:  # smtplib's errors, refused connections, timeouts
            logger.exception("Could not email notification %s", notification.pk)
            refused.append(notification.pk)
        else:
            sent.append(notification.pk)
    Notification.objects.filter(pk__in=sent).update(emailed=True)
    return refused


# First key of pg_advisory_xact_lock(int, int) for a province's reminder run; the second is the province id.
REMINDER_LOCK_NAMESPACE = 7008


def reminders_send(*, province: Unit, today: datetime.date | None = None) -> int:
    """Remind the leaders of the province's teams of reports due within their schedule's reminder days, and
    of reports whose deadline passed (in the last month) without them being sent. Safe to run twice, even at
    once. A fixed number of queries whatever the number of teams (selectors.reminder_slots)."""
    today = today or timezone.localdate()
    periods_generate(year=today.year)
    schedule = ReportingSchedule.objects.filter(province=province).first()
    remind_before = datetime.timedelta(days=schedule.remind_days_before if schedule else 3)
    wanted = {}  # (user id, key) → notification
    for slot, leaders in reminder_slots(province, schedule, today, remind_before):
        if slot.deadline < today:
            kind = NotificationKind.OVERDUE
            message = _("%(team)s: the report for %(subject)s was due on %(deadline)s and has not been sent.")
        else:
            kind = NotificationKind.DUE_SOON
            message = _("%(team)s: the report for %(subject)s is due on %(deadline)s.")
        slot_key = f"r{slot.request.pk}" if slot.request else f"p{slot.period.pk}"
        text = message % {
            "team": slot.team.name,
            "subject": slot.subject,
            "deadline": date_format(slot.deadline, "SHORT_DATE_FORMAT"),
        }
        url = slot.report and report_url(slot.report) or reverse("home")
        for leader in leaders:
            key = f"{kind}:{slot.team.pk}:{slot_key}"
            wanted.setdefault((leader.pk, key), Notification(user=leader, kind=kind, key=key, message=text, url=url))
    created = _reminders_create(province, wanted)
    # This runs in its own task, outside any transaction: the rows are committed, so the e-mails leave now; those
    # a mail server refused are tried again by the review notices' task.
    refused = _email(created)
    if refused:
        _email_on_commit(refused)
    return len(created)


def _reminders_create(province: Unit, wanted: dict) -> list[Notification]:
    """Create the notifications of `wanted` that do not exist yet; return those created, with their ids.

    bulk_create(ignore_conflicts=True) cannot tell which rows it inserted (Django asks for no RETURNING with ON
    CONFLICT DO NOTHING), and looking for the existing keys first is only right if no other run inserts between
    the look and the insert. So on PostgreSQL the province's reminder runs are serialised by an advisory lock
    held from the look to the commit: a second run at once (a redelivered task) waits, then finds the first
    run's keys and sends nothing. Only reminder runs take it (no row is locked; submissions never wait), and
    only they write reminder keys. ignore_conflicts stays as the last guard of the unique (user, key); the ids
    of the rows created are then read back."""
    if not wanted:
        return []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [REMINDER_LOCK_NAMESPACE, province.pk])
        existing = notifications_keyed(set(wanted))
        created = [notification for pair, notification in wanted.items() if pair not in existing]
        Notification.objects.bulk_create(created, ignore_conflicts=True)
        ids = notifications_keyed({pair for pair in wanted if pair not in existing})
    for notification in created:
        notification.pk = ids[notification.user_id, notification.key]
    return created


def notifications_mark_read(*, user, ids=None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


# --- data-quality rules ----------------------------------------------------------------------------------


def _check_rules_manager(user, province: Unit) -> None:
    if not can_manage_quality_rules(user, province):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("Only the Department of %(province)s sets its data-quality rules.") % {"province": province}
                ]
            }
        )


@transaction.atomic
def quality_rule_save(*, user, rule: QualityRule) -> QualityRule:
    """Add or change one of a province's data-quality rules (its Department)."""
    _check_rules_manager(user, rule.province)
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def quality_rule_delete(*, user, rule: QualityRule) -> None:
    _check_rules_manager(user, rule.province)
    rule.delete()
