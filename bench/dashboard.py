"""The dashboard's server time on the national data set (bench/national_data.py).

    .venv/bin/python bench/dashboard.py [--requests 300] [--quarter 2026Q3] [--provinces 01 79 46]
        [--database postgres://postgres@127.0.0.1:5432/totech_national] [--no-rollup]

First computes the quarter's summaries of the provinces it visits (`rollup_province`, as `manage.py rollup
--quarter ... --province ...` does; timed), then requests reports:dashboard_unit through Django's test client
(the whole stack: middleware, session, view, template; no network), logged in as each province's staff: the
province's page (its communes, ~100 rows) and one of its communes' pages, alternately, --requests times in all
after a warm-up. Prints p50/p95/max per page, the median CPU time of the Python process per request (the
figure that does not move with the machine's load) and the number of SQL queries per request. DEBUG is off.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from member_import import setup_django  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/totech_national"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--quarter", default="2026Q3")
    parser.add_argument(
        "--provinces", nargs="+", default=["01", "79", "46"], help="province codes (default Hà Nội, TP HCM, Huế)"
    )
    parser.add_argument("--no-rollup", action="store_true", help="use the summaries already in the database")
    args = parser.parse_args()
    setup_django(args.database, pages=True)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from accounts.models import User
    from reports.rollups import parse_quarter, rollup_province
    from targets.models import Period
    from units.models import Unit

    setup_test_environment()  # the test client's response.context; templates render as in production
    year, number = parse_quarter(args.quarter)
    period = Period.objects.get(kind="quarter", year=year, number=number)
    pages = []
    for code in args.provinces:
        province = Unit.objects.get(level="province", edition="2025", code=code)
        if not args.no_rollup:
            t0 = time.perf_counter()
            written = rollup_province(province=province, year=year, quarter=number)
            print(
                f"rollup {args.quarter} {province.name}: {written:,} rows in {time.perf_counter() - t0:.1f} s",
                flush=True,
            )
        client = Client()
        client.force_login(User.objects.get(username=f"province_{code}"))
        commune = province.children.order_by("code").first()
        for unit in (province, commune):
            pages.append(
                (
                    unit.level,
                    f"{unit.name} ({province.name})" if unit != province else unit.name,
                    client,
                    reverse("reports:dashboard_unit", args=[unit.pk]) + f"?period={period.pk}",
                )
            )
    queries = {}
    for index, (_level, _name, client, url) in enumerate(pages):  # warm-up: the pages answer, and their queries
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response.context["dashboard"].total.summary is not None, (
            f"no summaries for {url}: run without --no-rollup"
        )
        queries[index] = len(captured.captured_queries)
    times = {index: [] for index in range(len(pages))}
    cpu = {index: [] for index in range(len(pages))}
    for request in range(args.requests):  # timed without capturing queries (which would slow every cursor)
        index = request % len(pages)
        _level, _name, client, url = pages[index]
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        times[index].append(time.perf_counter() - t0)
        cpu[index].append(time.process_time() - c0)
        assert response.status_code == 200
    load = Path("/proc/loadavg").read_text().split()[0]
    print(
        f"\n{args.requests} requests, {args.quarter}, DEBUG off, Django test client (no network), load average {load}"
    )
    print(f"{'page':<50} {'n':>4} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'CPU p50':>7} {'queries':>7} {'rows':>5}")
    by_level = {}
    for index, (level, name, _client, url) in enumerate(pages):
        values = times[index]
        by_level.setdefault(level, []).extend(values)
        rows = Unit.objects.get(pk=int(url.split("/")[-2])).children.filter(level="commune").count()
        print(
            f"{level + ' ' + name:<50.50} {len(values):>4} {statistics.median(values) * 1000:7.0f} "
            f"{percentile(values, 0.95) * 1000:7.0f} {max(values) * 1000:7.0f} {statistics.median(cpu[index]) * 1000:7.0f} "
            f"{queries[index]:>7} {rows or '':>5}"
        )
    for level, values in by_level.items():
        print(
            f"{'all ' + level + ' pages':<50} {len(values):>4} {statistics.median(values) * 1000:7.0f} "
            f"{percentile(values, 0.95) * 1000:7.0f} {max(values) * 1000:7.0f}"
        )


if __name__ == "__main__":
    main()
