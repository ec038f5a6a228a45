"""Settings come from the environment: a local checkout needs nothing, a real database needs a real key."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_KEY = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"


def run_with(**env):
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL"}
    }
    base["DJANGO_SETTINGS_MODULE"] = "totech.settings"
    return subprocess.run(
        [sys.executable, "-c", PRINT_KEY], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_a_fresh_local_checkout_needs_no_environment():
    result = run_with()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("django-insecure-")


def test_a_real_database_requires_a_real_secret_key():
    result = run_with(DATABASE_URL="postgres://postgres@127.0.0.1:5432/totech")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr
    assert (
        run_with(DATABASE_URL="postgres://postgres@127.0.0.1:5432/totech", SECRET_KEY="k" * 60).stdout.strip()
        == "k" * 60
    )


def test_a_real_database_keeps_its_connections_unless_the_url_says_otherwise():
    show = "import django; django.setup(); from django.db import connection as c; print(c.settings_dict['CONN_MAX_AGE'], c.settings_dict['CONN_HEALTH_CHECKS'])"
    base = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DATABASE_URL", "REDIS_URL"}}
    env = {**base, "DJANGO_SETTINGS_MODULE": "totech.settings", "SECRET_KEY": "k" * 60}

    def settings_for(url):
        result = subprocess.run(
            [sys.executable, "-c", show], cwd=ROOT, env={**env, "DATABASE_URL": url}, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert settings_for("postgres://postgres@127.0.0.1:5432/totech") == ["60", "True"]
    assert settings_for("postgres://postgres@127.0.0.1:5432/totech?conn_max_age=600") == ["600", "True"]
    assert settings_for("postgres://postgres@127.0.0.1:5432/totech?conn_max_age=0") == ["0", "True"]


def test_parallel_writers_on_the_sqlite_demo_wait_their_turn_instead_of_failing(tmp_path):
    """Six leaders send their reports at once, then a reviewer's six approvals run at once (sqlite_writers.py),
    on a file database: before immediate transactions, five of six failed with 'database is locked'."""
    base = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DATABASE_URL", "REDIS_URL"}}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "totech.settings",
        "SECRET_KEY": "k" * 60,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "totech.tests.sqlite_writers"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.split("RESULT ", 1)[1])
    assert outcome == {"errors": [], "statuses": ["approved"] * 6}


def test_only_sqlite_gets_the_sqlite_options():
    show = "import django; django.setup(); from django.db import connection as c; print(sorted(c.settings_dict['OPTIONS'].items()))"
    base = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DATABASE_URL", "REDIS_URL"}}
    env = {**base, "DJANGO_SETTINGS_MODULE": "totech.settings", "SECRET_KEY": "k" * 60}
    options = {}
    for name, url in (
        ("sqlite", "sqlite:////tmp/x.sqlite3"),
        ("postgres", "postgres://postgres@127.0.0.1:5432/totech"),
    ):
        result = subprocess.run(
            [sys.executable, "-c", show], cwd=ROOT, env={**env, "DATABASE_URL": url}, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        options[name] = result.stdout.strip()
    assert (
        options["sqlite"]
        == "[('init_command', 'PRAGMA journal_mode=WAL'), ('timeout', 20), ('transaction_mode', 'IMMEDIATE')]"
    )
    assert options["postgres"] == "[]"


def test_the_idle_timeout_of_sessions_is_set_in_hours():
    show = "import django; django.setup(); from django.conf import settings as s; print(s.SESSION_COOKIE_AGE, s.SESSION_REFRESH_SECONDS)"
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "REDIS_URL", "SESSION_IDLE_HOURS"}
    }
    env = {**base, "DJANGO_SETTINGS_MODULE": "totech.settings"}

    def run(**extra):
        return subprocess.run(
            [sys.executable, "-c", show], cwd=ROOT, env={**env, **extra}, capture_output=True, text=True
        )

    assert run().stdout.split() == ["32400", "300"]
    assert run(SESSION_IDLE_HOURS="0.5").stdout.split() == ["1800", "180"]
    refused = run(SESSION_IDLE_HOURS="0")
    assert refused.returncode != 0 and "SESSION_IDLE_HOURS must be a positive number" in refused.stderr


def test_the_trusted_proxies_are_counted_from_the_environment():
    show = "import django; django.setup(); from django.conf import settings as s; print(s.TRUSTED_PROXY_COUNT)"
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "REDIS_URL", "TRUSTED_PROXY_COUNT"}
    }
    env = {**base, "DJANGO_SETTINGS_MODULE": "totech.settings"}

    def run(**extra):
        return subprocess.run(
            [sys.executable, "-c", show], cwd=ROOT, env={**env, **extra}, capture_output=True, text=True
        )

    assert run().stdout.strip() == "0"
    assert run(TRUSTED_PROXY_COUNT="1").stdout.strip() == "1"
