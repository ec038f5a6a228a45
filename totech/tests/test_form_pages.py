"""Every page of the permission matrix (but the admin), as a persona allowed on it, then posted empty (so that forms show their
errors): each aria-describedby names elements the page holds, and radios and checkbox groups sit in a fieldset
with a legend."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from totech.tests.helpers import CASES

# The persona a page is read as: the first of these the case allows (the admin sees more, the leader less).
PREFERRED = ["commune", "district", "province", "leader", "admin", "outsider"]


class Page(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.ids, self.described, self.fieldsets, self.ungrouped = set(), [], [], []
        self.open_fieldsets = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described.extend(attrs["aria-describedby"].split())
        if tag == "fieldset":
            self.open_fieldsets.append({"legend": False})
            self.fieldsets.append(self.open_fieldsets[-1])
        elif tag == "legend" and self.open_fieldsets:
            self.open_fieldsets[-1]["legend"] = True
        elif tag == "input" and attrs.get("type") in {"radio", "checkbox"} and not self.open_fieldsets:
            self.ungrouped.append((attrs["type"], attrs.get("name")))

    def handle_endtag(self, tag):
        if tag == "fieldset" and self.open_fieldsets:
            self.open_fieldsets.pop()


def assert_described_and_grouped(response, what):
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return
    page = Page(response.content.decode())
    assert sorted(set(page.described) - page.ids) == [], f"{what}: aria-describedby names missing ids"
    assert [fieldset for fieldset in page.fieldsets if not fieldset["legend"]] == [], (
        f"{what}: a fieldset without a legend"
    )
    names = [name for _type, name in page.ungrouped]
    groups = {name for kind, name in page.ungrouped if kind == "radio" or names.count(name) > 1}
    assert groups == set(), f"{what}: groups of radios or checkboxes outside a fieldset"


PAGES = [
    case for case in CASES if case.allowed and case.allowed_status == 200 and not case.url_name.startswith("admin:")
]  # Django's admin is Django's


@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.id)
def test_every_page_describes_its_fields_with_ids_it_holds(client, world, personas, case):
    persona = next(name for name in PREFERRED if name in case.allowed)
    client.force_login(personas[persona])
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    assert_described_and_grouped(client.get(url), f"GET {case.id} as {persona}")
    assert_described_and_grouped(client.post(url, {}), f"POST {case.id} as {persona}")
