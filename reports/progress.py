"""Progress against targets: actuals from approved reports, the effective target, achievement and its colour.

Actuals for a period come from approved reports whose own period lies inside it: monthly and quarterly
reports for a calendar period, the campaign's reports for a campaign.

How a unit's figure is formed from its teams' reports (templates/reports/methodology.html says the same to
users, and reports.rollups computes the same for every unit at once):

* Flows of activity (visits, sessions, people guided in the period: Aggregation.FLOW) are added up over every
  team under the unit: two teams' sessions are two sessions.
* Stocks of people or households (citizens with e-ID, households guided: every other indicator) are counted
  once per area. An area is the lowest unit a report carries: a village team's village, a commune team's
  commune (its commune-wide figure), a district team's district. The area's figure is its latest approved
  value in the period (latest period end, then the report sent last), whichever of its teams sent it, so two
  teams of one village never add up the same people. A commune's figure is its commune team's when that team
  reported, else the sum of its villages' figures; a district's is its district team's, else the sum of its
  communes'; a province's the sum of its districts' (and of its communes outside any district).
  The commune team's figure wins because the commune consolidates: village teams report to the commune
  People's Committee, which "tổng hợp, báo cáo kết quả hoạt động của các Tổ Công nghệ số cộng đồng trên địa
  bàn xã" (seed 003); adding it to its villages' figures counted the same citizens twice (143.2 % in the
  demo's Thanh Thịnh). A commune's coverage can then exceed its population only if one report says so.
"""

import datetime
from collections import defaultdict
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
    population_values,
    thresholds_for,
)
from teams.models import Team
from units.choices import Level
from units.models import Unit

from .choices import ReportKind
from .models import ReportValue

UNIT_COLUMN = {
    Level.PROVINCE: "province_id",
    Level.DISTRICT: "district_id",
    Level.COMMUNE: "commune_id",
    Level.VILLAGE: "village_id",
}
AREA_COLUMNS = tuple(UNIT_COLUMN.values())  # an area's ids, from the province down
UNIT_DEPTH = {level: depth for depth, level in enumerate(UNIT_COLUMN)}
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
    def indicator_id(self) -> int:
        return self.indicator.pk

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
    for row in (
        rows.filter(indicator__in=flows).values("team_id", "indicator_id").annotate(total=Sum("value")).order_by()
    ):
        result[row["team_id"], row["indicator_id"]] = row["total"]
    stocks = rows.exclude(indicator__in=flows).order_by("team_id", "indicator_id", "-period_end", "-report_id")
    for team_id, indicator_id, value in stocks.values_list("team_id", "indicator_id", "value"):
        result.setdefault((team_id, indicator_id), value)
    return result


def area_actuals(rows, indicators) -> dict[tuple, dict[int, int]]:
    """Actual per area (its (province, district, commune, village) ids, None below the area's level) and
    indicator id of the value `rows`: flows summed over the area's teams, stocks the area's latest value."""
    flows = [indicator.pk for indicator in indicators if indicator.aggregation == Aggregation.FLOW]
    result = defaultdict(dict)
    for row in (
        rows.filter(indicator__in=flows).values(*AREA_COLUMNS, "indicator_id").annotate(total=Sum("value")).order_by()
    ):
        result[tuple(row[column] for column in AREA_COLUMNS)][row["indicator_id"]] = row["total"]
    stocks = rows.exclude(indicator__in=flows).order_by("-period_end", "-report_id")
    for *area, indicator_id, value in stocks.values_list(*AREA_COLUMNS, "indicator_id", "value"):
        result[tuple(area)].setdefault(indicator_id, value)
    return dict(result)


def stock_figure(areas: dict[tuple, int], depth: int) -> int | None:
    """One stock indicator's figure for a unit from the figures of the areas under it ({area: value}); `depth`
    is the unit's position in an area's ids (AREA_COLUMNS). The unit's own area's figure when it has one, else
    the sum over the units right below it, each taken the same way (a commune outside any district sits right
    below its province)."""
    own = [value for area, value in areas.items() if not any(area[depth + 1 :])]
    if own or not areas:
        return own[0] if own else None
    below = defaultdict(dict)
    for area, value in areas.items():
        child = next(position for position in range(depth + 1, len(area)) if area[position] is not None)
        below[child, area[child]][area] = value
    return sum(stock_figure(child_areas, child) for (child, _unit_id), child_areas in below.items())


def actuals(*, period: Period, indicators, unit: Unit | None = None, team: Team | None = None) -> dict[int, int | None]:
    """Actual per indicator id, by the module's rule: flows summed, stocks one figure per area."""
    rows = values_in_period(period).filter(holder_q(unit=unit, team=team), indicator__in=indicators)
    if team is not None:
        by_team = actuals_by_team(rows, indicators)
        return {indicator.pk: by_team.get((team.pk, indicator.pk)) for indicator in indicators}
    areas = area_actuals(rows, indicators)
    result = {}
    for indicator in indicators:
        figures = {area: values[indicator.pk] for area, values in areas.items() if indicator.pk in values}
        if indicator.aggregation == Aggregation.FLOW:
            result[indicator.pk] = sum(figures.values()) if figures else None
        else:
            result[indicator.pk] = stock_figure(figures, UNIT_DEPTH[unit.level])
    return result


def progress(
    *, period: Period, unit: Unit | None = None, team: Team | None = None, indicators=None
) -> list[ProgressRow]:
    """One row per indicator for a unit or a team (exactly one) over a period."""
    if (unit is None) == (team is None):
        raise ValueError("progress takes a unit or a team")
    indicators = list(indicators if indicators is not None else Indicator.objects.filter(is_active=True))
    holder_unit = unit or team.unit
    actual = actuals(period=period, indicators=indicators, unit=unit, team=team)
    targets = effective_targets(
        period=period, indicators=indicators, units=[unit] if unit else [], teams=[team] if team else []
    )
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


@dataclass
class AreaRow:
    """One area under a commune: a village (its teams' figures) or the commune itself (its commune team's)."""

    unit: Unit
    cells: list[ProgressRow]

    @property
    def is_own(self) -> bool:
        return self.unit.level != Level.VILLAGE


@dataclass
class AreaTable:
    rows: list[AreaRow]
    villages_reporting: dict[int, int]  # per stock indicator: the villages whose figures the commune's adds up
    own_figure: set[int]  # the stock indicators whose commune figure is the commune team's own


def commune_areas(*, commune: Unit, period: Period, indicators) -> AreaTable:
    """The figures a commune's are formed from, by the module's rule: the commune team's own row (when it
    reported) and one row per village (without targets: those are set for communes and above)."""
    indicators = list(indicators)
    areas = area_actuals(values_in_period(period).filter(commune=commune, indicator__in=indicators), indicators)
    by_unit = {area[UNIT_DEPTH[Level.VILLAGE]] or commune.pk: values for area, values in areas.items()}
    fields = sorted(
        {
            indicator.denominator_field
            for indicator in indicators
            if indicator.is_percent and indicator.denominator_field
        }
    )
    population = population_values(roots=[commune], fields=fields, dates=[period.end])
    villages = list(commune.children.filter(level=Level.VILLAGE).order_by("name"))
    rows = []
    for unit in ([commune] if commune.pk in by_unit else []) + villages:
        actual = by_unit.get(unit.pk, {})
        cells = []
        for indicator in indicators:
            if not indicator.is_percent:
                denominator = None
            elif indicator.denominator_indicator_id:
                denominator = actual.get(indicator.denominator_indicator_id)
            else:
                denominator = (
                    population[(indicator.denominator_field, period.end)].get(unit.pk)
                    if indicator.denominator_field
                    else None
                )
            cells.append(ProgressRow(indicator, actual.get(indicator.pk), denominator, None))
        rows.append(AreaRow(unit, cells))
    stocks = [indicator.pk for indicator in indicators if indicator.aggregation != Aggregation.FLOW]
    own = {pk for pk in stocks if pk in by_unit.get(commune.pk, {})}
    reporting = {pk: sum(pk in values for unit_id, values in by_unit.items() if unit_id != commune.pk) for pk in stocks}
    return AreaTable(rows, reporting, own)
