"""Upload safety and formula escaping (totech/spreadsheets.py)."""

import io
import zipfile

import pytest
from django.utils import translation

from totech import spreadsheets
from totech.spreadsheets import (
    SpreadsheetError,
    check_upload,
    clean_text,
    count_rows,
    escape_formula,
    read_rows,
    sheet_extent,
)

from .helpers import far_cell_workbook, raw_workbook, text_cell, workbook_bytes

pytestmark = pytest.mark.usefixtures("english")


def xlsx(rows=(("a", "b"),)):
    return io.BytesIO(workbook_bytes(rows))


def test_a_plain_workbook_passes():
    check_upload(xlsx(), "danh-sach.xlsx")


def test_xlsm_is_refused_by_name_and_by_content():
    with pytest.raises(SpreadsheetError, match="xlsm"):
        check_upload(xlsx(), "danh-sach.xlsm")
    buffer = io.BytesIO(xlsx().getvalue())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    with pytest.raises(SpreadsheetError, match="xlsm"):
        check_upload(buffer, "renamed.xlsx")


def test_other_formats_and_broken_files_are_refused():
    with pytest.raises(SpreadsheetError, match="Only Excel"):
        check_upload(io.BytesIO(b"a,b"), "list.csv")
    with pytest.raises(SpreadsheetError, match="not an Excel"):
        check_upload(io.BytesIO(b"not a zip"), "list.xlsx")


def test_oversized_files_are_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(SpreadsheetError, match="too large"):
        check_upload(xlsx(), "big.xlsx")


def test_a_zip_bomb_ratio_is_refused():
    buffer = io.BytesIO(xlsx().getvalue())
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * 20_000_000)  # compresses about 1000:1
    with pytest.raises(SpreadsheetError, match="unreasonable size"):
        check_upload(buffer, "bomb.xlsx")


def test_xml_entity_declarations_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(xlsx()) as source, zipfile.ZipFile(buffer, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + data
            target.writestr(entry, data)
    with pytest.raises(SpreadsheetError, match="XML declarations"):
        check_upload(buffer, "laughs.xlsx")


def test_too_many_rows_are_refused():
    with pytest.raises(SpreadsheetError, match="at most 5"):
        list(read_rows(xlsx([[n] for n in range(10)]), max_rows=5))


def test_read_rows_numbers_rows_as_excel_does_and_fills_vertical_merges():
    rows = list(read_rows(io.BytesIO(workbook_bytes([["title"], [], ["x", "Thôn 1"], ["y", None]], merges=["B3:B4"]))))
    assert rows[2] == (3, ["x", "Thôn 1"])
    assert rows[3] == (4, ["y", "Thôn 1"])


@pytest.mark.usefixtures("calamine_forbidden")
@pytest.mark.parametrize("far", ["XFD100000", "XFD2000", "GS1"])
def test_a_cell_beyond_the_columns_is_refused_before_calamine_reads_the_file(far):
    """Two cells, A1 and XFD100000, would make calamine allocate 52 GB and abort the process."""
    for read in (lambda file: list(read_rows(file)), count_rows):
        with pytest.raises(
            SpreadsheetError, match=f"Cell {far} is too far to the right: a list may use columns A to GR"
        ):
            read(io.BytesIO(far_cell_workbook(far)))


@pytest.mark.usefixtures("calamine_forbidden")
def test_rows_beyond_the_limit_and_sheets_too_large_to_hold_are_refused_naming_the_cell(monkeypatch):
    with pytest.raises(SpreadsheetError, match="Cell A100001 is on row 100001: at most 100000 rows"):
        sheet_extent(io.BytesIO(far_cell_workbook("A100001")))
    with pytest.raises(SpreadsheetError, match="Cell B6 is on row 6: at most 5 rows"):
        list(read_rows(io.BytesIO(far_cell_workbook("B6")), max_rows=5))
    monkeypatch.setattr(spreadsheets, "MAX_CELLS", 1000)
    with pytest.raises(SpreadsheetError, match="spans 100 rows and 26 columns, up to cell Z100: too large"):
        sheet_extent(io.BytesIO(far_cell_workbook("Z100")))


def test_the_cells_decide_not_the_dimension_the_sheet_declares(calamine_forbidden):
    lying_small = raw_workbook(
        f'<row r="1">{text_cell("A1", "a")}</row><row r="2000">{text_cell("XFD2000", "b")}</row>', dimension="A1:B2"
    )
    with pytest.raises(SpreadsheetError, match="Cell XFD2000"):
        sheet_extent(io.BytesIO(lying_small))
    lying_large = raw_workbook(
        f'<row r="1">{text_cell("A1", "a")}{text_cell("B1", "b")}</row>', dimension="A1:XFD1048576"
    )
    assert sheet_extent(io.BytesIO(lying_large)) == (1, 2)


@pytest.mark.usefixtures("calamine_forbidden")
def test_cells_without_a_reference_are_placed_as_calamine_counts_them():
    """A cell without r="…" sits right of the previous one: 16,384 of them reach column XFD."""
    unreferenced = raw_workbook("<row>" + "<c/>" * 16383 + '<c t="inlineStr"><is><t>x</t></is></c></row>')
    with pytest.raises(SpreadsheetError, match="Cell XFD1 is too far"):
        sheet_extent(io.BytesIO(unreferenced))
    prefixed = raw_workbook(
        '<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "<x:c><x:v>1</x:v></x:c>" * 201
        + "</x:row>"
    )
    with pytest.raises(SpreadsheetError, match="Cell GS1 is too far"):
        sheet_extent(io.BytesIO(prefixed))
    rows_without_reference = raw_workbook(
        '<row r="99999"><c r="A99999"><v>1</v></c></row><row/><row><c><v>2</v></c></row>'
    )
    with pytest.raises(SpreadsheetError, match="Cell A100001 is on row 100001"):
        sheet_extent(io.BytesIO(rows_without_reference))


@pytest.mark.usefixtures("calamine_forbidden")
def test_a_sheet_in_utf16_is_scanned_too():
    file = raw_workbook(
        f'<row r="1">{text_cell("A1", "a")}</row><row r="9">{text_cell("XFD9", "b")}</row>', encoding="utf-16"
    )
    with pytest.raises(SpreadsheetError, match="Cell XFD9"):
        sheet_extent(io.BytesIO(file))


@pytest.mark.usefixtures("calamine_forbidden")
def test_the_first_sheet_is_found_through_the_workbook_not_by_its_name():
    """The second sheet is the one called sheet1.xml: a far cell in the first sheet is found all the same."""
    file = raw_workbook(
        f'<row r="5">{text_cell("XFD5", "x")}</row>', second_sheet=f'<row r="1">{text_cell("A1", "a")}</row>'
    )
    with pytest.raises(SpreadsheetError, match="Cell XFD5"):
        sheet_extent(io.BytesIO(file))


def test_empty_formatted_cells_far_away_do_not_refuse_a_file():
    """calamine leaves empty cells out: formatting reaching column XFD costs nothing, and the list is read."""
    file = raw_workbook(
        f'<row r="1">{text_cell("A1", "Họ và tên")}<c r="XFD1" s="1"/></row><row r="2">{text_cell("A2", "An")}</row>'
    )
    assert sheet_extent(io.BytesIO(file)) == (2, 1)
    assert list(read_rows(io.BytesIO(file))) == [(1, ["Họ và tên"]), (2, ["An"])]


def test_a_sorted_sheet_is_bounded_without_the_exact_scan(monkeypatch):
    """The fast scan vouches for what spreadsheet programs write; the exact one is for the rest."""
    monkeypatch.setattr(spreadsheets, "_scan_exact", lambda part, max_rows: pytest.fail("exact scan"))
    monkeypatch.setattr(spreadsheets, "SCAN_CHUNK", 64)  # references and tags cut at every chunk's edge
    assert sheet_extent(xlsx([[f"row {n}", n, None, "x"] for n in range(1, 301)])) == (300, 4)


def test_the_guard_speaks_vietnamese():
    with translation.override("vi"), pytest.raises(SpreadsheetError, match="Ô XFD100000 nằm quá xa về bên phải"):
        sheet_extent(io.BytesIO(far_cell_workbook()))


def test_a_merge_down_a_million_rows_fills_only_the_rows_there_are():
    """Merges are followed row by row as the sheet is read: 500 of them down a million rows cost nothing."""
    cells = f'<row r="1">{text_cell("A1", "x")}{text_cell("B1", "Thôn 1")}</row><row r="2">{text_cell("A2", "y")}</row><row r="3">{text_cell("A3", "z")}</row>'
    tall = [
        f"{spreadsheets._column_letters(column)}1:{spreadsheets._column_letters(column)}1048576"
        for column in range(2, 502)
    ]
    rows = list(read_rows(io.BytesIO(raw_workbook(cells, merges=tall))))
    assert rows == [(1, ["x", "Thôn 1"]), (2, ["y", "Thôn 1"]), (3, ["z", "Thôn 1"])]


@pytest.mark.parametrize("value", ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_triggers_are_escaped_on_export_and_unescaped_on_import(value):
    escaped = escape_formula(value)
    assert escaped == "'" + value
    assert clean_text(escaped) == clean_text(value)


@pytest.mark.parametrize("value", ["Nguyễn Văn An", "0912345678", 5, None, "a=b"])
def test_harmless_values_are_left_alone(value):
    assert escape_formula(value) == value
