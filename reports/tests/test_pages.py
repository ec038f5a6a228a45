"""The reports' panels on other pages and the report pages themselves."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from reports.models import Notification, Report
from reports.services import report_approve, report_reopen, report_return
from reports.tests.helpers import save
from targets.choices import PopulationField, TargetMode
from targets.models import Period
from targets.tests.factories import CountIndicatorFactory, IndicatorFactory, TargetFactory
from teams.tests.factories import TeamFactory
from units.tests.factories import PopulationFigureFactory

pytestmark = pytest.mark.django_db


def at(month, day):
    return time_machine.travel(
        datetime.datetime(2026, month, day, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    )


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
        save(
            setup.personas["leader"],
            setup.team,
            setup.period(1),
            {setup.households.pk: 3, setup.visits.pk: 1},
            submit=True,
        )
    with at(2, 10):
        client.force_login(setup.personas["commune"])
        page = client.get(reverse("home")).content.decode()
    assert "Báo cáo chờ đồng chí duyệt" in page and setup.team.name in page
    assert "1/2 tổ đã báo cáo" in page
    assert "Tổ CNSCĐ Thôn Na Lay" in page.split('id="completeness"')[1]  # not reported


def test_team_page_and_report_show_progress(client, setup):
    quarter = Period.objects.get(kind="quarter", year=2026, number=1)
    TargetFactory(indicator=setup.visits, period=quarter, unit=setup.world["W1"], mode=TargetMode.ABSOLUTE, value=20)
    report = save(
        setup.personas["leader"],
        setup.team,
        setup.period(1),
        {setup.households.pk: 150, setup.visits.pk: 12},
        submit=True,
    )
    report_approve(user=setup.personas["commune"], report=report)
    client.force_login(setup.personas["commune"])
    with at(2, 10):
        team_page = client.get(reverse("teams:detail", args=[setup.team.pk])).content.decode()
    assert 'id="team-progress"' in team_page
    assert "60,0%" in team_page  # 12 visits of the village's 20
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "50,0%" in detail  # 150 of 300 households
    assert "Đã duyệt" in detail and "Quá trình duyệt" in detail
    progress_page = client.get(
        reverse("reports:progress"), {"unit": setup.world["W1"].pk, "period": quarter.pk}
    ).content.decode()
    assert "60,0%" in progress_page


def test_the_page_does_not_tell_a_leader_an_approved_report_was_approved_again(client, setup):
    report = save(
        setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 3, setup.visits.pk: 1}, submit=True
    )
    report_approve(user=setup.personas["commune"], report=report)
    client.force_login(setup.personas["leader"])
    response = client.post(reverse("reports:review", args=[report.pk]), {"action": "approve"}, follow=True)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Báo cáo này không chờ đồng chí duyệt." in page and "Báo cáo đã được duyệt." not in page


def test_expired_login_answers_a_redirect_to_the_login_page(client, setup):
    response = client.post(
        reverse("reports:new", args=[setup.team.pk, setup.period(1).pk]),
        {"version": "0"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_schedule_and_ad_hoc_request_forms(client, setup):
    client.force_login(setup.personas["province"])
    response = client.post(
        reverse("reports:schedule_edit", args=[setup.world["Q"].pk]),
        {"frequency": "quarter", "deadline_day": "10", "remind_days_before": "5", "starts_on": "01/01/2026"},
    )
    assert response.status_code == 302
    setup.world["Q"].reporting_schedule.refresh_from_db()
    assert (setup.world["Q"].reporting_schedule.frequency, setup.world["Q"].reporting_schedule.deadline_day) == (
        "quarter",
        10,
    )
    client.force_login(setup.personas["commune"])
    response = client.post(
        reverse("reports:request_create"),
        {"title": "Báo cáo nhanh", "covers_start": "01/11/2026", "covers_end": "20/11/2026", "deadline": "10/11/2026"},
    )
    assert "Hạn nộp không được ở quá khứ." in response.content.decode()


def test_a_schedule_starting_in_year_one_is_refused_without_making_periods(client, setup):
    """Saved, 01/01/0001 made the months, quarters and years of 2,026 years (34,000 periods) in one request."""
    from targets.models import Period

    client.force_login(setup.personas["province"])
    periods = Period.objects.count()
    for typed, message in [
        ("01/01/0001", "không phải là một ngày hợp lý"),
        ("31/12/2019", "Chỉ có thể yêu cầu báo cáo từ năm 2020 trở đi."),
    ]:
        response = client.post(
            reverse("reports:schedule_edit", args=[setup.world["Q"].pk]),
            {"frequency": "month", "deadline_day": "10", "remind_days_before": "5", "starts_on": typed},
        )
        assert response.status_code == 200 and message in response.content.decode()
    assert Period.objects.count() == periods and not Period.objects.filter(year__lt=2020).exists()


def test_report_form_and_submission_stay_within_their_query_budget(client, setup, django_assert_max_num_queries):
    """One GET of a new report's form and the POST that sends it (issue 7: submissions at the national peak).
    Two percentages on different population fields: the denominators are still read once per request."""
    people = IndicatorFactory(code="people_guided_pct", order=3, denominator_field=PopulationField.POPULATION)
    PopulationFigureFactory(unit=setup.world["W1"], as_of=datetime.date(2025, 6, 1), households=None, population=900)
    client.force_login(setup.personas["leader"])
    url = reverse("reports:new", args=[setup.team.pk, setup.period(3).pk])
    client.get(url)  # the session's first use
    with django_assert_max_num_queries(8):
        page = client.get(url).content.decode()
    assert "900" in page and "300" in page  # both denominators in the help texts
    data = {"version": "0", "action": "submit", "activities": "Hướng dẫn VNeID"}
    data |= {f"value_{pk}": "5" for pk in (setup.households.pk, setup.visits.pk, people.pk)}
    with django_assert_max_num_queries(26):  # 4 of them the data-quality checks: values, population, history, rules
        response = client.post(url, data)
    report = Report.objects.get(team=setup.team, period=setup.period(3))
    assert response.status_code == 302 and response.url == reverse("reports:detail", args=[report.pk])
    assert report.status == "submitted" and report.submitted_at is not None
    assert dict(report.values.values_list("indicator_id", "value")) == {
        setup.households.pk: 5,
        setup.visits.pk: 5,
        people.pk: 5,
    }
    assert [t.action for t in report.transitions.order_by("pk")] == ["create", "submit"]
    assert report.history.count() == 2  # created, then saved and sent at once
    assert Notification.objects.filter(user=setup.personas["commune"], key__startswith="transition:").count() == 1


def test_the_form_shows_an_indicator_as_soon_as_it_is_saved(client, setup):
    """The cache keeps the indicator catalogue (targets.selectors.indicators_catalogue): saving an indicator,
    as the admin does, drops it, so the next form shows the change."""
    client.force_login(setup.personas["leader"])
    url = reverse("reports:new", args=[setup.team.pk, setup.period(3).pk])
    assert "Lượt hướng dẫn tại nhà" not in client.get(url).content.decode()
    setup.visits.name_vi = "Lượt hướng dẫn tại nhà"
    setup.visits.save()
    added = CountIndicatorFactory(code="sessions", order=3)
    page = client.get(url).content.decode()
    assert "Lượt hướng dẫn tại nhà" in page and f'name="value_{added.pk}"' in page
    added.is_active = False
    added.save()
    assert f'name="value_{added.pk}"' not in client.get(url).content.decode()


def test_the_reports_list_filters_by_unit_and_names_each_teams_commune(client, setup):
    """A province's staff narrow the list to one commune (and everything under it); each row says which commune
    its team's village is in, since "Thôn 1" recurs in every commune."""
    world = setup.world
    third = TeamFactory(unit=world["W3"], name="Tổ CNSCĐ Thôn Khe Thầu", decision_date=datetime.date(2024, 1, 1))
    for team in (setup.team, third):
        Report.objects.create(
            team=team,
            kind="periodic",
            period=setup.period(1),
            deadline=datetime.date(2026, 2, 5),
            status="draft",
            created_by=setup.personas["admin"],
            village=team.unit,
            commune=team.unit.parent,
            province=world["Q"],
        )
    client.force_login(setup.personas["province"])
    everything = client.get(reverse("reports:list")).content.decode()
    assert "Thôn Bản Giang · Xã Thanh Thịnh" in everything and "Thôn Khe Thầu · Xã Chợ Mới" in everything
    one_commune = client.get(reverse("reports:list"), {"unit": world["K2"].pk}).content.decode()
    assert "Tổ CNSCĐ Thôn Khe Thầu" in one_commune and "Thôn Bản Giang" not in one_commune
    elsewhere = client.get(reverse("reports:list"), {"unit": world["O"].pk})  # another province: not a choice
    assert elsewhere.context["filter"].errors["unit"]  # refused (the list stays the user's own reports)


def test_the_report_pages_tell_returned_reopened_and_percentage_targets(client, setup):
    """Their templates compare the status and the last step with the choices (totech.context_processors) and ask
    the target whether it is a percentage."""
    leader, officer, world = setup.personas["leader"], setup.personas["commune"], setup.world
    TargetFactory(
        indicator=setup.households,
        period=setup.period(1),
        unit=world["W1"],
        mode=TargetMode.PERCENT,
        value=Decimal("20"),
    )
    TargetFactory(
        indicator=setup.visits, period=setup.period(1), unit=world["W1"], mode=TargetMode.ABSOLUTE, value=Decimal("40")
    )
    values = {setup.households.pk: 3, setup.visits.pk: 1}
    report = report_return(
        user=officer, report=save(leader, setup.team, setup.period(1), values, submit=True), comment="Thiếu số liệu"
    )
    client.force_login(leader)
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Chỉnh sửa và gửi lại" in detail and "Trả lại để chỉnh sửa:" in detail
    assert "20%</td>" in detail and "40</td>" in detail
    assert "Cần chỉnh sửa:" in client.get(reverse("reports:edit", args=[report.pk])).content.decode()

    report = report_approve(user=officer, report=save(leader, setup.team, setup.period(1), values, submit=True))
    report_reopen(user=setup.personas["province"], report=report, reason="Sở rà soát lại")
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Mở lại:" in detail and "Trả lại để chỉnh sửa:" not in detail


@pytest.mark.parametrize("who", ["leader", "commune", "province"])
def test_the_home_pages_read_each_report_panel_once_and_within_a_budget(
    client, setup, who, django_assert_max_num_queries
):
    """The reports panels on the home pages and the navbar's bell are read by the context processor
    (reports.context_processors), each once, among the page's own queries (11, as when template tags read them)."""
    client.force_login(setup.personas[who])
    with django_assert_max_num_queries(11) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert sum('FROM "reports_notification"' in query["sql"] for query in queries.captured_queries) == 1  # the bell
    assert ("my-reports" in response.content.decode()) == (who == "leader")
    assert ("review-queue" in response.content.decode()) == (who != "leader")


def test_the_team_page_reads_its_progress_panel_within_a_budget(client, setup, django_assert_max_num_queries):
    """The team page's panels are read by the view: progress (reports.progress.team_progress_this_quarter) and, for
    the commune officer who may type in paper reports, the reports the team owes (reports.selectors
    .team_reports_owed: the schedule, the months, campaigns, requests and reports of one team, 7 queries)."""
    client.force_login(setup.personas["commune"])
    with django_assert_max_num_queries(31):
        response = client.get(reverse("teams:detail", args=[setup.team.pk]))
    assert 'id="team-progress"' in response.content.decode()
