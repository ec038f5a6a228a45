"""A commune officer enters a village's figures on a phone and sees the commune count their sum, then gives the
commune its own figures. Screenshots of the population pages at 360 and 1280 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.tests.test_browser import fits_the_phone, shoot
from totech.tests.browser import log_in
from units.services import population_figure_set


@pytest.mark.browser
def test_a_commune_officer_enters_village_and_commune_figures(page, live_server, world, personas):
    import datetime

    page.set_default_timeout(10000)
    population_figure_set(unit=world["W2"], as_of=datetime.date(2026, 1, 1), households=50, population=210)
    log_in(page, live_server, "commune")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + reverse("units:detail", args=[world["K1"].pk]))
    page.get_by_role("link", name="Nhập hoặc sửa số liệu").click()
    rows = page.locator("tbody tr")
    expect(rows.nth(0).locator("[data-source]")).to_have_text("Chưa có số liệu")  # W1 has none yet: no partial sum
    fits_the_phone(page)
    rows.nth(1).get_by_role("link", name="Nhập").click()

    page.fill("#id_as_of", "01/07/2026")
    page.fill("#id_households", "1.200")
    page.fill("#id_population", "4.800")
    page.fill("#id_working_age_population", "5.000")
    fits_the_phone(page)
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main form")).to_contain_text("Dân số trong độ tuổi lao động không thể lớn hơn dân số.")
    shoot(page, "population-form-error")
    page.fill("#id_working_age_population", "3.000")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"**{reverse('units:population', args=[world['K1'].pk])}")
    expect(rows.nth(0).locator("[data-source]")).to_have_text("Tổng các đơn vị trực thuộc")
    expect(rows.nth(0)).to_contain_text("1.250")
    expect(rows.nth(0)).to_contain_text("5.010")
    shoot(page, "population-list")

    rows.nth(0).get_by_role("link", name="Nhập").click()
    page.fill("#id_as_of", "01/07/2026")
    page.fill("#id_households", "1.300")
    page.get_by_role("button", name="Lưu").click()
    expect(rows.nth(0).locator("[data-source]")).to_have_text(
        "Số liệu riêng đến ngày 01/07/2026; các số còn lại: tổng các đơn vị trực thuộc"
    )
    expect(rows.nth(0)).to_contain_text("1.300")
    shoot(page, "population-list-own")
