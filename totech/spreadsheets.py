"""Reading and writing the spreadsheets users bring and take away, safely.

Every upload goes through `check_upload` before anything parses it: a size cap, .xlsx only (macro-enabled
workbooks are refused by name and by content), a cap on how far the zip entries expand, and no XML part
that declares a DOCTYPE (entity bombs), whatever library reads the file afterwards. `read_rows` then reads
the first sheet with python-calamine (about 20 times faster than openpyxl) and enforces the row cap.
`escape_formula` is applied to every cell of every export.
"""

import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from xml.etree import ElementTree
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from .text import clean_input_text, fold, normalize_text

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
        raise SpreadsheetError(
            _("Part of the workbook is in an unexpected text encoding: open it in Excel and save it again as .xlsx.")
        )
    tail = b""
    while chunk:
        if b"\0" in chunk:  # UTF-16 or UTF-32 text, or not text at all
            raise SpreadsheetError(
                _(
                    "Part of the workbook is in an unexpected text encoding: open it in Excel and save it again as .xlsx."
                )
            )
        window = tail + chunk.lower()
        if any(token in window for token in XML_FORBIDDEN):
            raise SpreadsheetError(_("The file contains XML declarations that are not allowed."))
        tail = window[-XML_OVERLAP:]
        chunk = part.read(XML_SCAN_CHUNK)


def count_rows(file) -> int:
    """How many rows the first sheet has (to decide whether an import runs in the background)."""
    sheet_extent(file)
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
    sheet_extent(file, max_rows)
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
    # Merged cells hold their value in the top-left cell only: fill vertical merges down their column. A merge
    # is remembered by its top row and column, not row by row (a merge may claim a million rows).
    starting = {}
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
        if bottom > top and left == right:
            starting.setdefault(top, []).append((left, bottom))
    filling = {}  # column → (last row of its merge, value)
    for absolute, values in enumerate(sheet.iter_rows()):
        if left_padding:
            values = left_padding + values
        for column, (bottom, value) in list(filling.items()):
            if absolute > bottom:
                del filling[column]
            elif column < len(values) and values[column] == "":
                values[column] = value
        for column, bottom in starting.get(absolute, ()):
            filling[column] = (bottom, values[column] if column < len(values) else "")
        yield absolute + 1, values


# ---------------------------------------------------------------------------------------------------------
# Bounding the first sheet before calamine reads it
#
# calamine builds one rectangle from the first to the last cell holding a value: a sheet with two cells, A1
# and XFD100000, makes it allocate 52 GB and abort the process (SIGABRT, which no `except` catches). So the
# sheet's XML is scanned first, streamed from the zip, for where its cells really are. The <dimension>
# element is not believed: it may lie either way (a crafted file declares A1:B2 over cells reaching XFD2000;
# writers may count formatted empty cells or leave it out), and calamine 0.37 sizes nothing from it beyond
# 100,000 cells, so only the cells count.
#
# The fast path stays in C: it checks that every <c> and <row> tag carries its plain r="…" reference, then
# searches the text for references beyond the largest column and row met so far (thresholds that only grow,
# so a sorted sheet gives a handful of matches, not one per cell). Its bounds count empty cells too. Anything
# else (a tag without its reference, whose position calamine counts; a bound over the limits) goes to the
# exact path, which parses the XML with expat and places every cell holding something as calamine does.

MAX_COLUMNS = 200  # A to GR
MAX_CELLS = 3_000_000  # rows × columns that calamine holds at once (about 100 MB)
SCAN_CHUNK = 1 << 20
MAX_CARRY = 1 << 20  # a tag or a text longer than this is not from a spreadsheet program
MAX_XML_PART_BYTES = 10 * 1024 * 1024  # the workbook and its relationships: a few kilobytes in practice

_UNREFERENCED_TAG = re.compile(rb'<(?:c|row)(?=[\s/>])(?! r=")')  # a cell or row whose position calamine counts
_PREFIXED_TAG = re.compile(rb":(?:c|row)[\s/>]")  # <x:c …>, as some libraries write: left to the exact scan
_REFERENCE = re.compile(rb'r="([A-Za-z]{0,3})0*(\d{1,9})(?!\d)')
_CELL_REFERENCE = re.compile(r"([A-Za-z]{1,3})0*(\d{1,9})")
_ROW_REFERENCE = re.compile(r"0*(\d{1,9})")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell_name(row: int, column: int) -> str:
    return f"{_column_letters(column)}{row}"


def _above(text: str, letters: bool) -> str:
    """A regular expression for column letters (or row digits, leading zeros dropped) that come after `text`
    in column (or number) order: longer ones, or as long and larger where they first differ."""
    if letters:

        def after(char):
            return "".join(other + other.lower() for other in map(chr, range(ord(char.upper()) + 1, ord("Z") + 1)))

        def same(char):
            return f"[{char.upper()}{char.lower()}]"

        any_char, lead = "[A-Za-z]", "[A-Za-z]"
    else:

        def after(char):
            return "".join(map(chr, range(ord(char) + 1, ord("9") + 1)))

        def same(char):
            return char

        any_char, lead = r"\d", "[1-9]"
    choices = [f"{lead}{any_char}{{{len(text)},}}"]
    for position, char in enumerate(text):
        if after(char):
            choices.append(
                "".join(map(same, text[:position])) + f"[{after(char)}]{any_char}{{{len(text) - position - 1}}}"
            )
    return "(?:" + "|".join(choices) + ")"


@lru_cache(maxsize=1024)
def _beyond(columns: int, rows: int) -> re.Pattern:
    """A reference whose column comes after `columns` (A = 1) or whose row is above `rows`."""
    pattern = f'r="(?:{_above(_column_letters(columns), True)}\\d|[A-Za-z]*+0*+{_above(str(rows), False)}(?!\\d))'
    return re.compile(pattern.encode())


class _Unusual(Exception):
    """The fast scan cannot vouch for the sheet: scan it exactly."""


def _scan_fast(part, max_rows: int) -> tuple[int, int]:
    """Upper bounds of the rows and columns of the sheet's cells, empty ones included."""
    rows = columns = 0
    carry = b""
    first = True
    while True:
        chunk = part.read(SCAN_CHUNK)
        if first and (chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\0" in chunk[:4096]):
            raise _Unusual  # UTF-16, which these byte patterns cannot read (calamine 0.37 reads it as empty)
        first = False
        data = carry + chunk
        end = data.rfind(b"<") if chunk else len(data)  # every tag before the last "<" is whole
        if end < 0:
            end = len(data)
        if _UNREFERENCED_TAG.search(data, 0, end) or _PREFIXED_TAG.search(data, 0, end):
            raise _Unusual
        last = data.rfind(b'r="', 0, end)  # a sorted sheet's largest row, found in one step
        if last >= 0 and (reference := _REFERENCE.match(data, last)):
            rows = max(rows, min(int(reference.group(2)), max_rows))
        position = 0
        while match := _beyond(columns, rows).search(data, position, end):
            reference = _REFERENCE.match(data, match.start())
            if reference is None:  # more than three letters or nine digits
                raise _Unusual
            column, row = _column_number(reference.group(1).decode()), int(reference.group(2))
            if column > MAX_COLUMNS or row > max_rows:
                raise _Unusual
            columns = max(columns, column)
            if row > rows:
                rows = min(max_rows, row + row // 8)  # a little above: a few searches, not one per row
            position = match.end()
        if rows * columns > MAX_CELLS:
            raise _Unusual
        if not chunk:
            return rows, columns
        carry = data[end:]
        if len(carry) > MAX_CARRY:
            raise _Unusual


def _scan_exact(part, max_rows: int) -> tuple[int, int]:
    """The rows and columns of the cells holding something, placed as calamine places them: at the reference
    in r="…", else right of the previous cell; a row without r="…" comes after the previous one. Raises
    SpreadsheetError for a cell out of bounds, naming it."""
    state = {"row": 0, "column": 0, "cell": None, "filled": False, "rows": 0, "columns": 0}  # 0-based, as calamine

    def unreadable(value):
        raise SpreadsheetError(
            _("The workbook could not be read: “%(value)s” is not a cell reference.") % {"value": value[:20]}
        )

    def start(name, attributes):
        if state["cell"] is not None:
            state["filled"] = True  # anything inside a cell may be its value
            return
        local = name.rpartition(":")[2]
        reference = attributes.get("r")
        if local == "row" and reference is not None:
            if not (match := _ROW_REFERENCE.fullmatch(reference)):
                unreadable(reference)
            state["row"] = int(match.group(1)) - 1
        elif local == "c":
            if reference is None:
                state["cell"] = (state["row"], state["column"])
            elif match := _CELL_REFERENCE.fullmatch(reference):
                state["cell"] = (int(match.group(2)) - 1, _column_number(match.group(1)) - 1)
                state["column"] = state["cell"][1]
            else:
                unreadable(reference)
            state["filled"] = False

    def end(name):
        local = name.rpartition(":")[2]
        if local == "c" and state["cell"] is not None:
            row, column = state["cell"][0] + 1, state["cell"][1] + 1
            state["cell"] = None
            state["column"] += 1
            if state["filled"]:
                if column > MAX_COLUMNS:
                    raise SpreadsheetError(
                        _(
                            "Cell %(cell)s is too far to the right: a list may use columns A to %(last)s. Delete what is "
                            "in column %(next)s or beyond and upload the file again."
                        )
                        % {
                            "cell": _cell_name(row, column),
                            "last": _column_letters(MAX_COLUMNS),
                            "next": _column_letters(MAX_COLUMNS + 1),
                        }
                    )
                if row > max_rows:
                    raise SpreadsheetError(
                        _(
                            "Cell %(cell)s is on row %(row)s: at most %(limit)s rows are accepted in one file. Delete what "
                            "is below row %(limit)s and upload the file again."
                        )
                        % {"cell": _cell_name(row, column), "row": row, "limit": max_rows}
                    )
                state["rows"], state["columns"] = max(state["rows"], row), max(state["columns"], column)
        elif local == "row" and state["cell"] is None:
            state["row"] += 1
            state["column"] = 0

    def declaration(*args):
        raise SpreadsheetError(_("The file contains XML declarations that are not allowed."))

    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = declaration
    try:
        while chunk := part.read(SCAN_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise SpreadsheetError(_("The workbook could not be read: %(error)s") % {"error": error}) from error
    rows, columns = state["rows"], state["columns"]
    if rows * columns > MAX_CELLS:
        raise SpreadsheetError(
            _(
                "The sheet spans %(rows)s rows and %(columns)s columns, up to cell %(cell)s: too large to read. Delete "
                "what lies far from the list and upload the file again."
            )
            % {"rows": rows, "columns": columns, "cell": _cell_name(rows, columns)}
        )
    return rows, columns


def _elements(archive: zipfile.ZipFile, entry: zipfile.ZipInfo | None, tag: str) -> Iterator[dict]:
    """The attributes (by local name) of each `tag` element of a small XML part, in document order."""
    if entry is None:
        return
    if entry.file_size > MAX_XML_PART_BYTES:
        raise SpreadsheetError(_("The file expands to an unreasonable size when opened; it was refused."))
    with archive.open(entry) as part:
        for _event, element in DefusedET.iterparse(part, events=("start",), forbid_dtd=True):
            if element.tag.rpartition("}")[2] == tag:
                yield {name.rpartition("}")[2]: value for name, value in element.attrib.items()}


def _first_sheet(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    """The part calamine reads as the first sheet: the workbook's first <sheet>, through its relationship, the
    workbook being where the package's relationships put it. Names are matched as calamine matches them,
    whatever their case; an archive holding two parts of one name is refused (which one is read is a guess)."""
    entries = {}
    for entry in archive.infolist():
        key = entry.filename.replace("\\", "/").lower()
        if key in entries:
            raise SpreadsheetError(_("This is not an Excel workbook (.xlsx)."))
        entries[key] = entry
    base = "xl/"
    for relationship in _elements(archive, entries.get("_rels/.rels"), "Relationship"):
        if relationship.get("Type", "").endswith("/relationships/officeDocument"):
            target = relationship.get("Target", "")
            base = target[: target.rfind("/") + 1].removeprefix("/").lower()
    sheets = _elements(archive, entries.get(base + "workbook.xml"), "sheet")
    sheet = next(sheets, None)
    sheets.close()
    targets = {
        relationship.get("Id"): relationship.get("Target", "")
        for relationship in _elements(archive, entries.get(base + "_rels/workbook.xml.rels"), "Relationship")
    }
    target = targets.get(sheet.get("id")) if sheet else None
    entry = entries.get((target[1:] if target.startswith("/") else base + target).lower()) if target else None
    if entry is None:
        raise SpreadsheetError(_("The workbook could not be read: its first sheet is missing."))
    return entry


def sheet_extent(file, max_rows: int = MAX_ROWS) -> tuple[int, int]:
    """(rows, columns) the first sheet spans, at most; raises SpreadsheetError, naming the cell, when it is
    beyond MAX_COLUMNS, `max_rows` or MAX_CELLS. Reads the file's XML, never calamine."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entry = _first_sheet(archive)
            try:
                with archive.open(entry) as part:
                    return _scan_fast(part, max_rows)
            except _Unusual:
                with archive.open(entry) as part:
                    return _scan_exact(part, max_rows)
    except (
        zipfile.BadZipFile,
        zlib.error,
        DefusedXmlException,
        ElementTree.ParseError,
        EOFError,
        OSError,
        RuntimeError,
        NotImplementedError,
    ) as error:
        raise SpreadsheetError(_("The workbook could not be read: %(error)s") % {"error": error}) from error
    finally:
        file.seek(0)


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


# ---------------------------------------------------------------------------------------------------------
# Reading the lists users keep: the header row under the title rows, the kinds of rows that are not data, and
# the result of an import (its errors by row and column).

HEADER_SEARCH_ROWS = 30
MAX_KEPT_ERRORS = 500
NUMBERING_CELL = re.compile(r"^\(?\d{1,2}\)?$")
ROMAN_SECTION = re.compile(r"^[ivxlc]+ ")
FOOTER_STARTS = ("nguoi lap", "xac nhan", "tm ", "t m ", "kt ", "chu tich", "noi nhan", "truong ban", "pho chu tich")
DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")
TOTAL_STARTS = ("tong cong", "tong so")
TOTAL_WORDS = {"tong", "cong", "tong cong", "tong so"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        if self.column:
            return _("Row %(row)s, %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    warnings: list[RowError] = field(default_factory=list)  # rows written as they are, worth a look
    written: bool = False

    @property
    def ok(self):
        return not self.error_count

    def add_error(self, row: int, column: str, message: str):
        self.error_count += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(RowError(row, column, str(message)))

    def add_warning(self, row: int, column: str, message: str):
        if len(self.warnings) < MAX_KEPT_ERRORS:
            self.warnings.append(RowError(row, column, str(message)))

    def summary(self) -> str:
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


class ImportRejected(Exception):
    """Raised inside the write transaction so that a file with errors writes nothing."""

    def __init__(self, result: ImportResult):
        super().__init__(result.summary())
        self.result = result


@dataclass
class Columns:
    """Where each recognised field sits, and its header as written in the file (used in error messages)."""

    index: dict[str, int]
    header: dict[str, str]
    row: int

    def value(self, values: list, name: str):
        position = self.index.get(name)
        if position is None or position >= len(values):
            return ""
        return values[position]


def _header_lookup(headers: dict[str, list[str]]) -> dict[str, str]:
    return {fold(variant): name for name, variants in headers.items() for variant in variants}


def _match_header(cell, lookup: dict[str, str]) -> str | None:
    """The field a header cell names: exactly, or by its longest known beginning ("Ngày sinh (dd/mm/yyyy)")."""
    folded = fold(cell)
    if not folded:
        return None
    if folded in lookup:
        return lookup[folded]
    best = None
    for variant, name in lookup.items():
        if folded.startswith(variant + " ") and (best is None or len(variant) > len(best[0])):
            best = (variant, name)
    return best[1] if best else None


def find_columns(rows: Iterator[tuple[int, list]], headers: dict[str, list[str]], key_field: str) -> Columns | None:
    """Consume rows up to and including the header row: the first row naming `key_field` and two more fields."""
    lookup = _header_lookup(headers)
    for number, values in rows:
        index, header = {}, {}
        for position, cell in enumerate(values):
            name = _match_header(cell, lookup)
            if name and name not in index:
                index[name], header[name] = position, clean_text(cell)
        if key_field in index and len(index) >= 3:
            return Columns(index, header, number)
        if number >= HEADER_SEARCH_ROWS:
            return None
    return None


def refuse_bad_text(values: list, columns: Columns, error, names: Iterable[str]) -> set[str]:
    """Report, on its column, each of the row's cells `names` (the texts an import stores; the others must
    match a known value) that typed text may not be: control characters, direction overrides, invisible-only
    (totech.text.clean_input_text, as in the forms). Returns the fields refused."""
    refused = set()
    for name in names:
        value = columns.value(values, name)
        if isinstance(value, str) and value:
            try:
                clean_input_text(value, label=columns.header[name])
            except ValidationError as problem:
                error(name, " ".join(problem.messages))
                refused.add(name)
    return refused


def is_total(texts: list[str], folded: str) -> bool:
    """ "Tổng cộng …", or a first cell saying just "Cộng" or "Tổng" (not a village called "Cộng Hòa")."""
    return folded.startswith(TOTAL_STARTS) or fold(texts[0]) in TOTAL_WORDS


def is_numbering_row(texts: list[str]) -> bool:
    return all(NUMBERING_CELL.match(text) for text in texts)


def is_footer(folded: str) -> bool:
    return folded.startswith(FOOTER_STARTS) or bool(DATE_LINE.search(folded))


def filled(values: list, columns: Columns, names: Iterable[str]) -> bool:
    return any(columns.value(values, name) not in ("", None) for name in names)
