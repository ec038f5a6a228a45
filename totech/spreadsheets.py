"""Reading and writing the spreadsheets users bring and take away, safely.

Every upload goes through `check_upload` before anything parses it: a size cap, .xlsx only (macro-enabled
workbooks are refused by name and by content), a cap on how far the zip entries expand, and no XML part
that declares a DOCTYPE (entity bombs), whatever library reads the file afterwards. `read_rows` then reads
the first sheet with python-calamine (about 20 times faster than openpyxl) and enforces the row cap.
`escape_formula` is applied to every cell of every export.
"""

import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator

from django.http import HttpResponse
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from .text import normalize_text

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_EXPANSION_RATIO = 100  # uncompressed / compressed, over the whole archive
MAX_EXPANDED_BYTES = 400 * 1024 * 1024
# check_upload reads every XML part whole, in chunks overlapping by a token's length less one (a token split
# across two chunks is still found), and refuses a DOCTYPE anywhere (entity bombs and external entities are
# declared in one). Excel writes UTF-8: a part in another encoding could spell its DOCTYPE in other bytes.
XML_SCAN_CHUNK = 64 * 1024
XML_FORBIDDEN = (b"<!doctype", b"<!entity")
XML_OVERLAP = max(len(token) for token in XML_FORBIDDEN) - 1
XML_ENCODINGS = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}
XML_DECLARED_ENCODING = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)", re.IGNORECASE)
UTF8_BOM = b"\xef\xbb\xbf"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetError(Exception):
    """The file cannot be read at all (as opposed to a bad row)."""


def check_upload(file, name: str) -> None:
    """Refuse files that are too big, macro-enabled, not .xlsx, or that expand like a zip bomb."""
    lower = name.lower()
    if lower.endswith((".xlsm", ".xltm", ".xlsb")):
        raise SpreadsheetError(_("Macro-enabled workbooks (.xlsm) are not accepted: save the file as .xlsx."))
    if not lower.endswith(".xlsx"):
        raise SpreadsheetError(_("Only Excel workbooks (.xlsx) are accepted."))
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    if size > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
        )
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            names = {entry.filename.lower() for entry in entries}
            if any(entry_name.endswith("vbaproject.bin") for entry_name in names):
                raise SpreadsheetError(_("Macro-enabled workbooks (.xlsm) are not accepted: save the file as .xlsx."))
            if "[content_types].xml" not in names:
                raise SpreadsheetError(_("This is not an Excel workbook (.xlsx)."))
            expanded = sum(entry.file_size for entry in entries)
            compressed = sum(entry.compress_size for entry in entries) or 1
            if expanded > MAX_EXPANDED_BYTES or expanded / compressed > MAX_EXPANSION_RATIO:
                raise SpreadsheetError(_("The file expands to an unreasonable size when opened; it was refused."))
            for entry in entries:
                with archive.open(entry) as part:
                    _check_xml_part(entry.filename, part)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, zlib.error) as error:
        # A damaged or encrypted part, or one compressed in a way zipfile cannot read.
        raise SpreadsheetError(_("This is not an Excel workbook (.xlsx).")) from error
    finally:
        file.seek(0)


def _check_xml_part(name: str, part) -> None:
    """Refuse a DOCTYPE anywhere in a part that is XML by its name or by its first bytes (a reader follows the
    workbook's relationships, whatever a part is named), and an XML part that is not UTF-8."""
    chunk = part.read(XML_SCAN_CHUNK)
    start = chunk.removeprefix(UTF8_BOM).lstrip(b" \t\r\n")
    if not name.lower().endswith((".xml", ".rels", ".vml")) and not start.lstrip(b"\xff\xfe\x00").startswith(b"<"):
        return  # a picture or another binary part
    declared = XML_DECLARED_ENCODING.match(start)
    if not start.startswith(b"<") or (declared and declared.group(1).lower() not in XML_ENCODINGS):
        raise SpreadsheetError(_("Part of the workbook is in an unexpected text encoding: open it in Excel and save it again as .xlsx."))
    tail = b""
    while chunk:
        if b"\0" in chunk:  # UTF-16 or UTF-32 text, or not text at all
            raise SpreadsheetError(_("Part of the workbook is in an unexpected text encoding: open it in Excel and save it again as .xlsx."))
        window = tail + chunk.lower()
        if any(token in window for token in XML_FORBIDDEN):
            raise SpreadsheetError(_("The file contains XML declarations that are not allowed."))
        tail = window[-XML_OVERLAP:]
        chunk = part.read(XML_SCAN_CHUNK)


def count_rows(file) -> int:
    """How many rows the first sheet has (to decide whether an import runs in the background)."""
    file.seek(0)
    try:
        sheet = CalamineWorkbook.from_filelike(file).get_sheet_by_index(0)
    except Exception as error:
        raise SpreadsheetError(_("The workbook could not be read: %(error)s") % {"error": error}) from error
    finally:
        file.seek(0)
    return sheet.end[0] + 1 if sheet.end else 0


def read_rows(file, max_rows: int = MAX_ROWS) -> Iterator[tuple[int, list]]:
    """Yield (spreadsheet row number, cell values) for the first sheet; merged cells are filled from their
    top-left cell down a column (a village name merged over its members' rows), not across a row."""
    file.seek(0)
    try:
        workbook = CalamineWorkbook.from_filelike(file)
        sheet = workbook.get_sheet_by_index(0)
    except Exception as error:  # calamine raises its own error types for broken files
        raise SpreadsheetError(_("The workbook could not be read: %(error)s") % {"error": error}) from error
    # calamine yields rows from the sheet's first row but columns from the first used one: pad them back.
    left_padding = [""] * (sheet.start[1] if sheet.start else 0)
    row_count = sheet.end[0] + 1 if sheet.end else 0
    if row_count > max_rows:
        raise SpreadsheetError(
            _("The sheet has %(rows)s rows; at most %(limit)s are accepted in one file.")
            % {"rows": row_count, "limit": max_rows}
        )
    # Merged cells hold their value in the top-left cell only: fill vertical merges down their column.
    tops_by_row, fills_by_row = {}, {}
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
        if bottom > top and left == right:
            tops_by_row.setdefault(top, []).append(left)
            for row in range(top + 1, bottom + 1):
                fills_by_row.setdefault(row, []).append(left)
    merged_values = {}
    for absolute, values in enumerate(sheet.iter_rows()):
        if left_padding:
            values = left_padding + values
        for column in tops_by_row.get(absolute, ()):
            merged_values[column] = values[column] if column < len(values) else ""
        for column in fills_by_row.get(absolute, ()):
            if column < len(values) and values[column] == "":
                values[column] = merged_values.get(column, "")
        yield absolute + 1, values


def _accent_table() -> dict[int, str | None]:
    """Vietnamese (and other Latin) letters → their bare ASCII letter; combining accents (NFD text) → nothing."""
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        bare = "".join(char for char in unicodedata.normalize("NFD", chr(code)) if not unicodedata.combining(char))
        if bare != chr(code) and bare.isascii():
            table[code] = bare
    for code in range(0x300, 0x370):
        table[code] = None
    return table


ACCENTS = _accent_table()
NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text) -> str:
    """A matching key: no accents, đ → d, lower case, single spaces, letters and digits only."""
    return NOT_ALNUM.sub(" ", str(text).translate(ACCENTS).casefold()).strip()


def clean_text(value) -> str:
    """A cell as text: normalised as typed text is (NFC, single spaces, see totech.text), a spreadsheet-escape
    quote removed. Refusing what no text may hold is for the importer, per field (totech.text.clean_input_text)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if text.startswith("'") and text[1:2] in FORMULA_TRIGGERS:
        text = text[1:]
    return normalize_text(text)


def escape_formula(value):
    """Prefix text that a spreadsheet would run as a formula with a quote (OWASP ASVS 5.0 V1.2.10)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def xlsx_response(content: bytes, file_name: str) -> HttpResponse:
    """A download of workbook bytes; `file_name` is ASCII."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
