"""The dashboard's summaries in Excel: the official quarterly report and the same figures as flat data.

`OfficialReport` lays a unit's summary out as a Vietnamese administrative report (Nghị định 30/2020/NĐ-CP,
Phụ lục I: issuing body and national motto at the top, number, place and date, title and abstract, the body,
"Nơi nhận" and the signature block), with the indicator table in the Department's template (seed 002: the
districts send "kết quả hoạt động Tổ công nghệ số cộng đồng" to the Department every quarter) and, on a second
sheet, the units below it. It is a Vietnamese legal form, written in Vietnamese whatever the user's language,
as the target grid's workbook is (targets/excel.py); the labels that exist in the catalogue (periods, ratings)
are rendered through it under `translation.override("vi")`.

`SummaryData` is the flat version for analysts: one row per unit × indicator, and one per unit, for the unit
and every unit under it; headers in the user's language, choices as their stable codes.

Every text cell passes through `escape_formula` (unit names are typed by users); every export is logged.
"""

import datetime
import io
import math
from decimal import Decimal
from itertools import groupby

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from accounts.choices import ExportKind
from accounts.services import export_log
from targets.choices import PeriodKind, Pillar, Rating, TargetMode
from targets.models import Period
from totech.spreadsheets import escape_formula
from totech.text import fold
from units.choices import NAME_PREFIXES, DivisionType, Level
from units.models import Unit

from .models import IndicatorSummary, UnitSummary
from .selectors import dashboard_for, freshness

# The provincial Departments of Information and Communications merged into those of Science and Technology on
# 1 March 2025 (DOMAIN.md): a report issued from that day is the latter's.
DEPARTMENT_MERGER = datetime.date(2025, 3, 1)
DEPARTMENTS = {  # (name, abbreviation in document numbers)
    False: ("Sở Thông tin và Truyền thông", "STTTT"),
    True: ("Sở Khoa học và Công nghệ", "SKHCN"),
}
DIVISION_WORDS = {
    DivisionType.PROVINCE: "Tỉnh",
    DivisionType.CENTRAL_CITY: "Thành phố",
    DivisionType.RURAL_DISTRICT: "Huyện",
    DivisionType.URBAN_DISTRICT: "Quận",
    DivisionType.TOWN: "Thị xã",
    DivisionType.PROVINCIAL_CITY: "Thành phố",
    DivisionType.COMMUNE: "Xã",
    DivisionType.WARD: "Phường",
    DivisionType.TOWNSHIP: "Thị trấn",
    DivisionType.SPECIAL_ZONE: "Đặc khu",
}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

FONT_NAME = "Times New Roman"
PERCENT = "0.0%"
WHOLE = "#,##0"
NUMBER = "#,##0.0#"  # only for numbers with a fraction: "#,##0.##" printed 375 as "375."
DATE = "dd/mm/yyyy"
DATE_TIME = "dd/mm/yyyy hh:mm"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)  # in tables
FLUSH_LEFT = Alignment(horizontal="left", vertical="center")  # headings and Nơi nhận
RIGHT = Alignment(horizontal="right", vertical="center", indent=1)
# Nghị định 30/2020, Phụ lục I: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm (in inches here).
MARGINS = {"top": 0.79, "bottom": 0.79, "left": 1.18, "right": 0.59, "header": 0.3, "footer": 0.3}
POINTS_PER_LINE = {11: 15, 12: 16, 13: 17.5, 14: 19}

# The main sheet's columns (A-H); the header block splits them A-C | D-H.
REPORT_COLUMNS = [
    ("STT", 5.5),
    ("Chỉ tiêu", 36),
    ("Đơn vị tính", 9),
    ("Chỉ tiêu giao", 10.5),
    ("Kết quả thực hiện", 10.5),
    ("Tỷ lệ", 9),
    ("Tỷ lệ đạt so với chỉ tiêu", 11),
    ("Đánh giá", 11),
]
LEFT_BLOCK, RIGHT_BLOCK = ("A", "C"), ("D", "H")
UNIT_COUNTS = [  # (label, unit of measure, count, out of, share property, what the share is)
    (
        "Báo cáo định kỳ đã nhận",
        "Báo cáo",
        "reports_received",
        "reports_expected",
        "completeness",
        "Đã nhận / phải nộp",
    ),
    ("Báo cáo nộp đúng hạn", "Báo cáo", "reports_on_time", "reports_received", "timeliness", "Đúng hạn / đã nhận"),
    ("Báo cáo chưa đến hạn nộp", "Báo cáo", "reports_pending", None, None, "Không tính vào tỷ lệ"),
    ("Thôn, tổ dân phố có Tổ hoạt động", "Thôn", "villages_covered", "villages", "coverage", "Có Tổ / tổng số thôn"),
    ("Tổ Công nghệ số cộng đồng đang hoạt động", "Tổ", "active_teams", None, None, ""),
    ("Thành viên các Tổ", "Người", "members", None, None, ""),
]


def official_name(unit: Unit) -> str:
    """The unit's name with its division word ("Thái Nguyên" → "Tỉnh Thái Nguyên"), as it stands if it has one."""
    word = DIVISION_WORDS.get(unit.division_type, "")
    return unit.name if not word or fold(unit.name).startswith(fold(word) + " ") else f"{word} {unit.name}"


def place_name(unit: Unit) -> str:
    """The place written before the date: the official name without its division word, unless it is a number
    ("Huyện Mộ Đức" → "Mộ Đức", "Phường 1" stays), as Nghị định 30/2020 writes it."""
    for prefix, _type in NAME_PREFIXES:
        if fold(unit.name).startswith(fold(prefix) + " "):
            rest = unit.name[len(prefix) :].strip()
            return unit.name if rest.isdigit() else rest
    return unit.name


def place_date(unit: Unit, day: datetime.date) -> str:
    """ "Quảng Ngãi, ngày 05 tháng 02 năm 2026": days below 10 and months below 3 take a leading zero (NĐ 30/2020)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place_name(unit)}, ngày {day.day:02d} tháng {month} năm {day.year}"


def period_phrase(period: Period) -> str:
    """How the abstract names the period: "quý III năm 2026", "tháng 9 năm 2026", "năm 2026"."""
    if period.kind == PeriodKind.QUARTER:
        return f"quý {ROMAN[period.number - 1]} năm {period.year}"
    if period.kind == PeriodKind.MONTH:
        return f"tháng {period.number} năm {period.year}"
    if period.kind == PeriodKind.YEAR:
        return f"năm {period.year}"
    return f"đợt {period.name}"


def _ratio(value) -> float | None:
    """A percentage stored as 85.5 → the number 0.855, which a percent format shows as 85.5%."""
    return None if value is None else float(Decimal(str(value)) / 100)


def _number(value) -> int | float | None:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _local(moment):
    """Excel has no time zones: the portal's local time, naive."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


class UnitPeriodExport:
    """A workbook of a unit's figures over a period; taking it is recorded in ExportLog."""

    kind: ExportKind
    unit: Unit
    period: Period

    def log_export(self, *, user, row_count: int) -> None:
        export_log(
            user=user, kind=self.kind, scope=f"{self.unit.code} {self.unit.name} · {self.period}", row_count=row_count
        )


class OfficialReport(UnitPeriodExport):
    """A unit's summary for a period as an official report (.xlsx), issued on `issued_on` (today)."""

    kind = ExportKind.DASHBOARD_REPORT

    def __init__(self, *, unit: Unit, period: Period, issued_on: datetime.date | None = None):
        self.unit, self.period = unit, period
        self.issued_on = issued_on or timezone.localdate()
        self.summary = UnitSummary.objects.filter(unit=unit, period=period).first()
        pillars = {value: position for position, value in enumerate(Pillar.values)}
        self.cells = sorted(
            IndicatorSummary.objects.filter(unit=unit, period=period).select_related("indicator"),
            key=lambda cell: (
                pillars.get(cell.indicator.pillar, len(pillars)),
                cell.indicator.order,
                cell.indicator.code,
            ),
        )

    # --- who issues it -----------------------------------------------------------------------------------

    @property
    def by_department(self) -> bool:
        """A province's report is the Department's; a district's or a commune's, its People's Committee's."""
        return self.unit.level == Level.PROVINCE

    @property
    def department(self) -> tuple[str, str]:
        return DEPARTMENTS[self.issued_on >= DEPARTMENT_MERGER]

    def issuer_lines(self) -> list[tuple[str, bool]]:
        """(text, bold) from the top; the last line is the issuing body, underlined."""
        if self.by_department:
            return [(f"UBND {official_name(self.unit).upper()}", False), (self.department[0].upper(), True)]
        return [("ỦY BAN NHÂN DÂN", True), (official_name(self.unit).upper(), True)]

    def number_line(self) -> str:
        return f"Số:        /BC-{self.department[1] if self.by_department else 'UBND'}"

    def recipients(self) -> list[str]:
        """Nơi nhận: the body reported to, then the archive."""
        if self.by_department:
            word = DIVISION_WORDS.get(self.unit.division_type, "Tỉnh").lower()
            return [f"UBND {word} (để báo cáo);", f"Ban Chỉ đạo chuyển đổi số {word};", "Lưu: VT."]
        parent = self.unit.parent
        if self.unit.level == Level.COMMUNE and parent is not None and parent.level == Level.DISTRICT:
            above = f"UBND {official_name(parent)[0].lower()}{official_name(parent)[1:]}"
        else:
            above = self.department[0]
        return [f"{above} (để báo cáo);", "Lưu: VT."]

    def signature_lines(self) -> list[tuple[str, bool, bool]]:
        """(text, bold, italic) of the signature block above the space for the signature."""
        title = (
            [("GIÁM ĐỐC", True, False)]
            if self.by_department
            else [("TM. ỦY BAN NHÂN DÂN", True, False), ("CHỦ TỊCH", True, False)]
        )
        return [*title, ("(Ký, ghi rõ họ tên, đóng dấu)", False, True)]

    # --- the workbook ------------------------------------------------------------------------------------

    def export(self, *, user) -> tuple[bytes, int]:
        """The workbook's bytes and its indicator row count, logged in ExportLog."""
        content = self.content()
        self.log_export(user=user, row_count=len(self.cells))
        return content, len(self.cells)

    def content(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook().save(buffer)
        return buffer.getvalue()

    def workbook(self) -> Workbook:
        with translation.override("vi"):
            workbook = Workbook()
            self.dashboard = dashboard_for(self.unit, self.period)
            self._report_sheet(workbook.active)
            if self.dashboard.rows:
                self._units_sheet(workbook.create_sheet("Theo đơn vị"), self.dashboard)
            return workbook

    def _report_sheet(self, sheet: Worksheet) -> None:
        sheet.title = "Báo cáo"
        self.sheet, self.row = sheet, 1
        for position, (_label, width) in enumerate(REPORT_COLUMNS, start=1):
            sheet.column_dimensions[get_column_letter(position)].width = width
        self._header_block()
        self._title()
        self._indicator_table()
        self._unit_table()
        self._closing()
        _page_setup(sheet, landscape=False)
        sheet.print_area = f"A1:H{self.row - 1}"

    def _write(
        self,
        column: str,
        text,
        *,
        size=13,
        bold=False,
        italic=False,
        underline=False,
        to: str | None = None,
        alignment=CENTRE,
        row: int | None = None,
        escape=True,
    ) -> None:
        """One styled cell (merged up to `to`). `escape=False` only for text starting with our own "- " bullet,
        which escaping would spoil and which no spreadsheet runs."""
        row = row or self.row
        cell = self.sheet[f"{column}{row}"]
        cell.value = escape_formula(text) if escape else text
        cell.font = Font(name=FONT_NAME, size=size, bold=bold, italic=italic, underline="single" if underline else None)
        cell.alignment = alignment
        if to and to != column:
            self.sheet.merge_cells(f"{column}{row}:{to}{row}")

    def _header_block(self) -> None:
        """Issuing body (left) and national motto (right), then the number (left) and the place-date (right)."""
        issuer = self.issuer_lines()
        motto = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False), ("Độc lập - Tự do - Hạnh phúc", True, True)]
        for offset in range(2):
            text, bold = issuer[offset]
            self._write(LEFT_BLOCK[0], text, size=13, bold=bold, underline=offset == 1, to=LEFT_BLOCK[1])
            text, bold, underline = motto[offset]
            self._write(
                RIGHT_BLOCK[0], text, size=13 if offset == 0 else 14, bold=bold, underline=underline, to=RIGHT_BLOCK[1]
            )
            self.sheet.row_dimensions[self.row].height = 19
            self.row += 1
        self.row += 1
        self._write(LEFT_BLOCK[0], self.number_line(), to=LEFT_BLOCK[1])
        self._write(RIGHT_BLOCK[0], place_date(self.unit, self.issued_on), italic=True, to=RIGHT_BLOCK[1])
        self.sheet.row_dimensions[self.row].height = 19
        self.row += 2

    def _title(self) -> None:
        self._write("A", "BÁO CÁO", size=14, bold=True, to="H")
        self.sheet.row_dimensions[self.row].height = 20
        self.row += 1
        self._write(
            "A",
            f"Kết quả hoạt động của Tổ Công nghệ số cộng đồng {period_phrase(self.period)}",
            size=14,
            bold=True,
            to="H",
        )
        self.sheet.row_dimensions[self.row].height = 20
        self.row += 1
        self._write("A", "—" * 6, size=13, to="H")
        self.row += 1
        scope = (
            f"Đơn vị: {official_name(self.unit)} (mã {self.unit.code})"
            if self.unit.code
            else f"Đơn vị: {official_name(self.unit)}"
        ) + f" – Kỳ báo cáo: {self.period} (từ {self.period.start:%d/%m/%Y} đến {self.period.end:%d/%m/%Y})"
        self._write("A", scope, to="H")
        self.sheet.row_dimensions[self.row].height = 2 * POINTS_PER_LINE[13]
        self.row += 1
        if self.summary:
            note = f"Số liệu tổng hợp lúc {_local(self.summary.computed_at):%H:%M ngày %d/%m/%Y} từ các báo cáo đã được phê duyệt."
            if waiting := freshness(self.unit, self.period).waiting:
                note += f" Còn {waiting} đơn vị có báo cáo đã duyệt hoặc mở lại chưa được tổng hợp."
            self._write("A", note, size=12, italic=True, to="H")
            self.row += 1
        self.row += 1

    def _section(self, text: str) -> None:
        self._write("A", text, bold=True, to="H", alignment=FLUSH_LEFT)
        self.sheet.row_dimensions[self.row].height = 19
        self.row += 1

    def _table_row(self, values, *, formats=(), bold=False, alignments=None, height=None) -> None:
        for position, value in enumerate(values, start=1):
            cell = self.sheet.cell(self.row, position, escape_formula(value))
            cell.font = Font(name=FONT_NAME, size=12, bold=bold)
            cell.border = BOX
            cell.alignment = (alignments or {}).get(position, RIGHT if isinstance(value, (int, float)) else CENTRE)
            if position <= len(formats) and formats[position - 1]:
                cell.number_format = formats[position - 1]
        if height:
            self.sheet.row_dimensions[self.row].height = height
        self.row += 1

    def _indicator_table(self) -> None:
        self._section("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
        self.header_row = self.row
        self._table_row([label for label, _width in REPORT_COLUMNS], bold=True, height=3 * POINTS_PER_LINE[12])
        self.first_indicator_row = self.row
        for number, (pillar, cells) in enumerate(groupby(self.cells, key=lambda cell: cell.indicator.pillar)):
            self._table_row(
                [ROMAN[number], str(Pillar(pillar).label), "", "", "", "", "", ""], bold=True, alignments={2: LEFT}
            )
            self.sheet.merge_cells(f"B{self.row - 1}:H{self.row - 1}")
            for position, cell in enumerate(cells, start=1):
                self._indicator_row(position, cell)
        if not self.cells:
            self._table_row(["", "Chưa có số liệu chỉ tiêu trong kỳ.", "", "", "", "", "", ""], alignments={2: LEFT})
            self.sheet.merge_cells(f"B{self.row - 1}:H{self.row - 1}")
        self.row += 1

    def _indicator_row(self, position: int, cell: IndicatorSummary) -> None:
        indicator = cell.indicator
        percent_target = cell.target_mode == TargetMode.PERCENT
        target = _ratio(cell.target) if percent_target else _number(cell.target)
        values = [
            position,
            indicator.name_vi,
            "%" if indicator.is_percent else "Số lượng",
            target,
            cell.actual,
            _ratio(cell.rate),
            _ratio(cell.achievement),
            str(Rating(cell.rating).label) if cell.rating else "",
        ]
        formats = [
            None,
            None,
            None,
            PERCENT if percent_target else NUMBER if isinstance(target, float) else WHOLE,
            WHOLE,
            PERCENT,
            PERCENT,
            None,
        ]
        lines = math.ceil(len(indicator.name_vi) / (REPORT_COLUMNS[1][1] * 1.25))
        self._table_row(
            values,
            formats=formats,
            alignments={1: CENTRE, 2: LEFT, 3: CENTRE, 8: CENTRE},
            height=max(lines, 1) * POINTS_PER_LINE[12] + 2,
        )

    def _unit_table(self) -> None:
        self._section("II. TÌNH HÌNH BÁO CÁO VÀ HOẠT ĐỘNG CỦA CÁC TỔ")
        self._table_row(
            ["STT", "Nội dung", "Đơn vị tính", "Số lượng", "Tổng số", "Tỷ lệ", "Ghi chú", ""],
            bold=True,
            height=2 * POINTS_PER_LINE[12],
        )
        self.sheet.merge_cells(f"G{self.row - 1}:H{self.row - 1}")
        summary = self.summary
        for number, (label, measure, count, total, share, note) in enumerate(UNIT_COUNTS, start=1):
            values = [
                number,
                label,
                measure,
                getattr(summary, count) if summary else None,
                getattr(summary, total) if summary and total else None,
                _ratio(getattr(summary, share)) if summary and share else None,
                note,
                "",
            ]
            self._table_row(
                values,
                formats=[None, None, None, WHOLE, WHOLE, PERCENT],
                alignments={1: CENTRE, 2: LEFT, 3: CENTRE, 7: LEFT},
                height=2 * POINTS_PER_LINE[12] if len(label) > 45 else None,
            )
            self.sheet.merge_cells(f"G{self.row - 1}:H{self.row - 1}")
        self.row += 1

    def _closing(self) -> None:
        """Nơi nhận (left, below the body) and the signature block (right, level with it)."""
        if self.dashboard.rows:
            self._section("III. KẾT QUẢ THEO ĐƠN VỊ: xem Phụ lục (trang tính “Theo đơn vị”).")
            self.row += 1
        self.signature_row = start = self.row
        self._write(LEFT_BLOCK[0], "Nơi nhận:", size=12, bold=True, italic=True, to=LEFT_BLOCK[1], alignment=FLUSH_LEFT)
        for offset, line in enumerate(self.recipients(), start=1):
            self._write(
                LEFT_BLOCK[0],
                f"- {line}",
                size=11,
                to=LEFT_BLOCK[1],
                alignment=FLUSH_LEFT,
                row=start + offset,
                escape=False,
            )
        for offset, (text, bold, italic) in enumerate(self.signature_lines()):
            self._write(
                RIGHT_BLOCK[0],
                text,
                size=14 if bold else 13,
                bold=bold,
                italic=italic,
                to=RIGHT_BLOCK[1],
                row=start + offset,
            )
        # Room for the signature and the seal, then the signer's name is written by hand.
        self.row = start + max(len(self.recipients()) + 1, len(self.signature_lines()) + 5)

    def _units_sheet(self, sheet: Worksheet, dashboard) -> None:
        """Phụ lục: each unit below (and the total) against the indicators that have a target somewhere in it
        (the share of the target reached, as the dashboard's second line), then reports, coverage and teams."""
        rows = [*dashboard.rows, dashboard.total]
        columns = [
            position
            for position, _indicator in enumerate(dashboard.indicators)
            if any(row.cells[position] is not None and row.cells[position].achievement is not None for row in rows)
        ]
        heads = (
            [("STT", 5.5), ("Đơn vị", 24)]
            + [(dashboard.indicators[position].name_vi, 12) for position in columns]
            + [
                ("Báo cáo đã nhận", 9.5),
                ("Báo cáo đúng hạn", 9.5),
                ("Thôn có Tổ hoạt động", 9.5),
                ("Số Tổ", 8),
                ("Số thành viên", 9.5),
            ]
        )
        last = get_column_letter(len(heads))
        self.sheet, self.row = sheet, 1
        self._write("A", "Phụ lục", bold=True, to=last)
        self.row += 1
        self._write(
            "A",
            f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU THEO ĐƠN VỊ {period_phrase(self.period).upper()}",
            size=14,
            bold=True,
            to=last,
        )
        self.row += 1
        issuer = self.department[0] if self.by_department else f"UBND {official_name(self.unit)}"
        document = self.number_line().split("/")[1]
        self._write(
            "A",
            f"(Kèm theo Báo cáo số        /{document} ngày      /     /{self.issued_on.year} của {issuer})",
            italic=True,
            to=last,
        )
        self.row += 1
        if columns:
            self._write(
                "A", "Số liệu ở các cột chỉ tiêu là tỷ lệ đạt so với chỉ tiêu được giao.", size=12, italic=True, to=last
            )
            self.row += 1
        self.row += 1
        top = self.row
        for position, (label, width) in enumerate(heads, start=1):
            sheet.column_dimensions[get_column_letter(position)].width = width
            self._box(sheet.cell(top, position, escape_formula(label)), bold=True)
        longest = max((len(label) for label, _width in heads[2:]), default=0)
        sheet.row_dimensions[top].height = max(3, math.ceil(longest / 14)) * POINTS_PER_LINE[12]
        self.row += 1
        for number, row in enumerate(dashboard.rows, start=1):
            self._units_row(sheet, [number, row.unit.name], row, columns)
        self._units_row(sheet, ["", "Tổng cộng"], dashboard.total, columns, bold=True)
        sheet.freeze_panes = f"C{top + 1}"
        _page_setup(sheet, landscape=True)
        sheet.print_title_rows = f"{top}:{top}"
        sheet.print_area = f"A1:{last}{self.row - 1}"

    def _units_row(self, sheet, values, row, columns, *, bold=False) -> None:
        cells = [row.cells[position] for position in columns]
        values = values + [_ratio(cell.achievement) if cell else None for cell in cells]
        summary = row.summary
        values += (
            [
                _ratio(summary.completeness),
                _ratio(summary.timeliness),
                _ratio(summary.coverage),
                summary.active_teams,
                summary.members,
            ]
            if summary
            else [None] * 5
        )
        formats = [None, None] + [PERCENT] * (len(cells) + 3) + [WHOLE, WHOLE]
        for position, value in enumerate(values, start=1):
            cell = sheet.cell(self.row, position, escape_formula(value))
            self._box(cell, bold=bold, alignment=LEFT if position == 2 else (CENTRE if position == 1 else RIGHT))
            if formats[position - 1]:
                cell.number_format = formats[position - 1]
        self.row += 1

    @staticmethod
    def _box(cell, *, bold=False, alignment=CENTRE) -> None:
        cell.font = Font(name=FONT_NAME, size=12, bold=bold)
        cell.border, cell.alignment = BOX, alignment


def _page_setup(sheet: Worksheet, *, landscape: bool) -> None:
    """A4, fitted to the page width (as many pages down as needed), margins of Nghị định 30/2020."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE if landscape else sheet.ORIENTATION_PORTRAIT
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    for side, inches in MARGINS.items():
        setattr(sheet.page_margins, side, inches)
    sheet.sheet_view.showGridLines = False


class SummaryData(UnitPeriodExport):
    """The summaries of `units` (the unit and those under it the user sees) for a period, one flat row each."""

    kind = ExportKind.DASHBOARD_DATA

    def __init__(self, *, unit: Unit, period: Period, indicator_summaries, unit_summaries):
        self.unit, self.period = unit, period
        self.indicator_summaries = indicator_summaries.select_related("unit__parent", "indicator").order_by(
            "unit__path", "indicator__order", "indicator__code"
        )
        self.unit_summaries = unit_summaries.select_related("unit__parent").order_by("unit__path")

    def indicator_headers(self) -> list[str]:
        return [
            *self._unit_headers(),
            _("Indicator code"),
            _("Indicator name"),
            _("Actual"),
            _("Denominator"),
            _("Rate (%)"),
            _("Target set"),
            _("Target mode"),
            _("Achievement (%)"),
            _("Rating"),
            _("Computed at"),
        ]

    def unit_headers(self) -> list[str]:
        return [
            *self._unit_headers(),
            _("Reports expected"),
            _("Reports received"),
            _("Reports on time"),
            _("Reports not yet due"),
            _("Completeness (%)"),
            _("Timeliness (%)"),
            _("Active teams"),
            _("Members"),
            _("Villages"),
            _("Villages covered"),
            _("Coverage (%)"),
            _("Computed at"),
        ]

    @staticmethod
    def _unit_headers() -> list[str]:
        return [
            _("Unit code"),
            _("Unit"),
            _("Level"),
            _("Parent unit code"),
            _("Period"),
            _("Period start"),
            _("Period end"),
        ]

    def _unit_values(self, unit: Unit) -> list:
        return [
            unit.code,
            unit.name,
            unit.level,
            unit.parent.code if unit.parent else "",
            str(self.period),
            self.period.start,
            self.period.end,
        ]

    def indicator_rows(self):
        for row in self.indicator_summaries:
            yield [
                *self._unit_values(row.unit),
                row.indicator.code,
                row.indicator.name,
                row.actual,
                row.denominator,
                _number(row.rate),
                _number(row.target),
                row.target_mode,
                _number(row.achievement),
                row.rating,
                _local(row.computed_at),
            ]

    def unit_rows(self):
        for row in self.unit_summaries:
            yield [
                *self._unit_values(row.unit),
                row.reports_expected,
                row.reports_received,
                row.reports_on_time,
                row.reports_pending,
                row.completeness,
                row.timeliness,
                row.active_teams,
                row.members,
                row.villages,
                row.villages_covered,
                row.coverage,
                _local(row.computed_at),
            ]

    def export(self, *, user) -> tuple[bytes, int]:
        workbook = Workbook(write_only=True)
        count = self._sheet(workbook, _("By indicator"), self.indicator_headers(), self.indicator_rows())
        self._sheet(workbook, _("By unit"), self.unit_headers(), self.unit_rows())
        buffer = io.BytesIO()
        workbook.save(buffer)
        self.log_export(user=user, row_count=count)
        return buffer.getvalue(), count

    @staticmethod
    def _sheet(workbook, title: str, headers: list[str], rows) -> int:
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        header = []
        for text in headers:
            cell = WriteOnlyCell(sheet, value=escape_formula(text))
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        count = 0
        for values in rows:
            sheet.append(
                [
                    _dated(sheet, value) if isinstance(value, datetime.date) else escape_formula(value)
                    for value in values
                ]
            )
            count += 1
        return count


def _dated(sheet, value: datetime.date) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = DATE_TIME if isinstance(value, datetime.datetime) else DATE
    return cell


def export_file_name(prefix: str, unit: Unit, period: Period) -> str:
    """An ASCII name: bao-cao-to-cnscd-tinh-quang-ngai-2026-q3.xlsx."""
    if period.kind == PeriodKind.QUARTER:
        label = f"{period.year}-q{period.number}"
    elif period.kind == PeriodKind.MONTH:
        label = f"{period.year}-{period.number:02d}"
    elif period.kind == PeriodKind.YEAR:
        label = f"{period.year}"
    else:  # a campaign: no number
        label = f"period-{period.pk}"
    slug = "-".join(fold(official_name(unit)).split())[:60] or "unit"
    return f"{prefix}-{slug}-{label}.xlsx"


class QualityProblems:
    """The open data-quality problems of a unit's reports for a period (reports.quality), one row each."""

    kind = ExportKind.QUALITY_PROBLEMS

    def __init__(self, *, unit: Unit, period: Period, problems):
        self.unit, self.period, self.problems = unit, period, problems

    @staticmethod
    def headers() -> list[str]:
        return [
            _("Commune"),
            _("Team"),
            _("Period"),
            _("Report status"),
            _("Indicator"),
            _("Value"),
            _("Kind of problem"),
            _("Warning"),
            _("Explanation of the flagged figures"),
            _("First submitted at"),
        ]

    def rows(self):
        for problem in self.problems:
            report = problem.report
            yield [
                report.commune.name if report.commune else "",
                report.team.name,
                str(self.period),
                report.get_status_display(),
                problem.indicator.name,
                problem.value,
                problem.get_kind_display(),
                problem.message,
                report.quality_note,
                _local(report.submitted_at),
            ]

    def export(self, *, user) -> tuple[bytes, int]:
        workbook = Workbook(write_only=True)
        count = SummaryData._sheet(workbook, _("Data quality"), self.headers(), self.rows())
        buffer = io.BytesIO()
        workbook.save(buffer)
        export_log(
            user=user, kind=self.kind, scope=f"{self.unit.code} {self.unit.name} · {self.period}", row_count=count
        )
        return buffer.getvalue(), count
