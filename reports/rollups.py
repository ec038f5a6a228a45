"""Roll-ups: the summaries of every commune, district and province per period, recomputed from source.

The engine is set-based: for any set of units (one commune's chain, a province, the whole country) and
periods (a quarter and its months, or a year: rollup_periods) it reads the facts with a fixed number of grouped
queries, whatever the number of units: approved flow values summed by (province, district, commune), stock
values as one figure per area resolved up the map (`_stock_figures`; the rule is reports.progress's, whose
single-unit implementation the tests hold equal to this one), and teams, memberships and reports counted per
summary unit through each team's chain of ancestors. Targets, denominators and ratings are looked up in bulk.

A run upserts whole rows in one transaction: running it twice, or twice at once, gives the same rows, and a
failure leaves the previous summaries as they were. On PostgreSQL one advisory lock per province serialises
runs that share ancestors (the second waits, then recomputes from what the first committed); a national run
takes every province's lock in id order.

Approvals and reopenings mark their (commune, quarter) stale (services.rollup_mark_stale); the drain recomputes
each marked province-quarter once, and a run deletes a mark only if its `marked_at` has not moved since the run
read it, so an approval arriving mid-run is not lost. Years are recomputed nightly (rollup_periods).
"""

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from targets.choices import Aggregation, PeriodKind
from targets.models import AchievementThreshold, Indicator, Period
from targets.selectors import DEFAULT_THRESHOLDS, Thresholds, classify_achievement, effective_targets, population_values
from teams.models import Membership, Team
from teams.selectors import province_of
from totech.dates import previous_quarter, quarter_months, quarter_of
from totech.db import copy_line
from units.choices import Level
from units.models import Unit

from .choices import RECEIVED_STATUSES, Frequency, ReportKind
from .models import IndicatorSummary, RecomputeRequest, Report, ReportingSchedule, ReportValue, StaleRollup, UnitSummary
from .progress import UNIT_COLUMN, ProgressRow
from .selectors import SUMMARY_LEVELS, expected_sql, periodic_deadline, slot_middle

ROLLUP_LOCK_NAMESPACE = 7007  # first key of pg_advisory_xact_lock(int, int); the second is the province id


def parse_quarter(text: str) -> tuple[int, int]:
    """'2026Q3' → (2026, 3)."""
    year, _sep, quarter = text.upper().partition("Q")
    if not (
        year.isascii() and year.isdigit() and quarter in {"1", "2", "3", "4"}
    ):  # not ² (isdigit, but int() refuses)
        raise ValueError(_("“%(value)s” is not a quarter: write it like 2026Q3.") % {"value": text})
    return int(year), int(quarter)


def rollup_periods(year: int, quarter: int | None = None) -> list[Period]:
    """What one run recomputes: a quarter and its months (the quarterly roll-up that approvals trigger), or,
    without a quarter, the year (recomputed nightly: its row reads twelve months of values, four times a
    quarter's, so approvals do not pay for it)."""
    if quarter is None:
        return list(Period.objects.filter(kind=PeriodKind.YEAR, year=year))
    months = quarter_months(quarter)
    return list(
        Period.objects.filter(
            Q(kind=PeriodKind.QUARTER, number=quarter) | Q(kind=PeriodKind.MONTH, number__in=months), year=year
        ).order_by("start", "kind")
    )


def open_quarters(today: datetime.date) -> list[tuple[int, int]]:
    """The current quarter and the one before (its last month's reports are due in this one)."""
    current = quarter_of(today)
    return [previous_quarter(*current), current]


# --- raw SQL helpers (portable: PostgreSQL and SQLite) ---------------------------------------------------

VALUE_TABLE = ReportValue._meta.db_table
UNIT_TABLE = Unit._meta.db_table
TEAM_TABLE = Team._meta.db_table
MEMBERSHIP_TABLE = Membership._meta.db_table
REPORT_TABLE = Report._meta.db_table


def _adapt(value):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _values(name: str, columns: list[str], rows: list[tuple]) -> tuple[str, list]:
    """A named VALUES list for a WITH clause: `name (columns) AS (VALUES (...), ...)`, and its parameters."""
    tuples = ", ".join("(" + ", ".join(["%s"] * len(columns)) + ")" for _row in rows)
    return f"{name} ({', '.join(columns)}) AS (VALUES {tuples})", [_adapt(value) for row in rows for value in row]


def _in(column: str, ids) -> tuple[str, list]:
    ids = list(ids)
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", ids


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def ancestor_paths(path: str) -> list[str]:
    """'/1/7/42/' → ['/1/', '/1/7/']."""
    ids = path.strip("/").split("/")
    return ["/" + "/".join(ids[:depth]) + "/" for depth in range(1, len(ids))]


@dataclass
class Scope:
    """What one run recomputes: summary units and periods (rollup_periods). Facts are read under the `roots`,
    the units in scope with no ancestor in scope (a province's summary needs all of the province's facts, a
    commune's only its own); `everywhere` (every province) drops that filter."""

    units: list[Unit]
    periods: list[Period]
    today: datetime.date
    roots: list[Unit] = field(init=False)
    province_ids: list[int] = field(init=False)
    everywhere: bool = field(init=False)

    def __post_init__(self):
        paths = {unit.path for unit in self.units}
        self.roots = [
            unit for unit in self.units if not any(ancestor in paths for ancestor in ancestor_paths(unit.path))
        ]
        self.province_ids = sorted({province_of(unit) for unit in self.units})
        self.everywhere = (
            sum(root.level == Level.PROVINCE for root in self.roots)
            == Unit.objects.filter(level=Level.PROVINCE).count()
        )

    def facts_sql(self, alias: str) -> tuple[str, list]:
        """The values (`alias` a ReportValue) that carry one of the roots."""
        if self.everywhere:
            return "1 = 1", []
        clauses, params = [], []
        for level in {root.level for root in self.roots}:
            clause, ids = _in(
                f"{alias}.{UNIT_COLUMN[level]}", sorted(root.pk for root in self.roots if root.level == level)
            )
            clauses.append(clause)
            params += ids
        return "(" + " OR ".join(clauses) + ")", params

    def unit_paths_sql(self, column: str) -> tuple[str, list]:
        """`column` (a unit path) lies under one of the roots."""
        if self.everywhere:
            return "1 = 1", []
        return "(" + " OR ".join([f"{column} LIKE %s"] * len(self.roots)) + ")", [
            f"{root.path}%" for root in self.roots
        ]

    @property
    def report_kind(self) -> str:
        """A campaign's summaries count its own reports; calendar periods' the periodic reports."""
        return ReportKind.CAMPAIGN if self.periods[0].is_campaign else ReportKind.PERIODIC

    def source_periods(self) -> list[tuple[int, int]]:
        """(reporting period, summary period) pairs: each month or quarter whose periodic reports count towards a
        summary period because it lies inside it, or a campaign itself (values_in_period)."""
        if self.report_kind == ReportKind.CAMPAIGN:
            return [(period.pk, period.pk) for period in self.periods]
        inside = Period.objects.filter(
            kind__in=[choice.value for choice in Frequency],
            start__gte=min(p.start for p in self.periods),
            end__lte=max(p.end for p in self.periods),
        ).only("pk", "start", "end")
        return [
            (source.pk, period.pk)
            for source in inside
            for period in self.periods
            if period.start <= source.start and source.end <= period.end
        ]


# --- actuals ---------------------------------------------------------------------------------------------


def _add_up(totals: dict, summary_id: int, indicator_id: int, units: tuple, value) -> None:
    """Add a value to the summaries of its province, district and commune (values carry all three)."""
    for unit_id in units:
        if unit_id is not None:
            key = (unit_id, summary_id, indicator_id)
            totals[key] = totals.get(key, 0) + value


def scope_actuals(scope: Scope, indicators: list[Indicator]) -> dict[tuple[int, int, int], int]:
    """Actual per (unit id, period id, indicator id) of every unit under the scope's roots, by the rule of
    reports.progress: flows summed over every team; stocks one figure per area (`_stock_figures`). A missing
    key means no approved value (actual None)."""
    totals = {}
    sources = scope.source_periods()
    if not sources or not indicators:
        return totals
    facts, facts_params = scope.facts_sql("v")
    approved = f"v.approved AND v.value IS NOT NULL AND v.kind = '{scope.report_kind}' AND {facts}"
    # The reporting periods as literals, not a subquery: the planner then reads them through the index on
    # (approved, period, ...) instead of scanning every month's values.
    period_in, period_params = _in("v.period_id", sorted({source for source, _summary in sources}))
    flows = sorted(indicator.pk for indicator in indicators if indicator.aggregation == Aggregation.FLOW)
    stocks = sorted(indicator.pk for indicator in indicators if indicator.aggregation != Aggregation.FLOW)
    if flows:
        counts_for = defaultdict(list)
        for source, summary in sources:
            counts_for[source].append(summary)
        flow_in, flow_params = _in("v.indicator_id", flows)
        for period_id, indicator_id, province_id, district_id, commune_id, total in _fetch(
            f"""SELECT v.period_id, v.indicator_id, v.province_id, v.district_id, v.commune_id, SUM(v.value)
            FROM {VALUE_TABLE} v WHERE {approved} AND {flow_in} AND {period_in}
            GROUP BY v.period_id, v.indicator_id, v.province_id, v.district_id, v.commune_id""",
            facts_params + flow_params + period_params,
        ):
            for summary in counts_for[period_id]:
                _add_up(totals, summary, indicator_id, (province_id, district_id, commune_id), total)
    if stocks:
        stock_in, stock_params = _in("v.indicator_id", stocks)
        for summary, indicator_id, unit_id, figure in _stock_figures(
            sources, f"{approved} AND {stock_in} AND {period_in}", facts_params + stock_params + period_params
        ):
            totals[(unit_id, summary, indicator_id)] = figure
    return totals


def _stock_figures(sources: list[tuple[int, int]], condition: str, params: list) -> list[tuple[int, int, int, int]]:
    """(summary period, indicator, unit, figure) of the stock values meeting `condition`, in one query.

    An area is the lowest unit a value carries (the village of a village team's report, the commune of a
    commune team's); its figure is its latest value in the summary period (period end, then report). A commune
    takes its own area's figure (its commune team's) when it has one, else the sum of its villages'; a
    district its own figure, else the sum of its communes'; a province likewise over its districts and the
    communes outside any district. PostgreSQL picks each area's latest by hashing the greatest array of
    (period end, report id, value); SQLite by a window."""
    source_cte, source_params = _values("src", ["source_id", "summary_id"], sources)
    area = "s.summary_id, v.indicator_id, v.province_id, v.district_id, v.commune_id, v.village_id"
    if connection.vendor == "postgresql":
        areas = f"""area_values AS (
            SELECT {area}, MAX(ARRAY[v.period_end - DATE '2000-01-01', v.report_id, v.value]) AS last
            FROM {VALUE_TABLE} v JOIN src s ON s.source_id = v.period_id WHERE {condition} GROUP BY {area}
        ),
        areas AS (
            SELECT summary_id, indicator_id, province_id, district_id, commune_id, village_id, CAST(last[3] AS bigint) AS value FROM area_values
        )"""
    else:
        areas = f"""area_values AS (
            SELECT {area}, v.value,
                ROW_NUMBER() OVER (PARTITION BY {area} ORDER BY v.period_end DESC, v.report_id DESC) AS latest_first
            FROM {VALUE_TABLE} v JOIN src s ON s.source_id = v.period_id WHERE {condition}
        ),
        areas AS (
            SELECT summary_id, indicator_id, province_id, district_id, commune_id, village_id, value FROM area_values WHERE latest_first = 1
        )"""
    none = "CAST(NULL AS bigint)"
    return _fetch(
        f"""WITH {source_cte}, {areas},
        communes AS (
            SELECT summary_id, indicator_id, province_id, district_id, commune_id,
                COALESCE(MAX(CASE WHEN village_id IS NULL THEN value END), SUM(value)) AS figure
            FROM areas WHERE commune_id IS NOT NULL GROUP BY summary_id, indicator_id, province_id, district_id, commune_id
        ),
        districts AS (
            SELECT summary_id, indicator_id, province_id, district_id, COALESCE(MAX(own), SUM(figure)) AS figure FROM (
                SELECT summary_id, indicator_id, province_id, district_id, {none} AS own, figure FROM communes WHERE district_id IS NOT NULL
                UNION ALL
                SELECT summary_id, indicator_id, province_id, district_id, value, {none} FROM areas WHERE commune_id IS NULL AND district_id IS NOT NULL
            ) below GROUP BY summary_id, indicator_id, province_id, district_id
        ),
        provinces AS (
            SELECT summary_id, indicator_id, province_id, COALESCE(MAX(own), SUM(figure)) AS figure FROM (
                SELECT summary_id, indicator_id, province_id, {none} AS own, figure FROM districts
                UNION ALL
                SELECT summary_id, indicator_id, province_id, {none}, figure FROM communes WHERE district_id IS NULL
                UNION ALL
                SELECT summary_id, indicator_id, province_id, value, {none} FROM areas WHERE commune_id IS NULL AND district_id IS NULL
            ) below GROUP BY summary_id, indicator_id, province_id
        )
        SELECT summary_id, indicator_id, commune_id, figure FROM communes
        UNION ALL SELECT summary_id, indicator_id, district_id, figure FROM districts
        UNION ALL SELECT summary_id, indicator_id, province_id, figure FROM provinces""",
        source_params + params,
    )


# --- teams, members, villages and reports ----------------------------------------------------------------


def _teams_cte(scope: Scope) -> tuple[str, list]:
    """`teams`: each team under the scope's roots with its dates and its unit's, its village (for a village team) and the
    summary units it counts for: its commune (none for a district team), district (where the map has one)
    and province, found through its unit's chain of parents."""
    in_scope, params = scope.unit_paths_sql("u.path")
    return (
        f"""teams AS (
            SELECT t.id AS team_id, t.decision_date, t.dissolved_on, u.valid_from, u.valid_to,
                CASE WHEN u.level = '{Level.VILLAGE}' THEN u.id END AS village_id,
                CASE WHEN u.level = '{Level.VILLAGE}' THEN p.id WHEN u.level = '{Level.COMMUNE}' THEN u.id END AS commune_id,
                CASE WHEN u.level = '{Level.DISTRICT}' THEN u.id WHEN p.level = '{Level.DISTRICT}' THEN p.id
                    WHEN g.level = '{Level.DISTRICT}' THEN g.id END AS district_id,
                COALESCE(gg.id, g.id, p.id) AS province_id
            FROM {TEAM_TABLE} t
            JOIN {UNIT_TABLE} u ON u.id = t.unit_id
            LEFT JOIN {UNIT_TABLE} p ON p.id = u.parent_id
            LEFT JOIN {UNIT_TABLE} g ON g.id = p.parent_id
            LEFT JOIN {UNIT_TABLE} gg ON gg.id = g.parent_id
            WHERE {in_scope}
        )""",
        params,
    )


ACTIVE_ON = (
    "(t.decision_date IS NULL OR t.decision_date <= {end}) AND (t.dissolved_on IS NULL OR t.dissolved_on >= {start})"
)


@dataclass
class Counts:
    reports_expected: int = 0
    reports_received: int = 0
    reports_on_time: int = 0
    reports_pending: int = 0
    active_teams: int = 0
    members: int = 0
    villages: int = 0
    villages_covered: int = 0


def scope_counts(scope: Scope) -> dict[tuple[int, int], Counts]:
    """Counts per (unit id, period id) for every summary unit under the scope's roots, in four queries:
    teams active at the period's end (today while it runs), the villages they serve and their distinct
    members; villages; and the scheduled reports expected, received and on time (`_add_report_counts`).
    Counts of teams and villages are grouped by (commune, district, province) and added up to each; members
    are counted distinct per unit (a person may serve in teams of two communes)."""
    teams, teams_params = _teams_cte(scope)
    counts = defaultdict(Counts)
    as_of = defaultdict(list)
    for period in scope.periods:
        as_of[min(period.end, scope.today)].append(period.pk)
    dates, dates_params = _values("dates", ["as_of"], [(date,) for date in as_of])
    active = ACTIVE_ON.format(start="d.as_of", end="d.as_of")
    for date, commune_id, district_id, province_id, number, covered in _fetch(
        f"""WITH {teams}, {dates}
        SELECT d.as_of, t.commune_id, t.district_id, t.province_id, COUNT(*), COUNT(DISTINCT t.village_id)
        FROM teams t JOIN dates d ON {active} GROUP BY d.as_of, t.commune_id, t.district_id, t.province_id""",
        teams_params + dates_params,
    ):
        for period_id in as_of[_date(date)]:
            for unit_id in (commune_id, district_id, province_id):
                if unit_id is not None:
                    counts[(unit_id, period_id)].active_teams += number
                    counts[(unit_id, period_id)].villages_covered += covered
    _add_members(counts, as_of, teams, teams_params, dates, dates_params, active)
    in_scope, in_scope_params = scope.unit_paths_sql("c.path")
    for path, number in _fetch(
        f"""SELECT c.path, COUNT(*) FROM {UNIT_TABLE} v JOIN {UNIT_TABLE} c ON c.id = v.parent_id
        WHERE v.level = '{Level.VILLAGE}' AND {in_scope} GROUP BY c.path""",
        in_scope_params,
    ):
        for unit_id in path.strip("/").split("/"):  # the commune and the summary units above it
            for period in scope.periods:
                counts[(int(unit_id), period.pk)].villages += number
    _add_report_counts(scope, counts, teams, teams_params)
    return counts


def _add_members(counts, as_of, teams, teams_params, dates, dates_params, active) -> None:
    """Distinct members per unit at each date. Nearly everyone serves in one team: those are counted per
    (commune, district, province) in one grouped pass and added up to each unit; only people with several
    memberships in the scope's teams are read one by one and counted as distinct sets per unit."""
    people = defaultdict(int)
    shared = defaultdict(set)
    for date, commune_id, district_id, province_id, person_id, number in _fetch(
        f"""WITH {teams}, {dates},
        shared AS (
            SELECT person_id FROM {MEMBERSHIP_TABLE} WHERE team_id IN (SELECT team_id FROM teams) GROUP BY person_id HAVING COUNT(*) > 1
        )
        SELECT d.as_of, t.commune_id, t.district_id, t.province_id,
            CASE WHEN m.person_id IN (SELECT person_id FROM shared) THEN m.person_id END AS shared_person, COUNT(*)
        FROM teams t JOIN dates d ON {active}
        JOIN {MEMBERSHIP_TABLE} m ON m.team_id = t.team_id AND m.start_date <= d.as_of AND (m.end_date IS NULL OR m.end_date >= d.as_of)
        GROUP BY d.as_of, t.commune_id, t.district_id, t.province_id, shared_person""",
        teams_params + dates_params,
    ):
        for unit_id in (commune_id, district_id, province_id):
            if unit_id is not None:
                if person_id is None:
                    people[(_date(date), unit_id)] += number
                else:
                    shared[(_date(date), unit_id)].add(person_id)
    for key, persons in shared.items():
        people[key] += len(persons)
    for (date, unit_id), number in people.items():
        for period_id in as_of[date]:
            counts[(unit_id, period_id)].members = number


def _date(value) -> datetime.date:
    """A date read by raw SQL (SQLite returns text)."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def scheduled_slots(scope: Scope) -> list[tuple[int, Period, datetime.date]]:
    """(province id, period, deadline by today's schedule) for every scheduled period of the scope's provinces
    that falls inside the summary periods and has started by today."""
    schedules = (
        ReportingSchedule.objects.all()
        if scope.everywhere
        else ReportingSchedule.objects.filter(province_id__in=scope.province_ids)
    )
    start, end = min(period.start for period in scope.periods), max(period.end for period in scope.periods)
    periods = list(
        Period.objects.filter(
            kind__in=[choice.value for choice in Frequency], start__gte=start, end__lte=end, start__lte=scope.today
        )
    )
    slots = []
    for schedule in schedules:
        for period in periods:
            if period.kind == schedule.frequency and period.start >= schedule.starts_on:
                slots.append((schedule.province_id, period, periodic_deadline(period, schedule)))
    return slots


def _cutoff(deadline: datetime.date) -> datetime.datetime:
    """A report is on time when first submitted before the start of the day after its deadline, in the portal's
    time zone (Report.on_time)."""
    return timezone.make_aware(datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time()))


def _add_report_counts(scope: Scope, counts, teams: str, teams_params: list) -> None:
    """Per scheduled period, the teams that owe its report (selectors.expected_sql: active on its middle day,
    in a unit that existed then). Once its deadline has passed: expected, received (sent at least once) and on
    time (first sent by the deadline the report carries, not today's schedule: a province moving its deadline
    day does not re-judge past reports); before, they count as not yet due (`reports_pending`), never as
    missing. Summed per summary period over the scheduled periods inside it."""
    slots = scheduled_slots(scope)
    if not slots:
        return
    slots_cte, slots_params = _values(
        "slots",
        ["province_id", "period_id", "middle", "due"],
        [
            (province_id, period.pk, slot_middle(period.start, period.end), int(deadline < scope.today))
            for province_id, period, deadline in slots
        ],
    )
    received, received_params = _in("status", sorted(RECEIVED_STATUSES))
    period_ids = sorted({period.pk for _province_id, period, _deadline in slots})
    periods, periods_params = _in("period_id", period_ids)
    # The deadlines the reports carry (a handful: one per period and deadline day it had), each with its cut-off.
    deadlines = {deadline for _province_id, _period, deadline in slots}
    reports = Report.objects.filter(period_id__in=period_ids, request__isnull=True)
    reports = reports if scope.everywhere else reports.filter(province_id__in=scope.province_ids)
    deadlines.update(reports.values_list("deadline", flat=True).distinct().order_by())
    cutoffs_cte, cutoffs_params = _values(
        "cutoffs", ["deadline", "cutoff"], [(deadline, _cutoff(deadline)) for deadline in sorted(deadlines)]
    )
    # The periods' reports are read first (a national run hashes them all; the planner would otherwise probe
    # each team's reports), a smaller scope's through its teams.
    of_teams = "" if scope.everywhere else "AND team_id IN (SELECT team_id FROM teams)"
    rows = _fetch(
        f"""WITH {teams}, {slots_cte}, {cutoffs_cte},
        sent AS MATERIALIZED (
            SELECT team_id, period_id, submitted_at, deadline FROM {REPORT_TABLE} WHERE {periods} AND request_id IS NULL AND {received} {of_teams}
        )
        SELECT s.period_id, s.due, t.commune_id, t.district_id, t.province_id,
            COUNT(*), COUNT(r.team_id), SUM(CASE WHEN r.submitted_at < c.cutoff THEN 1 ELSE 0 END)
        FROM teams t JOIN slots s ON s.province_id = t.province_id AND {expected_sql("s.middle", "t")}
        LEFT JOIN sent r ON r.team_id = t.team_id AND r.period_id = s.period_id
        LEFT JOIN cutoffs c ON c.deadline = r.deadline
        GROUP BY s.period_id, s.due, t.commune_id, t.district_id, t.province_id""",
        teams_params + slots_params + cutoffs_params + periods_params + received_params,
    )
    slot_periods = {period.pk: period for _province_id, period, _deadline in slots}
    for slot_id, due, commune_id, district_id, province_id, expected, received_count, on_time in rows:
        slot = slot_periods[slot_id]
        for period in scope.periods:
            if period.is_campaign or not (period.start <= slot.start and slot.end <= period.end):
                continue
            for unit_id in (commune_id, district_id, province_id):
                if unit_id is not None:
                    row = counts[(unit_id, period.pk)]
                    if due:
                        row.reports_expected += expected
                        row.reports_received += received_count
                        row.reports_on_time += on_time or 0
                    else:
                        row.reports_pending += expected


# --- summary rows ----------------------------------------------------------------------------------------


def indicator_summaries(scope: Scope, indicators: list[Indicator], now) -> list[tuple]:
    """One row (INDICATOR_COLUMNS) per unit × period × indicator: actual, denominator, rate, target,
    achievement and rating, by the rules of reports.progress (its ProgressRow does the arithmetic)."""
    actual = scope_actuals(scope, indicators)
    fields = sorted(
        {
            indicator.denominator_field
            for indicator in indicators
            if indicator.is_percent and indicator.denominator_field
        }
    )
    population = population_values(
        roots=None if scope.everywhere else scope.roots,
        fields=fields,
        dates=sorted({period.end for period in scope.periods}),
    )
    thresholds = {
        row.province_id: Thresholds(row.amber_from, row.green_from, is_default=False)
        for row in AchievementThreshold.objects.all()
    }
    unit_thresholds = {unit.pk: thresholds.get(province_of(unit), DEFAULT_THRESHOLDS) for unit in scope.units}
    unit_ids = list(unit_thresholds)
    rows = []
    for period in scope.periods:
        targets = effective_targets(period=period, indicators=indicators, units=scope.units, with_holders=False)
        for indicator in indicators:
            if not indicator.is_percent:
                denominators = {}
            elif indicator.denominator_indicator_id:
                denominators = {
                    unit_id: actual.get((unit_id, period.pk, indicator.denominator_indicator_id))
                    for unit_id in unit_ids
                }
            elif indicator.denominator_field:
                denominators = population[(indicator.denominator_field, period.end)]
            else:
                denominators = {}
            for unit_id in unit_ids:
                target = targets[("unit", unit_id, indicator.pk)]
                row = ProgressRow(
                    indicator, actual.get((unit_id, period.pk, indicator.pk)), denominators.get(unit_id), target
                )
                achievement = row.achievement
                rows.append(
                    (
                        unit_id,
                        period.pk,
                        indicator.pk,
                        row.actual,
                        row.denominator,
                        row.rate,
                        target.value if target else None,
                        target.mode if target else "",
                        achievement,
                        classify_achievement(achievement, unit_thresholds[unit_id]) if achievement is not None else "",
                        now,
                    )
                )
    return rows


def unit_summaries(scope: Scope, now) -> list[tuple]:
    """One row (UNIT_COLUMNS) per unit × period."""
    counts = scope_counts(scope)
    empty = Counts()
    return [
        (
            unit.pk,
            period.pk,
            *vars(counts.get((unit.pk, period.pk), empty)).values(),
            now,
        )  # fields in order; astuple deep-copies
        for period in scope.periods
        for unit in scope.units
    ]


# --- writing ---------------------------------------------------------------------------------------------


def _lock_provinces(province_ids) -> None:
    """Serialise runs in one province on PostgreSQL (SQLite has a single writer anyway); several provinces
    are locked in id order, so runs never wait on each other in a circle."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for province_id in sorted(province_ids):
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ROLLUP_LOCK_NAMESPACE, province_id])


INDICATOR_COLUMNS = [
    "unit_id",
    "period_id",
    "indicator_id",
    "actual",
    "denominator",
    "rate",
    "target",
    "target_mode",
    "achievement",
    "rating",
    "computed_at",
]
UNIT_COLUMNS = [
    "unit_id",
    "period_id",
    *(name for name in Counts.__dataclass_fields__),
    "computed_at",
]


def _upsert(model, columns: list[str], keys: int, rows: list[tuple], changed: list[str]) -> None:
    """Insert or update rows (tuples of `columns`, the first `keys` of them the unique key) in one statement;
    an existing row is only rewritten when one of the `changed` columns differs (a rerun over unchanged
    facts rewrites nothing). PostgreSQL: COPY into a temporary table, then one INSERT ... SELECT ... ON
    CONFLICT DO UPDATE (a national run writes two hundred thousand rows); SQLite: the same upsert row by row."""
    table = model._meta.db_table
    names = ", ".join(columns)
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    upsert = (
        f"ON CONFLICT ({', '.join(columns[:keys])}) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in columns[keys:])
        + " WHERE "
        + " OR ".join(f"{table}.{c} {distinct} excluded.{c}" for c in changed)
    )
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            adapted = [[_adapt(value) for value in row] for row in rows]
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))}) {upsert}", adapted
            )
            return
        staging = f"{table}_incoming"
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {names} FROM {table} WITH NO DATA")
        text = io.StringIO()
        text.writelines(f"{copy_line(row)}\n" for row in rows)
        text.seek(0)
        cursor.cursor.copy_expert(f"COPY {staging} ({names}) FROM STDIN", text)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} {upsert}")
        cursor.execute(f"DROP TABLE {staging}")


def _write(units: list[Unit], periods: list[Period], today: datetime.date) -> int:
    """Recompute and upsert every summary of `units` × `periods`; returns the number of rows written."""
    if not periods:
        return 0
    now = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the national run's hashes and sorts stay in memory; JIT compiling
            cursor.execute("SET LOCAL work_mem = '256MB'")  # costs each query more (50-130 ms) than it saves
            cursor.execute("SET LOCAL jit = off")
    scope = Scope(units, periods, today)
    indicators = list(Indicator.objects.filter(is_active=True))
    indicator_rows = indicator_summaries(scope, indicators, now)
    unit_rows = unit_summaries(scope, now)
    IndicatorSummary.objects.filter(unit__in=units, period__in=periods).exclude(indicator__in=indicators).delete()
    # An indicator row's computed_at is when its figures were last computed as they are; the unit row's
    # (shown on the dashboard) moves on every run.
    _upsert(IndicatorSummary, INDICATOR_COLUMNS, 3, indicator_rows, changed=INDICATOR_COLUMNS[3:-1])
    _upsert(UnitSummary, UNIT_COLUMNS, 2, unit_rows, changed=UNIT_COLUMNS[2:])
    return len(indicator_rows) + len(unit_rows)


def summary_chain(unit: Unit) -> list[Unit]:
    """The unit and its ancestors that carry summaries (commune, district where the map has one, province)."""
    return [ancestor for ancestor in [*unit.ancestors(), unit] if ancestor.level in SUMMARY_LEVELS]


def rollup_recompute(*, unit: Unit, year: int, quarter: int, today: datetime.date | None = None) -> int:
    """Recompute one (commune, quarter) and its ancestors in one transaction."""
    chain = summary_chain(unit)
    with transaction.atomic():
        _lock_provinces([chain[0].pk])
        return _write(chain, rollup_periods(year, quarter), today or timezone.localdate())


def stale_province_quarters() -> list[tuple[int, int, int]]:
    """(province id, year, quarter) of every stale mark: a drain recomputes each province once, however many of
    its communes were marked (a commune's ancestors need the whole province's facts anyway)."""
    marks = StaleRollup.objects.values_list("unit__path", "year", "quarter").order_by()
    return sorted({(int(path.strip("/").split("/")[0]), year, quarter) for path, year, quarter in marks})


def campaign_units(campaign: Period) -> list[Unit]:
    """The units a campaign's summaries cover: the unit that runs it, the summary units under it and above it."""
    unit = campaign.unit
    below = (
        Unit.objects.filter(path__startswith=unit.path, level__in=SUMMARY_LEVELS).exclude(pk=unit.pk).order_by("path")
    )
    return [*summary_chain(unit), *below]


def _rollup(provinces: list[Unit], year: int, quarter: int | None, today: datetime.date | None) -> int:
    """Recompute whole provinces for a quarter (or a year) in one transaction, with the campaigns of their units
    that end in the quarter (a campaign report's approval marks its quarter); after a quarter, drop the
    provinces' marks for it that did not move meanwhile."""
    in_provinces = Q()
    for province in provinces:
        in_provinces |= Q(path__startswith=province.path)
    units = list(Unit.objects.filter(in_provinces, level__in=SUMMARY_LEVELS).order_by("path"))
    marks = StaleRollup.objects.filter(unit__in=Unit.objects.filter(in_provinces), year=year, quarter=quarter)
    periods = rollup_periods(year, quarter)
    quarter_period = next((period for period in periods if period.kind == PeriodKind.QUARTER), None)
    campaigns = (
        list(
            Period.objects.filter(
                kind=PeriodKind.CAMPAIGN,
                unit__in=Unit.objects.filter(in_provinces),
                end__range=(quarter_period.start, quarter_period.end),
            ).select_related("unit")
        )
        if quarter_period
        else []
    )
    today = today or timezone.localdate()
    started = timezone.now()
    with transaction.atomic():
        _lock_provinces([province.pk for province in provinces])
        seen = dict(marks.values_list("pk", "marked_at")) if quarter else {}
        written = _write(units, periods, today)
        for campaign in campaigns:
            written += _write(campaign_units(campaign), [campaign], today)
    for pk, marked_at in seen.items():
        StaleRollup.objects.filter(pk=pk, marked_at=marked_at).delete()
    # "Recompute now" requests answered by this run (services.rollup_request): the next one may be queued.
    RecomputeRequest.objects.filter(
        province__in=provinces, year=year, quarter=quarter or 0, requested_at__lte=started
    ).delete()
    return written


def rollup_province(
    *, province: Unit, year: int, quarter: int | None = None, today: datetime.date | None = None
) -> int:
    """Recompute a whole province for a quarter, or for the year without one (the nightly job, one task each)."""
    return _rollup([province], year, quarter, today)


def rollup_national(*, year: int, quarter: int | None = None, today: datetime.date | None = None) -> int:
    """Recompute every province for a quarter, or the year, in one run (the `rollup` command without --province)."""
    return _rollup(list(Unit.objects.filter(level=Level.PROVINCE)), year, quarter, today)
