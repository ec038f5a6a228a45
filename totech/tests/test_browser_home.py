"""Every role logs in through the real login form, in Debian's chromium, and sees its own home page."""

import pytest

from totech.tests.browser import log_in, screenshot

HOME_TEXT = {
    "admin": "Quản lý người dùng và phạm vi",
    "province": "Các đơn vị của tỉnh",
    "district": "Các xã của huyện",
    "commune": "Các thôn của xã",
    "leader": "Đồng chí là Tổ trưởng",
    "outsider": "Các đơn vị của tỉnh",
}


@pytest.mark.browser
@pytest.mark.parametrize("persona", sorted(HOME_TEXT))
def test_each_role_logs_in_and_sees_its_home(page, live_server, personas, persona):
    log_in(page, live_server, persona)
    assert HOME_TEXT[persona] in page.content()
    assert page.get_by_role("link", name="Đơn vị hành chính", exact=True).count() == 1
    screenshot(page, f"home-{persona}-desktop")


@pytest.mark.browser
def test_home_and_units_work_at_phone_width(page, live_server, personas):
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "commune")
    screenshot(page, "home-commune-360")
    # The menu collapses behind the toggler on a phone and still leads to the commune's villages.
    page.get_by_role("button", name="Trình đơn").click()
    page.get_by_role("link", name="Đơn vị hành chính").click()
    assert page.get_by_role("heading", name="Xã Thanh Thịnh").is_visible()
    assert page.get_by_role("link", name="Thôn Bản Giang").is_visible()
    screenshot(page, "unit-commune-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
