"""Helpers shared by the browser tests (pytest-playwright on Debian's chromium)."""

from pathlib import Path

from django.conf import settings

from accounts.tests.factories import TEST_PASSWORD

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("360", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(PHONE)


def fits_the_phone(page):
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def log_in(page, live_server, username, password=TEST_PASSWORD):
    """Log in through the real login form and wait for the home page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def screenshots_at_both_widths(page, name):
    """Screenshots at 1280 and 360 px (var/screenshots/<name>-1280.png, -360.png); at 360 px the page must not
    scroll sideways. The page is left at 1280 px."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("1280", DESKTOP), ("360", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{name} scrolls sideways at 360 px"
    page.set_viewport_size(DESKTOP)
