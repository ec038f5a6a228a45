"""The everyday list pages on the national data set (bench/national_data.py), through Django's test client.

    SECRET_KEY=x .venv/bin/python bench/list_pages.py [--users province_79 commune_26734] [--runs 10]
        [--database postgres://postgres@127.0.0.1:5432/totech_national]

For each user (a province's staff `province_<code>`, a commune officer `commune_<code>`, a leader, or any
account of the data set) and page: the median server time and CPU of --runs requests after a warm-up, the
number of SQL queries and the size of the page. DEBUG off, no network, no static files.
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
PAGES = ["/", "/teams/", "/teams/?page=50", "/reports/", "/reports/?status=submitted", "/reports/?page=50", "/targets/"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--users", nargs="+", default=["province_79", "commune_29800"])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    setup_django(args.database, pages=True)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    print(f"{'user':<16} {'page':<28} {'median ms':>9} {'CPU ms':>7} {'queries':>7} {'KB':>5}")
    for username in args.users:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for url in PAGES:
            client.get(url)  # warm-up
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
            queries = len(captured.captured_queries)
            times, cpu = [], []
            for _run in range(args.runs):
                t0, c0 = time.perf_counter(), time.process_time()
                client.get(url)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            print(
                f"{username:<16} {url:<28} {statistics.median(times) * 1000:>9.0f} {statistics.median(cpu) * 1000:>7.0f} "
                f"{queries:>7} {len(response.content) // 1024:>5}"
            )
    print(f"load average: {Path('/proc/loadavg').read_text().split()[0]}")


if __name__ == "__main__":
    main()
