"""Member rosters and the blank template, in the layout the import reads (so a file can go out, be edited
and come back). Every cell passes through `escape_formula`; every roster export is logged in ExportLog."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from accounts.choices import ExportKind
from accounts.services import export_log
from totech.spreadsheets import escape_formula
from units.choices import Level

from ..choices import TeamRole
from .layout import AFFILIATION_LABELS, GENDER_LABELS, MEMBER_EXPORT_FIELDS, MEMBER_HEADERS, ROLE_LABELS

COLUMN_WIDTHS = {
    "number": 6,
    "full_name": 26,
    "birth": 13,
    "gender": 9,
    "phone": 14,
    "role": 19,
    "affiliation": 30,
    "village": 22,
    "team": 34,
    "commune": 20,
    "notes": 24,
}
ROLE_ORDER = {role: position for position, role in enumerate(TeamRole.values)}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _header_cells(sheet):
    cells = []
    for name in MEMBER_EXPORT_FIELDS:
        cell = WriteOnlyCell(sheet, value=MEMBER_HEADERS[name][0])
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    return cells


def _new_sheet(workbook, title_lines: list[str]):
    sheet = workbook.create_sheet("Danh sách")
    for name, width in zip(MEMBER_EXPORT_FIELDS, COLUMN_WIDTHS.values(), strict=True):
        sheet.column_dimensions[chr(ord("A") + MEMBER_EXPORT_FIELDS.index(name))].width = width
    for line in title_lines:
        cell = WriteOnlyCell(sheet, value=escape_formula(line))
        cell.font = Font(bold=True)
        sheet.append([cell])
    sheet.append([])
    sheet.append(_header_cells(sheet))
    return sheet


def roster_rows(memberships):
    """One list of cell values per membership, in MEMBER_EXPORT_FIELDS order."""
    for number, membership in enumerate(memberships, start=1):
        person, team = membership.person, membership.team
        village = team.unit.name if team.level == Level.VILLAGE else ""
        commune = team.unit.parent.name if team.level == Level.VILLAGE else team.unit.name
        yield [
            number,
            person.full_name,
            person.birth_date or person.birth_year,
            GENDER_LABELS.get(person.gender, ""),
            person.phone,
            ROLE_LABELS[membership.role],
            AFFILIATION_LABELS[membership.affiliation],
            village,
            team.name,
            commune,
            membership.notes,
        ]


def roster_workbook(memberships, *, scope_label: str) -> tuple[bytes, int]:
    """The roster as .xlsx bytes and its row count."""
    workbook = Workbook(write_only=True)
    sheet = _new_sheet(
        workbook,
        [
            "DANH SÁCH THÀNH VIÊN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG",
            f"{scope_label} · xuất ngày {timezone.localdate():%d/%m/%Y}",
        ],
    )
    count = 0
    for values in roster_rows(memberships):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=escape_formula(value))
            if hasattr(value, "year") and not isinstance(value, int):
                cell.number_format = "dd/mm/yyyy"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def roster_memberships(queryset):
    """Current memberships in roster order, with everything the rows need in one query."""
    memberships = list(queryset.filter(end_date__isnull=True).select_related("person", "team__unit__parent"))
    memberships.sort(key=lambda m: (m.team.unit.path, m.team.name, ROLE_ORDER[m.role], m.person.full_name))
    return memberships


def export_roster(queryset, *, user, scope_label: str, filters: str = "") -> tuple[bytes, int]:
    """Build a roster and record the export of personal data."""
    content, count = roster_workbook(roster_memberships(queryset), scope_label=scope_label)
    export_log(user=user, kind=ExportKind.TEAM_MEMBERS, scope=f"{scope_label} {filters}", row_count=count)
    return content, count


INSTRUCTIONS = [
    "HƯỚNG DẪN ĐIỀN DANH SÁCH THÀNH VIÊN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG",
    "",
    "1. Mỗi dòng là một thành viên của một Tổ. Có thể để dòng tiêu đề, dòng trống, dòng mục (I. TỔ CNSCĐ THÔN …), dòng tổng cộng và phần ký tên.",
    "2. Họ và tên: bắt buộc.",
    "3. Ngày sinh: dd/mm/yyyy (ví dụ 05/03/1990), ô ngày của Excel, hoặc chỉ năm sinh (1990).",
    "4. Giới tính: Nam hoặc Nữ.",
    "5. Số điện thoại: 10 chữ số bắt đầu bằng 0; có thể viết 0912 345 678, 0912.345.678 hoặc +84 912 345 678.",
    "6. Chức vụ trong Tổ: "
    + ", ".join(ROLE_LABELS.values())
    + ". Để trống là Thành viên. Mỗi Tổ chỉ có một Tổ trưởng.",
    "7. Thành phần / Đơn vị công tác: ví dụ " + ", ".join(list(AFFILIATION_LABELS.values())[:8]) + " …",
    "8. Thôn/Tổ dân phố: tên thôn của xã, có hoặc không có chữ Thôn/Bản/Tổ dân phố. Thôn phải có sẵn trên hệ thống (nhập danh sách thôn trước).",
    "9. Tổ: chỉ cần khi một thôn có nhiều Tổ; để trống nếu thôn có một Tổ. Thành viên Tổ cấp xã: để trống Thôn, ghi tên Tổ của xã.",
    "10. Nhập lại cùng một danh sách sẽ cập nhật, không tạo trùng (so khớp theo họ tên và ngày/năm sinh, hoặc số điện thoại).",
    "11. Nếu có lỗi, không dòng nào được ghi; danh sách lỗi ghi rõ dòng, cột và lý do.",
]


def blank_template() -> bytes:
    workbook = Workbook(write_only=True)
    sheet = _new_sheet(workbook, ["DANH SÁCH THÀNH VIÊN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG", "Xã/Phường: ……………"])
    sheet.append(
        [
            1,
            "Nguyễn Văn A (dòng mẫu, xóa đi)",
            "05/03/1990",
            "Nam",
            "0912345678",
            "Tổ trưởng",
            "Trưởng thôn",
            "Thôn 1",
            "",
            "",
            "",
        ]
    )
    guide = workbook.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 120
    for line in INSTRUCTIONS:
        guide.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
