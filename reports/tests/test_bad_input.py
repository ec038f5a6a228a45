"""Bad input on the report form: each a clear Vietnamese message on the right field, and nothing typed lost."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from reports.models import Report, ReportPhoto
from reports.services import MAX_PHOTO_BYTES, MAX_PHOTOS, report_approve
from reports.tests.helpers import save

pytestmark = pytest.mark.django_db


def new_url(setup):
    return reverse("reports:new", args=[setup.team.pk, setup.period(1).pk])


@pytest.mark.parametrize(
    "typed, message",
    [
        ("-5", "{field} không được là số âm."),
        ("mười", "{field}: “mười” không phải là số nguyên."),
        ("12,5", "{field}: “12,5” không phải là số nguyên."),
        ("1.5", "{field}: “1.5” không phải là số nguyên."),
        ("1.50", "{field}: “1.50” không phải là số nguyên."),
    ],
)
def test_bad_values_are_refused_on_their_field_and_the_input_is_kept(client, setup, typed, message):
    client.force_login(setup.personas["leader"])
    response = client.post(
        new_url(setup),
        {
            "version": "0",
            f"value_{setup.households.pk}": typed,
            f"value_{setup.visits.pk}": "4",
            "activities": "Đi từng ngõ, gõ từng nhà",
            "action": "save",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message.format(field=setup.households.name) in page
    assert f'value="{typed}"' in page and "Đi từng ngõ, gõ từng nhà" in page
    assert not Report.objects.exists()


def test_json_errors_name_the_field(client, setup):
    client.force_login(setup.personas["leader"])
    response = client.post(
        new_url(setup),
        {"version": "0", f"value_{setup.households.pk}": "-1", "action": "save"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [f"value_{setup.households.pk}"]


def test_sending_needs_every_value(client, setup):
    client.force_login(setup.personas["leader"])
    response = client.post(new_url(setup), {"version": "0", f"value_{setup.households.pk}": "3", "action": "submit"})
    page = response.content.decode()
    assert "Nhập số liệu (0 nếu không có) trước khi gửi báo cáo." in page
    assert 'value="3"' in page  # kept in the form
    assert not Report.objects.exists()  # the refused send saved nothing, not even a draft


def test_submission_after_approval_is_refused_clearly(client, setup):
    values = {setup.households.pk: 3, setup.visits.pk: 1}
    report = save(setup.personas["leader"], setup.team, setup.period(1), values, submit=True)
    report_approve(user=setup.personas["commune"], report=report)
    client.force_login(setup.personas["leader"])
    response = client.post(
        reverse("reports:edit", args=[report.pk]),
        {
            "version": report.version,
            f"value_{setup.households.pk}": "9",
            f"value_{setup.visits.pk}": "1",
            "action": "submit",
        },
    )
    page = response.content.decode()
    assert "Báo cáo này đã được duyệt" in page
    assert 'value="9"' in page
    assert report.values.get(indicator=setup.households).value == 3


def test_a_team_outside_the_users_scope_answers_404(client, setup):
    client.force_login(setup.personas["leader"])
    assert client.get(reverse("reports:new", args=[setup.other_team.pk, setup.period(1).pk])).status_code == 404
    other = save(setup.other_leader, setup.other_team, setup.period(1), {setup.households.pk: 1})
    for name in ("reports:detail", "reports:edit"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    client.force_login(setup.personas["outsider"])
    assert client.get(reverse("reports:detail", args=[other.pk])).status_code == 404


def png(size=(20, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format="PNG")
    return buffer.getvalue()


def test_photos_are_checked_for_type_size_and_number(client, setup, media):
    report = save(setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 1})
    client.force_login(setup.personas["leader"])
    url = reverse("reports:photo_add", args=[report.pk])

    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    page = client.post(url, {"image": fake}, follow=True).content.decode()
    assert "Tệp này không phải là ảnh" in page
    assert not ReportPhoto.objects.exists()

    big = SimpleUploadedFile("lon.png", png() + b"\0" * (MAX_PHOTO_BYTES + 1), content_type="image/png")
    page = client.post(url, {"image": big}, follow=True).content.decode()
    assert "Ảnh lớn hơn 5 MB" in page
    assert not ReportPhoto.objects.exists()

    for number in range(MAX_PHOTOS):
        client.post(
            url,
            {
                "image": SimpleUploadedFile(f"{number}.png", png(), content_type="image/png"),
                "caption": "Buổi hướng dẫn",
            },
        )
    assert ReportPhoto.objects.filter(report=report).count() == MAX_PHOTOS
    page = client.post(
        url, {"image": SimpleUploadedFile("5.png", png(), content_type="image/png")}, follow=True
    ).content.decode()
    assert "tối đa 4 ảnh" in page
    photo = ReportPhoto.objects.first()
    response = client.get(reverse("reports:photo", args=[report.pk, photo.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(
        b"\xff\xd8"
    )  # re-encoded as JPEG
    client.force_login(setup.personas["outsider"])
    assert client.get(reverse("reports:photo", args=[report.pk, photo.pk])).status_code == 404
