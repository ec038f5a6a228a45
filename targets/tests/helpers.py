"""Helpers of the targets tests: the assignment grid's address and posts, the Excel round trip."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from targets.forms import cell_name

AS_OF = datetime.date(2025, 12, 1)  # the population figures of the `grid` fixture (conftest.py)
HEADER_ROW = 5  # the Excel grid: three title lines, a blank line, then the header


def grid_url(unit, period):
    return f"{reverse('targets:assign')}?unit={unit.pk}&period={period.pk}"


def post(grid, unit, action, cells, **extra):
    data = {"action": action, "decision_number": "", "decision_date": "", **extra}
    for (key, indicator), value in cells.items():
        data[cell_name("unit", key.pk, grid[indicator].pk)] = value
    return grid["client"].post(grid_url(unit, grid["quarter"]), data)


def query(grid, unit=None):
    return f"?unit={(unit or grid['Q']).pk}&period={grid['quarter'].pk}"


def to_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(grid, content: bytes, name="chi-tieu.xlsx"):
    file = SimpleUploadedFile(name, content)
    return grid["client"].post(reverse("targets:import") + query(grid), {"file": file})
