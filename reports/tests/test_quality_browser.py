"""A team leader sends a report with a figure the data-quality checks flag: warned under the value, the leader
explains and sends; the commune officer reads the warning beside the value; the Department finds it on the
province's data-quality page. Screenshots at 360 and 1280 px."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.models import Report
from reports.tests.test_browser import PHONE, fits_the_phone, shoot
from totech.tests.browser import log_in

WARNING = "Lớn hơn số hộ của Thôn Bản Giang (300): đề nghị kiểm tra lại."
NOTE = "Thôn mới nhập thêm 5 hộ từ thôn Na Lay, số liệu dân số chưa cập nhật."


@pytest.mark.browser
def test_a_report_is_sent_with_a_warning_and_its_explanation(page, context, live_server, setup):
    page.set_default_timeout(10000)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "leader")
    page.goto(live_server.url + reverse("reports:new", args=[setup.team.pk, setup.period(10).pk]))
    expect(page.locator("#quality-note-card")).to_be_hidden()
    page.fill(f"#id_value_{setup.households.pk}", "301")
    page.fill(f"#id_value_{setup.visits.pk}", "14")

    # Sending stops at the warning: shown under the value, the explanation box opens; nothing was written.
    page.get_by_role("button", name="Gửi báo cáo").click()
    warning = page.locator(f"[data-warning-for='value_{setup.households.pk}']")
    expect(warning).to_have_text(WARNING)
    expect(page.locator("#save-status.alert-warning")).to_contain_text("Báo cáo chưa được gửi")
    expect(page.locator("#quality-note-card")).to_be_visible()
    assert not Report.objects.exists()
    fits_the_phone(page)
    shoot(page, "quality-warning-form")

    # The leader explains and sends.
    page.fill("#id_quality_note", NOTE)
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    report = Report.objects.get()
    assert page.url.endswith(reverse("reports:detail", args=[report.pk]))
    assert (report.status, report.quality_note) == ("submitted", NOTE)

    # The commune officer reviews it: the warning beside the value, the explanation under the values.
    context.clear_cookies()
    log_in(page, live_server, "commune")
    page.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    row = page.locator("#report-values tr.table-warning")
    expect(row).to_contain_text(setup.households.name)
    expect(row).to_contain_text(WARNING)
    expect(page.locator("#quality-note")).to_contain_text(NOTE)
    expect(page.locator("#review")).to_be_visible()
    fits_the_phone(page)
    shoot(page, "quality-warning-review")

    # The Department's data-quality page lists it, with a link to the report.
    context.clear_cookies()
    log_in(page, live_server, "province")
    page.goto(live_server.url + reverse("reports:quality_unit", args=[setup.world["Q"].pk]))
    expect(page.locator("#quality-problems")).to_contain_text(WARNING)
    page.locator("#quality-problems").get_by_role("link", name=setup.team.name).wait_for()
    fits_the_phone(page)
    shoot(page, "quality-problems")

    # The Department adds a rule of its own from there.
    page.get_by_role("link", name="Quy tắc của Sở").click()
    page.get_by_role("link", name="Thêm quy tắc").click()
    page.fill("#id_name", "Lượt đến hộ")
    page.select_option("#id_left", label=setup.visits.name)
    page.select_option("#id_operator", label="≤")
    page.select_option("#id_right", label="Số hộ")
    page.fill("#id_right_factor", "0,5")
    fits_the_phone(page)
    shoot(page, "quality-rule-form")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#quality-rules")).to_contain_text(f"{setup.visits.name} ≤ 0,5 × Số hộ")
    shoot(page, "quality-rules")
