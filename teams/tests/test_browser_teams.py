"""A commune officer sets up a village team in the browser: creates it, adds members, ends one membership and
reads the change history. Screenshots of the team list and the team page at 1280 and 360 px."""

import datetime

import pytest

from teams.models import Team
from teams.services import composition_preset_apply
from totech.tests.browser import log_in, screenshot


@pytest.fixture
def browser_context_args(browser_context_args):
    """A Vietnamese phone or PC: the browser asks for Vietnamese pages."""
    return {**browser_context_args, "locale": "vi-VN"}


def add_member(page, full_name, phone, role, affiliation, start="23/07/2025"):
    page.get_by_role("link", name="Thêm thành viên").click()
    page.select_option("select[name=membership-role]", role)
    page.select_option("select[name=membership-affiliation]", affiliation)
    page.fill("input[name=membership-start_date]", start)
    page.fill("input[name=person-full_name]", full_name)
    page.fill("input[name=person-phone]", phone)
    page.get_by_role("button", name="Lưu", exact=True).click()


@pytest.mark.browser
def test_commune_officer_sets_up_a_village_team(page, live_server, world, personas):
    composition_preset_apply(province=world["Q"], preset="thanh_thinh_2025")
    log_in(page, live_server, "commune")

    page.goto(f"{live_server.url}/teams/")
    page.get_by_role("link", name="Thêm Tổ").click()
    page.select_option("select[name=unit]", str(world["W2"].pk))
    page.fill("input[name=name]", "Tổ Công nghệ số cộng đồng thôn Na Lay")
    page.fill("input[name=decision_number]", "127/QĐ-UBND")
    page.fill("input[name=decision_date]", "22/07/2025")
    page.fill("input[name=decision_signer]", "Phan Đức Luận")
    page.get_by_role("button", name="Tạo Tổ").click()
    team = Team.objects.get(unit=world["W2"])
    page.wait_for_url(f"{live_server.url}/teams/{team.pk}/")

    add_member(page, "Hà Văn Thắng", "0951 380 930", "leader", "village_head")
    add_member(page, "Triệu Thị Ngọc", "+84 912 000 111", "deputy", "youth_union")
    add_member(page, "Lê Đức Anh", "0987654321", "member", "farmers_union")
    # A typo in a phone number is refused on its field, and nothing is saved.
    add_member(page, "Ma Thị Hường", "12345", "member", "womens_union")
    assert page.locator(".invalid-feedback").first.inner_text().startswith("“12345” không phải số điện thoại hợp lệ")
    page.fill("input[name=person-phone]", "0949341299")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(f"{live_server.url}/teams/{team.pk}/")

    roster = page.locator("#roster")
    for name in ["Hà Văn Thắng", "Triệu Thị Ngọc", "Lê Đức Anh", "Ma Thị Hường"]:
        assert name in roster.inner_text()
    assert "0912000111" in roster.inner_text()  # +84 912 000 111, normalised
    # Four members, the rule of plan 13/KH-UBND asks for five: a warning, nothing blocked.
    assert "Thiếu thành viên: có 4, cơ cấu yêu cầu tối thiểu 5." in page.content()

    # End one membership, after a confirmation page.
    page.locator("#roster tr", has_text="Lê Đức Anh").get_by_role("link", name="Cho thôi").click()
    assert "Lê Đức Anh" in page.locator("main").inner_text()
    page.fill("input[name=end_date]", "31/10/2025")
    page.fill("input[name=reason]", "Đi làm ăn xa")
    page.get_by_role("button", name="Xác nhận thôi tham gia").click()
    page.wait_for_url(f"{live_server.url}/teams/{team.pk}/")
    assert "Lê Đức Anh" not in page.locator("#roster").inner_text()
    past = page.locator("#past-members").inner_text()
    assert "Lê Đức Anh" in past and "31/10/2025" in past and "Đi làm ăn xa" in past

    # The history says who did it and what changed.
    page.get_by_role("link", name="Tất cả thay đổi").click()
    first_entry = page.locator(".history-entry").first.inner_text()
    assert "Lê Đức Anh: sửa" in first_entry
    assert "31/10/2025" in first_entry and "Đi làm ăn xa" in first_entry
    assert personas["commune"].get_full_name() in first_entry

    # The roster of a past date still shows him.
    page.goto(f"{live_server.url}/teams/{team.pk}/?on=15/10/2025")
    assert "Lê Đức Anh" in page.locator("#roster").inner_text()

    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/teams/")
        screenshot(page, f"teams-list-{width}")
        page.goto(f"{live_server.url}/teams/{team.pk}/")
        screenshot(page, f"team-detail-{width}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"the team page scrolls sideways at {width} px"
    assert team.memberships.filter(end_date=datetime.date(2025, 10, 31)).count() == 1
