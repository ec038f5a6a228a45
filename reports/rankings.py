"""Rankings for commendation on the dashboards: communes from their summaries, teams by a score.

Communes rank by their average achievement (% of target, over the indicators with a target), then
completeness, then timeliness, all from the summaries the roll-ups wrote.

A team's score (0-100) is the mean of two parts, or the one it has:
* reports: the share of the reports due in the period (periods whose deadline has passed while the team was
  active) that were approved and had been sent by their deadline;
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
from django.db.models import Count, F

from targets.choices import PeriodKind, TargetMode
from targets.models import Indicator, Period
from targets.selectors import effective_targets, subtree_population_values
from teams.models import Team
from units.choices import Level
from units.models import Unit

from .choices import ReportStatus
from .models import IndicatorSummary, Report, UnitSummary
from .progress import actuals_by_team, values_in_period
from .selectors import (
    DashboardRow,
    active_during_q,
    average_achievement,
    dashboard_indicators,
    periodic_deadline,
    schedule_for,
    was_active_during,
)

RANK_SHOWN = 10
TEAM_SCORES_CACHE_SECONDS = 24 * 3600
HUNDRED = Decimal(100)


def _one_decimal(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP)


def top_and_bottom(ranked: list, shown: int = RANK_SHOWN) -> tuple[list, list]:
    """The first `shown` and, weakest first, up to `shown` of the others (none appears twice)."""
    return ranked[:shown], ranked[max(shown, len(ranked) - shown):][::-1]


def _number(ranked: list) -> list:
    for position, item in enumerate(ranked, start=1):
        item.position = position
    return ranked


def _communes_under(unit: Unit):
    return Unit.objects.filter(path__startswith=unit.path, level=Level.COMMUNE)


# --- communes --------------------------------------------------------------------------------------------


@dataclass
class UnitRank:
    unit: Unit
    achievement: Decimal | None
    summary: UnitSummary | None
    position: int = 0

    @property
    def completeness(self):
        return self.summary.completeness if self.summary else None

    @property
    def timeliness(self):
        return self.summary.timeliness if self.summary else None


def commune_ranking(unit: Unit, period: Period, indicators: list[Indicator], rows: list[DashboardRow] = ()) -> list[UnitRank]:
    """Every commune under `unit` (not only the units right below it), best first. `rows`: the dashboard's rows
    for the period and indicators; when the communes are the units right below, they are ranked from these."""
    communes = list(_communes_under(unit).exclude(pk=unit.pk).order_by("name"))
    if not communes:
        return []
    known = {row.unit.pk: row for row in rows}
    if all(commune.pk in known for commune in communes):
        ranked = [UnitRank(commune, known[commune.pk].achievement, known[commune.pk].summary) for commune in communes]
    else:
        averages = average_achievement(IndicatorSummary.objects.filter(period=period, unit__in=communes, indicator__in=indicators))
        summaries = {row.unit_id: row for row in UnitSummary.objects.filter(period=period, unit__in=communes)}
        ranked = [UnitRank(commune, averages.get((commune.pk, period.pk)), summaries.get(commune.pk)) for commune in communes]
    ranked.sort(key=lambda row: (row.achievement is None, -(row.achievement or 0), -(row.completeness or 0), -(row.timeliness or 0)))
    return _number(ranked)


# --- teams -----------------------------------------------------------------------------------------------


@dataclass
class TeamScore:
    team_id: int
    name: str
    unit_name: str
    due: int
    on_time: int
    achievement: Decimal | None
    position: int = 0

    @property
    def reports(self) -> Decimal | None:
        return _one_decimal(HUNDRED * self.on_time / self.due) if self.due else None

    @property
    def score(self) -> Decimal | None:
        parts = [part for part in (self.reports, self.achievement) if part is not None]
        return _one_decimal(sum(parts) / len(parts)) if parts else None


def _due_slots(unit: Unit, period: Period, today: datetime.date) -> list[Period]:
    """The scheduled periods inside `period` whose deadline has passed (none for a campaign)."""
    schedule = schedule_for(unit)
    if schedule is None or period.kind == PeriodKind.CAMPAIGN:
        return []
    slots = Period.objects.filter(kind=schedule.frequency, start__gte=max(period.start, schedule.starts_on), end__lte=period.end)
    return [slot for slot in slots if periodic_deadline(slot, schedule) < today]


def _on_time_reports(slots: list[Period], communes) -> dict[int, int]:
    reports = Report.objects.filter(
        status=ReportStatus.APPROVED, commune__in=communes, period__in=slots, request__isnull=True,
        submitted_at__date__lte=F("deadline"),
    )
    return {row["team_id"]: row["count"] for row in reports.values("team_id").annotate(count=Count("pk")).order_by()}


def _achievements(unit: Unit, period: Period, teams: list[Team], indicators: list[Indicator], communes) -> dict[int, Decimal]:
    """Average capped achievement per team id, over the indicators where the team has a target."""
    targets = effective_targets(period=period, indicators=indicators, teams=teams)
    actual = actuals_by_team(values_in_period(period).filter(commune__in=communes, indicator__in=indicators), indicators)
    populations = {
        field: subtree_population_values(root=unit, field=field, date=period.end)
        for field in {indicator.denominator_field for indicator in indicators if indicator.is_percent and indicator.denominator_field}
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


def _compute_team_scores(unit: Unit, period: Period, indicators: list[Indicator], today: datetime.date) -> list[TeamScore]:
    end = min(period.end, today)
    teams = list(Team.objects.filter(active_during_q(period.start, end), unit__path__startswith=unit.path).select_related("unit"))
    if not teams:
        return []
    communes = _communes_under(unit).values("pk")
    slots = _due_slots(unit, period, today)
    on_time = _on_time_reports(slots, communes) if slots else {}
    achievements = _achievements(unit, period, teams, indicators, communes)
    scores = []
    for team in teams:
        due = sum(was_active_during(team, slot.start, slot.end) for slot in slots)
        scores.append(TeamScore(team.pk, team.name, team.unit.name, due, min(due, on_time.get(team.pk, 0)), achievements.get(team.pk)))
    scores.sort(key=lambda row: (row.score is None, -(row.score or 0), -row.on_time, row.name))
    return _number(scores)


def team_scores(unit: Unit, period: Period, indicators: list[Indicator], computed_at, today: datetime.date) -> list[TeamScore]:
    """The teams under `unit`, best first, cached until the unit's summary for the period is recomputed."""
    key = ":".join(
        ["team-scores", str(unit.pk), str(period.pk), ",".join(str(indicator.pk) for indicator in indicators),
         computed_at.isoformat(), today.isoformat()]
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
