"""Every page carries a Content-Security-Policy that runs no inline code, and no template relies on any
(issue 12, item 1). The browser tests fail on any violation the browser reports (conftest.py, `context`)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [None, "leader", "province"])
def test_every_page_has_a_policy_that_runs_only_the_portals_own_files(client, personas, persona):
    if persona:
        client.force_login(personas[persona])
    for url in (reverse("login"), reverse("home"), reverse("reports:list"), "/no-such-page/"):
        policy = directives(client.get(url))
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], url
        assert (
            policy["object-src"] == ["'none'"]
            and policy["frame-ancestors"] == ["'none'"]
            and policy["base-uri"] == ["'none'"]
        )


def test_no_template_holds_an_inline_script_handler_or_style():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for rule in (INLINE_HANDLER, INLINE_SCRIPT, STYLE_ATTRIBUTE):
            found += [f"{path.relative_to(TEMPLATES)}: {match.group(0)[:80]}" for match in rule.finditer(text)]
    assert not found
