"""Population figures in Excel: the list a population page shows, and the blank village list to fill in, both
in the columns the village import reads (units.imports.VILLAGE_HEADERS), so a list can go out, be corrected
and come back. Every cell passes through `escape_formula`."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from totech.spreadsheets import escape_formula

from .imports import VILLAGE_HEADERS
from .models import POPULATION_FIELDS

COLUMNS = ["number", "name", *POPULATION_FIELDS]
SOURCE_OWN, SOURCE_SUM, SOURCE_NONE = "Số liệu riêng", "Tổng các đơn vị trực thuộc", "Chưa có số liệu"


def _workbook(title: str, headers: list[str], rows: list[list]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dân số")
    sheet.column_dimensions["B"].width = 30
    cell = WriteOnlyCell(sheet, value=escape_formula(title))
    cell.font = Font(bold=True)
    sheet.append([cell])
    sheet.append([])
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for values in rows:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=escape_formula(value))
            if hasattr(value, "year"):
                cell.number_format = "dd/mm/yyyy"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def population_workbook(unit, rows) -> bytes:
    """The population page's list (units.selectors.population_rows): the figures that count for each unit,
    where they come from and as of when."""
    headers = [VILLAGE_HEADERS[name][0] for name in COLUMNS] + ["Nguồn số liệu", "Số liệu đến ngày"]
    lines = []
    for number, row in enumerate(rows, start=1):
        source = SOURCE_NONE if row.missing else "; ".join([SOURCE_OWN] * bool(row.own) + [SOURCE_SUM] * row.summed)
        lines.append([number, row.unit.name, *(row.values[name] for name in POPULATION_FIELDS), source, row.own_as_of])
    return _workbook(f"SỐ LIỆU DÂN SỐ · {unit.name} · xuất ngày {timezone.localdate():%d/%m/%Y}", headers, lines)


def village_list_template(commune, rows) -> bytes:
    """The commune and its villages, one row each, with their own latest figures (never sums: a sum typed back
    would become the commune's own figure), ready for the village import."""
    headers = [VILLAGE_HEADERS[name][0] for name in COLUMNS]
    lines = [
        [number, row.unit.name, *(row.own[name][1] if name in row.own else None for name in POPULATION_FIELDS)]
        for number, row in enumerate(rows, start=1)
    ]
    return _workbook(f"DANH SÁCH THÔN, TỔ DÂN PHỐ VÀ SỐ LIỆU DÂN SỐ · {commune.name}", headers, lines)
