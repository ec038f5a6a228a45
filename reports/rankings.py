"""Rankings for commendation on the dashboards: communes from their summaries, teams by a score.

Communes rank by their average achievement (% of target, over the indicators with a target), then
completeness, then timeliness, all from the summaries the roll-ups wrote. Equal values share a rank.

Only units and teams with data lead: figures (an achievement) and at least MIN_RECEIVED_SHARE % of the reports
due received. Those that received fewer come first among those needing support, with the reason (fewest
received first), then the weakest of the others; those owing no report and without figures (a team founded
after the period, a commune without a team) are in neither list.

A team's score (0-100) is the mean of two parts, or the one it has:
* reports: the share of the reports due in the period (the scheduled periods inside it whose deadline has
  passed and that the team owes: selectors.owes_slot) that were approved and sent by the deadline they carry;
* targets: the average achievement, capped at 100%, over the indicators where the team has a target (its own
  or its unit's, as in targets.selectors.effective_targets); an indicator it reported nothing on counts as 0.

Team scores are computed in a handful of aggregate queries bounded by the unit's communes and the period's
own periods (the indexes on (approved, period, commune) and (status, commune)), and cached until the unit's
summary is recomputed: the key holds the summary's computed_at, so a roll-up makes the next page recompute.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils.translation import gettext as _

from targets.choices import PeriodKind, TargetMode
from targets.models import Indicator, Period
from targets.selectors import effective_targets, subtree_population_values
from teams.models import Team
from units.choices import Level
from units.models import Unit

from .choices import RECEIVED_STATUSES, ReportStatus
from .models import IndicatorSummary, Report, UnitSummary
from .progress import actuals_by_team, values_in_period
from .selectors import (
    DashboardRow,
    average_achievement,
    dashboard_indicators,
    expected_q,
    owes_slot,
    periodic_deadline,
    schedule_for,
)

RANK_SHOWN = 10
MIN_RECEIVED_SHARE = 50  # % of the reports due a unit or team must have sent to rank among the leaders
TEAM_SCORES_CACHE_SECONDS = 24 * 3600
HUNDRED = Decimal(100)


def _one_decimal(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP)


class Ranked:
    """What the commune and team rankings share: a position (shared by equal values), whether the item may
    lead, and why it needs support. Subclasses (dataclasses) give `position` and `tied` fields, and `received`,
    `expected`, `has_figures` and `tie_key`."""

    @property
    def enough_reports(self) -> bool:
        return not self.expected or 100 * self.received >= MIN_RECEIVED_SHARE * self.expected

    @property
    def leads(self) -> bool:
        return self.has_figures and self.enough_reports

    @property
    def reason(self) -> str:
        """Why it needs support, from the reports received ("" when they are enough)."""
        numbers = {"received": self.received, "expected": self.expected}
        if self.expected and not self.received:
            return _("No report received (0/%(expected)s)") % numbers
        if not self.enough_reports:
            return _("Few reports received (%(received)s/%(expected)s)") % numbers
        return ""


def _number(ranked: list[Ranked]) -> list[Ranked]:
    """Positions 1, 1, 3 among those that lead: equal values (tie_key) share a rank and are marked tied."""
    before = None
    for count, item in enumerate((item for item in ranked if item.leads), start=1):
        if before is not None and before.tie_key == item.tie_key:
            item.position, item.tied, before.tied = before.position, True, True
        else:
            item.position = count
        before = item
    return ranked


def leaders_and_support(ranked: list[Ranked], shown: int = RANK_SHOWN) -> tuple[list, list]:
    """The first `shown` of those that lead, and up to `shown` needing support: those with a reason (fewest
    reports received first), then, weakest first, those that lead but are not shown among the leaders."""
    leaders = [item for item in ranked if item.leads][:shown]
    shown_ids = {id(item) for item in leaders}
    flagged = sorted((item for item in ranked if item.reason), key=lambda item: item.received / item.expected)
    weakest = [item for item in ranked if item.leads and id(item) not in shown_ids][::-1]
    return leaders, (flagged + weakest)[:shown]


def _communes_under(unit: Unit):
    return Unit.objects.filter(path__startswith=unit.path, level=Level.COMMUNE)


# --- communes --------------------------------------------------------------------------------------------


@dataclass
class UnitRank(Ranked):
    unit: Unit
    achievement: Decimal | None
    summary: UnitSummary | None
    position: int = 0
    tied: bool = False

    @property
    def completeness(self):
        return self.summary.completeness if self.summary else None

    @property
    def timeliness(self):
        return self.summary.timeliness if self.summary else None

    @property
    def received(self) -> int:
        return self.summary.reports_received if self.summary else 0

    @property
    def expected(self) -> int:
        return self.summary.reports_expected if self.summary else 0

    @property
    def has_figures(self) -> bool:
        return self.achievement is not None

    @property
    def tie_key(self):
        return (self.achievement, self.completeness, self.timeliness)


def commune_ranking(
    unit: Unit, period: Period, indicators: list[Indicator], rows: list[DashboardRow] = ()
) -> list[UnitRank]:
    """Every commune under `unit` (not only the units right below it), best first. `rows`: the dashboard's rows
    for the period and indicators; when the communes are the units right below, they are ranked from these."""
    communes = list(_communes_under(unit).exclude(pk=unit.pk).order_by("name"))
    if not communes:
        return []
    known = {row.unit.pk: row for row in rows}
    if all(commune.pk in known for commune in communes):
        ranked = [UnitRank(commune, known[commune.pk].achievement, known[commune.pk].summary) for commune in communes]
    else:
        averages = average_achievement(
            IndicatorSummary.objects.filter(period=period, unit__in=communes, indicator__in=indicators)
        )
        summaries = {row.unit_id: row for row in UnitSummary.objects.filter(period=period, unit__in=communes)}
        ranked = [
            UnitRank(commune, averages.get((commune.pk, period.pk)), summaries.get(commune.pk)) for commune in communes
        ]
    ranked.sort(
        key=lambda row: (
            row.achievement is None,
            -(row.achievement or 0),
            -(row.completeness or 0),
            -(row.timeliness or 0),
        )
    )
    return _number(ranked)


# --- teams -----------------------------------------------------------------------------------------------


@dataclass
class TeamScore(Ranked):
    team_id: int
    name: str
    unit_name: str
    due: int
    received: int
    on_time: int
    achievement: Decimal | None
    position: int = 0
    tied: bool = False

    @property
    def reports(self) -> Decimal | None:
        return _one_decimal(HUNDRED * self.on_time / self.due) if self.due else None

    @property
    def score(self) -> Decimal | None:
        parts = [part for part in (self.reports, self.achievement) if part is not None]
        return _one_decimal(sum(parts) / len(parts)) if parts else None

    @property
    def expected(self) -> int:
        return self.due

    @property
    def has_figures(self) -> bool:
        return self.achievement is not None or self.received > 0

    @property
    def tie_key(self):
        return (self.score, self.on_time)


def _due_slots(unit: Unit, period: Period, today: datetime.date) -> list[Period]:
    """The scheduled periods inside `period` whose deadline has passed (none for a campaign)."""
    schedule = schedule_for(unit)
    if schedule is None or period.kind == PeriodKind.CAMPAIGN:
        return []
    slots = Period.objects.filter(
        kind=schedule.frequency, start__gte=max(period.start, schedule.starts_on), end__lte=period.end
    )
    return [slot for slot in slots if periodic_deadline(slot, schedule) < today]


def _sent_reports(slots: list[Period], communes) -> dict[tuple[int, int], bool]:
    """Per (team id, period id) of a report received: whether it was approved and sent by the deadline it carries."""
    reports = Report.objects.filter(
        status__in=RECEIVED_STATUSES, commune__in=communes, period__in=slots, request__isnull=True
    )
    on_time = Q(status=ReportStatus.APPROVED, submitted_at__date__lte=F("deadline"))
    rows = reports.annotate(approved_on_time=ExpressionWrapper(on_time, output_field=BooleanField())).values_list(
        "team_id", "period_id", "approved_on_time"
    )
    return {(team_id, period_id): approved_on_time for team_id, period_id, approved_on_time in rows}


def _achievements(
    unit: Unit, period: Period, teams: list[Team], indicators: list[Indicator], communes
) -> dict[int, Decimal]:
    """Average capped achievement per team id, over the indicators where the team has a target."""
    targets = effective_targets(period=period, indicators=indicators, teams=teams)
    actual = actuals_by_team(
        values_in_period(period).filter(commune__in=communes, indicator__in=indicators), indicators
    )
    populations = {
        field: subtree_population_values(root=unit, field=field, date=period.end)
        for field in {
            indicator.denominator_field
            for indicator in indicators
            if indicator.is_percent and indicator.denominator_field
        }
    }
    result = {}
    for team in teams:
        shares = []
        for indicator in indicators:
            target = targets[("team", team.pk, indicator.pk)]
            if target is None or not target.value:
                continue
            done = actual.get((team.pk, indicator.pk), 0)
            if target.mode == TargetMode.PERCENT:
                if indicator.denominator_indicator_id:
                    denominator = actual.get((team.pk, indicator.denominator_indicator_id))
                else:
                    denominator = populations.get(indicator.denominator_field, {}).get(team.unit_id)
                if not denominator:
                    continue
                done = HUNDRED * done / denominator
            shares.append(min(HUNDRED, HUNDRED * Decimal(done) / target.value))
        if shares:
            result[team.pk] = _one_decimal(sum(shares) / len(shares))
    return result


def _compute_team_scores(
    unit: Unit, period: Period, indicators: list[Indicator], today: datetime.date
) -> list[TeamScore]:
    """The teams under `unit` that owe the period's report or one of its due slots' (selectors.expected_q)."""
    slots = _due_slots(unit, period, today)
    owing = expected_q(period.start, period.end)
    for slot in slots:
        owing |= expected_q(slot.start, slot.end)
    teams = list(Team.objects.filter(owing, unit__path__startswith=unit.path).select_related("unit"))
    if not teams:
        return []
    communes = _communes_under(unit).values("pk")
    sent = _sent_reports(slots, communes) if slots else {}
    achievements = _achievements(unit, period, teams, indicators, communes)
    scores = []
    for team in teams:
        owed = [(team.pk, slot.pk) for slot in slots if owes_slot(team, slot.start, slot.end)]
        received = [sent[key] for key in owed if key in sent]
        score = TeamScore(
            team.pk, team.name, team.unit.name, len(owed), len(received), sum(received), achievements.get(team.pk)
        )
        if owed or score.achievement is not None:
            scores.append(score)
    scores.sort(key=lambda row: (row.score is None, -(row.score or 0), -row.on_time, row.name))
    return _number(scores)


def team_scores(
    unit: Unit, period: Period, indicators: list[Indicator], computed_at, today: datetime.date
) -> list[TeamScore]:
    """The teams under `unit`, best first, cached until the unit's summary for the period is recomputed (the key's
    "-2": TeamScore gained fields, so scores cached by the earlier code are never read)."""
    key = ":".join(
        [
            "team-scores-2",
            str(unit.pk),
            str(period.pk),
            ",".join(str(indicator.pk) for indicator in indicators),
            computed_at.isoformat(),
            today.isoformat(),
        ]
    )
    scores = cache.get(key)
    if scores is None:
        scores = _compute_team_scores(unit, period, indicators, today)
        cache.set(key, scores, TEAM_SCORES_CACHE_SECONDS)
    return scores


def unit_team_scores(unit: Unit, period: Period, indicators: list[Indicator], today: datetime.date) -> list[TeamScore]:
    """team_scores keyed by the unit's summary for the period; none while the unit has no summary."""
    computed_at = UnitSummary.objects.filter(unit=unit, period=period).values_list("computed_at", flat=True).first()
    return team_scores(unit, period, indicators, computed_at, today) if computed_at else []


def warm_team_scores(province: Unit, year: int, quarter: int, today: datetime.date) -> int:
    """After a province's quarter is rolled up: the team scores of the province and its districts (the dashboards'
    default, every pillar), so that the first visitor reads them from the cache. The number of units warmed."""
    period = Period.objects.filter(kind=PeriodKind.QUARTER, year=year, number=quarter).first()
    if period is None:
        return 0
    indicators = dashboard_indicators()
    units = [province, *Unit.objects.filter(path__startswith=province.path, level=Level.DISTRICT)]
    for unit in units:
        unit_team_scores(unit, period, indicators, today)
    return len(units)
