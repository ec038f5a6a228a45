"""Settings come only from the environment (django-environ).

Nothing set: DEBUG, SQLite under var/, Celery tasks run in-process. Production sets DATABASE_URL,
REDIS_URL, SECRET_KEY and ALLOWED_HOSTS.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    TIME_ZONE=(str, "Asia/Ho_Chi_Minh"),
    REDIS_URL=(str, ""),
    SECURE=(bool, False),
)

DEBUG = env("DEBUG")
# A development key is allowed only on a local SQLite set-up (no DATABASE_URL) or with DEBUG, so that
# `python manage.py ...` works on a fresh checkout; a real database needs a real SECRET_KEY. The key's
# "django-insecure-" prefix makes `check --deploy` flag it if it ever reaches a server.
if DEBUG or "DATABASE_URL" not in env.ENVIRON:
    SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-key-never-use-on-a-server")
else:
    SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "totech.apps.TotechAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "django_htmx",
    "axes",
    "simple_history",
    "django_celery_beat",
    "totech",
    "units",
    "accounts",
    "teams",
    "targets",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "totech.middleware.PortalLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "totech.middleware.SessionActivityMiddleware",
    "totech.middleware.PrivateResponseMiddleware",
    "totech.middleware.ScopeRequiredMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "totech.middleware.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "totech.urls"
WSGI_APPLICATION = "totech.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "totech.context_processors.choices",
                "reports.context_processors.report_panels",
            ],
        },
    },
]
FORM_RENDERER = "totech.forms.BootstrapFormRenderer"
# A unit picker lists its units in a plain select up to this many; above, it searches (units.forms.UnitPicker).
UNIT_PICKER_MAX_OPTIONS = 200

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'totech.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if "DATABASE_URL" in env.ENVIRON:
    # Persistent connections (a new PostgreSQL connection per request halved the submissions' throughput, see
    # bench/README.md), checked before reuse after a restart of the server; ?conn_max_age= and
    # ?conn_health_checks= in the URL take precedence.
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

# --- SQLite (the `make run` demo) ---
# Writers queue instead of failing with "database is locked": a transaction takes the write lock when it begins
# (a deferred one that read first cannot wait for it, SQLite refuses it at once), waits up to 20 s for it, and
# with the WAL journal readers never wait for writers. Options in the URL take precedence.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    for option, value in {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL",
    }.items():
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(option, value)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ScopedModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed-password throttling (logins and the password-change form's current password, accounts.lockouts):
# 5 failures per username and client address lock that pair out for 15 minutes, 30 from one address over any
# usernames lock the address. Behind TRUSTED_PROXY_COUNT reverse proxies the client address is read from
# X-Forwarded-For (accounts.lockouts.client_ip); without, the header is ignored.
AXES_FAILURE_LIMIT = 5
AXES_ADDRESS_FAILURE_LIMIT = 30
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_HANDLER = "accounts.lockouts.AddressAwareHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.lockouts.client_ip"
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE")
FORMAT_MODULE_PATH = ["totech.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Hashed, compressed static files in production; plain ones in development and tests (the test live server
# serves static files through the finders, which know no hashed names).
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

# Uploads. A request body over MAX_REQUEST_BYTES is answered 413 before it is read, by its Content-Length or
# as it streams in (totech.middleware.RequestSizeLimitMiddleware): the largest upload is a 10 MB workbook
# (totech.spreadsheets.MAX_UPLOAD_BYTES; photos take 5 MB) plus the form around it. Form fields alone are
# capped by DATA_UPLOAD_MAX_MEMORY_SIZE (Django does not count files there); files above
# FILE_UPLOAD_MAX_MEMORY_SIZE wait in a temporary file rather than in memory. The reverse proxy caps bodies
# a little above MAX_REQUEST_BYTES (README, Production) so the portal's own page explains the refusal.
MAX_REQUEST_BYTES = 11 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Celery: Redis when REDIS_URL is set, otherwise tasks run in-process so `make run` needs nothing else.
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Nothing waits for a task's result (tasks write to the database). Without this, every .delay() in a request
# subscribes to the Redis result store first, which with Redis down hangs for 20 s and then breaks the process.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
# A pool process killed mid-task (OOM, kill -9) puts its task back on the queue instead of acknowledging it.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # Reminders before report deadlines and when they pass (reports.tasks; each run is safe to repeat).
    "report-reminders": {"task": "reports.tasks.send_report_reminders", "schedule": crontab(hour=7, minute=0)},
    # Roll-ups (reports.tasks): stale (commune, quarter) marks every 5 minutes; open quarters nightly.
    "rollups-drain-stale": {"task": "reports.tasks.drain_stale_rollups", "schedule": crontab(minute="*/5")},
    "rollups-open-quarters": {"task": "reports.tasks.recompute_open_quarters", "schedule": crontab(hour=1, minute=30)},
    # Uploaded import files left waiting for confirmation past IMPORT_FILE_RETENTION_DAYS (teams.tasks).
    "import-files-purge": {"task": "teams.tasks.purge_import_files", "schedule": crontab(hour=2, minute=15)},
}
# An import's uploaded file is deleted when the job is over, or after this many days waiting for confirmation.
IMPORT_FILE_RETENTION_DAYS = env.int("IMPORT_FILE_RETENTION_DAYS", default=7)

# Email: reminders and review notices. EMAIL_URL as django-environ reads it (smtp://user:pass@host:587, ...);
# without it, mail is printed to the console. PORTAL_URL prefixes the links in emails.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Totech <no-reply@totech.local>")
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000")

# With Redis down a cache call is a logged miss (totech.cache), and gives up after a second rather than hang.
CACHES = {
    "default": (
        {
            "BACKEND": "totech.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

SECURE = env("SECURE")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SESSION_COOKIE_HTTPONLY = True

# --- Sessions on shared office PCs ---
# A session ends when the browser closes (its cookie has no expiry), and on the server after SESSION_IDLE_HOURS
# without a request (a working day by default; totech.middleware.SessionActivityMiddleware restarts the clock at
# most every SESSION_REFRESH_SECONDS, not with a write per request). Expired sessions are deleted nightly.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_HOURS = env.float("SESSION_IDLE_HOURS", default=9)
if SESSION_IDLE_HOURS <= 0:
    raise ImproperlyConfigured("SESSION_IDLE_HOURS must be a positive number of hours.")
SESSION_COOKIE_AGE = round(SESSION_IDLE_HOURS * 3600)
SESSION_REFRESH_SECONDS = min(5 * 60, SESSION_COOKIE_AGE // 10)
CELERY_BEAT_SCHEDULE["sessions-clear-expired"] = {
    "task": "totech.tasks.clear_expired_sessions",
    "schedule": crontab(hour=2, minute=15),
}

X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (django-csp): scripts and styles only from the portal's own static
# files, so no inline script, handler or style attribute runs (static/js/totech.js holds the page behaviours;
# htmx is told not to inject styles or evaluate code, see base.html). Bootstrap's CSS draws its icons from
# data: URIs. A served photo sets its own stricter policy (reports.views.photo_view).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {"totech.audit": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
