"""A commune officer types in a village team's paper report from the team's page, on a phone and on a desktop:
the report says it was entered on the team's behalf, by whom and when; the officer who entered it cannot approve
it, another officer of the commune does. Screenshots at 360 and 1280 px."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.choices import Role
from accounts.tests.factories import UserFactory
from reports.models import Report
from totech.tests.browser import fits_the_phone, log_in, shoot


@pytest.mark.browser
def test_a_commune_officer_enters_a_paper_report_on_the_teams_behalf(page, context, live_server, setup):
    page.set_default_timeout(10000)
    UserFactory(
        username="commune2",
        role=Role.COMMUNE_OFFICER,
        scope_unit=setup.world["K1"],
        first_name="Lan",
        last_name="Hoàng Thị",
    )
    officer = setup.personas["commune"]
    officer.first_name, officer.last_name = "Minh", "Trần Văn"
    officer.save()
    log_in(page, live_server, "commune")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + reverse("teams:detail", args=[setup.team.pk]))
    panel = page.locator("#team-reports")
    expect(panel.get_by_role("heading")).to_have_text("Nhập báo cáo giấy của Tổ")
    fits_the_phone(page)
    shoot(page, "paper-report-team-page")
    panel.get_by_role("link").filter(has_text="Tháng 10/2026").click()

    expect(page.locator("#on-behalf")).to_contain_text("nhập thay Tổ")
    page.fill(f"#id_value_{setup.households.pk}", "45")
    page.fill(f"#id_value_{setup.visits.pk}", "12")
    page.fill("#id_activities", "Theo báo cáo giấy thôn Bản Giang nộp ngày 03/11/2026")
    fits_the_phone(page)
    shoot(page, "paper-report-form")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    report = Report.objects.get(team=setup.team, period=setup.period(10))
    assert page.url.endswith(reverse("reports:detail", args=[report.pk]))
    assert report.entered_by == officer and report.status == "submitted"
    expect(page.locator("#entered-on-behalf")).to_contain_text(
        f"Do Trần Văn Minh nhập thay Tổ lúc {report.entered_at.astimezone().strftime('%d/%m/%Y')}"
    )
    expect(page.get_by_text("Đồng chí đã nhập hoặc gửi báo cáo này: một người duyệt khác sẽ duyệt.")).to_be_visible()
    expect(page.get_by_role("button", name="Duyệt")).to_have_count(0)
    fits_the_phone(page)
    shoot(page, "paper-report-detail")

    context.clear_cookies()
    log_in(page, live_server, "commune2")
    page.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    expect(page.locator("#entered-on-behalf")).to_contain_text("Trần Văn Minh")
    page.get_by_role("button", name="Duyệt").click()
    expect(page.locator("#report-status")).to_have_text("Đã duyệt")
    report.refresh_from_db()
    assert report.status == "approved" and report.values.get(indicator=setup.visits).value == 12
