"""Ids in the query string (issue 12, item 6): a bad one is a 404, never a 500."""

import pytest
from django.urls import reverse

from reports.tests.permission_cases import summaries
from teams.models import Team, Training
from totech.params import parse_id
from units.tests.factories import VillageFactory

BAD_IDS = ["abc", "²", "-1", "1.5", "99999999999999999999", "1\x00", " 1"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0", 0),
        ("42", 42),
        ("007", 7),
        ("9" * 18, 10**18 - 1),
        ("", None),
        ("²", None),
        ("١٢", None),
        ("-1", None),
        ("+1", None),
        ("1.5", None),
        (" 1", None),
        ("1\n", None),
        ("9" * 19, None),
        (None, None),
        (42, None),
    ],
)
def test_parse_id_takes_ascii_digits_only(value, expected):
    assert parse_id(value) == expected


# Each page that reads an id from its query string, with the persona that opens it.
PAGES = [
    ("teams:create", "unit", "province"),
    ("teams:training_create", "unit", "province"),
    ("teams:members_sample", "commune", "commune"),
    ("targets:overview", "unit", "province"),
    ("targets:overview", "period", "province"),
    ("targets:assign", "unit", "province"),
    ("targets:assign", "period", "province"),
    ("targets:export", "unit", "province"),
    ("targets:export", "period", "province"),
    ("reports:progress", "period", "province"),
    ("reports:progress", "team", "province"),
    ("reports:progress", "unit", "province"),
    ("reports:dashboard", "period", "province"),
]


@pytest.mark.parametrize("value", BAD_IDS)
@pytest.mark.parametrize("url_name, name, persona", PAGES)
def test_a_bad_id_in_the_query_string_is_not_found(client, world, personas, url_name, name, persona, value):
    VillageFactory(parent=world["K1"], name="Thôn Nà Pài")  # the member sample needs a commune with villages
    summaries(world)  # the dashboard reads ?period= once the unit has summaries
    client.force_login(personas[persona])
    assert client.get(reverse(url_name)).status_code in (200, 302)
    assert client.get(reverse(url_name), {name: value}).status_code == 404


@pytest.mark.parametrize(
    "url_name",
    ["reports:dashboard_unit", "reports:dashboard_teams", "reports:dashboard_excel", "reports:dashboard_data"],
)
@pytest.mark.parametrize("value", ["²", "abc"])
def test_a_bad_period_on_a_units_dashboard_is_not_found(client, world, personas, url_name, value):
    summaries(world)
    client.force_login(personas["province"])
    url = reverse(url_name, kwargs={"unit_pk": world["K1"].pk})
    assert client.get(url).status_code == 200
    assert client.get(url, {"period": value}).status_code == 404


def test_a_good_id_still_prefills_the_team_form(client, world, personas):
    client.force_login(personas["province"])
    form = client.get(reverse("teams:create"), {"unit": world["W2"].pk}).context["form"]
    assert form.initial["unit"] == world["W2"]


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999"])
def test_a_bad_unit_posted_on_the_training_form_is_a_form_error(client, world, personas, value):
    client.force_login(personas["province"])
    data = {"unit": value, "date": "15/09/2025", "topic": "VNeID mức 2", "save": "1"}
    response = client.post(reverse("teams:training_create"), data)
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not Training.objects.exists()


@pytest.mark.parametrize("value", ["²", "abc"])
def test_a_unit_picker_bound_to_garbage_renders(settings, client, world, personas, value):
    """The searching picker shows the current choice from the submitted value: "²" passed str.isdigit()."""
    settings.UNIT_PICKER_MAX_OPTIONS = 2
    client.force_login(personas["province"])
    response = client.post(reverse("teams:create"), {"unit": value, "name": "Tổ CNSCĐ"})
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not Team.objects.exists()
