"""The unit picker: a plain select for small scopes, a scoped search above the threshold (units.forms)."""

import importlib
import re

import pytest
from django.db import connection
from django.urls import reverse

from teams.forms import TeamForm
from teams.models import Team
from teams.selectors import units_for_new_teams
from units.tests.factories import VillageFactory


def search(client, personas, who, q, levels="any", **params):
    client.force_login(personas[who])
    response = client.get(reverse("units:search", kwargs={"levels": levels}), {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def option_ids(html):
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', html)}


def test_a_small_scope_keeps_the_plain_select(world, personas):
    html = str(TeamForm(units=units_for_new_teams(personas["province"]))["unit"])
    assert "data-unit-picker-search" not in html
    assert option_ids(html) == {world[key].pk for key in ("K1", "K2", "W1", "W2", "W3")}


def test_a_large_scope_gets_the_search_and_only_the_current_choice(settings, world, personas):
    settings.UNIT_PICKER_MAX_OPTIONS = 4
    html = str(TeamForm(units=units_for_new_teams(personas["province"]), initial={"unit": world["W2"]})["unit"])
    assert "data-unit-picker-search" in html and reverse("units:search", kwargs={"levels": "team"}) in html
    assert option_ids(html) == {world["W2"].pk}
    assert "Thôn Na Lay · Xã Thanh Thịnh · Thái Nguyên" in html
    assert "<noscript>" in html


def test_search_ignores_accents_and_case_and_labels_the_chain(client, world, personas):
    html = search(client, personas, "province", "ban GIANG")
    assert option_ids(html) == {world["W1"].pk}
    assert "Thôn Bản Giang · Xã Thanh Thịnh · Thái Nguyên" in html


def test_units_whose_own_name_has_every_word_come_first(client, world, personas):
    own = VillageFactory(parent=world["K2"], name="Thôn Thanh Bình")  # after K1's villages in map order
    html = search(client, personas, "province", "thon thanh")
    ids = [int(pk) for pk in re.findall(r'<option value="(\d+)"', html)]
    assert ids[0] == own.pk and set(ids) == {own.pk, world["W1"].pk, world["W2"].pk}  # W1, W2: "thanh" in their commune


def test_each_word_starts_a_word_of_the_name(client, world, personas):
    """What is typed is the start of words ("ban gia" finds Bản Giang), not any piece of them: "thon 1" finds Thôn 1
    and Thôn 12, never Thôn 21 (and the search stays an index lookup, item 5 of issue 12)."""
    for number in (12, 21):
        VillageFactory(parent=world["K2"], name=f"Thôn {number}")
    assert option_ids(search(client, personas, "province", "ban gia")) == {world["W1"].pk}
    assert option_ids(search(client, personas, "province", "an iang")) == set()
    names = {
        label.split(" · ")[0]
        for label in re.findall(r'<option value="\d+">([^<]+)', search(client, personas, "province", "thon 1"))
    }
    assert names == {"Thôn 12"}


def test_search_words_may_name_the_parent(client, world, personas):
    assert option_ids(search(client, personas, "province", "thon thanh thinh")) == {world["W1"].pk, world["W2"].pk}


def test_punctuation_only_separates_words(client, world, personas):
    """What is typed never reaches the database as a regular expression: brackets, dots and stars are spaces."""
    assert option_ids(search(client, personas, "province", "(ban) giang*")) == {world["W1"].pk}
    assert option_ids(search(client, personas, "province", "[thon.giang")) == {world["W1"].pk}


def test_search_by_gso_code_prefix(client, world, personas):
    assert option_ids(search(client, personas, "admin", "021", levels="area")) == {world["K1"].pk, world["K2"].pk}


def test_a_commune_officer_only_finds_units_of_their_commune(client, world, personas):
    assert option_ids(search(client, personas, "commune", "thon")) == {world["W1"].pk, world["W2"].pk}
    assert option_ids(search(client, personas, "commune", "khe thau")) == set()  # W3, in the sibling commune


def test_another_provinces_unit_never_appears(client, world, personas):
    html = search(client, personas, "province", "to dan pho")
    assert option_ids(html) == set()
    assert "Không tìm thấy đơn vị nào" in html
    assert option_ids(search(client, personas, "admin", "to dan pho")) == {world["OV"].pk}


def test_search_keeps_to_the_pickers_levels(client, world, personas):
    assert option_ids(search(client, personas, "province", "thanh", levels="area")) == {world["K1"].pk}
    assert option_ids(search(client, personas, "province", "thanh", levels="any")) == {
        world["K1"].pk,
        world["W1"].pk,
        world["W2"].pk,
    }


def test_search_stops_at_the_limit_and_leaves_out_the_current_choice(client, world, personas):
    for number in range(40):
        VillageFactory(parent=world["K2"], name=f"Thôn {number}")
    assert len(option_ids(search(client, personas, "province", "thon"))) == 30
    assert world["W1"].pk not in option_ids(search(client, personas, "province", "ban giang", current=world["W1"].pk))


def test_too_short_a_search_asks_for_more(client, personas):
    html = search(client, personas, "province", "t")
    assert option_ids(html) == set() and "disabled" in html


@pytest.mark.parametrize("who", ["province", "admin"])
def test_a_unit_found_by_search_saves(settings, client, world, personas, who):
    settings.UNIT_PICKER_MAX_OPTIONS = 2
    found = option_ids(search(client, personas, who, "khe thau", levels="team"))
    assert found == {world["W3"].pk}
    response = client.post(reverse("teams:create"), {"unit": world["W3"].pk, "name": "Tổ CNSCĐ thôn Khe Thầu"})
    assert response.status_code == 302
    assert Team.objects.get().unit == world["W3"]


def test_an_out_of_scope_unit_is_refused(settings, client, world, personas):
    settings.UNIT_PICKER_MAX_OPTIONS = 2
    client.force_login(personas["province"])
    response = client.post(reverse("teams:create"), {"unit": world["OV"].pk, "name": "Tổ CNSCĐ tổ dân phố 1"})
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == [
        "Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."
    ]
    assert not Team.objects.exists()


@pytest.mark.parametrize(
    "url_name, levels",
    [
        ("teams:create", "team"),
        ("teams:list", "area"),
        ("teams:training_create", "any"),
        ("targets:campaign_create", "area"),
        ("teams:members_import", "commune"),
    ],
)
def test_every_unit_field_switches_to_the_search(settings, client, personas, url_name, levels):
    client.force_login(personas["admin"])
    search_url = reverse("units:search", kwargs={"levels": levels})
    assert search_url not in client.get(reverse(url_name)).content.decode()
    settings.UNIT_PICKER_MAX_OPTIONS = 2
    assert search_url in client.get(reverse(url_name)).content.decode()


def test_a_huge_search_is_refused_at_once(client, world, personas):
    """Issue 12: "ab " * 3000 ran 121 s and ended in a 500 ("Expression tree is too large")."""
    for q in ("ab " * 3000, "a" * 101, "thon ban giang xa thanh thinh thai"):  # too long, 101 characters, 7 words
        html = search(client, personas, "admin", q)
        assert option_ids(html) == set() and "Hãy gõ tối đa 6 từ và 100 ký tự." in html
    assert option_ids(search(client, personas, "admin", "thon ban giang xa thanh thinh")) == {world["W1"].pk}  # 6 words


def test_a_unicode_digit_is_not_a_code(client, world, personas):
    assert option_ids(search(client, personas, "admin", "²¹")) == set()
    assert option_ids(search(client, personas, "admin", "０２１")) == set()  # full-width digits


def test_the_search_name_follows_the_name(world):
    village = world["W1"]
    assert village.search_name == "thon ban giang"
    village.name = "Thôn Đồng Bẩm"
    village.save(update_fields=["name"])
    village.refresh_from_db()
    assert village.search_name == "thon dong bam"


def test_the_migration_fills_the_search_name(world):
    from django.apps import apps

    from units.models import Unit

    migration = importlib.import_module("units.migrations.0002_unit_search_name")
    Unit.objects.update(search_name="")
    migration.fill(apps, None)
    assert Unit.objects.get(pk=world["K1"].pk).search_name == "xa thanh thinh"
    assert not Unit.objects.filter(search_name="").exists()


def test_the_search_is_an_index_lookup_on_postgresql(world):
    """On PostgreSQL the LIKEs a search word becomes are answered by the trigram index (the planner takes it on
    the map's 73,000 units, bench/unit_picker.py; on a test's few units sequential scans are switched off to
    show that it can); SQLite keeps the column without the index."""
    from units.models import Unit
    from units.selectors import word_start_q

    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'units_unit'")
            assert not any("search_name" in (sql or "") for (sql,) in cursor.fetchall())
            return
        cursor.execute("SET LOCAL enable_seqscan = off")
        query = Unit.objects.filter(word_start_q("ban") & word_start_q("giang"))
        assert list(query) == [world["W1"]]
        sql, params = query.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row for (row,) in cursor.fetchall())
    assert "Bitmap Index Scan on units_unit_search_name_trgm" in plan, plan
