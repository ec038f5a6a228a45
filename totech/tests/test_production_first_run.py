"""The README's production set-up, line by line, on a database of its own: then a browser's requests through the TLS
proxy reach gunicorn, and the administrator `createsuperuser` made logs in to the portal and to Django admin.

The README's lines are run as written, with three substitutions: the database URL (a new PostgreSQL database, or
with DATABASE_URL on SQLite or unset a new SQLite file), a real SECRET_KEY for the README's "...", and the REDIS_URL
of the test run. `createsuperuser` gets `--noinput` and its DJANGO_SUPERUSER_* variables, as the README says for
a scripted install, gunicorn a free loopback port; the Celery processes are not started. DEBUG and the test
run's own variables (STATIC_MANIFEST=0...) are not passed on: the pages need the hashed static files that
`collectstatic` wrote.
"""

import http.client
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import environ
import pytest

ROOT = Path(__file__).resolve().parents[2]
# What the README's first run must do, in this order (its gunicorn and Celery lines follow).
MANAGE_STEPS = [
    "migrate",
    "collectstatic",
    "load_admin_units",
    "load_admin_units",
    "seed_indicators",
    "createsuperuser",
]
PASSED_ON = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}


def readme_production_block() -> str:
    """The first shell block of the README's Production section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)


def readme_steps():
    """(the exported variables, the command lines) of the README's production block."""
    exports, commands = {}, []
    for line in readme_production_block().replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "export":
            exports.update(word.split("=", 1) for word in words[1:])
        else:
            commands.append(words)
    return exports, commands


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def fresh_database_url(tmp_path):
    """A database nobody has used: a new PostgreSQL database on the test run's server (which must answer: CI always
    has one), dropped afterwards; a new SQLite file when the test run is on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'first-run.sqlite3'}"
        return
    import psycopg2

    config = environ.Env.db_url_config(url)
    name = f"{config['NAME']}_readme_{secrets.token_hex(4)}"
    server = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
    }
    admin = psycopg2.connect(**server)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        parts = urllib.parse.urlsplit(url)
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}", query=""))
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


class Browser:
    """Plain HTTP to gunicorn as the README's TLS proxy forwards it: the README's host name, X-Forwarded-Proto."""

    def __init__(self, port, host):
        self.port, self.host, self.cookies = port, host, {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{self.host}{path}",
            "Cookie": "; ".join(f"{key}={value}" for key, value in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                self.cookies.update({key: morsel.value for key, morsel in SimpleCookie(header).items()})
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()


def test_the_readmes_production_steps_on_a_fresh_database_end_in_a_working_administrator(fresh_database_url, tmp_path):
    exports, commands = readme_steps()
    assert "DEBUG" not in exports
    host = exports["ALLOWED_HOSTS"].split(",")[0]
    env = {key: value for key, value in os.environ.items() if key in PASSED_ON}
    env.update(exports, DATABASE_URL=fresh_database_url, SECRET_KEY=secrets.token_urlsafe(50))
    env.pop("REDIS_URL", None)
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    username, password = "quantri", secrets.token_urlsafe(16)

    manage_steps = [words for words in commands if words[1:2] == ["manage.py"]]
    assert [words[2] for words in manage_steps] == MANAGE_STEPS
    for words in manage_steps:
        step_env = env
        if words[2] == "createsuperuser":
            words = [*words, "--noinput"]
            step_env = {
                **env,
                "DJANGO_SUPERUSER_USERNAME": username,
                "DJANGO_SUPERUSER_PASSWORD": password,
                "DJANGO_SUPERUSER_EMAIL": "quantri@example.gov.vn",
            }
        result = subprocess.run(words, cwd=ROOT, env=step_env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{shlex.join(words)}\n{result.stdout}\n{result.stderr}"

    gunicorn = next(words for words in commands if words[0].endswith("/gunicorn"))
    port = free_port()
    gunicorn[gunicorn.index("--bind") + 1] = f"127.0.0.1:{port}"
    with open(tmp_path / "gunicorn.log", "w") as log:
        server = subprocess.Popen(
            gunicorn, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        browser = Browser(port, host)
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                status, _, page = browser.request("GET", "/accounts/login/")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.2)
        assert status == 200 and "Đăng nhập" in page

        status, headers, _ = browser.request("POST", "/accounts/login/", {"username": username, "password": password})
        assert (status, headers["Location"]) == (302, "/")
        status, _, home = browser.request("GET", "/")
        assert status == 200, home
        assert "Quản trị hệ thống" in home and "/accounts/users/" in home  # the portal's user pages
        status, _, admin = browser.request("GET", "/admin/")
        assert status == 200 and "Quản trị Totech" in admin
        # The map of both editions and the indicator catalogue were loaded.
        status, _, reformed = browser.request("GET", "/units/?edition=2025")
        assert status == 200 and "Thái Nguyên" in reformed and "Vũng Tàu" not in reformed
        status, _, pre_reform = browser.request("GET", "/units/?edition=2024")
        assert status == 200 and "Vũng Tàu" in pre_reform
        status, _, indicators = browser.request("GET", "/targets/indicators/")
        assert status == 200 and "VNeID" in indicators
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
