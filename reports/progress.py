"""Progress against targets: actuals from approved reports, the effective target, achievement and its colour.

Actuals for a period come from approved reports whose own period lies inside it: monthly and quarterly
reports for a calendar period, the campaign's reports for a campaign. Flow indicators are summed; stock
indicators take each team's latest value in the period, added up over the teams of a unit.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from targets.choices import Aggregation, PeriodKind, Rating, TargetMode
from targets.models import Indicator, Period
from targets.selectors import (
    EffectiveTarget,
    classify_achievement,
    denominator_as_of,
    effective_targets,
    thresholds_for,
)
from teams.models import Team
from units.choices import Level
from units.models import Unit

from .choices import ReportKind
from .models import ReportValue

UNIT_COLUMN = {Level.PROVINCE: "province_id", Level.DISTRICT: "district_id", Level.COMMUNE: "commune_id", Level.VILLAGE: "village_id"}
HUNDRED = Decimal(100)


def _percent(numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (HUNDRED * Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class ProgressRow:
    indicator: Indicator
    actual: int | None
    denominator: int | None
    target: EffectiveTarget | None
    rating: Rating | None = None

    @property
    def rate(self) -> Decimal | None:
        """A percentage indicator's actual as a share of its denominator."""
        return _percent(self.actual, self.denominator) if self.indicator.is_percent else None

    @property
    def achievement(self) -> Decimal | None:
        """Actual as a percentage of the target (100 = reached)."""
        if self.target is None or not self.target.value:
            return None
        if self.target.mode == TargetMode.PERCENT:
            return _percent(self.rate, self.target.value)
        return _percent(self.actual, self.target.value)


def values_in_period(period: Period):
    """The approved value rows that count towards `period`."""
    rows = ReportValue.objects.filter(approved=True, value__isnull=False)
    if period.kind == PeriodKind.CAMPAIGN:
        return rows.filter(period=period)
    inside = Period.objects.filter(start__gte=period.start, end__lte=period.end).exclude(kind=PeriodKind.CAMPAIGN)
    # The periods' ids as a list, not a join: the planner then reads them through the (approved, period, ...)
    # index (a province's team scores: 1.4 s against 2.1 s on the national data set).
    return rows.filter(kind=ReportKind.PERIODIC, period_id__in=list(inside.values_list("pk", flat=True)))


def holder_q(*, unit: Unit | None = None, team: Team | None = None) -> Q:
    if team is not None:
        return Q(team=team)
    return Q(**{UNIT_COLUMN[unit.level]: unit.pk})


def actuals_by_team(rows, indicators) -> dict[tuple[int, int], int]:
    """Actual per (team id, indicator id) of the value `rows`: flows summed, stocks the team's latest value."""
    flows = [indicator.pk for indicator in indicators if indicator.aggregation == Aggregation.FLOW]
    result = {}
    for row in rows.filter(indicator__in=flows).values("team_id", "indicator_id").annotate(total=Sum("value")).order_by():
        result[row["team_id"], row["indicator_id"]] = row["total"]
    stocks = rows.exclude(indicator__in=flows).order_by("team_id", "indicator_id", "-period_end", "-report_id")
    for team_id, indicator_id, value in stocks.values_list("team_id", "indicator_id", "value"):
        result.setdefault((team_id, indicator_id), value)
    return result


def actuals(*, period: Period, indicators, unit: Unit | None = None, team: Team | None = None) -> dict[int, int | None]:
    """Actual per indicator id: flows summed, stocks as each team's latest value summed over teams."""
    rows = values_in_period(period).filter(holder_q(unit=unit, team=team), indicator__in=indicators)
    result = {indicator.pk: None for indicator in indicators}
    for (_team_id, indicator_id), value in actuals_by_team(rows, indicators).items():
        result[indicator_id] = (result[indicator_id] or 0) + value
    return result


def progress(*, period: Period, unit: Unit | None = None, team: Team | None = None, indicators=None) -> list[ProgressRow]:
    """One row per indicator for a unit or a team (exactly one) over a period."""
    if (unit is None) == (team is None):
        raise ValueError("progress takes a unit or a team")
    indicators = list(indicators if indicators is not None else Indicator.objects.filter(is_active=True))
    holder_unit = unit or team.unit
    actual = actuals(period=period, indicators=indicators, unit=unit, team=team)
    targets = effective_targets(period=period, indicators=indicators, units=[unit] if unit else [], teams=[team] if team else [])
    thresholds = thresholds_for(holder_unit)
    rows = []
    for indicator in indicators:
        rows.append(
            ProgressRow(
                indicator=indicator,
                actual=actual[indicator.pk],
                denominator=denominator_for(indicator, holder_unit, period.end, actual),
                target=targets[("team", team.pk, indicator.pk) if team else ("unit", unit.pk, indicator.pk)],
            )
        )
    for row in rows:
        if row.achievement is not None:
            row.rating = classify_achievement(row.achievement, thresholds)
    return rows


def team_progress_this_quarter(team: Team) -> tuple[Period | None, list[ProgressRow]]:
    """The team page's panel: the quarter running today and the team's progress over it (no rows without one)."""
    today = timezone.localdate()
    quarter = Period.objects.filter(kind=PeriodKind.QUARTER, start__lte=today, end__gte=today).first()
    return quarter, progress(period=quarter, team=team) if quarter else []


def denominator_for(indicator: Indicator, unit: Unit, on: datetime.date, actual: dict[int, int | None]) -> int | None:
    """A population figure as of the period's end, or another indicator's actual (activations over e-IDs)."""
    if not indicator.is_percent:
        return None
    if indicator.denominator_indicator_id:
        return actual.get(indicator.denominator_indicator_id)
    return denominator_as_of(indicator=indicator, unit=unit, date=on)
