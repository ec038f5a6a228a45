"""Shared office PCs: a session ends with the browser and after a working day idle; nothing a signed-in user
saw stays in a cache."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD
from targets.tests.factories import QuarterFactory
from totech.tasks import clear_expired_sessions

MORNING = datetime.datetime(2026, 3, 2, 7, 30, tzinfo=datetime.UTC)


def session_writes(queries):
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def test_the_session_cookie_ends_with_the_browser(client, personas):
    response = client.post(reverse("login"), {"username": "province", "password": TEST_PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and cookie["max-age"] == "" and cookie["expires"] == ""


def test_a_session_ends_after_a_working_day_idle(client, personas):
    assert settings.SESSION_COOKIE_AGE == 9 * 3600
    with time_machine.travel(MORNING, tick=False) as clock:
        client.force_login(personas["province"])
        clock.shift(datetime.timedelta(hours=8, minutes=50))
        assert client.get(reverse("home")).status_code == 200  # back after lunch and a long meeting
        clock.shift(datetime.timedelta(hours=8, minutes=50))
        assert client.get(reverse("home")).status_code == 200  # the idle clock restarted at the last request
        clock.shift(datetime.timedelta(hours=9, minutes=1))
        response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_the_idle_clock_restarts_without_a_database_write_per_request(client, personas):
    with time_machine.travel(MORNING, tick=False) as clock:
        client.force_login(personas["province"])  # the login starts the idle clock: no write on the next requests
        with CaptureQueriesContext(connection) as quick:
            assert client.get(reverse("home")).status_code == 200
            for _ in range(3):
                clock.shift(datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS // 4))
                assert client.get(reverse("home")).status_code == 200
        clock.shift(datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS))
        with CaptureQueriesContext(connection) as later:
            assert client.get(reverse("home")).status_code == 200
        expires = Session.objects.get().expire_date
    assert session_writes(quick.captured_queries) == []
    assert len(session_writes(later.captured_queries)) == 1
    assert expires == MORNING + datetime.timedelta(
        seconds=settings.SESSION_REFRESH_SECONDS * 7 // 4 + settings.SESSION_COOKIE_AGE
    )


def test_expired_sessions_are_deleted(client, personas):
    with time_machine.travel(MORNING, tick=False):
        client.force_login(personas["leader"])
    client.force_login(personas["province"])
    clear_expired_sessions.delay()
    assert Session.objects.count() == 1 and Session.objects.get().get_decoded()["_auth_user_id"] == str(
        personas["province"].pk
    )


@pytest.mark.parametrize(
    "url", [reverse("home"), reverse("teams:list"), reverse("targets:export")], ids=["page", "list", "export"]
)
def test_what_a_signed_in_user_sees_is_never_cached(client, personas, url):
    QuarterFactory()
    client.force_login(personas["province"])
    response = client.get(url)
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


def test_static_files_keep_their_caching(client, personas, settings):
    settings.WHITENOISE_USE_FINDERS = True  # read when the test client builds its middleware: no collectstatic needed
    client.force_login(personas["province"])
    response = client.get("/static/js/unit-picker.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
