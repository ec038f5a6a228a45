"""What a team leader types in the report form: numbers the Vietnamese way (25.000 is twenty-five thousand, not
25), printed back the same way, and texts stored in NFC with hidden characters refused on their field."""

import datetime
import unicodedata

import pytest
from django.urls import reverse

from reports.models import Report, ReportTransition
from reports.services import report_save
from reports.tests.helpers import save
from units.tests.factories import PopulationFigureFactory

pytestmark = pytest.mark.django_db


def post(client, setup, action="save", **fields):
    client.force_login(setup.personas["leader"])
    data = {
        "version": "0",
        "action": action,
        f"value_{setup.households.pk}": "3",
        f"value_{setup.visits.pk}": "1",
        **fields,
    }
    return client.post(reverse("reports:new", args=[setup.team.pk, setup.period(1).pk]), data)


@pytest.mark.parametrize("typed", ["25.000", "25000", "25 000", " 25.000 "])
def test_a_count_typed_with_dots_or_spaces_between_thousands_is_saved_whole(client, setup, typed):
    response = post(client, setup, **{f"value_{setup.visits.pk}": typed})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Report.objects.get().values.get(indicator=setup.visits).value == 25_000


def test_saved_counts_are_shown_back_with_dots_between_thousands(client, setup):
    report = save(
        setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 3, setup.visits.pk: 1_250_000}
    )
    client.force_login(setup.personas["leader"])
    page = client.get(reverse("reports:edit", args=[report.pk])).content.decode()
    assert 'value="1.250.000"' in page  # what the leader typed reads back the same, and saves back the same
    assert 'inputmode="numeric"' in page and 'type="number"' not in page
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "1.250.000" in detail


def test_the_denominator_in_a_message_is_printed_as_in_the_hint(client, setup):
    """The hint said "3.000" and the warning "(3000)": both now print the Vietnamese way."""
    PopulationFigureFactory(unit=setup.world["W1"], as_of=datetime.date(2025, 6, 1), households=3000)
    response = post(client, setup, action="submit", **{f"value_{setup.households.pk}": "3.001"})
    page = response.content.decode()
    assert "Lớn hơn số hộ của Thôn Bản Giang (3.000): đề nghị kiểm tra lại." in page
    assert "của đơn vị: 3.000." in page  # the hint
    assert "(3000)" not in page and not Report.objects.exists()


def test_texts_are_stored_in_nfc_without_invisible_edges(client, setup):
    typed = unicodedata.normalize("NFD", "\u200bHướng dẫn cài VNeID cho 40 hộ\r\nở Thôn Bản Giang\u200b")
    response = post(client, setup, activities=typed, difficulties=unicodedata.normalize("NFD", "Sóng yếu"))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.activities == "Hướng dẫn cài VNeID cho 40 hộ\nở Thôn Bản Giang"
    assert unicodedata.is_normalized("NFC", report.activities) and report.difficulties == "Sóng yếu"


@pytest.mark.parametrize(
    "typed, message",
    [
        ("\u200b\u200b\u200b", "Đề xuất, kiến nghị chỉ gồm các ký tự vô hình"),
        ("Xin thêm máy \u202egnôhk\u202c", "Đề xuất, kiến nghị chứa ký tự đảo chiều văn bản"),
        ("Xin thêm\x00 máy", "Đề xuất, kiến nghị chứa ký tự điều khiển"),
    ],
)
def test_hidden_characters_in_a_text_are_refused_naming_the_field(client, setup, typed, message):
    response = post(client, setup, proposals=typed)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_the_review_comment_is_cleaned_the_same_way(client, setup):
    report = save(
        setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 3, setup.visits.pk: 1}, submit=True
    )
    client.force_login(setup.personas["commune"])
    url = reverse("reports:review", args=[report.pk])
    page = client.post(url, {"action": "return", "comment": "Kiểm tra lại\u2066 số hộ"}, follow=True).content.decode()
    assert "chứa ký tự đảo chiều văn bản" in page
    client.post(url, {"action": "return", "comment": unicodedata.normalize("NFD", "Kiểm tra lại số hộ")})
    assert ReportTransition.objects.filter(comment="Kiểm tra lại số hộ").exists()


def test_the_service_cleans_what_it_is_given_whatever_the_way_in(setup):
    """full_clean() (services, the admin) runs the same cleaning: a bidi override never reaches the database."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        report_save(
            user=setup.personas["leader"],
            team=setup.team,
            period=setup.period(1),
            version=0,
            values={setup.households.pk: 1},
            activities="a\u202eb",
        )
    assert list(refused.value.message_dict) == ["activities"]
    report = report_save(
        user=setup.personas["leader"],
        team=setup.team,
        period=setup.period(1),
        version=0,
        values={setup.households.pk: 1},
        activities=unicodedata.normalize("NFD", "Đi từng nhà"),
    )
    report.refresh_from_db()
    assert report.activities == "Đi từng nhà"
