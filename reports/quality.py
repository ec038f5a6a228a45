"""Data quality of the reports (issue 13, item 5), as DHIS2's validation rules do it, with a team's own history.

Four kinds of check, each a warning, never a refusal: figures in the field can be true against an outdated
population figure, so the leader may still send the report, with an explanation (`Report.quality_note`) that
the reviewer reads beside the flagged values.

- **Denominator** (built in, from the indicator catalogue): a percentage indicator's number is at most its
  denominator: another indicator of the same report (activated ≤ registered) or the population figure of the
  team's area as of the period's end (registered ≤ eligible citizens, households guided ≤ households), the
  figure the report form shows (`targets.selectors.population_values`).
- **Stock fall** (built in): a stock (a total to date) is not lower than in the team's previous report.
- **Flow spike** (built in): a flow (a count for the period) is at most SPIKE_FACTOR times the median of the
  team's last SPIKE_HISTORY reports; checked once there are SPIKE_MIN_HISTORY of them and their median is above
  0 (a team that reported nothing so far has no history to be far above).
- **Department rules** (`QualityRule`): the province's own comparisons over indicators and population figures.

"Previous reports" are the team's sent periodic reports (waiting for review or approved) of the same period
kind (months with months, quarters with quarters) ending before this one, at most HISTORY_DAYS before it;
returned reports and drafts are not history. Campaign and ad-hoc reports get the denominator and Department
rules only: they cover their own spans, not the team's running series.
"""

import datetime
import operator
import statistics
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from targets.choices import Aggregation, PopulationField
from targets.models import Indicator, Period
from targets.selectors import indicators_catalogue, population_values
from units.choices import Level
from units.models import Unit

from .choices import AWAITING_REVIEW, Operator, ProblemKind, ReportKind, ReportStatus
from .models import QualityRule, Report, ReportValue

SPIKE_FACTOR = 3
SPIKE_HISTORY = 6
SPIKE_MIN_HISTORY = 3
HISTORY_DAYS = 2 * 366
# Sent and not handed back: the reports whose problems are open, and whose values make a team's history.
SENT_STATUSES = AWAITING_REVIEW | {ReportStatus.APPROVED}
COMPARE = {
    Operator.LESS: operator.lt,
    Operator.AT_MOST: operator.le,
    Operator.EQUAL: operator.eq,
    Operator.NOT_EQUAL: operator.ne,
    Operator.AT_LEAST: operator.ge,
    Operator.GREATER: operator.gt,
}


@dataclass(frozen=True)
class Problem:
    report: Report
    indicator: Indicator  # the value it is shown beside
    kind: str
    message: str
    value: int | None = None  # the report's value of `indicator`

    def get_kind_display(self) -> str:
        return str(ProblemKind(self.kind).label)


def report_end(report: Report) -> datetime.date:
    return report.request.covers_end if report.request_id else report.period.end


def problems_of(reports: list[Report], *, area: Unit | None = None) -> dict[int, list[Problem]]:
    """The problems of each report (by report id), in the catalogue's order. `area`: a unit every report's team
    lies in (the page's unit), so the population figures are read once for it (else for each team's unit)."""
    if not reports:
        return {}
    values = defaultdict(dict)
    for report_id, indicator_id, value in ReportValue.objects.filter(report__in=reports).values_list(
        "report_id", "indicator_id", "value"
    ):
        values[report_id][indicator_id] = value
    indicators = {indicator.pk: indicator for indicator in indicators_catalogue()}
    missing = {pk for row in values.values() for pk in row} - set(indicators)  # values of indicators since retired
    indicators |= (
        Indicator.objects.filter(pk__in=missing).select_related("denominator_indicator").in_bulk() if missing else {}
    )
    ends = {report.pk: report_end(report) for report in reports}
    population = population_values(
        roots=[area] if area else list({report.team.unit_id: report.team.unit for report in reports}.values()),
        fields=list(PopulationField.values),
        dates=sorted(set(ends.values())),
    )
    history = _history([report for report in reports if report.kind == ReportKind.PERIODIC])
    rules = defaultdict(list)
    for rule in QualityRule.objects.filter(
        province__in={report.province_id for report in reports}, is_active=True
    ).select_related("left_indicator", "right_indicator"):
        rules[rule.province_id].append(rule)
    found = {}
    for report in reports:
        end = ends[report.pk]

        def figure(field, report=report, end=end):
            return population[(field, end)].get(report.team.unit_id)

        own = values[report.pk]
        problems = []
        for indicator in sorted(
            (indicators[pk] for pk in own), key=lambda indicator: (indicator.order, indicator.code)
        ):
            value = own[indicator.pk]
            if value is None:
                continue
            problems += _denominator(report, indicator, value, own, figure)
            if report.kind == ReportKind.PERIODIC:
                problems += _history_problems(
                    report, indicator, value, history[(report.team_id, report.period_id, indicator.pk)]
                )
        for rule in rules[report.province_id]:
            problems += _rule(report, rule, own, figure)
        found[report.pk] = [replace(problem, value=own.get(problem.indicator.pk)) for problem in problems]
    return found


def _denominator(report, indicator, value, own, figure) -> list[Problem]:
    if not indicator.is_percent:
        return []
    if indicator.denominator_indicator_id:
        base = own.get(indicator.denominator_indicator_id)
        message = _("Larger than “%(base)s” (%(count)s) in this report: check the figure.")
        names = {"base": indicator.denominator_indicator.name}
    else:
        base = figure(indicator.denominator_field)
        message = _("Larger than the %(what)s of %(unit)s (%(count)s): check the figure.")
        names = {"what": indicator.get_denominator_field_display().lower(), "unit": report.team.unit.name}
    if base is None or value <= base:
        return []
    return [Problem(report, indicator, ProblemKind.DENOMINATOR, message % {**names, "count": number_format(base)})]


def _history_problems(report, indicator, value, past: list[tuple[datetime.date, int]]) -> list[Problem]:
    """`past`: the team's earlier values of the indicator, newest first."""
    if indicator.aggregation == Aggregation.STOCK:
        if past and value < past[0][1]:
            message = _(
                "Lower than in the team's previous report (%(count)s, period ending %(date)s): a total to date does not fall. Check the figure."
            )
            return [
                Problem(
                    report,
                    indicator,
                    ProblemKind.STOCK_FALL,
                    message
                    % {
                        "count": number_format(past[0][1]),
                        "date": date_format(past[0][0], "SHORT_DATE_FORMAT"),
                    },
                )
            ]
        return []
    recent = [number for _day, number in past]
    if len(recent) < SPIKE_MIN_HISTORY:
        return []
    median = statistics.median(recent)
    if median <= 0 or value <= SPIKE_FACTOR * median:
        return []
    message = _(
        "More than %(factor)s times the median (%(median)s) of the team's last %(count)s reports: check the figure."
    )
    return [
        Problem(
            report,
            indicator,
            ProblemKind.FLOW_SPIKE,
            message
            % {
                "factor": SPIKE_FACTOR,
                "median": number_format(median, decimal_pos=1 if median % 1 else 0),
                "count": len(recent),
            },
        )
    ]


def _history(reports: list[Report]) -> dict[tuple[int, int, int], list[tuple[datetime.date, int]]]:
    """The last SPIKE_HISTORY sent periodic values before each report's period, keyed (team, period, indicator),
    newest first: one query per period among the reports (a page shows one period), the ranking done by
    PostgreSQL (ROW_NUMBER), so a province's page reads six values per team and indicator, not two years."""
    history = defaultdict(list)
    by_period = defaultdict(list)
    for report in reports:
        by_period[report.period].append(report.team_id)
    for period, team_ids in by_period.items():
        rows = (
            ReportValue.objects.filter(
                team__in=team_ids,
                kind=ReportKind.PERIODIC,
                period__kind=period.kind,
                period_end__lt=period.end,
                period_end__gte=period.end - datetime.timedelta(days=HISTORY_DAYS),
                value__isnull=False,
                report__status__in=SENT_STATUSES,
            )
            .annotate(
                recent=Window(
                    RowNumber(), partition_by=[F("team_id"), F("indicator_id")], order_by=F("period_end").desc()
                )
            )
            .filter(recent__lte=SPIKE_HISTORY)
            .order_by("-period_end")
            .values_list("team_id", "indicator_id", "period_end", "value")
        )
        for team_id, indicator_id, end, value in rows:
            history[(team_id, period.pk, indicator_id)].append((end, value))
    return history


def _rule(report, rule: QualityRule, own, figure) -> list[Problem]:
    left = own.get(rule.left_indicator_id) if rule.left_indicator_id else figure(rule.left_field)
    right = own.get(rule.right_indicator_id) if rule.right_indicator_id else figure(rule.right_field)
    if left is None or right is None:
        return []
    bound = right * rule.right_factor
    if COMPARE[rule.operator](Decimal(left), bound):
        return []
    right_label = operand_label(rule.right_indicator, rule.right_field)
    if rule.right_factor != 1:
        right_label = f"{number_format(rule.right_factor.normalize())} × {right_label}"
    message = _("%(rule)s: %(left)s (%(left_value)s) should be %(operator)s %(right)s (%(right_value)s).") % {
        "rule": rule.name,
        "left": operand_label(rule.left_indicator, rule.left_field),
        "left_value": number_format(left),
        "operator": rule.get_operator_display(),
        "right": right_label,
        "right_value": number_format(bound.normalize()),
    }
    if rule.instruction:
        message = f"{message} {rule.instruction}"
    return [Problem(report, rule.left_indicator or rule.right_indicator, ProblemKind.DEPARTMENT_RULE, message)]


def operand_label(indicator: Indicator | None, field: str) -> str:
    return indicator.name if indicator else str(PopulationField(field).label)


def problems_by_indicator(report: Report) -> dict[int, list[Problem]]:
    """One report's problems keyed by the indicator they are shown beside."""
    grouped = defaultdict(list)
    for problem in problems_of([report]).get(report.pk, []):
        grouped[problem.indicator.pk].append(problem)
    return grouped


# --- the data-quality page --------------------------------------------------------------------------------


def sent_reports_in(unit: Unit, period: Period) -> QuerySet[Report]:
    """The sent reports of the period made in `unit` (its copied units, so history stays where it was made)."""
    level_field = {Level.PROVINCE: "province", Level.DISTRICT: "district", Level.COMMUNE: "commune"}[unit.level]
    return (
        Report.objects.filter(**{level_field: unit}, period=period, status__in=SENT_STATUSES)
        .select_related("team__unit", "period", "request", "village", "commune")
        .order_by("commune__name", "team__name", "pk")
    )


def quality_periods(unit: Unit) -> QuerySet[Period]:
    """The periods with sent reports in `unit`, newest first."""
    level_field = {Level.PROVINCE: "province", Level.DISTRICT: "district", Level.COMMUNE: "commune"}[unit.level]
    reports = Report.objects.filter(Q(**{level_field: unit}), status__in=SENT_STATUSES, period__isnull=False)
    return Period.objects.filter(pk__in=reports.order_by().values("period_id")).order_by("-end", "-start")


def open_problems(unit: Unit, period: Period, *, kind: str = "", status: str = "") -> list[Problem]:
    """The problems of the sent reports of `unit` for `period`, optionally of one kind and report status."""
    reports = sent_reports_in(unit, period)
    if status:
        reports = reports.filter(status__in=AWAITING_REVIEW if status == "awaiting" else [status])
    reports = list(reports)
    found = problems_of(reports, area=unit)
    return [problem for report in reports for problem in found[report.pk] if not kind or problem.kind == kind]
