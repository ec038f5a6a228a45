"""The quarterly roll-up at national scale, against the raw SQL of the same sums.

    .venv/bin/python bench/rollup.py --database postgres://postgres@127.0.0.1:5432/totech_national \
        [--quarter 2026Q3] [--today 2026-11-23] [--repeat 3] [--communes 50]

Runs on a database filled by bench/national_data.py (it only reads the facts and upserts summary rows), and
measures, in one run on the same data:

(a) the national roll-up: reports.rollups.rollup_national for one quarter (the quarter and its 3 months:
    actuals, targets, denominators, ratings, report counts, teams, members, coverage, and the upsert of every
    summary row), `--repeat` times, median;
(b) the baseline: the raw SQL of the same sums (with the roll-up's work_mem), GROUP BY ROLLUP (province_id, district_id, commune_id) per
    (summary period, indicator), flows summed and stocks as each area's latest value (DISTINCT ON per commune and
    village), a commune taking its commune team's figure over its villages' (the map of the national data set has
    no district teams), over the same periods; `--repeat` times, median; then the ratio (a) / (b); the year's roll-up (recomputed nightly,
    not on approvals) is timed once after them. The engine's actuals are checked equal
    to the baseline's for every unit, period and indicator;
(c) recomputing one commune-quarter: the commune's own rows (a scope of one commune, which reads only that
    commune's facts) for `--communes` communes picked at random (fixed seed): median and p95; and the same
    with its ancestors (rollup_recompute: the commune's chain needs its whole province's facts);
(e) what the stale drain runs: one province-quarter (rollup_province) for 5 provinces picked at random.

Each timing is given as wall-clock seconds and as CPU seconds of this process plus its PostgreSQL backend
(read from /proc, so PostgreSQL must run on this host). Parallel query is switched off for the session
(max_parallel_workers_per_gather = 0) so that the backend's CPU is all the database's work: on a shared
2-core machine the wall clock follows the other sessions' load, the CPU seconds hardly do. `--parallel` keeps
PostgreSQL's default (2 workers per gather), as in production: wall clock only.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from member_import import backend_cpu_seconds, backend_pid, setup_django  # noqa: E402


def timed(function):
    """(wall seconds, CPU seconds of this process and its PostgreSQL backend, result)."""
    backend = backend_pid()
    started, cpu, backend_cpu = time.perf_counter(), time.process_time(), backend_cpu_seconds(backend)
    result = function()
    cpu = time.process_time() - cpu + backend_cpu_seconds(backend) - backend_cpu
    return time.perf_counter() - started, cpu, result


def baseline_sql(scope, indicators):
    """The raw GROUP BY ROLLUP queries of the same sums; returns {(unit id, period id, indicator id): total}."""
    from django.db import connection, transaction

    from reports.rollups import VALUE_TABLE, _values
    from targets.choices import Aggregation

    counted, params = _values("counted", ["source_id", "summary_id"], scope.source_periods())
    flows = ", ".join(str(i.pk) for i in indicators if i.aggregation == Aggregation.FLOW)
    stocks = ", ".join(str(i.pk) for i in indicators if i.aggregation != Aggregation.FLOW)
    approved = "v.approved AND v.value IS NOT NULL AND v.kind = 'periodic'"
    rollup = """GROUPING(province_id, district_id, commune_id), province_id, district_id, commune_id, SUM(value)
        FROM {source} GROUP BY summary_id, indicator_id, ROLLUP (province_id, district_id, commune_id)"""
    queries = [
        f"""WITH {counted}, facts AS (
                SELECT c.summary_id, v.indicator_id, v.province_id, v.district_id, v.commune_id, v.value
                FROM {VALUE_TABLE} v JOIN counted c ON c.source_id = v.period_id
                WHERE {approved} AND v.indicator_id IN ({flows}))
            SELECT summary_id, indicator_id, {rollup.format(source="facts")}""",
        f"""WITH {counted}, latest AS (
                SELECT DISTINCT ON (c.summary_id, v.indicator_id, v.commune_id, v.village_id)
                    c.summary_id, v.indicator_id, v.province_id, v.district_id, v.commune_id, v.village_id, v.value
                FROM {VALUE_TABLE} v JOIN counted c ON c.source_id = v.period_id
                WHERE {approved} AND v.indicator_id IN ({stocks})
                ORDER BY c.summary_id, v.indicator_id, v.commune_id, v.village_id, v.period_end DESC, v.report_id DESC),
            communes AS (
                SELECT summary_id, indicator_id, province_id, district_id, commune_id,
                    COALESCE(MAX(value) FILTER (WHERE village_id IS NULL), SUM(value)) AS value
                FROM latest GROUP BY summary_id, indicator_id, province_id, district_id, commune_id)
            SELECT summary_id, indicator_id, {rollup.format(source="communes")}""",
    ]
    totals = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")  # as the roll-up runs
        for sql in queries:
            cursor.execute(sql, params)
            for summary_id, indicator_id, grouping, province_id, district_id, commune_id, total in cursor.fetchall():
                # grouping bits (province, district, commune): 0 = commune rows, 1 = district, 3 = province
                unit_id = {0: commune_id, 1: district_id, 3: province_id}.get(grouping)
                if unit_id is not None:
                    totals[(unit_id, summary_id, indicator_id)] = total
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/totech_national")
    parser.add_argument("--quarter", default="2026Q3")
    parser.add_argument("--today", default="2026-11-23", help="The run date the roll-up sees (yyyy-mm-dd).")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--communes", type=int, default=50)
    parser.add_argument("--parallel", action="store_true", help="keep PostgreSQL's parallel query (wall clock only)")
    args = parser.parse_args()
    setup_django(args.database)
    from django.db import connection, transaction

    if not args.parallel:
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
    from reports.models import IndicatorSummary
    from reports.rollups import (
        Scope,
        _write,
        parse_quarter,
        rollup_national,
        rollup_periods,
        rollup_province,
        rollup_recompute,
    )
    from reports.selectors import SUMMARY_LEVELS
    from targets.models import Indicator
    from units.choices import Level
    from units.models import Unit

    year, quarter = parse_quarter(args.quarter)
    today = datetime.date.fromisoformat(args.today)
    periods = rollup_periods(year, quarter)
    units = list(Unit.objects.filter(level__in=SUMMARY_LEVELS))
    indicators = list(Indicator.objects.filter(is_active=True))
    print(
        f"{len(units)} summary units, {len(periods)} periods, {len(indicators)} indicators; load average {os.getloadavg()[0]:.1f}"
    )

    national, baseline = [], []
    for run in range(args.repeat):  # alternated, so both see the same load
        seconds, cpu, written = timed(lambda: rollup_national(year=year, quarter=quarter, today=today))
        national.append((seconds, cpu))
        print(
            f"(a) national roll-up, run {run + 1}: {seconds:.2f} s, CPU {cpu:.2f} s, {written} rows written, load {os.getloadavg()[0]:.1f}"
        )
        seconds, cpu, totals = timed(lambda: baseline_sql(Scope(units, periods, today), indicators))
        baseline.append((seconds, cpu))
        print(
            f"(b) raw GROUP BY ROLLUP, run {run + 1}: {seconds:.2f} s, CPU {cpu:.2f} s, {len(totals)} sums, load {os.getloadavg()[0]:.1f}"
        )
    engine = {
        (row[0], row[1], row[2]): row[3]
        for row in IndicatorSummary.objects.filter(period__in=periods, actual__isnull=False).values_list(
            "unit_id", "period_id", "indicator_id", "actual"
        )
    }
    seconds, cpu, written = timed(lambda: rollup_national(year=year, today=today))
    print(f"(d) the year's national roll-up (nightly): {seconds:.2f} s, CPU {cpu:.2f} s, {written} rows written")
    print(f"engine actuals equal the raw query's: {engine == totals} ({len(engine)} non-empty actuals)")

    communes = list(Unit.objects.filter(level=Level.COMMUNE).order_by("pk"))
    sample = random.Random(7).sample(communes, min(args.communes, len(communes)))
    recompute = [
        timed(lambda commune=commune: rollup_recompute(unit=commune, year=year, quarter=quarter, today=today))[:2]
        for commune in sample
    ]

    def alone(commune):
        with transaction.atomic():
            return _write([commune], periods, today)

    own_rows = [timed(lambda commune=commune: alone(commune))[:2] for commune in sample]
    provinces = random.Random(7).sample(list(Unit.objects.filter(level=Level.PROVINCE).order_by("pk")), 5)
    province_runs = [
        timed(lambda province=province: rollup_province(province=province, year=year, quarter=quarter, today=today))[:2]
        for province in provinces
    ]

    def summary(label, runs, unit="s", scale=1):
        walls, cpus = sorted(run[0] for run in runs), sorted(run[1] for run in runs)
        p95 = walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))]
        print(
            f"{label}: wall median {scale * statistics.median(walls):.2f} {unit} (p95 {scale * p95:.2f}), "
            f"CPU median {scale * statistics.median(cpus):.2f} {unit}"
        )
        return statistics.median(walls), statistics.median(cpus)

    print()
    a, a_cpu = summary(f"(a) national quarterly roll-up, {args.repeat} runs", national)
    b, b_cpu = summary(f"(b) raw GROUP BY ROLLUP of the same sums, {args.repeat} runs", baseline)
    print(f"    ratio (a)/(b): wall {a / b:.2f}, CPU {a_cpu / b_cpu:.2f} (target <= 1.5; (a) under 10 s)")
    summary(f"(c) one commune-quarter, the commune's own rows, {len(own_rows)} communes", own_rows, "ms", 1000)
    summary(f"    with its ancestors, {len(recompute)} communes", recompute, "ms", 1000)
    summary(
        f"(e) one province-quarter (the drain's unit of work), {len(province_runs)} provinces",
        province_runs,
        "ms",
        1000,
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
