"""The assignment grid in a real browser: set a province target, preview the split, adjust one commune, save;
and the Excel round trip: export, edit, upload, preview, save."""

import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from targets.forms import cell_name
from targets.models import Indicator, Target
from targets.services import catalogue_seed
from totech.tests.browser import SCREENSHOTS, log_in
from units.tests.factories import PopulationFigureFactory

from .factories import QuarterFactory, TargetFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_set_preview_adjust_and_save_a_province_target(live_server, page, world, personas):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    as_of = datetime.date(2025, 12, 1)
    for key, households in {"W1": 420, "W2": 180, "W3": 650}.items():
        PopulationFigureFactory(unit=world[key], as_of=as_of, households=households, population=households * 4)
    catalogue_seed()
    quarter = QuarterFactory()
    visits, eid = Indicator.objects.get(code="door_to_door_visits"), Indicator.objects.get(code="eid_level2")
    province, k1, k2 = world["Q"], world["K1"], world["K2"]

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "province")
    page.goto(f"{live_server.url}/targets/assign/?unit={province.pk}&period={quarter.pk}")
    page.fill(f"[name={cell_name('unit', province.pk, eid.pk)}]", "85")
    page.fill(f"[name={cell_name('unit', province.pk, visits.pk)}]", "1000")
    page.click("button[value=preview]")

    k1_cell, k2_cell = (page.locator(f"[name={cell_name('unit', unit.pk, visits.pk)}]") for unit in (k1, k2))
    assert (k1_cell.input_value(), k2_cell.input_value()) == ("480", "520")  # 1,000 by 600:650 households
    assert page.locator(f"[name={cell_name('unit', k1.pk, eid.pk)}]").get_attribute("placeholder") == "85"
    assert not Target.objects.exists()
    page.screenshot(path=SCREENSHOTS / "targets-grid-preview-1280.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=SCREENSHOTS / "targets-grid-preview-360.png", full_page=True)
    # The unit column stays pinned while the grid scrolls sideways.
    page.locator(".table-responsive").first.evaluate("element => element.scrollLeft = 400")
    label_box = page.locator("tbody th").first.bounding_box()
    assert 0 <= label_box["x"] < 40
    page.screenshot(path=SCREENSHOTS / "targets-grid-scrolled-360.png")

    k2_cell.fill("530")
    page.click("button[value=save]")
    page.wait_for_selector(".alert-success")
    assert Target.objects.get(unit=k2, indicator=visits).value == Decimal(530)
    assert Target.objects.get(unit=province, indicator=eid).value == Decimal(85)
    assert not Target.objects.filter(unit=k1, indicator=eid).exists()  # inherited, not copied
    flag = page.locator("thead .badge").first
    assert "1.010" in flag.inner_text() and "1.000" in flag.inner_text()
    page.screenshot(path=SCREENSHOTS / "targets-grid-saved-360.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=SCREENSHOTS / "targets-grid-saved-1280.png", full_page=True)

    # Everyone else's read-only view: the commune officer sees K1's inherited percentage and its own count.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_server, "commune")
    page.goto(f"{live_server.url}/targets/?period={quarter.pk}")
    first_row = page.locator("tbody tr").first
    assert "85%" in first_row.inner_text() and "480" in first_row.inner_text()
    page.screenshot(path=SCREENSHOTS / "targets-overview-360.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_export_edit_upload_preview_and_save_the_grid(live_server, page, world, personas, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    catalogue_seed()
    quarter = QuarterFactory()
    visits, eid = Indicator.objects.get(code="door_to_door_visits"), Indicator.objects.get(code="eid_level2")
    province, k2 = world["Q"], world["K2"]
    TargetFactory(unit=province, indicator=eid, period=quarter, value=Decimal(85))

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "province")
    page.goto(f"{live_server.url}/targets/assign/?unit={province.pk}&period={quarter.pk}")
    with page.expect_download() as download:
        page.click("text=Xuất Excel")
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.name.endswith(".xlsx")

    workbook = load_workbook(exported)
    sheet = workbook.active
    header = [cell.value.split("\n")[0] if cell.value else None for cell in sheet[5]]
    for row in sheet.iter_rows(min_row=6):
        if row[1].value == k2.name:
            row[header.index("door_to_door_visits")].value = 640
            row[header.index("eid_level2")].value = 90
    workbook.save(exported)

    page.click("text=Nhập từ Excel")
    page.set_input_files("input[type=file]", str(exported))
    page.click("text=Tải lên và xem trước")
    page.wait_for_selector(".cell-previewed")
    assert page.locator(f"[name={cell_name('unit', k2.pk, visits.pk)}]").input_value() == "640"
    assert page.locator(".cell-previewed").count() == 2
    assert Target.objects.count() == 1  # a preview: nothing saved yet
    page.screenshot(path=SCREENSHOTS / "targets-import-preview-1280.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=SCREENSHOTS / "targets-import-preview-360.png", full_page=True)

    page.fill("[name=decision_number]", "12/QĐ-SKHCN")
    page.click("button[value=save]")
    page.wait_for_selector(".alert-success")
    assert Target.objects.get(unit=k2, indicator=visits).value == Decimal(640)
    assert Target.objects.get(unit=k2, indicator=eid).decision_number == "12/QĐ-SKHCN"

    # A file with a bad cell fills nothing and names the row and the column.
    for row in sheet.iter_rows(min_row=6):
        if row[1].value == k2.name:
            row[header.index("eid_level2")].value = 120
    workbook.save(exported)
    page.click("text=Nhập từ Excel")
    page.set_input_files("input[type=file]", str(exported))
    page.click("text=Tải lên và xem trước")
    alert = page.locator(".alert-danger")
    assert "Dòng 8, eid_level2" in alert.inner_text() and "0 đến 100" in alert.inner_text()
    assert page.locator(".cell-previewed").count() == 0
    page.screenshot(path=SCREENSHOTS / "targets-import-errors-360.png", full_page=True)
