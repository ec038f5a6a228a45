"""Roll-ups: the summaries of every commune, district and province per period, recomputed from source.

A run recomputes whole rows from the approved values (reports.progress, the one implementation of actuals,
targets and ratings) and upserts them in one transaction: running it twice, or twice at once, gives the same
rows, and a failure leaves the previous summaries as they were. On PostgreSQL one advisory lock per province
serialises runs that share ancestors (the second waits, then recomputes from what the first committed).

Approvals and reopenings mark their (commune, quarter) stale (services.rollup_mark_stale); a run deletes a
mark only if its `marked_at` has not moved since the run read it, so an approval arriving mid-run is not lost.
"""

import datetime

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from targets.choices import PeriodKind
from targets.models import Indicator, Period
from teams.models import Membership, Team
from units.choices import Level
from units.models import Unit

from .choices import RECEIVED_STATUSES
from .models import IndicatorSummary, Report, StaleRollup, UnitSummary, submitted_on
from .progress import progress
from .selectors import SUMMARY_LEVELS, active_during_q, periodic_deadline, schedule_for

ROLLUP_LOCK_NAMESPACE = 7007  # first key of pg_advisory_xact_lock(int, int); the second is the province id


def parse_quarter(text: str) -> tuple[int, int]:
    """'2026Q3' → (2026, 3)."""
    year, _sep, quarter = text.upper().partition("Q")
    if not (year.isdigit() and quarter in {"1", "2", "3", "4"}):
        raise ValueError(f"not a quarter like 2026Q3: {text!r}")
    return int(year), int(quarter)


def quarter_periods(year: int, quarter: int) -> list[Period]:
    """The calendar periods a quarter's reports count towards: the quarter, its months and its year."""
    months = [quarter * 3 - 2, quarter * 3 - 1, quarter * 3]
    return list(
        Period.objects.filter(
            Q(kind=PeriodKind.QUARTER, number=quarter) | Q(kind=PeriodKind.MONTH, number__in=months) | Q(kind=PeriodKind.YEAR),
            year=year,
        ).order_by("start", "kind")
    )


def open_quarters(today: datetime.date) -> list[tuple[int, int]]:
    """The current quarter and the one before (its last month's reports are due in this one)."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    previous = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return [previous, (year, quarter)]


# --- what one summary row holds --------------------------------------------------------------------------


def indicator_summaries(unit: Unit, period: Period, indicators, now) -> list[IndicatorSummary]:
    return [
        IndicatorSummary(
            unit=unit,
            period=period,
            indicator=row.indicator,
            actual=row.actual,
            denominator=row.denominator,
            rate=row.rate,
            target=row.target.value if row.target else None,
            target_mode=row.target.mode if row.target else "",
            achievement=row.achievement,
            rating=row.rating or "",
            computed_at=now,
        )
        for row in progress(period=period, unit=unit, indicators=indicators)
    ]


def report_counts(unit: Unit, period: Period, today: datetime.date) -> tuple[int, int, int]:
    """(expected, received, on time) of the scheduled reports that fall inside `period` and have started by
    `today`, for the teams under `unit`: one per team active during each scheduled period (teams that joined or
    dissolved mid-way owe only the periods they were active in)."""
    schedule = schedule_for(unit)
    if schedule is None or period.is_campaign:
        return 0, 0, 0
    expected = received = on_time = 0
    slots = Period.objects.filter(
        kind=schedule.frequency, start__gte=max(period.start, schedule.starts_on), start__lte=today, end__lte=period.end
    )
    teams = Team.objects.filter(unit__path__startswith=unit.path)
    for slot in slots:
        active = teams.filter(active_during_q(slot.start, slot.end))
        expected += active.count()
        deadline = periodic_deadline(slot, schedule)
        submitted = Report.objects.filter(
            team__in=active, period=slot, request__isnull=True, status__in=RECEIVED_STATUSES
        ).values_list("submitted_at", flat=True)
        for moment in submitted:
            received += 1
            on_time += moment is not None and submitted_on(moment) <= deadline
    return expected, received, on_time


def unit_summary(unit: Unit, period: Period, today: datetime.date, now) -> UnitSummary:
    """Teams, members and coverage as of the period's end (today while the period runs)."""
    as_of = min(period.end, today)
    expected, received, on_time = report_counts(unit, period, today)
    active = Team.objects.filter(active_during_q(as_of, as_of), unit__path__startswith=unit.path)
    members = (
        Membership.objects.filter(team__in=active, start_date__lte=as_of)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of))
        .values("person_id").distinct().count()
    )
    villages = Unit.objects.filter(path__startswith=unit.path, level=Level.VILLAGE)
    return UnitSummary(
        unit=unit,
        period=period,
        reports_expected=expected,
        reports_received=received,
        reports_on_time=on_time,
        active_teams=active.count(),
        members=members,
        villages=villages.count(),
        villages_covered=villages.filter(teams__in=active).distinct().count(),
        computed_at=now,
    )


# --- writing ---------------------------------------------------------------------------------------------


def _lock_province(province_id: int) -> None:
    """Serialise runs in one province on PostgreSQL (SQLite has a single writer anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ROLLUP_LOCK_NAMESPACE, province_id])


def _write(units: list[Unit], periods: list[Period], today: datetime.date) -> int:
    """Recompute and upsert every summary of `units` × `periods`; returns the number of rows written."""
    now = timezone.now()
    indicators = list(Indicator.objects.filter(is_active=True))
    indicator_rows, unit_rows = [], []
    for period in periods:
        for unit in units:
            indicator_rows += indicator_summaries(unit, period, indicators, now)
            unit_rows.append(unit_summary(unit, period, today, now))
    IndicatorSummary.objects.filter(unit__in=units, period__in=periods).exclude(indicator__in=indicators).delete()
    IndicatorSummary.objects.bulk_create(
        indicator_rows,
        update_conflicts=True,
        unique_fields=["unit", "period", "indicator"],
        update_fields=["actual", "denominator", "rate", "target", "target_mode", "achievement", "rating", "computed_at"],
    )
    UnitSummary.objects.bulk_create(
        unit_rows,
        update_conflicts=True,
        unique_fields=["unit", "period"],
        update_fields=[
            "reports_expected", "reports_received", "reports_on_time", "active_teams", "members", "villages",
            "villages_covered", "computed_at",
        ],
    )
    return len(indicator_rows) + len(unit_rows)


def summary_chain(unit: Unit) -> list[Unit]:
    """The unit and its ancestors that carry summaries (commune, district where the map has one, province)."""
    return [ancestor for ancestor in [*unit.ancestors(), unit] if ancestor.level in SUMMARY_LEVELS]


def rollup_recompute(*, unit: Unit, year: int, quarter: int, today: datetime.date | None = None) -> int:
    """Recompute one (commune, quarter) and its ancestors in one transaction."""
    chain = summary_chain(unit)
    with transaction.atomic():
        _lock_province(chain[0].pk)
        return _write(chain, quarter_periods(year, quarter), today or timezone.localdate())


def rollup_stale_mark(*, mark_id: int, today: datetime.date | None = None) -> bool:
    """Recompute a stale mark's (commune, quarter); drop the mark unless it moved meanwhile. False if gone."""
    mark = StaleRollup.objects.select_related("unit").filter(pk=mark_id).first()
    if mark is None:
        return False
    seen = mark.marked_at
    rollup_recompute(unit=mark.unit, year=mark.year, quarter=mark.quarter, today=today)
    StaleRollup.objects.filter(pk=mark.pk, marked_at=seen).delete()
    return True


def rollup_province(*, province: Unit, year: int, quarter: int, today: datetime.date | None = None) -> int:
    """Recompute a whole province for a quarter (the nightly job and the `rollup` command) in one transaction,
    and drop the province's marks for that quarter that did not move meanwhile."""
    units = list(Unit.objects.filter(path__startswith=province.path, level__in=SUMMARY_LEVELS).order_by("path"))
    marks = StaleRollup.objects.filter(unit__path__startswith=province.path, year=year, quarter=quarter)
    with transaction.atomic():
        _lock_province(province.pk)
        seen = dict(marks.values_list("pk", "marked_at"))
        written = _write(units, quarter_periods(year, quarter), today or timezone.localdate())
    for pk, marked_at in seen.items():
        StaleRollup.objects.filter(pk=pk, marked_at=marked_at).delete()
    return written
