"""Issue 14's walk, in the browser: the Department creates a commune officer; the officer logs in with the
one-time password, must choose their own, and gives a village team's leader a login from the roster; the leader
logs in, chooses a password and sends a report; the officer approves it. Screenshots of every new page at 360
and 1280 px (var/screenshots/accounts-*)."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from reports.models import Report
from reports.tests.factories import ScheduleFactory
from targets.services import periods_generate
from targets.tests.factories import CountIndicatorFactory
from teams.choices import TeamRole
from teams.models import Person
from teams.tests.factories import MembershipFactory, PersonFactory, TeamFactory
from totech.tests.browser import DESKTOP, log_in, screenshots_at_both_widths


def shoot(page, name):
    screenshots_at_both_widths(page, f"accounts-{name}")


def read_sheet(page):
    """The username and one-time password on a login sheet of one line."""
    return page.locator(".login-username").inner_text().strip(), page.locator(".login-password").inner_text().strip()


def first_login(page, live_server, username, one_time, new_password):
    """Log in with a one-time password: the portal sends the user to choose their own first."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", one_time)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{reverse('password_change')}")
    expect(page.locator("#must-change-password")).to_be_visible()
    page.goto(live_server.url + reverse("reports:list"))  # any other page sends back to the change
    page.wait_for_url(f"**{reverse('password_change')}")
    page.fill("#id_old_password", one_time)
    page.fill("#id_new_password1", new_password)
    page.fill("#id_new_password2", new_password)
    page.click("main button[type=submit], form button[type=submit] >> nth=-1")
    page.wait_for_url(f"**{reverse('password_change_done')}")


@pytest.fixture
def village_team(world):
    """Thanh Thịnh's village team of Bản Giang, led by a villager without an account; Thái Nguyên reports monthly."""
    ScheduleFactory(province=world["Q"])
    periods_generate(year=2026)
    team = TeamFactory(unit=world["W1"], decision_date=datetime.date(2025, 8, 1))
    person = PersonFactory(full_name="Hoàng Văn Sáu", commune=world["K1"], email="")
    MembershipFactory(team=team, person=person, role=TeamRole.LEADER, start_date=datetime.date(2025, 8, 1))
    MembershipFactory(
        team=team,
        person=PersonFactory(full_name="Lường Thị Mai", commune=world["K1"]),
        role=TeamRole.DEPUTY,
        start_date=datetime.date(2025, 8, 1),
    )
    return team


@pytest.mark.browser
def test_the_department_onboards_a_commune_which_onboards_a_village_leader_who_reports(
    page, live_server, world, personas, village_team
):
    page.set_default_timeout(10000)
    page.set_viewport_size(DESKTOP)
    visits = CountIndicatorFactory(code="visits", order=1)

    # The Department creates the commune officer of Thanh Thịnh.
    log_in(page, live_server, "province")
    page.get_by_role("link", name="Người dùng").first.click()
    page.wait_for_url(f"**{reverse('accounts:list')}")
    shoot(page, "list")
    page.get_by_role("link", name="Tạo tài khoản").click()
    page.fill("#id_last_name", "Nông Thị")
    page.fill("#id_first_name", "Hoa")
    page.select_option("#id_role", "commune_officer")
    page.select_option("#id_scope_unit", str(world["K1"].pk))
    shoot(page, "form")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.locator("#login-sheet")).to_be_visible()
    shoot(page, "sheet")
    officer_name, officer_once = read_sheet(page)
    assert officer_name == "nongthihoa"

    # The officer's first login: a password of their own, then the roster of Bản Giang.
    first_login(page, live_server, officer_name, officer_once, "hoa-thanh-thinh-2026")
    shoot(page, "password-changed")
    page.goto(live_server.url + reverse("teams:detail", args=[village_team.pk]))
    leader_row = page.locator("#roster tr", has_text="Hoàng Văn Sáu")
    leader_row.get_by_role("link", name="Cấp tài khoản").click()
    expect(page.locator("#leaders")).to_contain_text("Hoàng Văn Sáu")
    shoot(page, "give-login")
    page.get_by_role("button", name="Tạo tài khoản và in phiếu").click()
    leader_name, leader_once = read_sheet(page)
    assert leader_name == "hoangvansau"
    assert Person.objects.get(full_name="Hoàng Văn Sáu").user.username == "hoangvansau"

    # The commune's bulk page lists the deputy? No: the bulk action is for leaders, and Sáu has his login now.
    page.goto(live_server.url + reverse("teams:leader_logins"))
    expect(page.locator(".alert-info")).to_contain_text("đã có tài khoản")
    shoot(page, "leader-logins-done")

    # The leader's first login, then the report of November 2026, sent.
    first_login(page, live_server, leader_name, leader_once, "sau-ban-giang-2026")
    page.goto(live_server.url + reverse("reports:new", args=[village_team.pk, _month(11).pk]))
    page.fill(f"#id_value_{visits.pk}", "12")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#report-status")).to_have_text("Đã gửi")
    report = Report.objects.get()

    # The commune officer approves it.
    page.context.clear_cookies()
    log_in(page, live_server, officer_name, "hoa-thanh-thinh-2026")
    page.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    page.get_by_role("button", name="Duyệt").click()
    expect(page.locator("#report-status")).to_have_text("Đã duyệt")
    report.refresh_from_db()
    assert report.status == "approved" and report.values.get(indicator=visits).value == 12

    # The officer sees the leader's account, with its history; a reset asks first, then prints a new sheet.
    page.goto(live_server.url + reverse("accounts:list"))
    page.get_by_role("link", name="Hoàng Văn Sáu").click()
    expect(page.locator(".history-entry").first).to_contain_text("Người dùng đổi mật khẩu")
    shoot(page, "detail")
    page.get_by_role("link", name="Cấp mật khẩu dùng một lần mới").click()
    shoot(page, "confirm-reset")
    page.get_by_role("button", name="Cấp mật khẩu dùng một lần mới").click()
    assert read_sheet(page)[0] == "hoangvansau"
    page.goto(
        live_server.url + reverse("accounts:deactivate", args=[Person.objects.get(full_name="Hoàng Văn Sáu").user_id])
    )
    shoot(page, "confirm-deactivate")


def _month(number):
    from targets.models import Period

    return Period.objects.get(kind="month", year=2026, number=number)


@pytest.mark.browser
def test_the_bulk_logins_and_the_reset_by_email_pages(page, live_server, world, personas, village_team):
    page.set_default_timeout(10000)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "province")
    page.goto(live_server.url + reverse("teams:leader_logins"))
    shoot(page, "leader-logins-pick")
    page.select_option("#id_commune", str(world["K1"].pk))
    page.get_by_role("button", name="Xem các Tổ trưởng").click()
    expect(page.locator("#leaders li")).to_have_count(1)
    shoot(page, "leader-logins")
    page.get_by_role("button", name="Tạo tài khoản và in phiếu").click()
    expect(page.locator("#login-sheet tbody tr")).to_have_count(1)

    # A user with an e-mail address resets their password alone.
    personas["commune"].email = "canbo@thanhthinh.vn"
    personas["commune"].save()
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    shoot(page, "login")
    page.get_by_role("link", name="Quên mật khẩu? Đặt lại qua e-mail").click()
    shoot(page, "reset-form")
    page.fill("#id_email", "canbo@thanhthinh.vn")
    page.get_by_role("button", name="Gửi đường dẫn").click()
    page.wait_for_url(f"**{reverse('password_reset_done')}")
    shoot(page, "reset-sent")
    link = re.search(r"http://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    page.goto(live_server.url + link)
    shoot(page, "reset-confirm")
    page.fill("#id_new_password1", "mat-khau-moi-cua-xa-2026")
    page.fill("#id_new_password2", "mat-khau-moi-cua-xa-2026")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    page.wait_for_url(f"**{reverse('password_reset_complete')}")
    log_in(page, live_server, "commune", "mat-khau-moi-cua-xa-2026")
