"""The team-ranking fragment's server time on the national data set (bench/national_data.py): cold and warm.

    .venv/bin/python bench/dashboard_teams.py [--quarter 2026Q3] [--provinces 01 79 46]
        [--database postgres://postgres@127.0.0.1:5432/totech_national] [--requests 20]

For each province, logged in as its staff, requests reports:dashboard_teams as htmx does (HX-Request) through
Django's test client: once cold (a fresh process with the local-memory cache, as the first visitor after a
roll-up without the warm-up), then --requests times warm; then empties the cache, runs the roll-up task's
warm-up (reports.rankings.warm_team_scores, timed) and requests the fragment once more. Prints wall time, CPU
time and queries. Reads the summaries already in the database (run bench/dashboard.py or manage.py rollup first).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from member_import import setup_django  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/totech_national"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--quarter", default="2026Q3")
    parser.add_argument(
        "--provinces", nargs="+", default=["01", "79", "46"], help="province codes (default Hà Nội, TP HCM, Huế)"
    )
    args = parser.parse_args()
    os.environ.pop("REDIS_URL", None)  # the local-memory cache: cold in a fresh process
    setup_django(args.database, pages=True)
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from reports.rankings import warm_team_scores
    from reports.rollups import parse_quarter
    from targets.models import Period
    from units.models import Unit

    setup_test_environment()
    year, number = parse_quarter(args.quarter)
    period = Period.objects.get(kind="quarter", year=year, number=number)
    print(f"{args.quarter}, DEBUG off, Django test client, load average {Path('/proc/loadavg').read_text().split()[0]}")
    for code in args.provinces:
        province = Unit.objects.get(level="province", edition="2025", code=code)
        client = Client()
        client.force_login(User.objects.get(username=f"province_{code}"))
        url = reverse("reports:dashboard_teams", args=[province.pk]) + f"?period={period.pk}"

        def get(client=client, url=url):
            with CaptureQueriesContext(connection) as captured:
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get(url, headers={"HX-Request": "true"})
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            assert response.status_code == 200 and response.context["top_teams"], url
            return wall * 1000, cpu * 1000, len(captured.captured_queries)

        cold = get()
        warm = [get() for _request in range(args.requests)]
        cache.clear()
        t0 = time.perf_counter()
        warm_team_scores(province, year, number, timezone.localdate())
        warming = (time.perf_counter() - t0) * 1000
        after = get()
        print(
            f"{province.name}: cold {cold[0]:.0f} ms (CPU {cold[1]:.0f} ms, {cold[2]} queries); "
            f"warm p50 {statistics.median(w[0] for w in warm):.0f} ms, max {max(w[0] for w in warm):.0f} ms "
            f"(CPU p50 {statistics.median(w[1] for w in warm):.0f} ms, {warm[0][2]} queries); "
            f"warm_team_scores {warming:.0f} ms, then {after[0]:.0f} ms ({after[2]} queries)"
        )


if __name__ == "__main__":
    main()
