"""Building fixture workbooks in tests."""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

MEMBER_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số điện thoại", "Chức vụ trong Tổ", "Thành phần / Đơn vị công tác", "Thôn/Tổ dân phố", "Ghi chú"]


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


@pytest.fixture
def english():
    """Messages are asserted in English; a test or two checks the Vietnamese."""
    with translation.override("en"):
        yield
