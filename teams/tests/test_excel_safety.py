"""Upload safety and formula escaping (totech/spreadsheets.py)."""

import io
import zipfile

import pytest

from totech import spreadsheets
from totech.spreadsheets import SpreadsheetError, check_upload, clean_text, escape_formula, read_rows

from .workbooks import english, workbook_bytes  # noqa: F401 (fixture)

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


@pytest.mark.parametrize("value", ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_triggers_are_escaped_on_export_and_unescaped_on_import(value):
    escaped = escape_formula(value)
    assert escaped == "'" + value
    assert clean_text(escaped) == clean_text(value)


@pytest.mark.parametrize("value", ["Nguyễn Văn An", "0912345678", 5, None, "a=b"])
def test_harmless_values_are_left_alone(value):
    assert escape_formula(value) == value
