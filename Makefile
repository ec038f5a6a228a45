# Two commands do all the set-up: `make run` (demo on SQLite, tasks in-process) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test messages

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Tests and lint need requirements-test.txt on top (pytest, playwright, factories, ruff); `make run` does not.
$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $(TEST_STAMP)

run: $(STAMP)
	mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# Tests run with DEBUG off. DATABASE_URL and REDIS_URL, when set (as on CI), point them at PostgreSQL and
# Redis; otherwise SQLite and in-process tasks. collectstatic with hashed names proves every asset resolves.
test: $(TEST_STAMP)
	mkdir -p var
	SECRET_KEY=test-only-secret $(PY) manage.py collectstatic --noinput -v0
	SECRET_KEY=test-only-secret STATIC_MANIFEST=0 DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

# Refresh the translation catalogues after changing user-facing strings, then translate and compile.
messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=bench
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv
