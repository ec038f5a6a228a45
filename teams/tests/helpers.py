"""Building fixture workbooks in tests."""

import io
import zipfile

from openpyxl import Workbook

MEMBER_HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số điện thoại",
    "Chức vụ trong Tổ",
    "Thành phần / Đơn vị công tác",
    "Thôn/Tổ dân phố",
    "Ghi chú",
]


def workbook_bytes(rows, merges=(), number_formats=None) -> bytes:
    """rows: lists of cell values (None for empty); merges: ranges like "A1:I1"."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    for coordinate, number_format in (number_formats or {}).items():
        sheet[coordinate].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def member_file(*data_rows, header=MEMBER_HEADER, above=()) -> io.BytesIO:
    return io.BytesIO(workbook_bytes([*above, header, *data_rows]))


RAW_PACKAGE = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Danh sách" sheetId="1" r:id="rId7"/><sheet name="Ghi chú" sheetId="2" r:id="rId2"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/danh-sach.xml"/>'
        "</Relationships>"
    ),
}


def text_cell(reference: str, value: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'


def raw_workbook(sheet_data: str, *, dimension: str = "", second_sheet: str = "", merges=(), encoding="utf-8") -> bytes:
    """An .xlsx written as raw XML, for cell layouts no library writes. Its first sheet is
    xl/worksheets/danh-sach.xml, reached through the workbook's relationships (its second, sheet1.xml, holds
    `second_sheet`)."""

    def worksheet(data, dimension="", merges=()):
        declared = f'<dimension ref="{dimension}"/>' if dimension else ""
        merged = (
            f'<mergeCells count="{len(merges)}">'
            + "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
            + "</mergeCells>"
            if merges
            else ""
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{declared}<sheetData>{data}</sheetData>{merged}</worksheet>"
        )

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in RAW_PACKAGE.items():
            archive.writestr(name, content)
        first = worksheet(sheet_data, dimension, merges).replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
        archive.writestr("xl/worksheets/danh-sach.xml", first.encode(encoding))
        archive.writestr("xl/worksheets/sheet1.xml", worksheet(second_sheet))
    return buffer.getvalue()


def far_cell_workbook(far: str = "XFD100000") -> bytes:
    """1.5 KB that calamine would unfold into the rectangle A1:`far` (52 GB for XFD100000: the process aborts)."""
    row = "".join(char for char in far if char.isdigit())
    return raw_workbook(f'<row r="1">{text_cell("A1", "Họ và tên")}</row><row r="{row}">{text_cell(far, "x")}</row>')
