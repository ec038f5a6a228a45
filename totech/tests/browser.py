"""Helpers shared by the browser tests (pytest-playwright on Debian's chromium)."""

from pathlib import Path

from django.conf import settings

from accounts.tests.factories import TEST_PASSWORD

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


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
