"""Shared test world: a small map on both editions, and a persona for every role plus an outsider.

2024 map  province P ── district D1 ── commune C1 ── village V1
                     └─ district D2 ── commune C2
2025 map  province Q ── commune K1 ── villages W1, W2
                     └─ commune K2 ── village W3
          province O ── commune O1 ── village OV   (another province: the outsider's)
"""

import io
from contextlib import contextmanager, nullcontext

import pytest

from accounts.choices import Role
from accounts.tests.factories import UserFactory
from units.choices import DivisionType, Edition
from units.tests.factories import CommuneFactory, DistrictFactory, ProvinceFactory, VillageFactory

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PERSONAS = ["admin", "province", "district", "commune", "leader", "outsider"]


@pytest.fixture
def world(db):
    w = {}
    w["P"] = ProvinceFactory(edition=Edition.PRE_REFORM, code="51", name="Tỉnh Quảng Ngãi")
    w["D1"] = DistrictFactory(parent=w["P"], code="533", name="Huyện Mộ Đức")
    w["D2"] = DistrictFactory(parent=w["P"], code="534", name="Thị xã Đức Phổ", division_type=DivisionType.TOWN)
    w["C1"] = CommuneFactory(parent=w["D1"], code="21400", name="Thị trấn Mộ Đức", division_type=DivisionType.TOWNSHIP)
    w["C2"] = CommuneFactory(parent=w["D2"], code="21500", name="Phường Nguyễn Nghiêm")
    w["V1"] = VillageFactory(parent=w["C1"], name="Thôn 1")
    w["Q"] = ProvinceFactory(code="19", name="Thái Nguyên")
    w["K1"] = CommuneFactory(parent=w["Q"], code="02107", name="Xã Thanh Thịnh")
    w["K2"] = CommuneFactory(parent=w["Q"], code="02110", name="Xã Chợ Mới")
    w["W1"] = VillageFactory(parent=w["K1"], name="Thôn Bản Giang")
    w["W2"] = VillageFactory(parent=w["K1"], name="Thôn Na Lay")
    w["W3"] = VillageFactory(parent=w["K2"], name="Thôn Khe Thầu")
    w["O"] = ProvinceFactory(code="01", name="Thành phố Hà Nội", division_type=DivisionType.CENTRAL_CITY)
    w["O1"] = CommuneFactory(parent=w["O"], code="00070", name="Phường Hoàn Kiếm")
    w["OV"] = VillageFactory(parent=w["O1"], name="Tổ dân phố 1", division_type=DivisionType.RESIDENTIAL_GROUP)
    return w


@pytest.fixture
def personas(world):
    """The users of the permission matrix, keyed as in PERSONAS."""
    return {
        "admin": UserFactory(username="admin", role=Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True),
        "province": UserFactory(username="province", role=Role.PROVINCE_STAFF, scope_unit=world["Q"]),
        "district": UserFactory(username="district", role=Role.DISTRICT_STAFF, scope_unit=world["D1"]),
        "commune": UserFactory(username="commune", role=Role.COMMUNE_OFFICER, scope_unit=world["K1"]),
        "leader": UserFactory(username="leader", role=Role.TEAM_LEADER, scope_unit=world["W1"]),
        "outsider": UserFactory(username="outsider", role=Role.PROVINCE_STAFF, scope_unit=world["O"]),
    }


@pytest.fixture(autouse=True)
def _vietnamese_by_default():
    """Each test starts in the portal's default language, whatever an earlier request left active."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def english(client, settings):
    """Messages are asserted in English, in the test's own code and in the pages the test client asks for (the
    portal's language cookie); a test or two checks the Vietnamese."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def calamine_forbidden(monkeypatch):
    """Fails the test, rather than abort the process, if calamine is asked to read a file."""
    from totech import spreadsheets

    class Forbidden:
        @staticmethod
        def from_filelike(file):
            raise AssertionError("calamine was asked to read a file the guard should have refused")

    monkeypatch.setattr(spreadsheets, "CalamineWorkbook", Forbidden)


@contextmanager
def _connected_to(name):
    """The default connection pointed at database `name` for the block (closed on the way in and out)."""
    from django.db import connection

    test_name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = test_name


@pytest.fixture(scope="session")
def _demo_database(django_db_setup, django_db_blocker):
    """On PostgreSQL, a copy of the test database with the demo (seed_demo) written once per session: the tests
    that read the demo share it, the others never see it. None elsewhere (SQLite: each test seeds its own)."""
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import override_settings

    if connection.vendor != "postgresql":
        yield None
        return
    test_name = connection.settings_dict["NAME"]
    demo_name = f"{test_name}_demo"
    with django_db_blocker.unblock():
        connections.close_all()  # a database is copied only while nobody is connected to it: nor the live
        with connection._nodb_cursor() as cursor:  # server's thread, which reconnects (CONN_HEALTH_CHECKS)
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [test_name])
            cursor.execute(f'DROP DATABASE IF EXISTS "{demo_name}"')
            cursor.execute(f'CREATE DATABASE "{demo_name}" TEMPLATE "{test_name}"')
        # with the tests' settings: tasks in-process, the fast password hasher (the demo's logins are checked)
        with _connected_to(demo_name), _tasks_in_process(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            call_command("seed_demo", stdout=io.StringIO())
    yield demo_name
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{demo_name}"')


@pytest.fixture
def demo(request, _demo_database, django_db_blocker):
    """The demo data, in the session's demo database; whatever the test writes is rolled back. Not with `db`
    or a django_db mark, which open the test database's transaction on the same connection."""
    from django.core.management import call_command
    from django.db import transaction

    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        raise pytest.UsageError(f"{request.node.nodeid}: the demo fixture replaces db and the django_db mark")

    database = _connected_to(_demo_database) if _demo_database else nullcontext()
    with django_db_blocker.unblock(), database, transaction.atomic():
        if _demo_database is None:
            call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (Redis is shared by the whole run): nothing read by an earlier test,
    such as the indicator catalogue, leaks into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@contextmanager
def _tasks_in_process():
    from totech.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tests run Celery tasks in-process; the tests that drive a real worker switch this off themselves."""
    with _tasks_in_process():
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a downloaded browser, quiet on the closed network."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def context(context):
    """Every browser test fails on a Content-Security-Policy violation the browser reports on any of its pages
    (an inline script, handler or style the policy blocked: the page would silently lose that behaviour)."""
    violations = []

    def watch(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    context.on("console", watch)
    yield context
    assert not violations, "\n".join(violations)
