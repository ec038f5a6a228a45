"""Names and figures as communes type or paste them, in the forms, the admin and the Excel imports alike:
texts stored in NFC, hidden characters refused on their field or column; counts written 25.000 or 25 000
read as twenty-five thousand, and 1,5 refused rather than read as 15."""

import datetime
import io
import unicodedata

import pytest
from django.urls import reverse

from teams.choices import Affiliation, TeamRole
from teams.forms import RuleForm
from teams.models import Person, Team
from teams.spreadsheets.members import import_members
from units.imports import import_villages
from units.models import PopulationFigure

from .factories import MembershipFactory, PersonFactory, TeamFactory
from .helpers import member_file, workbook_bytes

pytestmark = pytest.mark.django_db

NFD_NAME = unicodedata.normalize("NFD", "Triệu Thị Yến")
HIDDEN = [
    ("\u200b\u200b", "chỉ gồm các ký tự vô hình"),
    ("Triệu Thị \u202eYến", "chứa ký tự đảo chiều văn bản"),
    ("Triệu\x07 Thị Yến", "chứa ký tự điều khiển"),
]


def in_xlsx(text):
    """A control character as an .xlsx file holds it (_x0007_): openpyxl refuses the character itself, a file
    saved by other programs holds it, and the reader decodes it."""
    return "".join(f"_x{ord(char):04X}_" if ord(char) < 32 else char for char in text)


@pytest.fixture
def village_team(world):
    team = TeamFactory(unit=world["W1"], name="Tổ CNSCĐ thôn Bản Giang")
    MembershipFactory(
        team=team, role=TeamRole.LEADER, person=PersonFactory(commune=world["K1"], full_name="Đỗ Văn Tuấn")
    )
    return team


def add_member(client, personas, team, full_name, notes=""):
    client.force_login(personas["commune"])
    return client.post(
        reverse("teams:membership_add", args=[team.pk]),
        {
            "membership-role": TeamRole.MEMBER,
            "membership-affiliation": Affiliation.YOUTH_UNION,
            "membership-start_date": "01/08/2025",
            "membership-notes": notes,
            "person-full_name": full_name,
            "save": "",
        },
    )


def test_a_name_typed_in_nfd_with_invisible_edges_is_stored_in_nfc(client, world, personas, village_team):
    response = add_member(
        client,
        personas,
        village_team,
        f"\u200b {NFD_NAME}\ufeff",
        notes=unicodedata.normalize("NFD", "Cán bộ y tế  thôn"),
    )
    assert response.status_code == 302
    person = Person.objects.get(full_name="Triệu Thị Yến")
    assert person.memberships.get().notes == "Cán bộ y tế thôn"

    client.post(
        reverse("teams:create"), {"unit": world["W2"].pk, "name": unicodedata.normalize("NFD", "Tổ CNSCĐ thôn Na Lay")}
    )
    assert Team.objects.filter(name="Tổ CNSCĐ thôn Na Lay").exists()


@pytest.mark.parametrize("typed, words", HIDDEN)
def test_a_name_with_hidden_characters_is_refused_naming_the_field(client, personas, village_team, typed, words):
    response = add_member(client, personas, village_team, typed)
    assert response.status_code == 200
    [message] = response.context["person_form"].errors["full_name"]
    assert message.startswith(f"Họ và tên {words}")  # the field, then the problem
    assert village_team.memberships.count() == 1


@pytest.mark.parametrize("typed, words", HIDDEN)
def test_a_team_name_with_hidden_characters_is_refused(client, world, personas, typed, words):
    client.force_login(personas["commune"])
    response = client.post(reverse("teams:create"), {"unit": world["W2"].pk, "name": typed})
    assert response.status_code == 200
    assert words in response.context["form"].errors["name"][0]
    assert not Team.objects.exists()


def test_rule_counts_typed_with_dots_are_read_whole():
    form = RuleForm(
        {"source": "", "min_size": "5", "max_size": "1.000", "min_youth_union": "0", "min_it_teachers": "0"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["max_size"] == 1000  # a non-localised IntegerField read 1.000 as 1
    assert not RuleForm({"min_size": "1,5", "min_youth_union": "0", "min_it_teachers": "0"}).is_valid()


# --- the member import ---------------------------------------------------------------------------------


def member_row(name, notes=None):
    return [1, name, "05/03/1990", "Nữ", "0912345678", "Thành viên", "Đoàn Thanh niên", "Thôn Bản Giang", notes]


@pytest.mark.parametrize("typed, words", HIDDEN)
def test_the_member_import_refuses_the_same_names_on_their_column(world, typed, words):
    result = import_members(member_file(member_row(in_xlsx(typed))), commune=world["K1"])
    assert not result.written and not Person.objects.exists()
    [error] = result.errors
    assert (error.row, error.column) == (2, "Họ và tên")
    assert error.message.startswith(f"Họ và tên {words}")


def test_the_member_import_refuses_a_note_with_a_control_character_and_stores_nfc(world):
    result = import_members(member_file(member_row("Lò Văn Sơn", notes=in_xlsx("Trưởng\x0bthôn"))), commune=world["K1"])
    assert [(error.column, error.message[:29]) for error in result.errors] == [
        ("Ghi chú", "Ghi chú chứa ký tự điều khiển")
    ]
    result = import_members(
        member_file(member_row(NFD_NAME, notes=unicodedata.normalize("NFD", "Y tế thôn"))), commune=world["K1"]
    )
    assert result.written
    assert Person.objects.get().full_name == "Triệu Thị Yến"


# --- the village import --------------------------------------------------------------------------------


def villages(*rows):
    return io.BytesIO(workbook_bytes([["Thôn", "Số hộ", "Số dân", "Dân số trong độ tuổi lao động"], *rows]))


def test_village_figures_written_with_dots_or_spaces_are_read_whole(world):
    result = import_villages(
        villages(["Bản Giang", "1.250", "25.000", 15000.0], ["Na Lay", "12", "25 000", None]),
        commune=world["K1"],
        as_of=datetime.date(2025, 1, 1),
    )
    assert result.written, [str(error) for error in result.errors]
    figures = {
        figure.unit.name: (figure.households, figure.population, figure.working_age_population)
        for figure in PopulationFigure.objects.select_related("unit")
    }
    assert figures == {"Thôn Bản Giang": (1250, 25000, 15000), "Thôn Na Lay": (12, 25000, None)}


@pytest.mark.parametrize("typed", ["1,5", "1.5", 1.5, "-3", "25,000"])
def test_a_village_figure_with_a_decimal_part_is_refused_not_read_as_another_number(world, typed):
    result = import_villages(villages(["Bản Giang", typed, "40"]), commune=world["K1"], as_of=datetime.date(2025, 1, 1))
    assert not result.written and not PopulationFigure.objects.exists()
    [error] = result.errors
    assert error.column == "Số hộ"
    assert "không phải là số nguyên" in error.message or "không được là số âm" in error.message


def test_a_village_name_with_a_direction_override_is_refused(world):
    result = import_villages(
        villages(["Nà \u202ePài", "10", "40"]), commune=world["K1"], as_of=datetime.date(2025, 1, 1)
    )
    assert not result.written
    assert [error.column for error in result.errors] == ["Thôn"] and "đảo chiều" in result.errors[0].message


# --- the admin -----------------------------------------------------------------------------------------


def test_the_admin_reads_population_typed_the_vietnamese_way_and_cleans_names(client, world, personas):
    client.force_login(personas["admin"])
    response = client.post(
        reverse("admin:units_populationfigure_add"),
        {
            "unit": world["W1"].pk,
            "as_of": "2025-01-01",
            "households": "1.250",
            "population": "25.000",
            "working_age_population": "",
            "eid_eligible": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    figure = PopulationFigure.objects.get()
    assert (figure.households, figure.population) == (1250, 25000)  # not 1 and 25

    person = PersonFactory(commune=world["K1"], full_name="Lò Văn Sơn")
    url = reverse("admin:teams_person_change", args=[person.pk])
    data = {
        "full_name": NFD_NAME,
        "gender": "",
        "birth_date": "",
        "birth_year": "",
        "phone": "",
        "email": "",
        "commune": world["K1"].pk,
        "user": "",
    }
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Triệu Thị Yến"
    response = client.post(url, {**data, "full_name": "Lò Văn \u2067Sơn"})
    assert response.status_code == 200 and "đảo chiều" in response.content.decode()


def test_the_team_list_filters_read_member_counts_as_every_count_is_read(personas):
    from teams.filters import TeamFilter

    filters = TeamFilter(
        {"size_min": "1.000", "size_max": "2 000"}, queryset=Team.objects.none(), user=personas["province"]
    )
    assert filters.form.is_valid() and (
        filters.form.cleaned_data["size_min"],
        filters.form.cleaned_data["size_max"],
    ) == (1000, 2000)
    assert not TeamFilter({"size_min": "1,5"}, queryset=Team.objects.none(), user=personas["province"]).form.is_valid()
