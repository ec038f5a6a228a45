"""The reports' panels on other pages and the report pages themselves."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from reports.services import report_approve, report_return
from reports.tests.helpers import save
from targets.choices import TargetMode
from targets.models import Period
from targets.tests.factories import TargetFactory

pytestmark = pytest.mark.django_db


def at(month, day):
    return time_machine.travel(datetime.datetime(2026, month, day, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False)


def test_leader_home_shows_returned_overdue_and_due(client, setup):
    leader = setup.personas["leader"]
    with at(2, 3):
        report = save(leader, setup.team, setup.period(1), {setup.households.pk: 3, setup.visits.pk: 1}, submit=True)
        report_return(user=setup.personas["commune"], report=report, comment="Thiếu số liệu")
    with at(3, 20):
        client.force_login(leader)
        page = client.get(reverse("home")).content.decode()
    assert "Báo cáo của tổ" in page
    assert page.index("Tháng 1/2026") < page.index("Bị trả lại")  # returned first
    assert "slot-overdue" in page and "Tháng 2/2026" in page
    assert "slot-due" in page and "Tháng 3/2026" in page
    assert reverse("reports:new", args=[setup.team.pk, setup.period(3).pk]) in page


def test_commune_home_shows_the_queue_and_who_has_not_reported(client, setup):
    with at(2, 4):
        save(setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 3, setup.visits.pk: 1}, submit=True)
    with at(2, 10):
        client.force_login(setup.personas["commune"])
        page = client.get(reverse("home")).content.decode()
    assert "Báo cáo chờ đồng chí duyệt" in page and setup.team.name in page
    assert "1/2 tổ đã báo cáo" in page
    assert "Tổ CNSCĐ Thôn Na Lay" in page.split('id="completeness"')[1]  # not reported


def test_team_page_and_report_show_progress(client, setup):
    quarter = Period.objects.get(kind="quarter", year=2026, number=1)
    TargetFactory(indicator=setup.visits, period=quarter, unit=setup.world["W1"], mode=TargetMode.ABSOLUTE, value=20)
    report = save(setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 150, setup.visits.pk: 12}, submit=True)
    report_approve(user=setup.personas["commune"], report=report)
    client.force_login(setup.personas["commune"])
    with at(2, 10):
        team_page = client.get(reverse("teams:detail", args=[setup.team.pk])).content.decode()
    assert 'id="team-progress"' in team_page
    assert "60,0%" in team_page  # 12 visits of the village's 20
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "50,0%" in detail  # 150 of 300 households
    assert "Đã duyệt" in detail and "Quá trình duyệt" in detail
    progress_page = client.get(reverse("reports:progress"), {"unit": setup.world["W1"].pk, "period": quarter.pk}).content.decode()
    assert "60,0%" in progress_page


def test_expired_login_answers_a_redirect_to_the_login_page(client, setup):
    response = client.post(reverse("reports:new", args=[setup.team.pk, setup.period(1).pk]), {"version": "0"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_schedule_and_ad_hoc_request_forms(client, setup):
    client.force_login(setup.personas["province"])
    response = client.post(reverse("reports:schedule_edit", args=[setup.world["Q"].pk]),
                           {"frequency": "quarter", "deadline_day": "10", "remind_days_before": "5", "starts_on": "01/01/2026"})
    assert response.status_code == 302
    setup.world["Q"].reporting_schedule.refresh_from_db()
    assert (setup.world["Q"].reporting_schedule.frequency, setup.world["Q"].reporting_schedule.deadline_day) == ("quarter", 10)
    client.force_login(setup.personas["commune"])
    response = client.post(reverse("reports:request_create"), {"title": "Báo cáo nhanh", "covers_start": "01/11/2026",
                                                                "covers_end": "20/11/2026", "deadline": "10/11/2026"})
    assert "Hạn nộp không được ở quá khứ." in response.content.decode()
