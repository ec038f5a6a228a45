"""Roster exports and the template: the import's layout, the round trip, scope, escaping, the export log."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import ExportLog
from teams.choices import TeamRole
from teams.models import Membership, Team
from teams.spreadsheets.exports import blank_template
from teams.spreadsheets.layout import MEMBER_EXPORT_FIELDS, MEMBER_HEADERS
from teams.spreadsheets.members import import_members
from teams.spreadsheets.samples import messy_member_workbook

from .factories import MembershipFactory, PersonFactory, TeamFactory
from .helpers import member_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def rosters(world):
    """Members in both Thanh Thịnh villages, and one in Chợ Mới (outside the leader's and commune's scope)."""
    data = messy_member_workbook(world["K1"].name, ["Thôn Bản Giang", "Thôn Na Lay"], members_per_village=4)
    assert import_members(io.BytesIO(data), commune=world["K1"]).written
    other = member_file([1, "Hà Văn Khác", "1990", "Nam", "0900000009", "Tổ trưởng", "", "Khe Thầu", None])
    assert import_members(other, commune=world["K2"]).written


def sheet_rows(content):
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_has_the_import_headers_and_round_trips_unchanged(world, personas, rosters, tmp_path, capsys):
    path = tmp_path / "roster.xlsx"
    call_command("export_members", "--commune", "02107", "-o", str(path), "--user", "commune")
    assert capsys.readouterr().out.strip() == f"8 members written to {path}"
    rows = sheet_rows(path.read_bytes())
    header_index = next(index for index, row in enumerate(rows) if row[1] == "Họ và tên")
    assert rows[header_index] == [MEMBER_HEADERS[name][0] for name in MEMBER_EXPORT_FIELDS]
    data = rows[header_index + 1 :]
    assert len(data) == 8 and {row[7] for row in data} == {"Thôn Bản Giang", "Thôn Na Lay"}
    assert data[0][5] == "Tổ trưởng" and all(str(row[4]).startswith("0") for row in data)

    again = import_members(io.BytesIO(path.read_bytes()), commune=world["K1"])
    assert (again.created, again.updated, again.unchanged, again.error_count) == (0, 0, 8, 0)
    log = ExportLog.objects.get()
    assert (log.user, log.row_count, log.kind) == (personas["commune"], 8, "team_members")


def test_web_export_is_scoped_filtered_and_logged(client, world, personas, rosters):
    client.force_login(personas["leader"])
    response = client.get(reverse("teams:members_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    names = {row[1] for row in sheet_rows(response.content)[4:]}
    assert len(names) == 4 and "Hà Văn Khác" not in names  # only the leader's own village

    client.force_login(personas["province"])
    team = Team.objects.get(unit=world["W2"])
    response = client.get(reverse("teams:members_export"), {"team": team.pk, "role": "leader"})
    data = sheet_rows(response.content)[4:]
    assert [row[8] for row in data] == [team.name]
    assert ExportLog.objects.filter(user=personas["province"], row_count=1, scope__contains=f"team={team.pk}").exists()


def test_out_of_scope_filters_answer_404(client, world, personas, rosters):
    client.force_login(personas["commune"])
    other_team = Team.objects.get(unit=world["W3"])
    assert client.get(reverse("teams:members_export"), {"team": other_team.pk}).status_code == 404
    assert client.get(reverse("teams:members_export"), {"unit": world["K2"].pk}).status_code == 404
    assert not ExportLog.objects.exists()


def test_exported_text_cells_that_look_like_formulas_are_escaped(world, personas, rosters, tmp_path):
    Membership.objects.filter(team__unit=world["W1"]).update(notes='=HYPERLINK("http://x")')
    path = tmp_path / "roster.xlsx"
    call_command("export_members", "--commune", "02107", "-o", str(path), "--user", "commune")
    sheet = load_workbook(path).worksheets[0]
    notes = [cell.value for cell in sheet["K"] if cell.value and "HYPERLINK" in str(cell.value)]
    assert notes and all(value.startswith("'=") for value in notes)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    # ... and the escaped note comes back as it was.
    assert import_members(io.BytesIO(path.read_bytes()), commune=world["K1"]).unchanged == 8


def test_blank_template_has_the_headers_and_an_instructions_sheet(client, personas):
    workbook = load_workbook(io.BytesIO(blank_template()))
    assert workbook.sheetnames == ["Danh sách", "Hướng dẫn"]
    assert [MEMBER_HEADERS[name][0] for name in MEMBER_EXPORT_FIELDS] in [
        list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)
    ]
    assert any("Tổ trưởng" in str(row[0]) for row in workbook["Hướng dẫn"].iter_rows(values_only=True))
    client.force_login(personas["leader"])
    assert client.get(reverse("teams:members_template"))["Content-Disposition"].endswith('.xlsx"')


def test_a_leaders_export_leaves_out_the_commune_team_they_lead_beyond_their_scope(client, world, personas):
    """The roster carries phones: it reads the teams the user's scope covers (memberships_in_scope_of, the rule of
    sees_personal_data), not every team the user may open (memberships_visible_to adds the teams they lead)."""
    commune_team = TeamFactory(unit=world["K1"])
    MembershipFactory(
        team=commune_team, person=PersonFactory(commune=world["K1"], user=personas["leader"]), role=TeamRole.LEADER
    )
    MembershipFactory(
        team=commune_team, person=PersonFactory(commune=world["K1"], full_name="Lò Văn Xã", phone="0987000111")
    )
    client.force_login(personas["leader"])
    assert client.get(reverse("teams:detail", args=[commune_team.pk])).status_code == 200
    rows = sheet_rows(client.get(reverse("teams:members_export")).content)
    assert not any("Lò Văn Xã" in row or "0987000111" in row for row in rows)


def test_the_team_lists_export_button_exports_the_teams_the_list_shows(client, world, personas, rosters):
    """Search, rule and size filters of the team list narrow its roster export the same way (issue 15, item 2)."""
    bản_giang = Team.objects.get(unit=world["W1"])
    na_lay = Team.objects.get(unit=world["W2"])
    Membership.objects.filter(team=na_lay).order_by("pk").first().delete()  # Na Lay: 3 members, Bản Giang: 4
    client.force_login(personas["commune"])

    for query, shown in [
        ({"q": "Bản Giang"}, {bản_giang.name}),
        ({"size_min": "4"}, {bản_giang.name}),
        ({"size_max": "3"}, {na_lay.name}),
    ]:
        listing = client.get(reverse("teams:list"), query)
        assert {team.name for team in listing.context["page"].object_list} == shown
        export_url = listing.content.decode().split('id="export-members" href="')[1].split('"')[0].replace("&amp;", "&")
        rows = sheet_rows(client.get(export_url).content)[4:]
        assert {row[8] for row in rows} == shown, query
