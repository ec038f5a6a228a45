"""Reads of reports, always starting from what the user may see, and the deadline arithmetic behind what's due."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, F, Q, QuerySet
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from targets.choices import PeriodKind
from targets.models import Indicator, Period
from targets.selectors import indicators_active, indicators_catalogue
from teams.choices import TeamRole, TeamStatus
from teams.models import Membership, Team
from teams.selectors import active_on_q, province_of, teams_reported_by, teams_visible_to
from totech.dates import quarter_of
from units.choices import Level
from units.models import Unit
from units.selectors import covers, unit_scope_q, units_visible_to

from .choices import AWAITING_REVIEW, RECEIVED_STATUSES, SENDING_ACTIONS, ReportKind, ReportStatus
from .models import (
    IndicatorSummary,
    Notification,
    QualityRule,
    RecomputeRequest,
    Report,
    ReportingSchedule,
    ReportRequest,
    ReportTransition,
    StaleRollup,
    UnitSummary,
    submitted_on,
)

# A campaign without a dated review step after its end is reported within this many days of its end.
CAMPAIGN_GRACE_DAYS = 10
# Overdue reminders are sent for deadlines missed at most this long ago (older ones show on the home page only).
OVERDUE_REMINDER_WINDOW = datetime.timedelta(days=31)


# --- scoping ---------------------------------------------------------------------------------------------


def reports_visible_to(user) -> QuerySet[Report]:
    """Reports of the teams the user sees (their scope, and for a team leader the teams they lead); all of them
    for a system administrator, without a join over every team (1.2 million reports nationally)."""
    everything = not unit_scope_q(user)  # the empty scope: a system administrator's
    reports = Report.objects.all() if everything else Report.objects.filter(team__in=teams_visible_to(user))
    return reports.select_related("team__unit", "period", "request", "commune", "district", "province")


def requests_visible_to(user) -> QuerySet[ReportRequest]:
    """Ad-hoc requests made in the user's scope or by a unit above it (they apply to the user's teams too)."""
    if not user.is_authenticated:
        return ReportRequest.objects.none()
    above = Q()
    if user.scope_unit_id:
        above = Q(unit__in=user.scope_unit.ancestor_ids())
    return ReportRequest.objects.filter(unit_scope_q(user) | above).select_related("unit", "requested_by")


def schedules_visible_to(user) -> QuerySet[Unit]:
    """The provinces whose reporting schedule the user may read."""
    return Unit.objects.filter(unit_scope_q(user, unit_field=None), level=Level.PROVINCE).select_related(
        "reporting_schedule"
    )


def notifications_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user) if user.is_authenticated else Notification.objects.none()


def unread_count(user) -> int:
    return notifications_of(user).filter(read_at__isnull=True).count()


# --- what a user may do ----------------------------------------------------------------------------------


def teams_fillable_by(user) -> QuerySet[Team]:
    """Teams whose reports the user may fill in: as the leader or the deputy the team named
    (teams.selectors.teams_reported_by), or, for a commune officer, every team of their commune, whose paper
    reports they type in on the team's behalf (marked on the report: Report.entered_by)."""
    fillable = Q(pk__in=teams_reported_by(user).values("pk"))
    if user.is_authenticated and user.role == Role.COMMUNE_OFFICER and user.scope_unit_id:
        fillable |= unit_scope_q(user)
    return Team.objects.filter(fillable)


def team_fillable_by(user, pk: int) -> Team | None:
    """The team `pk`, with its unit, if the user may fill in its reports (else None)."""
    return teams_fillable_by(user).select_related("unit").filter(pk=pk).order_by().first()


def fills_on_behalf(user, team: Team) -> bool:
    """Whether the user fills in the team's report on its behalf (a commune officer typing in a paper report)
    rather than as its leader or named deputy."""
    return user.role == Role.COMMUNE_OFFICER and not teams_reported_by(user).filter(pk=team.pk).exists()


def can_edit_report(user, report: Report) -> bool:
    """A draft or returned report is filled in by whoever may fill in the team's reports (teams_fillable_by)."""
    return report.is_editable and teams_fillable_by(user).filter(pk=report.team_id).exists()


# Where a team's report goes for review (seeds 000, 002, 003, 004): a village team to its commune; a commune team
# to the commune People's Committee on the reformed map (the commune officer) and to the district before the
# reform; a district team to the Department. `reviewer_scope_q` (the reports a user reviews) and `review_desk`
# (who reviews a report) are the two readings of this one rule, side by side.


def reviewer_scope_q(user) -> Q:
    """Reports this user reviews (by the rule above). System administrators may review anything."""
    if user.sees_everything:
        return Q()
    scope = user.scope_unit_id
    if user.role == Role.COMMUNE_OFFICER:
        return Q(commune_id=scope) & (
            Q(team__level=Level.VILLAGE) | Q(team__level=Level.COMMUNE, district__isnull=True)
        )
    if user.role == Role.DISTRICT_STAFF:
        return Q(team__level=Level.COMMUNE, district_id=scope)
    if user.role == Role.PROVINCE_STAFF:
        return Q(province_id=scope, team__level=Level.DISTRICT)
    return Q(pk__in=[])


def review_desk(report: Report) -> tuple[str, int]:
    """The role and scope unit of the users who review this report (by the rule above)."""
    if report.team.level == Level.VILLAGE or (report.team.level == Level.COMMUNE and not report.district_id):
        return Role.COMMUNE_OFFICER, report.commune_id
    if report.team.level == Level.COMMUNE:
        return Role.DISTRICT_STAFF, report.district_id
    return Role.PROVINCE_STAFF, report.province_id


def reviews_report(user, report: Report) -> bool:
    """The user is one of the report's reviewers, whatever its status."""
    return Report.objects.filter(reviewer_scope_q(user), pk=report.pk).exists()


def entered_by_q(report: Report) -> Q:
    """The users who typed the report in on the team's behalf (the last of them: Report.entered_by) or sent it:
    they never approve it themselves."""
    senders = ReportTransition.objects.filter(report=report, action__in=SENDING_ACTIONS).values("actor_id")
    return Q(pk=report.entered_by_id) | Q(pk__in=senders)


def entered_report(user, report: Report) -> bool:
    return User.objects.filter(entered_by_q(report), pk=user.pk).exists()


def kept_from_reviewing(user, report: Report) -> bool:
    """A reviewer of this sent report who entered or sent it: someone else approves it."""
    return report.status in AWAITING_REVIEW and reviews_report(user, report) and entered_report(user, report)


def can_review_report(user, report: Report) -> bool:
    """A reviewer of the next level (reviewer_scope_q) reviews a sent report, unless they entered it."""
    return report.status in AWAITING_REVIEW and reviews_report(user, report) and not entered_report(user, report)


def can_reopen_report(user, report: Report) -> bool:
    """District or province staff whose scope covers the team (and administrators) reopen approved reports."""
    if report.status != ReportStatus.APPROVED:
        return False
    if user.sees_everything:
        return True
    return user.role in {Role.DISTRICT_STAFF, Role.PROVINCE_STAFF} and covers(user, report.team.unit)


def can_request_reports(user) -> bool:
    """Commune officers and the Department ask their own unit's teams for ad-hoc reports."""
    return (
        user.is_authenticated and user.role in {Role.PROVINCE_STAFF, Role.COMMUNE_OFFICER} and bool(user.scope_unit_id)
    )


def can_recompute(user, unit: Unit) -> bool:
    """Staff (the Department, district staff, commune officers) queue "recompute now" for units in their scope."""
    if user.sees_everything:
        return True
    staff = {Role.PROVINCE_STAFF, Role.DISTRICT_STAFF, Role.COMMUNE_OFFICER}
    return user.is_authenticated and user.role in staff and covers(user, unit)


def can_set_schedule(user, province: Unit) -> bool:
    return user.role in {Role.SYSTEM_ADMIN, Role.PROVINCE_STAFF} and covers(user, province)


def reports_awaiting_review_by(user) -> QuerySet[Report]:
    return reports_visible_to(user).filter(reviewer_scope_q(user), status__in=AWAITING_REVIEW).order_by("submitted_at")


# --- indicators ------------------------------------------------------------------------------------------


def indicators_for(report: Report | None = None) -> list[Indicator]:
    """The indicators a report carries: every active one (the cached catalogue), plus any it already holds a
    value for."""
    indicators = {indicator.pk: indicator for indicator in indicators_catalogue()}
    if report is not None and report.pk:
        for value in report.values.select_related("indicator"):
            indicators.setdefault(value.indicator_id, value.indicator)
    return sorted(indicators.values(), key=lambda indicator: (indicator.order, indicator.code))


# --- schedules and deadlines -----------------------------------------------------------------------------


def schedule_for(unit: Unit) -> ReportingSchedule | None:
    """The reporting schedule of the unit's province (None: the Department has not set one yet)."""
    return ReportingSchedule.objects.filter(province_id=province_of(unit)).first()


def month_after(date: datetime.date) -> tuple[int, int]:
    return (date.year + 1, 1) if date.month == 12 else (date.year, date.month + 1)


def periodic_deadline(period: Period, schedule: ReportingSchedule) -> datetime.date:
    """The schedule's day of the month after the period ends (e.g. the 5th)."""
    year, month = month_after(period.end)
    return datetime.date(year, month, schedule.deadline_day)


def campaign_deadline(campaign: Period) -> datetime.date:
    """The campaign plan's first dated step after its end (seed 004: review by 20/10), else a grace period."""
    # Read through .all() so that a prefetch of `deadlines` spares the query (a campaign has a handful of steps).
    steps = [step.due_on for step in campaign.deadlines.all() if step.due_on > campaign.end]
    return min(steps) if steps else campaign.end + datetime.timedelta(days=CAMPAIGN_GRACE_DAYS)


# --- who owes a slot's report: ONE rule for home pages, dashboards, roll-ups, rankings, exports, reminders ---
#
# A team owes the report of a slot (a month, quarter, campaign or ad-hoc span) when it was active on the
# slot's middle day (16/10 for October, 15/08 for Quarter III): founded by then and not dissolved before, in
# a unit that existed then. A team founded on 03/12/2026 owes nothing for October nor Quarter III; a team of a
# district abolished on 01/07/2025 owes nothing after June 2025. A team active for at most half a slot is not
# blamed for it, and a slot is never owed twice over a reorganisation (the old unit ends the day before the new
# one starts). The rule is written once as the bounds below: expected_q (querysets), owes_slot (a team at hand)
# and expected_sql (the roll-ups' raw SQL) are all built from them.

EXPECTED_STARTS = ("decision_date", "unit__valid_from")  # on or before the middle day, or not recorded
EXPECTED_ENDS = ("dissolved_on", "unit__valid_to")  # on or after the middle day, or open


def slot_middle(start: datetime.date, end: datetime.date) -> datetime.date:
    """The day a team must have been active on to owe the slot's report."""
    return start + (end - start) // 2


def expected_q(start: datetime.date, end: datetime.date) -> Q:
    """Teams that owe the report of the slot from `start` to `end`."""
    day = slot_middle(start, end)
    rule = Q()
    for name in EXPECTED_STARTS:
        rule &= Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lte": day})
    for name in EXPECTED_ENDS:
        rule &= Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": day})
    return rule


def _bound(row, name: str):
    value = row
    for part in name.split("__"):
        value = getattr(value, part)
    return value


def _within(row, starts, ends, day: datetime.date) -> bool:
    """Each of `row`'s `starts` is None or on or before `day`, each of its `ends` None or on or after it."""
    return all(_bound(row, name) is None or _bound(row, name) <= day for name in starts) and all(
        _bound(row, name) is None or _bound(row, name) >= day for name in ends
    )


def owes_slot(team: Team, start: datetime.date, end: datetime.date) -> bool:
    """expected_q for one team already read (with its unit)."""
    return _within(team, EXPECTED_STARTS, EXPECTED_ENDS, slot_middle(start, end))


def expected_sql(day: str, alias: str) -> str:
    """expected_q in SQL: `alias` a row carrying the team's dates and its unit's (valid_from, valid_to), `day`
    the SQL expression of the slot's middle day."""

    def column(name):
        return f"{alias}.{name.rpartition('__')[2]}"

    starts = [f"({column(name)} IS NULL OR {column(name)} <= {day})" for name in EXPECTED_STARTS]
    ends = [f"({column(name)} IS NULL OR {column(name)} >= {day})" for name in EXPECTED_ENDS]
    return " AND ".join(starts + ends)


def unit_existed_during(unit: Unit, start: datetime.date, end: datetime.date) -> bool:
    """The unit existed on the slot's middle day: a pre-reform district is asked about its own periods only."""
    return _within(unit, ("valid_from",), ("valid_to",), slot_middle(start, end))


def ancestor_ids(unit: Unit) -> list[int]:
    """The unit's ancestors' ids and its own (Unit.ancestor_ids without the unit)."""
    return [*unit.ancestor_ids(), unit.pk]


@dataclass
class Slot:
    """A report a team owes: for a period (periodic or campaign) or an ad-hoc request, with its deadline."""

    team: Team
    kind: str
    deadline: datetime.date
    period: Period | None = None
    request: ReportRequest | None = None
    report: Report | None = None

    @property
    def subject(self):
        return self.request.title if self.request else str(self.period)

    @property
    def received(self) -> bool:
        return self.report is not None and self.report.status in RECEIVED_STATUSES

    @property
    def returned(self) -> bool:
        return self.report is not None and self.report.status == ReportStatus.RETURNED

    def is_overdue(self, today: datetime.date) -> bool:
        return not self.received and self.deadline < today

    @property
    def ids(self) -> tuple[int | None, int | None]:
        """(period id, request id): what a report of this slot carries."""
        return (self.period.pk if self.period else None, self.request.pk if self.request else None)


def owed_slots(team: Team, *, schedule: ReportingSchedule | None, periods, campaigns, requests) -> list[Slot]:
    """The slots the team owes among periods of its province's `schedule`, campaigns and ad-hoc requests
    (without their reports): campaigns and requests of its unit or a unit above, and only those during which the
    team owes (owes_slot). The rule shared by slots_for_team (one team) and reminder_slots (a whole province)."""
    chain = set(ancestor_ids(team.unit))
    slots = (
        [
            Slot(team, ReportKind.PERIODIC, periodic_deadline(period, schedule), period=period)
            for period in periods
            if owes_slot(team, period.start, period.end)
        ]
        if schedule is not None
        else []
    )
    slots += [
        Slot(team, ReportKind.CAMPAIGN, campaign_deadline(campaign), period=campaign)
        for campaign in campaigns
        if campaign.unit_id in chain and owes_slot(team, campaign.start, campaign.end)
    ]
    slots += [
        Slot(team, ReportKind.AD_HOC, ad_hoc.deadline, request=ad_hoc)
        for ad_hoc in requests
        if ad_hoc.unit_id in chain and owes_slot(team, ad_hoc.covers_start, ad_hoc.covers_end)
    ]
    return slots


def slots_for_team(
    team: Team, today: datetime.date, *, period: Period | None = None, request: ReportRequest | None = None
) -> list[Slot]:
    """Every report the team owes up to today: periods of its province's schedule that have started (the
    current one can be drafted), campaigns run by its unit or a unit above, and ad-hoc requests made there;
    only those the team owes (owes_slot). Each carries the team's report, if started.

    Given a `period` or a `request`, only its slot, if the team owes it (what `slot_for` asks; fewer reads)."""
    one = period is not None or request is not None
    schedule = schedule_for(team.unit) if not one or (period and period.kind != PeriodKind.CAMPAIGN) else None
    periods = campaigns = requests = []
    if schedule is not None:
        if one:  # the period asked for is at hand: is it one of the schedule's?
            scheduled = period.kind == schedule.frequency and schedule.starts_on <= period.start <= today
            periods = [period] if scheduled else []
        else:
            periods = Period.objects.filter(kind=schedule.frequency, start__gte=schedule.starts_on, start__lte=today)
    chain = ancestor_ids(team.unit)
    if not one or (period and period.kind == PeriodKind.CAMPAIGN):
        campaigns = Period.objects.filter(
            kind=PeriodKind.CAMPAIGN, unit_id__in=chain, start__lte=today
        ).prefetch_related("deadlines")
        campaigns = campaigns.filter(pk=period.pk) if one else campaigns
    if not one or request:
        requests = ReportRequest.objects.filter(unit_id__in=chain, covers_start__lte=today)
        requests = requests.filter(pk=request.pk) if one else requests
    slots = owed_slots(team, schedule=schedule, periods=periods, campaigns=campaigns, requests=requests)
    reports = (
        team.reports.filter(period=period, request=request).order_by()
        if one
        else team.reports.select_related("period", "request")
    )
    by_slot = {(report.period_id, report.request_id): report for report in reports}
    for slot in slots:
        slot.report = by_slot.get(slot.ids)
    return sorted(slots, key=lambda slot: (slot.deadline, slot.subject))


def slot_for(team: Team, *, period: Period | None = None, request: ReportRequest | None = None) -> Slot | None:
    """The slot a new report fills, or None when the team owes no report for that period or request."""
    wanted = (period.pk if period else None, request.pk if request else None)
    for slot in slots_for_team(team, timezone.localdate(), period=period, request=request):
        if slot.ids == wanted:
            return slot
    return None


# A periodic deadline falls in the month after its period ends: at most this long after the end.
PERIODIC_DEADLINE_LAG = datetime.timedelta(days=62)


def reminder_slots(
    province: Unit, schedule: ReportingSchedule | None, today: datetime.date, remind_before: datetime.timedelta
) -> list[tuple[Slot, list]]:
    """What the province's reminders are about: the slots of its active teams (the rule of slots_for_team)
    whose deadline falls between OVERDUE_REMINDER_WINDOW ago and `remind_before` ahead and whose report is not
    received, each with the user accounts (active) of its team's current leaders; teams without one are left
    out. In team order, then by deadline and subject.

    A fixed number of queries whatever the number of teams: the periods, campaigns and requests with a deadline
    in that window (a few), the leaderships with their teams and accounts, the reports for those slots."""
    first, last = today - OVERDUE_REMINDER_WINDOW, today + remind_before
    periods = []
    if schedule is not None:
        candidates = Period.objects.filter(
            kind=schedule.frequency,
            start__gte=schedule.starts_on,
            start__lte=today,
            end__gte=first - PERIODIC_DEADLINE_LAG,
        )
        periods = [period for period in candidates if first <= periodic_deadline(period, schedule) <= last]
    in_province = province.path
    campaigns = Period.objects.filter(kind=PeriodKind.CAMPAIGN, unit__path__startswith=in_province, start__lte=today)
    campaigns = [
        campaign for campaign in campaigns.prefetch_related("deadlines") if first <= campaign_deadline(campaign) <= last
    ]
    requests = list(
        ReportRequest.objects.filter(
            unit__path__startswith=in_province, covers_start__lte=today, deadline__range=(first, last)
        )
    )
    if not (periods or campaigns or requests):
        return []
    leaderships = (
        Membership.objects.filter(
            active_on_q(today),
            role=TeamRole.LEADER,
            person__user__is_active=True,
            team__status=TeamStatus.ACTIVE,
            team__unit__path__startswith=in_province,
        )
        .select_related("team__unit", "person__user")  # the account with its person (for its e-mail address)
        .order_by("team__unit__path", "team__name", "team_id", "person__full_name")
    )
    teams, leaders = {}, {}
    for leadership in leaderships:
        teams.setdefault(leadership.team_id, leadership.team)
        leaders.setdefault(leadership.team_id, []).append(leadership.person.user)
    reports = (
        Report.objects.filter(
            Q(period__in=[*periods, *campaigns], request__isnull=True) | Q(request__in=requests),
            team__status=TeamStatus.ACTIVE,
            team__unit__path__startswith=in_province,
        )
        .only("pk", "team_id", "period_id", "request_id", "status")
        .order_by()
    )
    by_slot = {(report.team_id, report.period_id, report.request_id): report for report in reports}
    due = []
    for team_id, team in teams.items():
        slots = owed_slots(team, schedule=schedule, periods=periods, campaigns=campaigns, requests=requests)
        for slot in sorted(slots, key=lambda slot: (slot.deadline, slot.subject)):
            slot.report = by_slot.get((team_id, *slot.ids))
            if not slot.received:
                due.append((slot, leaders[team_id]))
    return due


def notifications_keyed(pairs: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """The ids of the notifications that exist among these (user id, key) pairs, in one query."""
    if not pairs:
        return {}
    rows = Notification.objects.filter(
        user_id__in={user_id for user_id, _key in pairs}, key__in={key for _user_id, key in pairs}
    ).values_list("user_id", "key", "pk")
    return {(user_id, key): pk for user_id, key, pk in rows if (user_id, key) in pairs}


@dataclass
class LeaderAgenda:
    returned: list[Slot] = field(default_factory=list)
    overdue: list[Slot] = field(default_factory=list)
    due: list[Slot] = field(default_factory=list)
    recent: list[Report] = field(default_factory=list)


def leader_agenda(user, today: datetime.date | None = None) -> LeaderAgenda:
    """A team leader's (or named deputy's) home: reports returned for correction, overdue, and due (deadline not yet passed)."""
    today = today or timezone.localdate()
    agenda = LeaderAgenda()
    teams = list(teams_reported_by(user).filter(status=TeamStatus.ACTIVE).select_related("unit"))
    for team in teams:
        for slot in slots_for_team(team, today):
            if slot.returned:
                agenda.returned.append(slot)
            elif slot.is_overdue(today):
                agenda.overdue.append(slot)
            elif not slot.received:
                agenda.due.append(slot)
    agenda.recent = list(
        Report.objects.filter(team__in=teams)
        .exclude(status=ReportStatus.DRAFT)
        .select_related("team", "period", "request")
        .order_by("-updated_at")[:5]
    )
    return agenda


# --- completeness and timeliness -------------------------------------------------------------------------


@dataclass
class Completeness:
    """Reports received of those expected, and how many of those received came by the deadline."""

    unit: Unit
    expected: int = 0
    received: int = 0
    on_time: int = 0
    missing: list[Team] = field(default_factory=list)

    @property
    def completeness(self):
        return round(100 * self.received / self.expected, 1) if self.expected else None

    @property
    def timeliness(self):
        return round(100 * self.on_time / self.received, 1) if self.received else None


def latest_closed_period(unit: Unit, today: datetime.date) -> tuple[Period, datetime.date] | tuple[None, None]:
    """The most recent scheduled period of the unit's province whose deadline has come, among those the unit
    existed in (a district abolished on 01/07/2025 shows its last quarter before the reform), and that deadline."""
    schedule = schedule_for(unit)
    if schedule is None:
        return None, None
    periods = Period.objects.filter(kind=schedule.frequency, start__gte=schedule.starts_on, end__lt=today).order_by(
        "-start"
    )
    if unit.valid_to:
        periods = periods.filter(start__lte=unit.valid_to)
    for period in periods:
        deadline = periodic_deadline(period, schedule)
        if deadline <= today and unit_existed_during(unit, period.start, period.end):
            return period, deadline
    return None, None


def completeness_by_child(unit: Unit, period: Period) -> tuple[Completeness, list[Completeness]]:
    """Completeness and timeliness of `period`'s reports for `unit` and each unit right below it.

    Expected: the teams under the unit that owe the period's report (expected_q). On time: first sent by the
    deadline the report carries (fixed when it fell due, reports.services.schedule_set), as on its own page.
    A team serving the unit itself is counted in the total and in a row of its own for the unit."""
    expected = Team.objects.filter(expected_q(period.start, period.end), unit__path__startswith=unit.path)
    # Light rows (a big province has 5,000 teams): the team's name and its unit's path, the reports' send times.
    teams = expected.only("pk", "name").annotate(unit_path=F("unit__path")).order_by("unit__path", "name")
    sent = {
        team_id: submitted_on(submitted_at) <= deadline
        for team_id, submitted_at, deadline in Report.objects.filter(
            team__in=expected.values("pk"), period=period, request__isnull=True, status__in=RECEIVED_STATUSES
        ).values_list("team_id", "submitted_at", "deadline")
    }
    children = {child.pk: child for child in unit.children.all()}
    depth = unit.path.count("/") - 1  # the position of the child's id in a path below the unit
    rows = {}
    total = Completeness(unit)
    for team in teams:
        ids = team.unit_path.strip("/").split("/")
        child_id = int(ids[depth]) if len(ids) > depth else unit.pk
        row = rows.setdefault(child_id, Completeness(children.get(child_id, unit)))
        for bucket in (row, total):
            bucket.expected += 1
            if team.pk in sent:
                bucket.received += 1
                bucket.on_time += sent[team.pk]
            elif bucket is row:
                bucket.missing.append(team)
    return total, sorted(rows.values(), key=lambda row: row.unit.name)


def completeness_for_user(user, today: datetime.date | None = None):
    """The home page's completeness block: the user's unit for its latest closed period."""
    today = today or timezone.localdate()
    if not user.scope_unit_id:
        return None
    period, deadline = latest_closed_period(user.scope_unit, today)
    if period is None:
        return None
    total, rows = completeness_by_child(user.scope_unit, period)
    return {"period": period, "deadline": deadline, "total": total, "rows": rows}


# --- dashboards (the summaries written by reports.rollups) ---------------------------------------------


def rollup_span(period: Period) -> tuple[int, int | None]:
    """The roll-up that writes a period's summaries: its year's for a year, else the quarter holding its end."""
    return (period.year, None) if period.kind == PeriodKind.YEAR else quarter_of(period.end)


@dataclass
class Freshness:
    """When a unit's figures for a period were computed, how many units' approved changes still wait for the
    roll-up (StaleRollup marks under the unit), and whether a recomputation is queued."""

    computed_at: datetime.datetime | None
    waiting: int
    queued_at: datetime.datetime | None


def freshness(unit: Unit, period: Period) -> Freshness:
    year, quarter = rollup_span(period)
    marks = StaleRollup.objects.filter(unit__path__startswith=unit.path, year=year)
    queued = RecomputeRequest.objects.filter(province_id=province_of(unit), year=year, quarter=quarter or 0)
    return Freshness(
        computed_at=UnitSummary.objects.filter(unit=unit, period=period).values_list("computed_at", flat=True).first(),
        waiting=(marks.filter(quarter=quarter) if quarter else marks).count(),
        queued_at=queued.values_list("requested_at", flat=True).first(),
    )


SUMMARY_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def dashboard_units_visible_to(user) -> QuerySet[Unit]:
    """The units with summaries the user may open: their scope unit and those under it, down to communes."""
    return Unit.objects.filter(unit_scope_q(user, unit_field=None), level__in=SUMMARY_LEVELS)


def summary_periods(unit: Unit) -> QuerySet[Period]:
    """The periods the unit has summaries for and existed in, newest first (quarters before months and years
    starting the same day): a pre-reform district shows its own quarters, not those after its abolition."""
    periods = Period.objects.filter(pk__in=UnitSummary.objects.filter(unit=unit).values("period_id"))
    if unit.valid_to:
        periods = periods.filter(start__lte=unit.valid_to)
    if unit.valid_from:
        periods = periods.filter(end__gte=unit.valid_from)
    return periods.order_by("-start", "-end")


TREND_QUARTERS = 8


def dashboard_indicators(pillar: str = "") -> list[Indicator]:
    """The indicators of the dashboard's columns: every active one, or one pillar's."""
    indicators = indicators_active()
    return list(indicators.filter(pillar=pillar) if pillar else indicators)


def average_achievement(summaries: QuerySet[IndicatorSummary]) -> dict[tuple[int, int], Decimal]:
    """Average achievement (% of target) per (unit id, period id) over the indicators that have one."""
    rows = (
        summaries.filter(achievement__isnull=False)
        .values("unit_id", "period_id")
        .annotate(average=Avg("achievement"))
        .order_by()
    )
    return {
        (row["unit_id"], row["period_id"]): Decimal(row["average"]).quantize(Decimal("0.1"), ROUND_HALF_UP)
        for row in rows
    }


@dataclass
class DashboardRow:
    unit: Unit
    summary: UnitSummary | None
    cells: list[IndicatorSummary | None]
    achievement: Decimal | None = None  # average over the indicators with a target


@dataclass
class Dashboard:
    indicators: list[Indicator]
    rows: list[DashboardRow]
    total: DashboardRow

    @property
    def computed_at(self):
        return self.total.summary.computed_at if self.total.summary else None


def _rows(units: list[Unit], periods: list[Period], indicators: list[Indicator]) -> dict[tuple[int, int], DashboardRow]:
    """One row per (unit id, period id) from the summaries: two queries whatever the number of units and periods."""
    summaries = {
        (row.unit_id, row.period_id): row for row in UnitSummary.objects.filter(period__in=periods, unit__in=units)
    }
    indicator_rows = IndicatorSummary.objects.filter(period__in=periods, unit__in=units, indicator__in=indicators)
    cells = {(row.unit_id, row.period_id, row.indicator_id): row for row in indicator_rows}
    rows = {}
    for unit in units:
        for period in periods:
            row_cells = [cells.get((unit.pk, period.pk, indicator.pk)) for indicator in indicators]
            rows[unit.pk, period.pk] = DashboardRow(
                unit, summaries.get((unit.pk, period.pk)), row_cells, _average(row_cells)
            )
    return rows


def _average(cells: list[IndicatorSummary | None]) -> Decimal | None:
    """average_achievement over cells already read."""
    achievements = [cell.achievement for cell in cells if cell is not None and cell.achievement is not None]
    return (sum(achievements) / len(achievements)).quantize(Decimal("0.1"), ROUND_HALF_UP) if achievements else None


def dashboard_for(unit: Unit, period: Period, indicators: list[Indicator] | None = None) -> Dashboard:
    """The unit's summary and one row per unit right below it (communes of a province without districts)."""
    indicators = dashboard_indicators() if indicators is None else indicators
    children = list(unit.children.filter(level__in=SUMMARY_LEVELS).order_by("name"))
    rows = _rows([*children, unit], [period], indicators)
    return Dashboard(indicators, [rows[child.pk, period.pk] for child in children], rows[unit.pk, period.pk])


@dataclass
class TrendPoint:
    period: Period
    row: DashboardRow


def trend_for(unit: Unit, period: Period, indicators: list[Indicator]) -> list[TrendPoint]:
    """The unit's last quarters with summaries (up to TREND_QUARTERS, the one holding `period` last), oldest first."""
    quarters = list(summary_periods(unit).filter(kind=PeriodKind.QUARTER, start__lte=period.end)[:TREND_QUARTERS])[::-1]
    rows = _rows([unit], quarters, indicators)
    return [TrendPoint(quarter, rows[unit.pk, quarter.pk]) for quarter in quarters]


def summaries_under(user, unit: Unit, period: Period) -> tuple[QuerySet[IndicatorSummary], QuerySet[UnitSummary]]:
    """The period's summaries of `unit` and of every unit under it that the user may open (the data export)."""
    units = dashboard_units_visible_to(user).filter(path__startswith=unit.path)
    return (
        IndicatorSummary.objects.filter(period=period, unit__in=units),
        UnitSummary.objects.filter(period=period, unit__in=units),
    )


# --- data quality (reports.quality) ---------------------------------------------------------------------


def can_view_quality(user) -> bool:
    """The Department, district staff and commune officers see the problems of the reports in their scope."""
    return user.is_authenticated and user.role in {
        Role.SYSTEM_ADMIN,
        Role.PROVINCE_STAFF,
        Role.DISTRICT_STAFF,
        Role.COMMUNE_OFFICER,
    }


def can_manage_quality_rules(user, province: Unit) -> bool:
    """The Department of the province (and system administrators) add, change and delete its rules."""
    return user.is_authenticated and user.role in {Role.SYSTEM_ADMIN, Role.PROVINCE_STAFF} and covers(user, province)


def quality_units_visible_to(user) -> QuerySet[Unit]:
    """The units whose data-quality page the user may open: their scope and what lies under it, down to communes."""
    return units_visible_to(user).filter(level__in=SUMMARY_LEVELS) if can_view_quality(user) else Unit.objects.none()


def quality_rules_visible_to(user) -> QuerySet[QualityRule]:
    """The rules of the provinces whose rules the user manages."""
    if not (user.is_authenticated and user.role in {Role.SYSTEM_ADMIN, Role.PROVINCE_STAFF}):
        return QualityRule.objects.none()
    return QualityRule.objects.filter(unit_scope_q(user, "province")).select_related(
        "province", "left_indicator", "right_indicator"
    )


def team_reports_owed(user, team: Team, today: datetime.date) -> dict:
    """The reports the team still owes, for whoever may fill them in (its leader or named deputy, or a commune
    officer typing in the paper report the team handed in): the team page's panel. `slots` is None for others."""
    if not teams_fillable_by(user).filter(pk=team.pk).exists():
        return {"slots": None}
    slots = [slot for slot in slots_for_team(team, today) if not slot.received]
    return {"slots": slots, "on_behalf": fills_on_behalf(user, team)}
