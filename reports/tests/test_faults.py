"""Faults around the roll-ups (issue 7): Redis down, a worker killed in the middle of a roll-up, two roll-ups at
once, an approval arriving during a roll-up.

Each test that stops Redis or kills a worker starts its own redis-server on a free port (never the shared one)
and, on PostgreSQL, its own `celery worker` processes on the test database."""

import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import TEST_PASSWORD
from reports.choices import ReportStatus
from reports.models import IndicatorSummary, Report, StaleRollup, UnitSummary
from reports.rollups import (
    ROLLUP_LOCK_NAMESPACE,
    rollup_province,
    rollup_recompute,
)
from reports.services import report_approve
from reports.tasks import drain_stale_rollups, recompute_province_period
from reports.tests.helpers import save
from targets.models import Period
from teams.models import ImportJob, ImportKind, ImportStatus
from teams.spreadsheets import jobs as import_jobs
from teams.tests.helpers import member_file

REDIS_SERVER = shutil.which("redis-server")
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
needs_redis_server = pytest.mark.skipif(not REDIS_SERVER, reason="needs the redis-server binary (CI has it)")
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="needs PostgreSQL (DATABASE_URL): worker processes share the test database, and the "
    "roll-ups' advisory lock is PostgreSQL's; CI runs these",
)
TODAY = datetime.date(2026, 10, 15)
WAIT = 30  # seconds before a wait gives up (each wait normally takes well under one)


def wait_for(condition, what):
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of the test's own, without persistence: stopping it loses whatever it held, as a crashed
    or restarted Redis without a disk copy would."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)

        def answers():
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_for(answers, "the private redis-server")
        client.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(settings, private_redis):
    """The portal's cache on the private Redis, configured as settings.py does when REDIS_URL is set."""
    settings.CACHES = {
        "default": {
            "BACKEND": "totech.cache.ResilientRedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def celery_app(private_redis):
    """The project's Celery app publishing to the private Redis instead of running tasks in-process."""
    from totech.celery import app

    saved = app.conf.broker_url, app._pool, app.amqp._producer_pool
    app.conf.update(broker_url=private_redis.url, task_always_eager=False)
    app._pool = app.amqp._producer_pool = None  # the pools hold connections to the broker they were made for
    yield app
    if app._pool is not None:
        app._pool.force_close_all()
    app.conf.broker_url, app._pool, app.amqp._producer_pool = saved


def worker_database_url() -> str:
    """The test database, for processes started by the test."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`celery -A totech worker` in its own process group, on the private Redis and the test database, with one
    pool process: what production runs, so a kill here is a kill there."""

    def __init__(self, redis_url: str, log_path):
        env = {
            **os.environ,
            "REDIS_URL": redis_url,
            "DATABASE_URL": worker_database_url(),
            "SECRET_KEY": "test-only-secret",
            "DJANGO_SETTINGS_MODULE": "totech.settings",
        }
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "totech",
                    "worker",
                    "--pool",
                    "prefork",
                    "--concurrency",
                    "1",
                    "--without-mingle",
                    "--without-gossip",
                    "--without-heartbeat",
                    "--loglevel",
                    "INFO",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: " ready." in self.log() or self.process.poll() is not None, "the worker to start")
        assert self.process.poll() is None, self.log()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def pool_process(self) -> int:
        """The process that runs the tasks (the worker's one child)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        assert len(children) == 1, children
        return int(children[0])

    def kill(self):
        """kill -9 the whole worker: the main process and its pool."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def workers(private_redis, tmp_path):
    started = []

    def start():
        started.append(Worker(private_redis.url, tmp_path / f"worker-{len(started) + 1}.log"))
        return started[-1]

    yield start
    for worker in started:
        worker.kill()


# --- the data: Thái Nguyên's W1 team reports visits monthly, the commune officer of K1 approves -------------


def sent(setup, month, visits, *, other=False):
    """The report of W1's team (W2's with `other`) for `month` of 2026, sent by its leader."""
    leader, team = (setup.other_leader, setup.other_team) if other else (setup.personas["leader"], setup.team)
    return save(leader, team, setup.period(month), {setup.households.pk: 50, setup.visits.pk: visits}, submit=True)


def approved(setup, month, visits):
    """W1's report for `month`, sent and approved by the commune officer."""
    return report_approve(user=setup.personas["commune"], report=sent(setup, month, visits))


def visits_actual(setup, unit_key, kind="quarter", number=3):
    period = Period.objects.get(kind=kind, year=2026, number=number)
    return IndicatorSummary.objects.get(unit=setup.world[unit_key], period=period, indicator=setup.visits).actual


def snapshot():
    """Every summary row, with when it was computed."""
    return (
        sorted(
            IndicatorSummary.objects.values_list(
                "unit_id", "period_id", "indicator_id", "actual", "rate", "target", "rating", "computed_at"
            )
        ),
        sorted(
            UnitSummary.objects.values_list(
                "unit_id", "period_id", "reports_expected", "reports_received", "members", "computed_at"
            )
        ),
    )


def values_only(rows):
    """A snapshot without the computation times (which differ between two runs of the same figures)."""
    indicator_rows, unit_rows = rows
    return [row[:-1] for row in indicator_rows], [row[:-1] for row in unit_rows]


# --- PostgreSQL locks, as the test sees them from its own connection -------------------------------------


def query(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def rollup_lock_holder(province) -> int | None:
    """The backend holding a roll-up's advisory lock on `province`, other than the test's own."""
    rows = query(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s AND objsubid = 2"
        " AND granted AND pid <> pg_backend_pid()",
        [ROLLUP_LOCK_NAMESPACE, province.pk],
    )
    return rows[0][0] if rows else None


def rollup_lock_waiters(province) -> int:
    return query(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s AND NOT granted",
        [ROLLUP_LOCK_NAMESPACE, province.pk],
    )[0][0]


def is_blocked(pid) -> bool:
    return query("SELECT cardinality(pg_blocking_pids(%s)) > 0", [pid])[0][0]


def has_written(pid) -> bool:
    """A backend is given a transaction id (and holds its lock) once its transaction writes a row."""
    return query(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND locktype = 'transactionid' AND mode = 'ExclusiveLock' AND granted)",
        [pid],
    )[0][0]


# --- 1. Redis down -----------------------------------------------------------------------------------------


@needs_redis_server
def test_the_cache_misses_while_redis_is_down_and_recovers(private_redis, redis_cache):
    from django.core.cache import cache

    cache.set("figure", 1)
    private_redis.stop()
    assert cache.get("figure", "missing") == "missing"
    assert (cache.get_many(["figure"]), cache.has_key("figure"), cache.add("other", 2)) == ({}, False, False)
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys that were not stored
    cache.set("figure", 2)
    assert cache.delete("figure") is False
    private_redis.start()  # empty, as after a restart without a disk copy
    cache.set("figure", 3)
    assert cache.get("figure") == 3


@needs_redis_server
@pytest.mark.django_db
def test_with_redis_down_the_portal_answers_and_approvals_are_recorded(
    client,
    setup,
    private_redis,
    redis_cache,
    celery_app,
    settings,
    tmp_path,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path
    report = sent(setup, 8, 7)
    world = setup.world
    running = ImportJob.objects.create(
        kind=ImportKind.MEMBERS,
        commune=world["K1"],
        user=setup.personas["commune"],
        file_name="a.xlsx",
        total_rows=5000,
    )
    cache.set(running.progress_cache_key, 40)  # the worker's last word on the import before Redis went away
    assert cache.get(running.progress_cache_key) == 40
    private_redis.stop()

    assert client.post(reverse("login"), {"username": "commune", "password": TEST_PASSWORD}).status_code == 302
    pages = [
        reverse("home"),
        reverse("reports:dashboard"),
        reverse("reports:dashboard_unit", args=[world["K1"].pk]),
        reverse("teams:list"),
        reverse("reports:list"),
        reverse("reports:detail", args=[report.pk]),
        reverse("teams:job_detail", args=[running.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    progress = client.get(reverse("teams:job_progress", args=[running.pk]), HTTP_HX_REQUEST="true")
    assert progress.status_code == 200 and 'hx-trigger="every 1s"' in progress.content.decode()

    response = client.post(reverse("reports:review", args=[report.pk]), {"action": "approve", "comment": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert StaleRollup.objects.filter(unit=world["K1"], year=2026, quarter=3).exists()

    # A large upload goes to the task queue: the page answers, and the job says the queue is unavailable.
    monkeypatch.setattr(import_jobs, "INLINE_ROWS", 5)
    rows = [[n, f"Người Số {n}", "1990", "Nam", f"09{n:08d}", "", "", "Bản Giang", None] for n in range(1, 21)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("teams:members_import"),
            {"commune": world["K1"].pk, "file": SimpleUploadedFile("ds.xlsx", member_file(*rows).getvalue())},
        )
    job = ImportJob.objects.exclude(pk=running.pk).get()
    assert response.status_code == 302 and response.url == reverse("teams:job_detail", args=[job.pk])
    with translation.override(settings.LANGUAGE_CODE):  # the language the page was in
        message = translation.gettext("The task queue is unavailable: upload the file again in a few minutes.")
    assert (job.status, job.errors) == (ImportStatus.FAILED, [{"row": 0, "column": "", "message": message}])
    assert client.get(response.url).status_code == 200


@needs_redis_server
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_rollups_catch_up_when_redis_returns(setup, private_redis, celery_app, workers):
    approved(setup, 7, 10)
    rollup_recompute(unit=setup.world["K1"], year=2026, quarter=3)
    StaleRollup.objects.all().delete()
    private_redis.stop()

    approved(setup, 8, 7)  # recorded while Redis is down: the mark is in the database, not in Redis
    assert StaleRollup.objects.count() == 1
    assert visits_actual(setup, "K1") == 10

    private_redis.start()  # empty: whatever was queued before is gone
    workers()
    drain_stale_rollups.delay()  # what beat sends every 5 minutes
    wait_for(lambda: not StaleRollup.objects.exists(), "the roll-up to catch up")
    assert (visits_actual(setup, "K1"), visits_actual(setup, "Q"), visits_actual(setup, "K1", "month", 8)) == (
        17,
        17,
        7,
    )


# --- 2. a worker killed in the middle of a roll-up ---------------------------------------------------------


@needs_redis_server
@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("killed", ["pool process", "whole worker"])
def test_a_worker_killed_mid_rollup_leaves_the_summaries_and_the_retry_completes_them(
    setup, celery_app, workers, killed
):
    world = setup.world
    approved(setup, 7, 10)
    rollup_recompute(unit=world["K1"], year=2026, quarter=3)
    StaleRollup.objects.all().delete()
    before = snapshot()
    approved(setup, 8, 7)
    mark = StaleRollup.objects.get()

    worker = workers()
    with transaction.atomic():
        # Hold the province's summary rows: the worker's roll-up writes some rows, then waits on these inside
        # its transaction, which is where it gets killed.
        list(UnitSummary.objects.select_for_update().filter(unit=world["Q"]))
        recompute_province_period.delay(world["Q"].pk, 2026, 3)
        wait_for(lambda: rollup_lock_holder(world["Q"]) is not None, "the worker's roll-up to start")
        backend = rollup_lock_holder(world["Q"])
        wait_for(lambda: is_blocked(backend), "the worker's roll-up to reach the held rows")
        assert has_written(backend)  # half-written: inside the transaction, with rows written

        if killed == "pool process":
            os.kill(worker.pool_process(), signal.SIGKILL)  # as the OOM killer would
            wait_for(lambda: "WorkerLostError" in worker.log(), "the worker to notice")
        else:
            worker.kill()
        assert snapshot() == before
        assert StaleRollup.objects.filter(pk=mark.pk).exists()

    if killed == "whole worker":
        # Its task stays unacknowledged in Redis until the visibility timeout; meanwhile the mark is still there
        # and the next drain (every 5 minutes) queues it again for the worker that replaces it.
        workers()
        drain_stale_rollups.delay()
    # else the worker put the task back on the queue (task_reject_on_worker_lost) and runs it again itself.
    wait_for(lambda: not StaleRollup.objects.exists(), "the retry to complete the roll-up")
    assert (visits_actual(setup, "K1"), visits_actual(setup, "Q"), visits_actual(setup, "K1", "month", 8)) == (
        17,
        17,
        7,
    )
    computed = UnitSummary.objects.filter(unit__in=[world["K1"], world["Q"]]).values_list("computed_at", flat=True)
    assert min(computed) > max(row[-1] for row in before[1])


# --- 3. concurrency on PostgreSQL ------------------------------------------------------------------------


def in_thread(function, errors):
    def run():
        try:
            function()
        except Exception as error:  # noqa: BLE001 (reported to the test)
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


class AdvisoryLock:
    """The roll-up lock of a province, held by the test's own connection while it sets the stage."""

    def __init__(self, province):
        self.keys = [ROLLUP_LOCK_NAMESPACE, province.pk]

    def __enter__(self):
        query("SELECT pg_advisory_lock(%s, %s)", self.keys)

    def __exit__(self, *exc):
        query("SELECT pg_advisory_unlock(%s, %s)", self.keys)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_write_the_rows_of_one(setup):
    world = setup.world
    approved(setup, 7, 10)
    approved(setup, 8, 7)
    rollup_province(province=world["Q"], year=2026, quarter=3, today=TODAY)
    alone = values_only(snapshot())
    rows = IndicatorSummary.objects.count(), UnitSummary.objects.count()
    IndicatorSummary.objects.all().delete()
    UnitSummary.objects.all().delete()

    errors = []
    with AdvisoryLock(world["Q"]):  # both runs start and wait at the lock, then go one after the other
        threads = [
            in_thread(lambda: rollup_province(province=world["Q"], year=2026, quarter=3, today=TODAY), errors),
            in_thread(lambda: rollup_recompute(unit=world["K1"], year=2026, quarter=3, today=TODAY), errors),
        ]
        wait_for(lambda: rollup_lock_waiters(world["Q"]) == 2, "both runs to wait at the lock")
    for thread in threads:
        thread.join(WAIT)
    assert errors == []
    assert values_only(snapshot()) == alone
    assert (IndicatorSummary.objects.count(), UnitSummary.objects.count()) == rows


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_an_approval_during_a_run_is_not_lost(setup):
    world = setup.world
    first = approved(setup, 7, 10)
    other = sent(setup, 8, 5, other=True)

    errors = []
    with AdvisoryLock(world["Q"]):
        thread = in_thread(lambda: rollup_province(province=world["Q"], year=2026, quarter=3, today=TODAY), errors)
        wait_for(lambda: rollup_lock_waiters(world["Q"]) == 1, "the run to start")
        report_approve(user=setup.personas["commune"], report=other)  # committed while the run is under way
    thread.join(WAIT)
    assert errors == []
    # Either the run saw the approval, or the approval's mark survived it (test_rollups moves a mark mid-run).
    assert StaleRollup.objects.exists() or (visits_actual(setup, "K1"), visits_actual(setup, "Q")) == (15, 15)

    drain_stale_rollups.delay()  # the next drain, in-process here
    assert not StaleRollup.objects.exists()
    assert Report.objects.filter(pk__in=[first.pk, other.pk], status=ReportStatus.APPROVED).count() == 2
    assert (visits_actual(setup, "K1"), visits_actual(setup, "Q")) == (15, 15)
