"""The assignment grid in Excel: the export's layout, the round trip, every kind of bad file, and the upload checks."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from targets.models import Target
from teams.tests.helpers import far_cell_workbook

from .factories import CountIndicatorFactory, IndicatorFactory, QuarterFactory, TargetFactory, TeamFactory
from .helpers import HEADER_ROW, query, to_bytes, upload


@pytest.fixture
def grid(world, personas, client):  # in place of the assignment grid of conftest.py
    """Thái Nguyên's grid (the province, a team serving it, communes K1 and K2) for Q1/2026, with own targets."""
    client.force_login(personas["province"])
    quarter = QuarterFactory()
    percent = IndicatorFactory(code="eid", name_vi="Định danh điện tử mức 2")
    count = CountIndicatorFactory(code="visits", name_vi="Lượt đến tận nhà")
    team = TeamFactory(unit=world["Q"], name='=HYPERLINK("http://x")')  # a name Excel would run as a formula
    TargetFactory(unit=world["Q"], indicator=percent, period=quarter, value=Decimal(85))
    TargetFactory(unit=world["K1"], indicator=percent, period=quarter, value=Decimal("70.5"))
    TargetFactory(unit=world["K2"], indicator=count, period=quarter, value=Decimal(520), mode="absolute")
    return {"client": client, "quarter": quarter, "percent": percent, "count": count, "team": team, "Q": world["Q"]}


def export(grid, unit=None):
    response = grid["client"].get(reverse("targets:export") + query(grid, unit))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def row_of(sheet, name):
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        if row[1].value == name:
            return row
    raise AssertionError(name)


def saved_targets():
    return sorted((t.unit_id, t.team_id, t.indicator_id, t.value, t.mode) for t in Target.objects.all())


def test_the_export_is_the_grid_layout_with_a_title_escaped_cells_and_own_targets_only(world, grid):
    sheet = export(grid).active
    assert sheet["A1"].value == "CHỈ TIÊU CHUYỂN ĐỔI SỐ"
    assert "Thái Nguyên" in sheet["A2"].value and "Quý 1/2026" in sheet["A2"].value
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[:3] == ["Mã đơn vị", "Tên đơn vị / Tổ", "Loại"]
    assert header[3].splitlines() == ["eid", "Định danh điện tử mức 2 (%)"]
    assert header[4].splitlines() == ["visits", "Lượt đến tận nhà (số lượng)"]
    names = [sheet.cell(row=n, column=2).value for n in range(HEADER_ROW + 1, sheet.max_row + 1)]
    assert names == ["Thái Nguyên", '\'=HYPERLINK("http://x")', "Xã Thanh Thịnh", "Xã Chợ Mới"]
    assert [c.value for c in row_of(sheet, "Thái Nguyên")][:5] == ["19", "Thái Nguyên", "Tỉnh", 85, None]
    assert [c.value for c in row_of(sheet, "Xã Thanh Thịnh")][3:5] == [70.5, None]  # visits not set: blank, not 0
    assert [c.value for c in row_of(sheet, "Xã Chợ Mới")][3:5] == [None, 520]  # eid inherited: left blank


def test_export_then_import_changes_nothing(world, grid):
    before = saved_targets()
    response = upload(grid, to_bytes(export(grid)))
    assert response.status_code == 200
    assert response.context["imported_changes"] == 0 and not response.context.get("import_errors")
    form = response.context["form"]
    data = {name: form.data.get(name, "") for name in form.fields} | {"action": "save"}
    saved = grid["client"].post(reverse("targets:assign") + query(grid), data, follow=True)
    assert "0 mới, 0 thay đổi, 0 xóa" in saved.content.decode()
    assert saved_targets() == before


def test_an_edited_file_fills_the_grid_as_a_preview_and_saves_only_on_save(world, grid):
    workbook = export(grid)
    sheet = workbook.active
    row_of(sheet, "Xã Chợ Mới")[4].value = 600
    row_of(sheet, "Xã Chợ Mới")[0].value = 2110  # retyped: Excel drops the leading zero of 02110
    row_of(sheet, "Xã Thanh Thịnh")[3].value = None  # K1 goes back to inheriting 85%
    row_of(sheet, "Xã Thanh Thịnh")[4].value = "1.200"  # text written the Vietnamese way
    before = saved_targets()
    response = upload(grid, to_bytes(workbook))
    assert response.context["imported_changes"] == 3
    assert saved_targets() == before  # a preview: nothing saved yet
    form = response.context["form"]
    k1, k2 = world["K1"], world["K2"]
    assert form.cells()[("unit", k2.pk, grid["count"].pk)] == Decimal(600)
    assert form.cells()[("unit", k1.pk, grid["count"].pk)] == Decimal(1200)
    assert form.cells()[("unit", k1.pk, grid["percent"].pk)] is None
    assert "3 ô thay đổi" in response.content.decode()
    data = {name: form.data.get(name, "") for name in form.fields} | {
        "action": "save",
        "decision_number": "12/QĐ-SKHCN",
    }
    grid["client"].post(reverse("targets:assign") + query(grid), data)
    assert Target.objects.get(unit=k2, indicator=grid["count"]).value == Decimal(600)
    assert Target.objects.get(unit=k1, indicator=grid["count"]).decision_number == "12/QĐ-SKHCN"
    assert not Target.objects.filter(unit=k1, indicator=grid["percent"]).exists()


def bad_file(grid, edit):
    workbook = export(grid)
    edit(workbook.active)
    response = upload(grid, to_bytes(workbook))
    assert response.status_code == 200
    errors = response.context.get("import_errors")
    assert errors, "the file should have been refused"
    assert not response.context["form"].is_bound  # nothing fills the grid
    return errors


def test_an_unknown_unit_code_or_name(world, grid):
    def edit(sheet):
        sheet.append(["99999", "Xã Không Có", "Xã", 50, None])
        sheet.append([None, "Thôn Không Có", "Thôn", 50, None])

    errors = bad_file(grid, edit)
    assert errors == [
        "Dòng 10, Mã đơn vị: Không tìm thấy đơn vị hoặc Tổ: 99999.",
        "Dòng 11, Tên đơn vị / Tổ: Không tìm thấy đơn vị hoặc Tổ: Thôn Không Có.",
    ]


def test_a_unit_outside_the_users_scope_or_outside_this_grid(world, grid):
    def edit(sheet):
        sheet.append(["00070", "Phường Hoàn Kiếm", "Phường", 50, None])  # Hà Nội
        sheet.append([None, "Thôn Bản Giang", "Thôn", 50, None])  # in scope, but a village of K1, not in this grid

    errors = bad_file(grid, edit)
    assert (
        errors[0] == "Dòng 10, Mã đơn vị: 00070 nằm ngoài phạm vi của bạn: bạn không thể đặt chỉ tiêu cho đơn vị này."
    )
    assert errors[1].startswith("Dòng 11, Tên đơn vị / Tổ: Thôn Bản Giang không thuộc bảng chỉ tiêu của Thái Nguyên")


def test_an_unknown_indicator_column(world, grid):
    errors = bad_file(grid, lambda sheet: sheet.cell(row=HEADER_ROW, column=6, value="no_such_code\nChỉ tiêu lạ"))
    assert errors == [
        "Dòng 5, no_such_code Chỉ tiêu lạ: Chỉ tiêu không có trong danh mục: dòng đầu của tiêu đề cột phải là mã chỉ tiêu."
    ]


def test_a_percentage_outside_0_100_a_negative_count_a_fraction_and_text(world, grid):
    def edit(sheet):
        row_of(sheet, "Thái Nguyên")[3].value = 120
        row_of(sheet, "Xã Chợ Mới")[4].value = -5
        row_of(sheet, "Xã Thanh Thịnh")[4].value = 10.5
        row_of(sheet, "Xã Thanh Thịnh")[3].value = "nhiều"

    errors = bad_file(grid, edit)
    eid = "eid Định danh điện tử mức 2 (%)"
    visits = "visits Lượt đến tận nhà (số lượng)"
    assert errors == [
        f"Dòng 6, {eid}: Tỷ lệ phải nằm trong khoảng từ 0 đến 100.",
        f"Dòng 8, {eid}: “nhiều” không phải là số.",
        f"Dòng 8, {visits}: “10,5” không phải là số nguyên. Hãy ghi số không có phần thập phân, có hoặc không có dấu chấm ngăn cách hàng nghìn: 25000 hoặc 25.000.",
        f"Dòng 9, {visits}: Số lượng không được là số âm.",
    ]
    assert len(Target.objects.all()) == 3


def test_a_unit_twice_and_a_file_without_the_header(world, grid):
    errors = bad_file(grid, lambda sheet: sheet.append(["02107", "Xã Thanh Thịnh", "Xã", 60, None]))
    assert errors == ["Dòng 10, Tên đơn vị / Tổ: Xã Thanh Thịnh đã có ở dòng 8."]
    errors = bad_file(grid, lambda sheet: sheet.cell(row=HEADER_ROW, column=1, value="Mã"))
    assert errors[0].startswith("Không tìm thấy dòng tiêu đề")


def test_unsafe_uploads_are_refused_by_the_shared_checks(world, grid):
    content = to_bytes(export(grid))
    response = upload(grid, content, name="chi-tieu.xlsm")
    assert ".xlsm" in response.context["import_errors"][0]
    entity = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(entity, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + data
            target.writestr(entry, data)
    response = upload(grid, entity.getvalue())
    assert response.context["import_errors"] == ["Tệp chứa khai báo XML không được phép."]
    assert len(Target.objects.all()) == 3


@pytest.mark.usefixtures("calamine_forbidden")
def test_a_sheet_reaching_column_xfd_is_refused_before_it_is_read(world, grid):
    response = upload(grid, far_cell_workbook("XFD100000"))
    assert response.context["import_errors"][0].startswith("Ô XFD100000 nằm quá xa về bên phải")
    assert not response.context.get("previewed") and len(Target.objects.all()) == 3


def test_import_is_for_the_department_and_export_is_scoped(world, grid, personas, client):
    file = SimpleUploadedFile("chi-tieu.xlsx", to_bytes(export(grid)))
    client.force_login(personas["commune"])  # the same client as grid["client"]
    assert client.post(reverse("targets:import") + query(grid), {"file": file}).status_code == 404
    assert client.get(reverse("targets:export") + query(grid)).status_code == 404  # the province is above K1
    assert client.get(reverse("targets:export") + query(grid, world["K1"])).status_code == 200
    client.force_login(personas["outsider"])
    assert client.get(reverse("targets:export") + query(grid)).status_code == 404


def test_the_overview_and_the_grid_offer_the_export(world, grid, personas, client):
    page = client.get(reverse("targets:assign") + query(grid)).content.decode()
    assert reverse("targets:export") in page and reverse("targets:import") in page
    client.force_login(personas["commune"])
    overview = client.get(reverse("targets:overview")).content.decode()
    assert reverse("targets:export") in overview and reverse("targets:import") not in overview


def test_a_file_of_another_period_fills_the_grid_with_a_warning(world, grid):
    workbook = export(grid)
    workbook.active["A2"].value = workbook.active["A2"].value.replace("Quý 1/2026", "Quý 2/2026")
    response = upload(grid, to_bytes(workbook))
    assert not response.context.get("import_errors")
    assert "Quý 2/2026" in response.context["import_warning"]
    assert response.context["form"].is_bound
    assert upload(grid, to_bytes(export(grid))).context["import_warning"] == ""


def test_the_overview_export_shows_inherited_values_and_cannot_be_imported(world, grid):
    response = grid["client"].get(reverse("targets:export") + query(grid) + "&view=effective")
    sheet = load_workbook(io.BytesIO(response.content)).active
    k2_eid = row_of(sheet, "Xã Chợ Mới")[3]
    assert k2_eid.value == 85 and k2_eid.font.italic  # inherited from the province, in grey italics
    assert row_of(sheet, "Xã Thanh Thịnh")[3].value == 70.5 and not row_of(sheet, "Xã Thanh Thịnh")[3].font.italic
    errors = upload(grid, response.content).context["import_errors"]
    assert errors == ["Tệp này là bản để xem (gồm cả chỉ tiêu kế thừa): hãy xuất tệp từ trang Giao chỉ tiêu để nhập."]
