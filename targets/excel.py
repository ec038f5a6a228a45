"""The assignment grid in Excel: out as .xlsx in the grid's own layout, and back in through the grid.

The export writes each holder's own targets (a blank cell inherits from above, as in the grid), so a file
exported and imported unchanged changes nothing. The import goes through the shared safety checks and
reader of `totech.spreadsheets`; it only parses and checks: the values then fill the grid as a preview, and
the grid's save button stores them with `target_grid_save`. Rows and indicator columns left out of the file
keep their current values; a blank cell in a row that is there removes that holder's own target.
"""

import io
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from teams.models import Team
from totech.forms import parse_count
from totech.spreadsheets import RowError, check_upload, clean_text, escape_formula, read_rows
from totech.text import fold
from units.models import Unit
from units.selectors import units_visible_to

from .forms import NEGATIVE, PERCENT_RANGE

CODE_HEADER, NAME_HEADER, KIND_HEADER = "Mã đơn vị", "Tên đơn vị / Tổ", "Loại"
FIXED_COLUMNS = 3
HEADER_SEARCH_ROWS = 20
OWN_NOTE = (
    "Ô để trống: không có chỉ tiêu riêng, áp dụng chỉ tiêu của cấp trên. Tỷ lệ ghi theo %, số lượng ghi số nguyên."
)
EFFECTIVE_NOTE = "Bản để xem: gồm cả chỉ tiêu kế thừa từ cấp trên (chữ nghiêng màu xám)."
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
PARENT_FILL = PatternFill("solid", fgColor="F2F2F2")


def _holder_kind_label(kind: str, holder) -> str:
    return "Tổ Công nghệ số cộng đồng" if kind == "team" else holder.get_level_display()


def indicator_header(indicator) -> str:
    """The code on the first line (what the import reads), the Vietnamese name and the unit below it."""
    return f"{indicator.code}\n{indicator.name_vi} ({'%' if indicator.is_percent else 'số lượng'})"


def grid_workbook(*, unit, period, indicators, holders, values, inherited=None) -> bytes:
    """The grid as .xlsx bytes, in Vietnamese whatever the user's language (the import reads these words).
    `values` maps (kind, holder id, indicator id) to a holder's own target. The read-only overview also passes
    `inherited` (the values inherited from above, written in grey italics): such a file is for reading, and the
    import refuses it (its inherited values would become own targets)."""
    with translation.override("vi"):
        return _grid_workbook(
            unit=unit, period=period, indicators=indicators, holders=holders, values=values, inherited=inherited
        )


def _grid_workbook(*, unit, period, indicators, holders, values, inherited) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Chỉ tiêu")
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width, sheet.column_dimensions["C"].width = (
        12,
        40,
        22,
    )
    for position in range(len(indicators)):
        sheet.column_dimensions[get_column_letter(FIXED_COLUMNS + position + 1)].width = 22
    title_lines = [
        ("CHỈ TIÊU CHUYỂN ĐỔI SỐ", True),
        (
            f"Đơn vị: {unit.name} ({unit.get_level_display()}) · Kỳ: {period} "
            f"({period.start:%d/%m/%Y} - {period.end:%d/%m/%Y}) · xuất ngày {timezone.localdate():%d/%m/%Y}",
            False,
        ),
        (OWN_NOTE if inherited is None else EFFECTIVE_NOTE, False),
    ]
    for line, bold in title_lines:
        cell = WriteOnlyCell(sheet, value=escape_formula(line))
        cell.font = Font(bold=bold)
        sheet.append([cell])
    sheet.append([])
    header = []
    for text in [CODE_HEADER, NAME_HEADER, KIND_HEADER] + [indicator_header(i) for i in indicators]:
        cell = WriteOnlyCell(sheet, value=escape_formula(text))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    for (kind, holder_id), holder in holders.items():
        code = holder.code if kind == "unit" else ""
        row_values = [code, holder.name, _holder_kind_label(kind, holder)]
        cells = []
        for value in row_values:
            cell = WriteOnlyCell(sheet, value=escape_formula(value))
            if holder_id == unit.pk and kind == "unit":
                cell.font, cell.fill = Font(bold=True), PARENT_FILL
            cells.append(cell)
        for indicator in indicators:
            key = (kind, holder_id, indicator.pk)
            cell = WriteOnlyCell(sheet, value=_plain_number(values.get(key, (inherited or {}).get(key))))
            if key not in values and key in (inherited or {}):
                cell.font = Font(italic=True, color="808080")
            elif holder_id == unit.pk and kind == "unit":
                cell.font, cell.fill = Font(bold=True), PARENT_FILL
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plain_number(value):
    """Decimals as int or float so the cell is a number Excel can add up (targets have at most 2 decimals)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _code_key(code: str) -> str:
    """Excel turns a retyped 02107 into the number 2107: compare codes without their leading zeros."""
    return code.lstrip("0") or "0"


class GridImportRejected(Exception):
    """The file has errors; nothing fills the grid."""

    def __init__(self, errors: list):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _number(value) -> Decimal | None:
    """A cell as a Decimal: Excel numbers, or text written the Vietnamese way (1.000 / 85,5 / 85%)."""
    if value in ("", None):
        return None
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    text = clean_text(value).removesuffix("%").strip()
    if not text:
        return None
    return Decimal(formats.sanitize_separators(text))


class GridImporter:
    """Reads a grid file for `unit`'s grid into the cells `target_grid_save` takes, or raises GridImportRejected."""

    def __init__(self, *, user, unit, holders, indicators):
        self.user, self.unit, self.holders = user, unit, holders
        self.indicators_by_code = {indicator.code.lower(): indicator for indicator in indicators}
        self.by_code = {
            _code_key(holder.code): key for key, holder in holders.items() if key[0] == "unit" and holder.code
        }
        self.title = ""  # the lines above the header row
        self.by_name = {}
        for key, holder in holders.items():
            self.by_name.setdefault(fold(holder.name), []).append(key)

    def read(self, file, name: str) -> dict[tuple[str, int, int], Decimal | None]:
        check_upload(file, name)
        rows = read_rows(file)
        errors, cells, seen = [], {}, {}
        columns = self._find_header(rows, errors)
        if EFFECTIVE_NOTE in self.title:
            raise GridImportRejected(
                [
                    _(
                        "This file is the read-only view of the targets (it includes inherited ones): export the file from the "
                        "assignment grid to import it."
                    )
                ]
            )
        if columns is None:
            raise GridImportRejected(
                errors
                or [
                    _(
                        "No header row found: the first column of the header row must be “%(header)s”, as in the exported file."
                    )
                    % {"header": CODE_HEADER}
                ]
            )
        for number, values in rows:
            texts = [clean_text(value) for value in values]
            code, holder_name = (texts + ["", ""])[:2]
            if not code and not holder_name:
                continue
            key = self._holder(number, code, holder_name, errors)
            if key is None:
                continue
            if key in seen:
                errors.append(
                    RowError(
                        number,
                        NAME_HEADER,
                        _("%(name)s already appears on row %(row)s.")
                        % {"name": self.holders[key].name, "row": seen[key]},
                    )
                )
                continue
            seen[key] = number
            for position, (indicator, header) in columns.items():
                value = values[position] if position < len(values) else ""
                try:
                    cells[(key[0], key[1], indicator.pk)] = self._value(value, indicator)
                except ValueError as problem:
                    errors.append(RowError(number, header, str(problem)))
        if errors:
            raise GridImportRejected(errors)
        return cells

    def _find_header(self, rows, errors):
        """Consume rows up to the header row; return {column position: (indicator, header text)}."""
        for number, values in rows:
            texts = [clean_text(value) for value in values]
            if not texts or fold(texts[0]) != fold(CODE_HEADER):
                self.title += " ".join(texts) + "\n"
                if number >= HEADER_SEARCH_ROWS:
                    return None
                continue
            columns = {}
            for position, text in enumerate(texts[FIXED_COLUMNS:], start=FIXED_COLUMNS):
                if not text:
                    continue
                indicator = self.indicators_by_code.get(text.split()[0].lower())
                if indicator is None:
                    errors.append(
                        RowError(
                            number,
                            text,
                            _("Unknown indicator: the column's first line must be an indicator code of the catalogue."),
                        )
                    )
                else:
                    columns[position] = (indicator, text)
            return None if errors else columns
        return None

    def _holder(self, number, code, holder_name, errors):
        if code:
            key = self.by_code.get(_code_key(code))
            if key:
                return key
            known = Unit.objects.filter(code=code)
            header, shown = CODE_HEADER, code
        else:
            keys = self.by_name.get(fold(holder_name), [])
            if len(keys) == 1:
                return keys[0]
            if len(keys) > 1:
                errors.append(
                    RowError(
                        number,
                        NAME_HEADER,
                        _("Several units or teams of this grid are called %(name)s: write the unit code.")
                        % {"name": holder_name},
                    )
                )
                return None
            known = Unit.objects.filter(name__iexact=holder_name)
            header, shown = NAME_HEADER, holder_name
            if not known.exists() and Team.objects.filter(name__iexact=holder_name).exists():
                errors.append(
                    RowError(
                        number,
                        header,
                        _("%(name)s is not a team of the grid of %(unit)s.") % {"name": shown, "unit": self.unit.name},
                    )
                )
                return None
        if known.exists() and not known.filter(pk__in=units_visible_to(self.user)).exists():
            message = _("%(name)s is outside your scope: you cannot set its targets.") % {"name": shown}
        elif known.exists():
            message = _(
                "%(name)s is not in the grid of %(unit)s (only this unit, its teams and the units right below it)."
            ) % {"name": shown, "unit": self.unit.name}
        else:
            message = _("Unknown unit or team: %(name)s.") % {"name": shown}
        errors.append(RowError(number, header, message))
        return None

    def other_grid_warning(self, period) -> str:
        """A warning when the file's title names another unit or period (copying a file on purpose is fine)."""
        line = next((line for line in self.title.splitlines() if line.startswith("Đơn vị:")), "")
        named = re.match(r"Đơn vị: (.+) \([^()]*\) · Kỳ: (.+?) \(\d", line)
        with translation.override("vi"):
            period_label = str(period)
        if named and (named[1] != self.unit.name or named[2] != period_label):
            return _(
                "This file was exported for another unit or period (%(title)s): check the values before saving."
            ) % {"title": line}
        return ""

    @staticmethod
    def _value(value, indicator) -> Decimal | None:
        if not indicator.is_percent:
            try:
                number = parse_count(value)
            except ValidationError as problem:
                raise ValueError(" ".join(problem.messages)) from None
            return None if number is None else Decimal(number)
        try:
            number = _number(value)
        except (InvalidOperation, ValueError):
            raise ValueError(_("“%(value)s” is not a number.") % {"value": clean_text(value)}) from None
        if number is None:
            return None
        if number < 0:
            raise ValueError(str(NEGATIVE))
        if number > 100:
            raise ValueError(str(PERCENT_RANGE))
        return number.quantize(Decimal("0.01"))
