"""Garbage in, never a 500: every URL of the permission matrix, as every persona, with garbage in every query
parameter and every form field.

For each case and persona the page is first opened as the matrix opens it, recording which query parameters
the view reads (`request.GET` is a QueryDict: its reads are watched). Then:

* two GETs with every known parameter at once (the names the code reads from request.GET, found by grepping
  the apps, plus the fields of the page's own forms), each request mixing the garbage values differently;
* for each parameter the view read, a GET with that parameter alone holding one of the nastiest values (each
  persona another one), so a parameter answered with a 404 cannot hide a crash behind it;
* for each POST form on the page, two POSTs of its fields filled with garbage (files too), pressing each
  submit button in turn (the CSRF token is kept).

The values rotate over the personas, so that all of them reach every parameter without the cartesian
product. A URL's other cases (the same view on other objects) get one GET with every parameter and one POST
per form, for each persona.

Every answer must be below 500. Select it with `-m garbage` (or leave it out with `-m "not garbage"`): 3,500
requests, 52 s on SQLite (on the shared 2-core machine at load 4, 04/12/2026).
"""

import logging
import re
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils.datastructures import MultiValueDict

from totech.tests.helpers import CASES
from totech.tests.permissions import ALL

pytestmark = pytest.mark.garbage

LONG = "ab " * 1700  # 5,100 characters of words
VALUES = ["abc", "²", "-1", "0", "99999999999999999999", "1.5", "", "\x00", LONG, "<script>", "' OR 1=1"]
NASTY = ["²", "-1", "99999999999999999999", "\x00", LONG]  # one at a time, for each parameter a view reads
ROTATIONS = 2  # GETs per persona with every parameter at once, the six personas shifting the values further
POSTS_PER_FORM = 2
SKIPPED_ACTIONS = {"logout", "set_language"}  # Django's own, and logging out would end the persona's session
APPS = ("accounts", "units", "teams", "targets", "reports", "totech")
READ = re.compile(r"""\bGET(?:\.get|\.getlist)?\(\s*["'](\w+)["']|\bGET\[\s*["'](\w+)["']\s*\]""")


def names_read_in_code() -> set[str]:
    """Every query parameter name the apps' code reads by name (request.GET.get("unit"), request.GET["team"])."""
    names = {"page"}
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "tests" not in path.parts:
                names |= {a or b for a, b in READ.findall(path.read_text())}
    return names


CODE_NAMES = names_read_in_code()
FIRST_CASES = {case.url_name: case for case in reversed(CASES)}


class Forms(HTMLParser):
    """The <form>s of a page: method, action, fields (name → kind) and submit buttons (name, value)."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (attrs.get("method") or "get").lower(),
                    "action": attrs.get("action") or "",
                    "fields": {},
                    "buttons": [],
                }
            )
            return
        if not self.forms or not attrs.get("name"):
            return
        form, name, kind = self.forms[-1], attrs["name"], (attrs.get("type") or "").lower()
        if tag == "button" or (tag == "input" and kind in ("submit", "image")):
            form["buttons"].append((name, attrs.get("value") or ""))
        elif tag in ("input", "select", "textarea"):
            form["fields"][name] = "file" if kind == "file" else ("csrf" if name == "csrfmiddlewaretoken" else "text")
            if name == "csrfmiddlewaretoken":
                form["csrf"] = attrs.get("value", "")


def forms_of(response):
    if "html" not in response.get("Content-Type", ""):
        return []
    parser = Forms()
    parser.feed(response.content.decode(errors="replace"))
    return parser.forms


class Reads:
    """Records the keys read from any QueryDict while active."""

    def __init__(self):
        self.names = set()

    def __enter__(self):
        original_get, original_getlist = MultiValueDict.__getitem__, MultiValueDict.getlist
        names = self.names

        def record(mapping, key):
            if isinstance(mapping, QueryDict) and isinstance(key, str):
                names.add(key)

        def getitem(self, key):
            record(self, key)
            return original_get(self, key)

        def getlist(self, key, default=None):
            record(self, key)
            return original_getlist(self, key, default)

        def contains(self, key):
            record(self, key)
            return dict.__contains__(self, key)

        self.patches = [
            mock.patch.object(MultiValueDict, "__getitem__", getitem),
            mock.patch.object(MultiValueDict, "getlist", getlist),
            mock.patch.object(MultiValueDict, "__contains__", contains, create=True),
        ]
        for patch in self.patches:
            patch.start()
        return self

    def __exit__(self, *exc):
        for patch in reversed(self.patches):
            patch.stop()


def rotated(names, shift):
    """Each name gets a garbage value; `shift` moves which value goes to which name."""
    return {name: VALUES[(index + shift) % len(VALUES)] for index, name in enumerate(sorted(names))}


def post_data(form, shift):
    data = {}
    for index, (name, kind) in enumerate(sorted(form["fields"].items())):
        value = VALUES[(index + shift) % len(VALUES)]
        if kind == "csrf":
            data[name] = form["csrf"]
        elif kind == "file":
            data[name] = SimpleUploadedFile(f"garbage{shift}.xlsx", value.encode() or b"\x00")
        else:
            data[name] = value
    if form["buttons"]:
        name, value = form["buttons"][shift % len(form["buttons"])]
        data[name] = value
    return data


def post_target(form, url):
    """The path a form posts to (its own page when it has no action), or None outside the portal's views."""
    action = urlsplit(form["action"]).path or urlsplit(url).path
    try:
        match = resolve(action)
    except Resolver404:
        return None
    return None if match.url_name in SKIPPED_ACTIONS else action


@pytest.fixture
def _quiet_errors():
    """The 500s are reported by the test; Django's error log of each would only bury the report."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_garbage_never_answers_500(world, personas, case, _quiet_errors):
    client = Client(raise_request_exception=False)
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    failures = []

    def check(method, path, data, response):
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            failures.append(
                f"{persona} {method} {path} {shorten(data)} -> {response.status_code} {exc[1] if exc else ''!r}"
            )

    # The first case of a URL gets every request; its other cases (the same view on other objects) one GET
    # with every parameter and one POST per form, for each persona.
    full = FIRST_CASES[case.url_name] is case
    rotations, posts = (ROTATIONS, POSTS_PER_FORM) if full else (1, 1)
    for number, persona in enumerate(sorted(ALL)):
        client.force_login(personas[persona])
        with Reads() as reads:
            response = client.get(url)
        check("GET", url, {}, response)
        forms = forms_of(response)
        page_names = {name for form in forms for name, kind in form["fields"].items() if kind == "text"}
        for shift in range(rotations):
            with Reads() as more:
                params = rotated(CODE_NAMES | page_names, rotations * number + shift)
                check("GET", url, params, client.get(url, params))
            reads.names |= more.names
        # One parameter at a time, each persona with another of the nastiest values: the six together send
        # every one of them to every parameter the view reads.
        for index, name in enumerate(sorted(reads.names - {"csrfmiddlewaretoken"}) if full else []):
            params = {name: NASTY[(index + number) % len(NASTY)]}
            check("GET", url, params, client.get(url, params))
        for form in forms:
            if form["method"] == "post" and (target := post_target(form, url)):
                for shift in range(posts):
                    data = post_data(form, posts * number + shift)
                    check("POST", target, data, client.post(target, data))
    assert not failures, "\n".join(failures)


def shorten(data):
    return {
        key: (value[:20] + "…" if isinstance(value, str) and len(value) > 20 else value) for key, value in data.items()
    }
