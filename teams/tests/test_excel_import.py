"""Member list import: the mess communes really send, each bad-row kind, all or nothing, re-imports, the CLI."""

import datetime
import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from teams.choices import Affiliation, Gender, TeamRole
from teams.models import ImportJob, ImportStatus, Membership, Person, Team
from teams.spreadsheets.members import import_members
from teams.spreadsheets.samples import messy_member_workbook
from totech.db import copy_line

from .factories import MembershipFactory, PersonFactory, TeamFactory
from .helpers import MEMBER_HEADER, far_cell_workbook, member_file, workbook_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def row(
    name="Nguyễn Văn An",
    birth="05/03/1990",
    gender="Nam",
    phone="0912345678",
    role="Thành viên",
    affiliation="Đoàn Thanh niên",
    village="Thôn Bản Giang",
    notes=None,
):
    return [1, name, birth, gender, phone, role, affiliation, village, notes]


def run(file, world, **kwargs):
    return import_members(file, commune=world["K1"], **kwargs)


def errors_of(result):
    return [str(error) for error in result.errors]


def test_messy_sample_imports_cleanly_and_reimports_unchanged(world):
    data = messy_member_workbook(world["K1"].name, ["Thôn Bản Giang", "Thôn Na Lay"], members_per_village=6)
    preview = run(io.BytesIO(data), world, dry_run=True)
    assert errors_of(preview) == []
    assert (preview.created, preview.updated, preview.unchanged) == (12, 0, 0)
    assert Person.objects.count() == 0  # a dry run writes nothing

    result = run(io.BytesIO(data), world)
    assert result.written and result.created == 12
    assert Membership.objects.filter(team__unit=world["W1"]).count() == 6
    assert Membership.objects.filter(team__unit=world["W2"]).count() == 6
    assert Team.objects.filter(unit=world["W1"], name="Tổ Công nghệ số cộng đồng Thôn Bản Giang").exists()
    assert Membership.objects.filter(role=TeamRole.LEADER).count() == 2
    assert all(len(phone) == 10 and phone.startswith("0") for phone in Person.objects.values_list("phone", flat=True))
    assert all(
        unicodedata.is_normalized("NFC", name) and "  " not in name
        for name in Person.objects.values_list("full_name", flat=True)
    )

    again = run(io.BytesIO(data), world)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 12)
    assert Person.objects.count() == 12


def test_title_rows_merged_cells_blank_numbering_section_total_and_signature_rows(world):
    rows = [
        ["UBND XÃ THANH THỊNH", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        [None, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
        [],
        ["DANH SÁCH THÀNH VIÊN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG"],
        MEMBER_HEADER,
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)"],
        ["II. TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG THÔN NA LAY"],
        row(name="Lục Văn Bình", village=None, role="Tổ trưởng"),
        [],
        row(name="Ma Thị Hoa", village=None, phone="0987654321"),
        ["III", "TỔ CNSCĐ THÔN BẢN GIANG"],
        row(name="Nông Văn Sơn", village="Bản Giang", phone="0911111111"),
        row(name="Nông Thị Yến", village=None, phone="0911111112"),
        ["Tổng cộng", None, None, None, None, None, None, None, "4 người"],
        [None, "Người lập biểu", None, None, None, "Thanh Thịnh, ngày 20 tháng 9 năm 2025"],
        [None, None, None, None, None, "CHỦ TỊCH"],
        [None, "Lê Thị Hồng", None, None, None, "Hoàng Văn Sáu"],
    ]
    file = io.BytesIO(workbook_bytes(rows, merges=["A1:C1", "E1:I1", "A4:I4", "A7:I7", "H12:H13"]))
    result = run(file, world)
    assert errors_of(result) == []
    assert result.created == 4
    assert set(Membership.objects.filter(team__unit=world["W2"]).values_list("person__full_name", flat=True)) == {
        "Lục Văn Bình",
        "Ma Thị Hoa",
    }
    # "Nông Thị Yến" has no village cell: the merged cell above (and the section) place her in Bản Giang.
    assert set(Membership.objects.filter(team__unit=world["W1"]).values_list("person__full_name", flat=True)) == {
        "Nông Văn Sơn",
        "Nông Thị Yến",
    }


@pytest.mark.parametrize(
    "cell, expected_date, expected_year",
    [
        (datetime.date(1990, 3, 5), datetime.date(1990, 3, 5), None),
        ("05/03/1990", datetime.date(1990, 3, 5), None),
        ("5/3/1990", datetime.date(1990, 3, 5), None),
        ("1990-03-05", datetime.date(1990, 3, 5), None),
        ("05-03-1990", datetime.date(1990, 3, 5), None),
        ("1990", None, 1990),
        (1990, None, 1990),
        (32937, datetime.date(1990, 3, 5), None),  # an Excel serial number in a cell formatted as a number
    ],
)
def test_dates_in_every_form(world, cell, expected_date, expected_year):
    assert errors_of(run(member_file(row(birth=cell)), world)) == []
    person = Person.objects.get()
    assert (person.birth_date, person.birth_year) == (expected_date, expected_year)


@pytest.mark.parametrize(
    "cell",
    [912345678, "0912 345 678", "0912.345.678", "0912-345-678", "+84 912 345 678", "84912345678", " 0912345678 "],
)
def test_phones_in_every_form(world, cell):
    assert errors_of(run(member_file(row(phone=cell)), world)) == []
    assert Person.objects.get().phone == "0912345678"


def test_nfd_text_extra_spaces_any_case_roles_and_villages_with_or_without_prefix(world):
    file = member_file(
        row(
            name=unicodedata.normalize("NFD", "  Nguyễn   Văn  An "),
            role="TỔ TRƯỞNG",
            village="thôn bản giang",
            phone="0911000001",
        ),
        row(name="Trần Thị Bình", role="tổ phó thường trực", village="BẢN GIANG", phone="0911000002", gender="nữ"),
        row(
            name="Lê Văn Cường",
            role=unicodedata.normalize("NFD", "Tổ phó"),
            village=unicodedata.normalize("NFD", "Na Lay"),
            phone="0911000003",
        ),
        row(
            name="Phạm Văn Dũng",
            role="",
            village="  Thôn   Na Lay ",
            phone="0911000004",
            affiliation="Bí thư Chi bộ thôn",
        ),
    )
    assert errors_of(run(file, world)) == []
    people = {
        membership.person.full_name: membership for membership in Membership.objects.select_related("person", "team")
    }
    assert people["Nguyễn Văn An"].role == TeamRole.LEADER and people["Nguyễn Văn An"].team.unit == world["W1"]
    assert (
        people["Trần Thị Bình"].role == TeamRole.STANDING_DEPUTY
        and people["Trần Thị Bình"].person.gender == Gender.FEMALE
    )
    assert people["Lê Văn Cường"].role == TeamRole.DEPUTY and people["Lê Văn Cường"].team.unit == world["W2"]
    assert (
        people["Phạm Văn Dũng"].role == TeamRole.MEMBER
        and people["Phạm Văn Dũng"].affiliation == Affiliation.PARTY_CELL
    )


def test_header_variants_are_recognised(world):
    header = ["TT", "Họ tên", "Năm sinh", "Nam/Nữ", "SĐT", "Chức vụ", "Đơn vị công tác", "Thôn", "Ghi chú"]
    assert errors_of(run(member_file(row(birth="1985"), header=header), world)) == []
    assert Person.objects.get().birth_year == 1985


def test_a_village_with_several_teams_needs_the_to_column(world):
    Team.objects.create(unit=world["W1"], name="Tổ CNSCĐ thôn Bản Giang - Tổ 1")
    second = Team.objects.create(unit=world["W1"], name="Tổ CNSCĐ thôn Bản Giang - Tổ 2")
    result = run(member_file(row()), world)
    assert "has several teams" in errors_of(result)[0] and "Row 2, Thôn/Tổ dân phố" not in errors_of(result)[0]
    with_team = member_file(row() + ["Tổ 2"], header=[*MEMBER_HEADER, "Tổ"])
    assert errors_of(run(with_team, world)) == []
    assert Membership.objects.get().team == second


@pytest.mark.parametrize(
    "bad_row, column, words",
    [
        (row(name=""), "Họ và tên", "name is missing"),
        (row(birth="31/02/1990"), "Ngày sinh", "is not a date"),
        (row(birth="năm 90"), "Ngày sinh", "is not a date"),
        (row(birth="1800"), "Ngày sinh", "between"),
        (row(birth="05/03/2999"), "Ngày sinh", "future"),
        (row(phone="12345"), "Số điện thoại", "10 digits"),
        (row(gender="khác"), "Giới tính", "Nam or Nữ"),
        (row(role="Trưởng nhóm"), "Chức vụ trong Tổ", "not a role"),
        (row(village="Thôn Bản Gian"), "Thôn/Tổ dân phố", "Did you mean: Thôn Bản Giang"),
        (row(village="Thôn Xa Lắc"), "Thôn/Tổ dân phố", "not a village"),
        (row(village=None), "Thôn/Tổ dân phố", "village is missing"),
        (row(notes="x" * 301), "Ghi chú", "300"),
    ],
)
def test_each_bad_row_kind_names_row_column_and_problem(world, bad_row, column, words):
    result = run(member_file(row(name="Người Tốt", phone="0900000001"), bad_row), world)
    assert not result.ok and not result.written
    assert len(result.errors) == 1
    message = str(result.errors[0])
    assert message.startswith(f"Row 3, {column}: ") and words in message
    assert Person.objects.count() == 0 and Team.objects.count() == 0  # all or nothing


def test_errors_are_in_vietnamese_by_default(world):
    with translation.override("vi"):
        result = run(member_file(row(phone="12345")), world)
        assert str(result.errors[0]).startswith("Dòng 2, Số điện thoại: ")


def test_duplicate_person_in_one_team_and_a_second_leader_are_errors(world):
    result = run(
        member_file(row(role="Tổ trưởng"), row(), row(name="Lê Thị Hoa", phone="0900000002", role="Tổ trưởng")), world
    )
    messages = errors_of(result)
    assert any(message.startswith("Row 3, Họ và tên") and "listed twice" in message for message in messages)
    assert any(
        message.startswith("Row 4, Chức vụ trong Tổ") and "already has a leader" in message for message in messages
    )


def test_the_leader_role_moves_when_the_file_says_so(world):
    run(member_file(row(role="Tổ trưởng"), row(name="Lê Thị Hoa", phone="0900000002")), world)
    result = run(
        member_file(row(role="Thành viên"), row(name="Lê Thị Hoa", phone="0900000002", role="Tổ trưởng")), world
    )
    assert errors_of(result) == [] and result.updated == 2
    assert Membership.objects.get(role=TeamRole.LEADER).person.full_name == "Lê Thị Hoa"


def test_an_existing_leader_not_in_the_file_blocks_a_new_leader(world):
    run(member_file(row(role="Tổ trưởng")), world)
    result = run(member_file(row(name="Lê Thị Hoa", phone="0900000002", role="Tổ trưởng")), world)
    assert "already has a leader (Nguyễn Văn An)" in errors_of(result)[0]


def test_reimport_of_an_edited_file_updates_instead_of_duplicating(world):
    run(member_file(row(), row(name="Lê Thị Hoa", birth="1992", phone="0900000002")), world)
    edited = member_file(
        row(phone="0988888888", role="Tổ phó"),  # same name and birth date: phone and role change
        row(name="Lê Thị Hoa", birth="12/07/1992", phone="0900000002"),  # the year becomes a full date
        row(name="Lê Thi Hoa Mới", birth="1993", phone="0900000002", village="Na Lay"),  # same phone: someone else
    )
    result = run(edited, world)
    assert errors_of(result) == []
    assert (result.created, result.updated, result.unchanged) == (1, 2, 0)
    assert Person.objects.count() == 3
    an = Person.objects.get(full_name="Nguyễn Văn An")
    assert an.phone == "0988888888" and an.memberships.get().role == TeamRole.DEPUTY
    hoa = Person.objects.get(full_name="Lê Thị Hoa")
    assert (hoa.birth_date, hoa.memberships.count()) == (datetime.date(1992, 7, 12), 1)
    assert [str(warning) for warning in result.warnings] == [
        "Row 4, Số điện thoại: Lê Thi Hoa Mới shares the phone with Lê Thị Hoa (12/07/1992): recorded as different people, since their names or births differ."
    ]
    assert an.history.first().history_change_reason.startswith("Import of")


# --- who is who: the family sharing a phone, national IDs, namesakes


@pytest.fixture
def family(world):
    """Triệu Thị Yến (2004), with her national ID, in Bản Giang's team; her father will be listed with her phone."""
    team = TeamFactory(unit=world["W1"], name="Tổ Công nghệ số cộng đồng Thôn Bản Giang")
    yen = PersonFactory(
        commune=world["K1"], full_name="Triệu Thị Yến", birth_year=2004, phone="0912000111", national_id="001304012345"
    )
    MembershipFactory(team=team, person=yen)
    return yen


ID_HEADER = [*MEMBER_HEADER, "Số CCCD"]


def test_a_phone_shared_in_a_family_never_merges_two_people(world, family):
    """Importing “Triệu Văn Bình, 1970” with his daughter's phone renamed her and kept her national ID."""
    file = member_file(row(name="Triệu Văn Bình", birth="1970", phone="0912000111", gender="Nam"))
    preview = run(file, world, dry_run=True)
    assert (preview.created, preview.updated, preview.unchanged, errors_of(preview)) == (1, 0, 0, [])
    assert [str(warning) for warning in preview.warnings] == [
        "Row 2, Số điện thoại: Triệu Văn Bình shares the phone with Triệu Thị Yến (2004): recorded as different people, since their names or births differ."
    ]
    result = run(file, world)
    assert result.written and len(result.warnings) == 1
    family.refresh_from_db()
    assert (family.full_name, family.birth_year, family.national_id, family.phone) == (
        "Triệu Thị Yến",
        2004,
        "001304012345",
        "0912000111",
    )
    binh = Person.objects.get(full_name="Triệu Văn Bình")
    assert (binh.birth_year, binh.phone, binh.national_id) == (1970, "0912000111", "")
    assert family.memberships.count() == 1 and binh.memberships.count() == 1


def test_a_national_id_given_to_another_name_is_an_error_not_a_rename(world, family):
    file = member_file(row(name="Triệu Văn Bình", birth="1970", phone="") + ["001304012345"], header=ID_HEADER)
    result = run(file, world)
    assert errors_of(result) == [
        "Row 2, Số CCCD: this national ID is recorded for Triệu Thị Yến (2004): a national ID is one person. Check the "
        "name, the birth date and the ID; a person's name is corrected on their page, not by an import."
    ]
    assert not result.written and Person.objects.count() == 1
    family.refresh_from_db()
    assert family.full_name == "Triệu Thị Yến"


def test_a_national_id_finds_its_person_and_is_recorded_for_a_person_found_by_name(world, family):
    an = PersonFactory(
        commune=world["K1"], full_name="Nguyễn Văn An", birth_year=None, birth_date=datetime.date(1990, 3, 5), phone=""
    )
    file = member_file(
        row(name="TRIỆU THỊ YẾN", birth="2004", phone="0912000222") + [1304012345],  # Excel dropped the leading zeros
        row(name="Nguyễn Văn An", phone="") + ["001090000001"],
        header=ID_HEADER,
    )
    result = run(file, world)
    assert errors_of(result) == [] and result.warnings == []
    assert (result.created, result.updated) == (1, 1)  # An joins the team; Yến's phone changes
    assert Person.objects.count() == 2
    family.refresh_from_db(), an.refresh_from_db()
    assert (family.full_name, family.phone, an.national_id) == ("TRIỆU THỊ YẾN", "0912000222", "001090000001")


def test_namesakes_are_told_apart_by_birth_and_national_id_or_the_row_asks_for_them(world):
    for day in (5, 9):
        PersonFactory(
            commune=world["K1"],
            full_name="Nguyễn Văn An",
            birth_year=None,
            birth_date=datetime.date(1990, 3, day),
            national_id=f"00109000000{day}",
        )
    assert errors_of(run(member_file(row(birth="1990", phone="")), world)) == [
        "Row 2, Họ và tên: 2 people called Nguyễn Văn An on record could be this one: add the full birth date or the "
        "national ID (CCCD) to tell them apart."
    ]
    same_day_other_id = run(member_file(row(birth="05/03/1990", phone="") + ["001090000077"], header=ID_HEADER), world)
    assert same_day_other_id.created == 1 and Person.objects.count() == 3
    assert [str(warning) for warning in same_day_other_id.warnings] == [
        "Row 2, Số CCCD: Nguyễn Văn An has the name and birth of Nguyễn Văn An (05/03/1990) on record but another "
        "national ID: recorded as a different person."
    ]
    by_date = run(member_file(row(birth="09/03/1990", phone="0911222333")), world)
    assert (by_date.created, errors_of(by_date)) == (1, [])
    assert Person.objects.get(national_id="001090000009").phone == "0911222333"


def test_the_job_keeps_and_shows_the_warnings(world, family, personas, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.cookies["django_language"] = "vi"  # this test reads the pages in Vietnamese
    client.force_login(personas["commune"])
    content = member_file(row(name="Triệu Văn Bình", birth="1970", phone="0912000111")).getvalue()
    client.post(
        reverse("teams:members_import"), {"commune": world["K1"].pk, "file": SimpleUploadedFile("ds.xlsx", content)}
    )
    job = ImportJob.objects.get()
    assert (job.status, job.created, job.updated) == (ImportStatus.READY, 1, 0)
    assert job.warnings == [
        {
            "row": 2,
            "column": "Số điện thoại",
            "message": (
                "Triệu Văn Bình dùng chung số điện thoại với Triệu Thị Yến (2004): đã ghi là những người khác nhau vì họ tên "
                "hoặc ngày sinh khác nhau."
            ),
        }
    ]
    page = client.get(reverse("teams:job_detail", args=[job.pk])).content.decode()
    assert "Cần xem lại" in page and "Triệu Văn Bình dùng chung số điện thoại" in page
    client.post(reverse("teams:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and len(job.warnings) == 1
    assert Person.objects.get(pk=family.pk).full_name == "Triệu Thị Yến"


def test_written_rows_keep_every_character_defaults_and_one_history_row_each(world, personas):
    """The bulk writer (COPY on PostgreSQL) stores text as typed, fills the fields the file has no column
    for, and records who imported each new row."""
    tricky = "Nguyễn Văn \\N O'Brien\\t"  # backslashes and a quote must reach the database as they are
    file = member_file(
        row(name=tricky, notes="C:\\path\\to"),
        row(name="Lê Thị Hoa", birth="1992", phone="", role="Tổ trưởng", village="Na Lay"),
    )
    result = run(file, world, user=personas["commune"], file_name="list.xlsx")
    assert errors_of(result) == [] and result.created == 2

    person = Person.objects.get(full_name=tricky)
    assert (person.birth_date, person.birth_year, person.gender, person.phone) == (
        datetime.date(1990, 3, 5),
        None,
        Gender.MALE,
        "0912345678",
    )
    assert (person.email, person.national_id, person.user, person.commune) == ("", "", None, world["K1"])
    assert person.created_at and person.updated_at
    hoa = Person.objects.get(full_name="Lê Thị Hoa")
    assert (hoa.birth_date, hoa.birth_year, hoa.phone) == (None, 1992, "")
    membership = person.memberships.get()
    assert (membership.notes, membership.role, membership.start_date, membership.end_date) == (
        "C:\\path\\to",
        TeamRole.MEMBER,
        datetime.date.today(),
        None,
    )
    assert membership.team.level == world["W1"].level and membership.team.version == 1
    for model, count in ((Person, 2), (Membership, 2), (Team, 2)):
        history = model.history.all()
        assert history.count() == count
        assert {(entry.history_type, entry.history_user, entry.history_change_reason) for entry in history} == {
            ("+", personas["commune"], "Import of list.xlsx")
        }
    assert Person.history.get(id=person.pk).full_name == tricky


@pytest.mark.parametrize(
    "values, line",
    [
        (("An", None, 5, datetime.date(1990, 3, 5)), "An\t\\N\t5\t1990-03-05"),
        (("a\tb", "c\\N", "line\nbreak\r", None, True), "a\\tb\tc\\\\N\tline\\nbreak\\r\t\\N\tt"),
    ],
)
def test_copy_lines_escape_what_postgresql_would_misread(values, line):
    assert copy_line(values) == line


def test_unknown_columns_and_a_missing_header_row(world):
    assert "No header row found" in errors_of(run(io.BytesIO(workbook_bytes([["a", "b"], [1, 2]])), world))[0]


def test_a_row_of_another_commune_is_refused(world):
    file = member_file(row() + ["Xã Chợ Mới"], header=[*MEMBER_HEADER, "Xã/Phường"])
    assert "import each commune's list into its own commune" in errors_of(run(file, world))[0]


def _save(tmp_path, file):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(file.getvalue())
    return str(path)


def test_cli_dry_run_then_import(world, tmp_path, capsys):
    path = _save(tmp_path, member_file(row(), row(name="Lê Thị Hoa", phone="0900000002")))
    call_command("import_members", path, "--commune", "02107", "--dry-run")
    assert capsys.readouterr().out.strip() == "Dry run (nothing written): 2 created, 0 updated, 0 unchanged"
    assert Person.objects.count() == 0
    call_command("import_members", path, "--commune", "02107")
    assert capsys.readouterr().out.strip() == "2 created, 0 updated, 0 unchanged"
    job = ImportJob.objects.get()
    assert (job.status, job.created, job.file_name) == (ImportStatus.DONE, 2, path)


def test_cli_errors_exit_non_zero_with_the_error_lines(world, tmp_path, capsys):
    path = _save(tmp_path, member_file(row(phone="12345")))
    with pytest.raises(CommandError, match="^1 lỗi: chưa nhập gì.$"):
        call_command("import_members", path, "--commune", "02107")
    assert capsys.readouterr().err.strip().startswith("Dòng 2, Số điện thoại:")
    assert Person.objects.count() == 0
    assert ImportJob.objects.get().status == ImportStatus.INVALID


def test_cli_refuses_unknown_commune_and_unsafe_files(world, tmp_path):
    path = _save(tmp_path, member_file(row()))
    with pytest.raises(CommandError, match="^Không có xã/phường nào mã 99999.$"):
        call_command("import_members", path, "--commune", "99999")
    macro = tmp_path / "list.xlsm"
    macro.write_bytes(b"whatever")
    with pytest.raises(CommandError, match=".xlsm"):
        call_command("import_members", str(macro), "--commune", "02107")


@pytest.mark.usefixtures("calamine_forbidden")
@pytest.mark.parametrize("command", ["import_members", "import_villages"])
def test_cli_refuses_a_sheet_reaching_column_xfd_before_it_is_read(world, tmp_path, command):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(far_cell_workbook("XFD100000"))
    with pytest.raises(CommandError, match="Ô XFD100000 nằm quá xa về bên phải"):
        call_command(command, str(path), "--commune", "02107")
    assert not Person.objects.exists() and not ImportJob.objects.exists()


@pytest.mark.parametrize("command", ["import_members", "import_villages"])
def test_cli_checks_the_path_first_and_says_what_is_wrong_in_vietnamese(world, tmp_path, monkeypatch, command):
    """A folder printed a traceback; every path is checked before anything is read."""

    def run_command(path):
        with pytest.raises(CommandError) as error:
            call_command(command, str(path), "--commune", "02107")
        return str(error.value)

    assert run_command(tmp_path) == f"{tmp_path} là một thư mục: hãy ghi đường dẫn tới một tệp Excel (.xlsx)."
    assert run_command(tmp_path / "khong-co.xlsx") == f"Không có tệp {tmp_path / 'khong-co.xlsx'}."
    csv = tmp_path / "danh-sach.csv"
    csv.write_text("a,b")
    assert run_command(csv) == "Chỉ nhận tệp Excel (.xlsx)."
    locked = tmp_path / "khoa.xlsx"
    locked.write_bytes(member_file(row()).getvalue())
    real_open = type(locked).open
    monkeypatch.setattr(
        type(locked),
        "open",
        lambda self, *args, **kwargs: (
            (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
            if self == locked
            else real_open(self, *args, **kwargs)
        ),
    )
    assert run_command(locked) == f"Không đọc được {locked}: không có quyền đọc tệp."
    assert not Person.objects.exists() and not ImportJob.objects.exists()


def test_cli_export_checks_where_it_writes_first(world, personas, tmp_path, monkeypatch):
    def run_command(output, *extra):
        with pytest.raises(CommandError) as error:
            call_command("export_members", "--commune", "02107", "-o", str(output), *extra)
        return str(error.value)

    assert run_command(tmp_path, "--user", "commune") == f"{tmp_path} là một thư mục: hãy ghi tên tệp .xlsx cần tạo."
    assert (
        run_command(tmp_path / "ds.csv", "--user", "commune")
        == f"Tệp cần ghi phải có đuôi .xlsx: {tmp_path / 'ds.csv'}."
    )
    assert (
        run_command(tmp_path / "khong-co" / "ds.xlsx", "--user", "commune")
        == f"Không có thư mục {tmp_path / 'khong-co'} để ghi tệp vào."
    )
    assert run_command(tmp_path / "ds.xlsx") == (
        "Hãy ghi --user TÊN_ĐĂNG_NHẬP: mỗi lần xuất dữ liệu cá nhân đều được ghi lại theo một tài khoản của cổng."
    )
    assert run_command(tmp_path / "ds.xlsx", "--user", "ai-do") == "Không có tài khoản ai-do."
    monkeypatch.setattr(
        type(tmp_path),
        "write_bytes",
        lambda self, data: (_ for _ in ()).throw(PermissionError(13, "Permission denied")),
    )
    assert (
        run_command(tmp_path / "ds.xlsx", "--user", "commune")
        == f"Không ghi được {tmp_path / 'ds.xlsx'}: không có quyền ghi."
    )


def test_cli_warns_of_a_shared_phone_and_a_bad_date_in_vietnamese(world, family, tmp_path, capsys):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(member_file(row(name="Triệu Văn Bình", birth="1970", phone="0912000111")).getvalue())
    call_command("import_members", str(path), "--commune", "02107")
    output = capsys.readouterr()
    assert output.out.strip() == "1 created, 0 updated, 0 unchanged"
    assert output.err.strip() == (
        "Cần xem lại: Dòng 2, Số điện thoại: Triệu Văn Bình dùng chung số điện thoại với Triệu Thị Yến (2004): đã ghi là "
        "những người khác nhau vì họ tên hoặc ngày sinh khác nhau."
    )
    with (
        translation.override("vi"),
        pytest.raises(CommandError, match="“31/02/2025” không phải là ngày: hãy ghi theo dạng dd/mm/yyyy."),
    ):
        call_command("import_villages", str(path), "--commune", "02107", "--as-of", "31/02/2025")
