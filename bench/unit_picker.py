"""The unit picker on the national data set (bench/national_data.py): the team form and the unit search.

    .venv/bin/python bench/unit_picker.py [--runs 20] [--province 79]
        [--database postgres://postgres@127.0.0.1:5432/totech_national]

Requests teams:create ("new team", whose unit field lists or searches the units a team can serve) through
Django's test client (the whole stack, no network, DEBUG off) as the province's staff (`province_79`: TP Hồ
Chí Minh) and as a system administrator, and, where the branch has it, units:search for a few typical
searches. Prints the HTML size, the median and max wall time and the median CPU time per request (the Python
process's plus its PostgreSQL backend's, read from /proc: PostgreSQL on this host). The administrator is
created inside a transaction that is rolled back at the end, with the sessions: nothing is left behind.
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
SEARCHES = [
    ("team", "ben thanh"),
    ("team", "tan"),
    ("team", "to dan pho 12 tan"),
    ("team", "267"),
    ("area", "phuong"),
    # a word of most of the map, two words of thousands each, and what issue 12 sent (refused at once)
    ("team", "thon"),
    ("team", "xa 5"),
    ("team", "ab " * 3000),
]


def backend_cpu(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--province", default="79")
    args = parser.parse_args()
    setup_django(args.database, pages=True)
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from accounts.models import User

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def measure(client, url, params=None):
        client.get(url, params)  # warm-up
        walls, cpus = [], []
        for _run in range(args.runs):
            cpu0, backend0, wall0 = time.process_time(), backend_cpu(backend), time.perf_counter()
            response = client.get(url, params)
            walls.append(time.perf_counter() - wall0)
            cpus.append(time.process_time() - cpu0 + backend_cpu(backend) - backend0)
        assert response.status_code == 200, (url, response.status_code)
        body = response.content.decode()
        return len(body), body.count("<option"), statistics.median(walls), max(walls), statistics.median(cpus)

    print(f"load average {Path('/proc/loadavg').read_text().split()[:3]}, {args.runs} runs each after a warm-up")
    print(f"{'page':<52} {'HTML':>10} {'options':>8} {'median':>9} {'max':>9} {'CPU':>9}")
    with transaction.atomic():
        admin = User.objects.create_user("bench_picker_admin", role="system_admin", is_staff=True, is_superuser=True)
        for user in (User.objects.get(username=f"province_{args.province}"), admin):
            client = Client()
            client.force_login(user)
            pages = [(f"{user.username}: teams:create", reverse("teams:create"), None)]
            try:
                pages += [
                    (
                        f"{user.username}: search {levels} {q[:20]!r}",
                        reverse("units:search", kwargs={"levels": levels}),
                        {"q": q},
                    )
                    for levels, q in SEARCHES
                ]
            except NoReverseMatch:
                pass  # before the picker
            for label, url, params in pages:
                size, options, median, worst, cpu = measure(client, url, params)
                print(
                    f"{label:<52} {size / 1024:>7.0f} KB {options:>8,} {median * 1000:>6.0f} ms {worst * 1000:>6.0f} ms {cpu * 1000:>6.0f} ms",
                    flush=True,
                )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
