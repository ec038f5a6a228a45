"""The unit picker in the browser: a province's staff search the team form's unit (the threshold lowered so
that the test world's handful of units counts as a large scope). Screenshots at 1280 and 360 px."""

import pytest
from playwright.sync_api import expect

from teams.models import Team
from totech.tests.browser import log_in, screenshot


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


def search_for(page, text, *found):
    """Type into the search box and wait for these options in the results."""
    page.fill("[data-unit-picker-search]", text)
    expect(page.locator("#id_unit-results option")).to_have_text(list(found))


def open_team_form(page, live_server, width, height, query=""):
    """The team form as the province's staff, at this size."""
    log_in(page, live_server, "province")
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/teams/new/{query}")


@pytest.fixture(autouse=True)
def _large_scope(settings):
    settings.UNIT_PICKER_MAX_OPTIONS = 3


@pytest.mark.browser
def test_province_staff_find_a_village_by_typing_without_accents(page, live_server, world, personas):
    open_team_form(page, live_server, 1280, 800)
    assert page.locator("select[name=unit] option").count() == 1  # only the empty choice: no long list

    search_for(
        page,
        "thon",
        "Thôn Bản Giang · Xã Thanh Thịnh · Thái Nguyên",
        "Thôn Na Lay · Xã Thanh Thịnh · Thái Nguyên",
        "Thôn Khe Thầu · Xã Chợ Mới · Thái Nguyên",
    )
    screenshot(page, "unit-picker-results-1280")

    search_for(page, "khe thau", "Thôn Khe Thầu · Xã Chợ Mới · Thái Nguyên")
    page.press("[data-unit-picker-search]", "Enter")  # goes to the results, does not submit the form
    expect(page.locator("select[name=unit]")).to_be_focused()
    page.select_option("select[name=unit]", str(world["W3"].pk))
    # A new search keeps the choice made from the previous one.
    search_for(page, "xyz", "Không tìm thấy đơn vị nào. Hãy thử cách viết khác hoặc gõ ít từ hơn.")
    assert page.input_value("select[name=unit]") == str(world["W3"].pk)

    page.fill("input[name=name]", "Tổ Công nghệ số cộng đồng thôn Khe Thầu")
    page.get_by_role("button", name="Tạo Tổ").click()
    team = Team.objects.get()
    page.wait_for_url(f"{live_server.url}/teams/{team.pk}/")
    assert team.unit == world["W3"]


@pytest.mark.browser
def test_the_picker_on_a_phone(page, live_server, world, personas):
    open_team_form(page, live_server, 360, 740, f"?unit={world['W1'].pk}")
    assert page.input_value("select[name=unit]") == str(world["W1"].pk)
    search_for(page, "na lay", "Thôn Na Lay · Xã Thanh Thịnh · Thái Nguyên")
    screenshot(page, "unit-picker-results-360")
    page.select_option("select[name=unit]", str(world["W2"].pk))
    assert page.locator("select[name=unit]").get_attribute("size") is None  # the list closes once a unit is chosen
    screenshot(page, "unit-picker-chosen-360")


@pytest.mark.browser
def test_without_javascript_the_current_choice_stays(browser, live_server, world, personas):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    log_in(page, live_server, "province")
    page.goto(f"{live_server.url}/teams/new/?unit={world['W1'].pk}")
    assert page.input_value("select[name=unit]") == str(world["W1"].pk)
    assert not page.is_visible("[data-unit-picker-search]")
    assert "Cần bật JavaScript để tìm đơn vị khác" in page.inner_text("main")
    screenshot(page, "unit-picker-no-javascript-360")
    page.get_by_role("button", name="Tạo Tổ").click()
    page.wait_for_url(f"{live_server.url}/teams/{Team.objects.get().pk}/")
    assert Team.objects.get().unit == world["W1"]
    context.close()
