"""check_upload reads every XML part of a workbook whole, so no DOCTYPE (entity bomb, external entity) hides
after the first bytes, across a chunk boundary, in another text encoding or in a part not named .xml
(issue 12, item 13). The other upload checks are in test_excel_safety.py."""

import io
import zipfile

import pytest

from totech import spreadsheets
from totech.spreadsheets import SpreadsheetError, check_upload

from .helpers import workbook_bytes

pytestmark = pytest.mark.usefixtures("english")

SHEET = "xl/worksheets/sheet1.xml"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'  # as Excel writes it
DOCTYPE = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'


def rebuilt(change=None, extra=()):
    """The small test workbook with the sheet's bytes passed through `change`, and `extra` entries added."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook_bytes([["a", "b"]]))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == SHEET:
                data = DECLARATION + data
                if change:
                    data = change(data)
            target.writestr(entry, data)
        for name, data in extra:
            target.writestr(name, data)
    buffer.seek(0)
    return buffer


def after_declaration(insert):
    return lambda data: DECLARATION + insert + data.removeprefix(DECLARATION)


def test_a_doctype_after_a_3_kb_comment_is_refused():
    with pytest.raises(SpreadsheetError, match="XML declarations"):
        check_upload(rebuilt(after_declaration(b"<!--" + b"x" * 3000 + b"-->" + DOCTYPE)), "comment.xlsx")


@pytest.mark.parametrize("offset", range(86, 98))
def test_a_doctype_split_across_two_chunks_is_found(monkeypatch, offset):
    monkeypatch.setattr(spreadsheets, "XML_SCAN_CHUNK", 96)

    def change(data):
        rest = data.removeprefix(DECLARATION)
        padding = b"<!--" + b"x" * (offset - len(DECLARATION) - 7) + b"-->"
        assert len(DECLARATION + padding) == offset  # "<!DOCTYPE" starts here, across the chunk boundary at 96 or not
        return DECLARATION + padding + b'<!DOCTYPE x SYSTEM "http://127.0.0.1/x.dtd">' + rest  # one token only

    with pytest.raises(SpreadsheetError, match="XML declarations"):
        check_upload(rebuilt(change), "split.xlsx")


def test_a_lower_case_doctype_is_refused():
    with pytest.raises(SpreadsheetError, match="XML declarations"):
        check_upload(rebuilt(after_declaration(DOCTYPE.lower())), "lower.xlsx")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_part_in_another_unicode_encoding_is_refused(encoding):
    def change(data):
        return (DOCTYPE + data.removeprefix(DECLARATION)).decode().encode(encoding)

    with pytest.raises(SpreadsheetError, match="text encoding"):
        check_upload(rebuilt(change), "utf16.xlsx")


def test_a_part_declaring_an_encoding_that_hides_markup_is_refused():
    hidden = b'<?xml version="1.0" encoding="UTF-7"?>+ADw-+ACE-DOCTYPE x+AD4-<worksheet/>'
    with pytest.raises(SpreadsheetError, match="text encoding"):
        check_upload(rebuilt(lambda data: hidden), "utf7.xlsx")


def test_a_part_not_named_xml_is_read_by_its_content():
    with pytest.raises(SpreadsheetError, match="XML declarations"):
        check_upload(
            rebuilt(extra=[("xl/worksheets/sheet2.bin", b'<?xml version="1.0"?>' + DOCTYPE + b"<worksheet/>")]),
            "named.xlsx",
        )


def test_pictures_and_a_utf8_byte_order_mark_pass():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    check_upload(rebuilt(lambda data: b"\xef\xbb\xbf" + data, extra=[("xl/media/image1.png", png)]), "picture.xlsx")


def test_an_encrypted_or_damaged_part_is_refused_cleanly():
    buffer = rebuilt()
    data = bytearray(buffer.getvalue())
    central = data.index(b"PK\x01\x02")  # the first part's entry in the zip's central directory
    data[central + 8] |= 0x1  # its "encrypted" flag
    with pytest.raises(SpreadsheetError, match="not an Excel workbook"):
        check_upload(io.BytesIO(bytes(data)), "encrypted.xlsx")

    data = bytearray(rebuilt().getvalue())
    start = data.index(b"PK\x03\x04")
    name_length = int.from_bytes(data[start + 26 : start + 28], "little")
    body = start + 30 + name_length + int.from_bytes(data[start + 28 : start + 30], "little")
    data[body : body + 8] = b"\xff" * 8  # the first part's deflated bytes
    with pytest.raises(SpreadsheetError, match="not an Excel workbook"):
        check_upload(io.BytesIO(bytes(data)), "damaged.xlsx")
