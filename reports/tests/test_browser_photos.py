"""In chromium, under the Content-Security-Policy (a violation fails the test, see conftest.py): a photo named
x.html carrying a script is shown as a picture; removing it and reopening a report ask first; the footer's
language list switches the language. These behaviours came from inline handlers, now in static/js/totech.js."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from reports.models import Report, ReportPhoto
from reports.services import report_approve
from reports.tests.helpers import save
from totech.tests.browser import log_in


def png_with_script():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    return buffer.getvalue() + b"<script>document.title = 'pwned'</script>"


@pytest.mark.browser
def test_a_photo_is_shown_as_a_picture_and_removed_only_once_confirmed(page, live_server, setup, media):
    page.set_default_timeout(10000)
    report = save(setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 1})
    log_in(page, live_server, "leader")
    page.goto(live_server.url + reverse("reports:edit", args=[report.pk]))
    page.set_input_files(
        "input[name=image]", files=[{"name": "x.html", "mimeType": "text/html", "buffer": png_with_script()}]
    )
    page.get_by_role("button", name="Thêm ảnh").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã thêm ảnh.")
    photo = ReportPhoto.objects.get()
    expect(page.locator("#photos img")).to_have_js_property("naturalWidth", 40)  # loaded as a picture

    # Opened on its own, the photo is an image, and nothing in it runs.
    page.goto(live_server.url + reverse("reports:photo", args=[report.pk, photo.pk]))
    assert page.title() != "pwned"
    assert page.evaluate("document.contentType") == "image/jpeg"

    page.goto(live_server.url + reverse("reports:edit", args=[report.pk]))
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("#photos").get_by_role("button", name="Xóa").click()
    expect(page.locator("#photos img")).to_have_count(1)
    assert ReportPhoto.objects.exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#photos").get_by_role("button", name="Xóa").click()
    expect(page.locator("#photos img")).to_have_count(0)
    assert not ReportPhoto.objects.exists()

    page.select_option("#language-select", "en")
    expect(page.locator("footer")).to_contain_text("portal of the community digital technology teams")
    page.select_option("#language-select", "vi")
    expect(page.locator("footer")).to_contain_text("Cổng quản lý Tổ Công nghệ số cộng đồng")


@pytest.mark.browser
def test_reopening_an_approved_report_asks_first(page, live_server, setup):
    page.set_default_timeout(10000)
    report = save(
        setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 1, setup.visits.pk: 2}, submit=True
    )
    report_approve(user=setup.personas["commune"], report=report)
    log_in(page, live_server, "province")
    page.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Mở lại").click()
    expect(page.get_by_role("button", name="Mở lại")).to_be_visible()
    assert questions and "Mở lại báo cáo đã duyệt" in questions[0]
    assert Report.objects.get().status == "approved"
    page.once("dialog", lambda dialog: dialog.accept())
    page.fill("#id_comment", "Cần sửa số hộ.")
    page.get_by_role("button", name="Mở lại").click()
    expect(page.locator("#report-status")).not_to_have_text("Đã duyệt")
    assert Report.objects.get().status != "approved"
