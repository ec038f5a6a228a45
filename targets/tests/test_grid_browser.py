"""The assignment grid in a real browser: set a province target, preview the split, adjust one commune, save."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from accounts.tests.factories import TEST_PASSWORD
from targets.forms import cell_name
from targets.models import Indicator, Target
from targets.services import catalogue_seed
from units.tests.factories import PopulationFigureFactory

from .factories import QuarterFactory

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def plain_static_urls(settings):
    """live_server serves /static/ through Django's finders, which know no hashed (manifest) names: without this
    the page loads unstyled under the test settings."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_set_preview_adjust_and_save_a_province_target(live_server, page, world, personas, plain_static_urls):
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
