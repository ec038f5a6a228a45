"""Every role logs in through the real login form, in Debian's chromium, and sees its own home page."""

from pathlib import Path

import pytest

from accounts.tests.factories import TEST_PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

HOME_TEXT = {
    "admin": "Quản lý người dùng và phạm vi",
    "province": "Các đơn vị của tỉnh",
    "district": "Các xã của huyện",
    "commune": "Các thôn của xã",
    "leader": "Đồng chí là Tổ trưởng",
    "outsider": "Các đơn vị của tỉnh",
}


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.mark.browser
@pytest.mark.parametrize("persona", sorted(HOME_TEXT))
def test_each_role_logs_in_and_sees_its_home(page, live_server, personas, persona):
    log_in(page, live_server, persona)
    page.wait_for_url(f"{live_server.url}/")
    assert HOME_TEXT[persona] in page.content()
    assert page.get_by_role("link", name="Đơn vị hành chính", exact=True).count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"home-{persona}-desktop.png", full_page=True)


@pytest.mark.browser
def test_home_and_units_work_at_phone_width(page, live_server, personas):
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "commune")
    page.wait_for_url(f"{live_server.url}/")
    page.screenshot(path=SCREENSHOTS / "home-commune-360.png", full_page=True)
    # The menu collapses behind the toggler on a phone and still leads to the commune's villages.
    page.get_by_role("button", name="Trình đơn").click()
    page.get_by_role("link", name="Đơn vị hành chính").click()
    assert page.get_by_role("heading", name="Xã Thanh Thịnh").is_visible()
    assert page.get_by_role("link", name="Thôn Bản Giang").is_visible()
    page.screenshot(path=SCREENSHOTS / "unit-commune-360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
