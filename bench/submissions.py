"""Report submissions through gunicorn from concurrent clients, on the national data set (bench/national_data.py).

    .venv/bin/python bench/submissions.py [--clients 50] [--workers 5] [--threads 1] [--rate 50]
        [--database postgres://postgres@127.0.0.1:5432/totech_national] [--redis redis://127.0.0.1:6379/3]

Starts gunicorn (totech.wsgi, DEBUG off, REDIS_URL set: Celery broker and cache as in production) on a free
local port, then runs --clients threads at once, each with the session of a distinct team leader
(`bench_leader_001`...: national_data.py leaves their teams without reports). Each client sends its team's
report for every month it owes (11/2025 to 11/2026: 13), one after the other, as the browser does without
JavaScript: GET the empty form (reports:new), then POST every value, the texts, the CSRF token and
action=submit; success is the redirect to the report's page. Throughput counts whole GET + POST cycles over
the wall clock of the run; latency is given per request kind. With --forms-first each client loads its form
before the clock starts and the run times the POSTs alone: a leader on a weak connection opens the form
earlier, fills it in (the page keeps a draft in the phone), and sends it at the deadline.

Closed loop by default: each client sends its next submission as soon as the last one is answered, so 50 clients
measure the server's capacity, and latency grows with the queue. With --rate N (open loop), the clients together
start N submissions per second, each client every clients/N seconds (staggered); the run then reports the rate
achieved, how late submissions started (a client still busy with its previous one), and whether it kept up
(at least 95% of N, and 95% of the submissions started less than 300 ms late).

Zero lost: afterwards the database must hold exactly one submitted report (with its 10 values) per success.
The reports written (and their values, review steps, notifications, history rows) are deleted before and
after the run, so it can be re-run on the same data.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/totech_national"
APPLICATION = "bench_submissions"  # the server's PostgreSQL connections, to count their CPU
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(args):
    separator = "&" if "?" in args.database else "?"
    return {
        **os.environ,
        "DATABASE_URL": f"{args.database}{separator}conn_max_age={args.conn_max_age}&application_name={APPLICATION}",
        "REDIS_URL": args.redis,
        "DEBUG": "False",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "STATIC_MANIFEST": "False",
        "DJANGO_SETTINGS_MODULE": "totech.settings",
    }


def bench_teams():
    """(team, leader user) of the benchmark's leaders, in order."""
    from accounts.models import User
    from teams.selectors import teams_led_by

    users = User.objects.filter(username__startswith="bench_leader_").order_by("username")
    return [(teams_led_by(user).get(), user) for user in users]


def clean(teams):
    """Delete everything the submissions wrote for these teams."""
    from django.db import transaction

    from reports.models import Notification, Report, ReportTransition

    with transaction.atomic():
        reports = Report.objects.filter(team__in=teams)
        transitions = ReportTransition.objects.filter(report__in=reports).values_list("pk", flat=True)
        Notification.objects.filter(key__in=[f"transition:{pk}" for pk in transitions]).delete()
        Report.history.filter(team_id__in=[team.pk for team in teams]).delete()
        count = reports.count()
        reports.delete()  # values, review steps and photos go with them
        Report.history.filter(team_id__in=[team.pk for team in teams]).delete()  # the deletions' own history rows
    return count


class Client(threading.Thread):
    """One leader's browser. Closed loop by default (the next submission as soon as the last one is answered);
    with `interval` (open loop, --rate) the n-th submission is due at `start + offset + n * interval`, and one
    started late records how late ("late")."""

    def __init__(self, port, session, team, periods, values, results, offset=0.0, interval=None):
        super().__init__()
        self.port, self.session, self.team, self.periods, self.values, self.results = (
            port,
            session,
            team,
            periods,
            values,
            results,
        )
        self.offset, self.interval, self.start_at, self.token = offset, interval, None, None

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        t0 = time.perf_counter()
        connection.request(method, path, body=body, headers={"Cookie": self.cookies, **(headers or {})})
        response = connection.getresponse()
        text = response.read().decode()
        elapsed = time.perf_counter() - t0
        connection.close()
        self.results.append((method, elapsed, response.status))
        return response, text

    def load_form(self, path):
        """GET the form; returns its CSRF token (None on failure) and keeps the CSRF cookie."""
        response, text = self.request("GET", path)
        if response.status != 200:
            return None
        csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        if csrf_cookie:
            self.cookies = f"sessionid={self.session}; csrftoken={csrf_cookie.group(1)}"
        return CSRF_INPUT.search(text).group(1)

    def load_forms_first(self):
        """--forms-first: the form is loaded before the clock starts (its token serves every later POST of the
        session), as by a leader who filled it in earlier, offline, and sends it at the deadline."""
        self.cookies = f"sessionid={self.session}"
        self.token = self.load_form(f"/reports/new/{self.team.pk}/period/{self.periods[0].pk}/")

    def run(self):
        if self.token is None:
            self.cookies = f"sessionid={self.session}"
        for number, period in enumerate(self.periods):
            if self.interval is not None:
                lag = time.perf_counter() - (self.start_at + self.offset + number * self.interval)
                if lag < 0:
                    time.sleep(-lag)
                self.results.append(("late", max(lag, 0.0), 0))
            path = f"/reports/new/{self.team.pk}/period/{period.pk}/"
            token = self.token or self.load_form(path)
            if token is None:
                continue
            body = urllib.parse.urlencode(
                {
                    **self.values,
                    "activities": "Hướng dẫn cài VNeID tại nhà văn hoá thôn.",
                    "difficulties": "",
                    "proposals": "",
                    "version": "0",
                    "action": "submit",
                    "csrfmiddlewaretoken": token,
                }
            )
            response, _text = self.request(
                "POST",
                path,
                body,
                {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}{path}"},
            )
            if response.status == 302 and re.search(r"/reports/\d+/$", response.getheader("Location", "")):
                self.results.append(("ok", time.perf_counter(), 302))


def queries_per_submission(team, user, today, values):
    """The SQL queries of one GET of the form and its POST, through Django's test client in this process (a
    leader not among the clients; what it writes is cleaned with the rest)."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    from reports.selectors import slots_for_team

    client = DjangoClient()
    client.force_login(user)
    period = next(slot.period for slot in slots_for_team(team, today) if slot.report is None and slot.period)
    path = f"/reports/new/{team.pk}/period/{period.pk}/"
    client.get(path)  # the session's first use
    with CaptureQueriesContext(connection) as get:
        client.get(path)
    with CaptureQueriesContext(connection) as post:
        response = client.post(path, {**values, "activities": "x", "version": "0", "action": "submit"})
    assert response.status_code == 302, response.status_code
    return len(get.captured_queries), len(post.captured_queries)


def cpu_seconds(server_pid):
    """CPU seconds (user + system) of gunicorn's workers and of their PostgreSQL backends (persistent connections,
    told apart by application_name), read from /proc: PostgreSQL must run on this host."""
    from django.db import connection

    ticks = os.sysconf("SC_CLK_TCK")

    def cpu(pid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0
        return (int(fields[11]) + int(fields[12])) / ticks

    workers = [
        int(path.name) for path in Path("/proc").iterdir() if path.name.isdigit() and _parent(path) == server_pid
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [APPLICATION],
        )
        backends = [pid for (pid,) in cursor.fetchall()]
    return {"python": {pid: cpu(pid) for pid in workers}, "database": {pid: cpu(pid) for pid in backends}}


def _parent(proc_path):
    try:
        return int((proc_path / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="more than 1: gunicorn's gthread worker")
    parser.add_argument(
        "--per-client", type=int, default=13, help="submissions per client (at most the 13 months owed)"
    )
    parser.add_argument(
        "--conn-max-age", type=int, default=600, help="CONN_MAX_AGE of the server (0: a connection per request)"
    )
    parser.add_argument(
        "--rate",
        type=float,
        help="open loop: the clients together start this many submissions per "
        "second, evenly spread (default: closed loop, each client as fast as it is answered)",
    )
    parser.add_argument(
        "--forms-first",
        action="store_true",
        help="each client loads its form before the clock "
        "starts and the run times the POSTs alone (a form filled in earlier, sent at the deadline)",
    )
    args = parser.parse_args()
    os.environ.update(server_env(args))
    import django

    django.setup()
    from django.test import Client as DjangoClient
    from django.utils import timezone

    from reports.models import Report, ReportValue
    from reports.selectors import indicators_for, slots_for_team

    load_before = Path("/proc/loadavg").read_text().split()[0]
    leaders = bench_teams()
    pairs = leaders[: args.clients]
    if len(pairs) < args.clients:
        sys.exit(f"Only {len(pairs)} bench_leader_* accounts: run bench/national_data.py first.")
    teams = [team for team, _user in pairs]
    print(f"cleaned {clean(teams)} reports left by an earlier run")
    today = timezone.localdate()
    indicators = indicators_for()
    # Small values pass every check (percentages under the village's denominators, activations <= e-IDs).
    values = {f"value_{indicator.pk}": "1" for indicator in indicators}
    if len(leaders) > args.clients:
        spare_team, spare_user = leaders[args.clients]
        clean([spare_team])
        form_queries, post_queries = queries_per_submission(spare_team, spare_user, today, values)
        print(f"SQL queries of one GET (the form) + POST (save and send): {form_queries} + {post_queries}")
        print(f"cleaned {clean([spare_team])} report of the query count")
    clients, results = [], []
    interval = args.clients / args.rate if args.rate else None  # each client's time between two submissions
    for number, (team, user) in enumerate(pairs):
        django_client = DjangoClient()
        django_client.force_login(user)  # a real session in the database, as a login makes (no password hashing)
        periods = [slot.period for slot in slots_for_team(team, today) if slot.report is None and slot.period][
            : args.per_client
        ]
        offset = number / args.rate if args.rate else 0.0
        clients.append(
            Client(None, django_client.cookies["sessionid"].value, team, periods, values, results, offset, interval)
        )
    expected = sum(len(client.periods) for client in clients)

    port = free_port()
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "totech.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--log-level",
        "warning",
        "--backlog",
        "2048",
    ]
    if args.threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(args.threads)]
    server = subprocess.Popen(command, cwd=ROOT, env=server_env(args))
    try:
        for _attempt in range(100):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/accounts/login/")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not answer")
        for client in clients:  # warm every worker up (imports, first queries) before the clock starts
            client.port = port
        for _request in range(args.workers * 4):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request(
                "GET",
                f"/reports/new/{teams[0].pk}/period/{clients[0].periods[0].pk}/",
                headers={"Cookie": f"sessionid={clients[0].session}"},
            )
            connection.getresponse().read()
        if args.forms_first:
            for client in clients:
                client.load_forms_first()
            results.clear()  # the forms' GETs are not part of the run
        cpu_before = cpu_seconds(server.pid)
        started = time.perf_counter()
        for client in clients:
            client.start_at = started
            client.start()
        for client in clients:
            client.join()
        elapsed = time.perf_counter() - started
        cpu_after = cpu_seconds(server.pid)
    finally:
        server.terminate()
        server.wait()
    successes = sum(1 for kind, _t, _s in results if kind == "ok")
    posts = [t for kind, t, _s in results if kind == "POST"]
    gets = [t for kind, t, _s in results if kind == "GET"]
    failures = [(kind, status) for kind, _t, status in results if kind in ("GET", "POST") and status not in (200, 302)]
    stored = Report.objects.filter(team__in=teams, status="submitted", submitted_at__isnull=False).count()
    stored_values = ReportValue.objects.filter(report__team__in=teams).count()
    server_kind = (
        f"gthread, {args.workers} workers x {args.threads} threads"
        if args.threads > 1
        else f"sync, {args.workers} workers"
    )
    print(f"gunicorn {server_kind}; {args.clients} clients; {expected} submissions expected")
    print(
        f"submissions answered with success: {successes} in {elapsed:.1f} s = {successes / elapsed:.1f} submissions/s "
        f"({(len(posts) + len(gets)) / elapsed:.1f} requests/s)"
    )
    print(
        f"POST (save and send) p50 {statistics.median(posts) * 1000:.0f} ms, p95 {percentile(posts, 0.95) * 1000:.0f} ms, "
        f"max {max(posts) * 1000:.0f} ms"
    )
    if gets:
        print(
            f"GET (the form)       p50 {statistics.median(gets) * 1000:.0f} ms, p95 {percentile(gets, 0.95) * 1000:.0f} ms, "
            f"max {max(gets) * 1000:.0f} ms"
        )
    print(f"errors: {len(failures)} {failures[:5]}")
    if args.rate:
        lags = [t for kind, t, _s in results if kind == "late"]
        finished = [t for kind, t, _s in results if kind == "ok"]
        # The rate achieved: successes over the time from the first due start to the last answer.
        achieved = successes / (max(finished) - started) if finished else 0
        kept_up = achieved >= 0.95 * args.rate and percentile(lags, 0.95) < 0.3
        print(
            f"open loop at {args.rate:g} submissions/s asked: achieved {achieved:.1f}/s; started late p50 "
            f"{statistics.median(lags) * 1000:.0f} ms, p95 {percentile(lags, 0.95) * 1000:.0f} ms, max {max(lags) * 1000:.0f} ms; "
            f"kept up: {'yes' if kept_up else 'no'}"
        )
    python_cpu, database_cpu = (
        sum(cpu_after[kind].get(pid, 0) - cpu_before[kind].get(pid, 0) for pid in cpu_after[kind])
        for kind in ("python", "database")
    )
    if args.conn_max_age:
        per_submission = (python_cpu + database_cpu) / successes
        print(
            f"CPU: gunicorn workers {python_cpu:.1f} s + their PostgreSQL backends {database_cpu:.1f} s = {per_submission * 1000:.0f} ms "
            f"per submission ({'POST' if args.forms_first else 'GET + POST'}); 2 free cores would do {2 / per_submission:.0f} submissions/s"
        )
    else:
        print(
            f"CPU: gunicorn workers {python_cpu / successes * 1000:.0f} ms per submission; the PostgreSQL side is not measured "
            "without persistent connections"
        )
    print(f"load average before: {load_before}")
    print(
        f"in the database: {stored} submitted reports, {stored_values} values; "
        f"lost: {successes - stored} (expected 0), values missing: {stored * len(indicators) - stored_values} (expected 0)"
    )
    print(f"cleaned {clean(teams)} reports")
    if successes != expected or stored != successes or failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
