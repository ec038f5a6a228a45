"""A team leader fills a report on a 360 px phone, loses the connection and the login, loses nothing, sends
it; the commune officer returns it, the leader resends, the officer approves. Screenshots at 360 and 1280 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.models import Report
from totech.tests.browser import PHONE, fits_the_phone, log_in, shoot


@pytest.mark.browser
def test_report_survives_a_dropped_connection_and_goes_through_review(page, context, live_server, setup):
    page.set_default_timeout(10000)
    page.set_viewport_size(PHONE)
    households, visits = f"#id_value_{setup.households.pk}", f"#id_value_{setup.visits.pk}"
    log_in(page, live_server, "leader")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("#my-reports").get_by_text("Tháng 10/2026").is_visible()

    page.goto(live_server.url + reverse("reports:new", args=[setup.team.pk, setup.period(10).pk]))
    fits_the_phone(page)
    page.fill(households, "120")
    page.fill(visits, "abc")
    page.fill("#id_activities", "Hướng dẫn cài VNeID cho 40 hộ")

    # The connection drops: nothing is sent, the input stays, the message says so.
    context.set_offline(True)
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("#save-status")).to_contain_text("Mất kết nối")
    assert page.input_value(households) == "120"
    assert not Report.objects.exists()
    context.set_offline(False)

    # The page is reloaded later: the input comes back from the phone.
    page.reload()
    expect(page.locator("#save-status")).to_contain_text("Đã khôi phục")
    assert page.input_value(households) == "120"
    assert page.input_value("#id_activities") == "Hướng dẫn cài VNeID cho 40 hộ"

    # The server refuses "abc" on its field; the login then expires: still nothing lost.
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(f"[data-error-for='value_{setup.visits.pk}']")).to_contain_text("“abc” không phải là số nguyên")
    page.fill(visits, "14")
    context.clear_cookies(name="sessionid")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("#save-status")).to_contain_text("Phiên đăng nhập đã hết hạn")
    assert not Report.objects.exists()
    login_page = context.new_page()
    log_in(login_page, live_server, "leader")
    login_page.wait_for_url(f"{live_server.url}/")
    login_page.close()

    page.get_by_role("button", name="Lưu nháp").click()
    page.locator("#save-status.alert-success").wait_for()
    report = Report.objects.get()
    assert report.values.get(indicator=setup.visits).value == 14
    expect(page.locator(visits)).not_to_have_class("is-invalid")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('totech-report')).length") == 0
    shoot(page, "report-form")

    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_url(f"**{reverse('reports:detail', args=[report.pk])}")
    expect(page.locator("#report-status")).to_have_text("Đã gửi")

    # The commune officer returns it with a comment.
    context.clear_cookies()
    log_in(page, live_server, "commune")
    page.wait_for_url(f"{live_server.url}/")
    shoot(page, "home-commune-reports")
    page.locator("#review-queue").get_by_role("link", name=setup.team.name).click()
    fits_the_phone(page)
    shoot(page, "report-review")
    page.fill("#id_comment", "Số hộ chưa khớp sổ theo dõi, đề nghị kiểm tra lại.")
    page.get_by_role("button", name="Trả lại để chỉnh sửa").click()
    expect(page.locator("#report-status")).to_have_text("Bị trả lại")

    # The leader corrects and resends.
    context.clear_cookies()
    log_in(page, live_server, "leader")
    page.wait_for_url(f"{live_server.url}/")
    shoot(page, "home-leader-reports")
    page.locator("#my-reports .slot-returned").filter(has_text="Tháng 10/2026").click()
    assert "Số hộ chưa khớp" in page.content()
    page.fill(households, "110")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_url(f"**{reverse('reports:detail', args=[report.pk])}")
    expect(page.locator("#report-status")).to_have_text("Đã gửi lại")

    # The officer approves.
    context.clear_cookies()
    log_in(page, live_server, "commune")
    page.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    page.get_by_role("button", name="Duyệt").click()
    expect(page.locator("#report-status")).to_have_text("Đã duyệt")
    expect(page.locator("#transitions > li")).to_have_count(5)
    shoot(page, "report-approved")
    report.refresh_from_db()
    assert report.status == "approved" and report.values.get(indicator=setup.households).value == 110
