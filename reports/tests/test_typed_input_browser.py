"""A team leader types 25.000 on a phone: the browser takes it (a type=number box would refuse it), the draft
kept on the phone keeps it, the server saves twenty-five thousand and shows it back as 25.000."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.models import Report
from totech.tests.browser import PHONE, fits_the_phone, log_in, shoot


@pytest.mark.browser
def test_a_count_typed_with_a_dot_between_thousands_is_saved_whole(page, context, live_server, setup):
    page.set_default_timeout(10000)
    page.set_viewport_size(PHONE)
    visits, households = f"#id_value_{setup.visits.pk}", f"#id_value_{setup.households.pk}"
    log_in(page, live_server, "leader")
    page.goto(live_server.url + reverse("reports:new", args=[setup.team.pk, setup.period(1).pk]))
    fits_the_phone(page)
    box = page.locator(visits)
    assert (box.get_attribute("type"), box.get_attribute("inputmode")) == ("text", "numeric")  # the phone's number pad

    page.fill(visits, "25.000")
    page.fill(households, "120")
    assert page.evaluate(f"document.querySelector('{visits}').checkValidity()")  # the browser itself accepts 25.000

    # Offline first: the draft kept on the phone holds 25.000 as typed, and comes back after a reload.
    context.set_offline(True)
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("#save-status")).to_contain_text("Mất kết nối")
    context.set_offline(False)
    page.reload()
    expect(page.locator("#save-status")).to_contain_text("Đã khôi phục")
    assert page.input_value(visits) == "25.000"

    page.get_by_role("button", name="Lưu nháp").click()
    page.locator("#save-status.alert-success").wait_for()
    report = Report.objects.get()
    assert report.values.get(indicator=setup.visits).value == 25_000

    # A decimal part is refused on its field, in Vietnamese, naming it; nothing typed is lost.
    page.fill(visits, "1,5")
    page.get_by_role("button", name="Lưu nháp").click()
    error = page.locator(f"[data-error-for='value_{setup.visits.pk}']")
    expect(error).to_contain_text(f"{setup.visits.name}: “1,5” không phải là số nguyên")
    assert page.input_value(visits) == "1,5"
    shoot(page, "report-form-dotted-number-refused")
    assert report.values.get(indicator=setup.visits).value == 25_000

    # Corrected with a space between thousands; opened again, the saved figure reads as the hints print it.
    page.fill(visits, "26 500")
    page.get_by_role("button", name="Lưu nháp").click()
    page.locator("#save-status.alert-success").wait_for()
    assert report.values.get(indicator=setup.visits).value == 26_500
    page.goto(live_server.url + reverse("reports:edit", args=[report.pk]))
    assert page.input_value(visits) == "26.500"
    expect(page.locator("#save-status")).to_be_hidden()  # nothing left on the phone to restore
    shoot(page, "report-form-dotted-number")
