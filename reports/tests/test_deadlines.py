"""Deadline and timeliness arithmetic with frozen time, what's due on a leader's home, and completeness."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reports.choices import Frequency
from reports.models import Report
from reports.selectors import (
    campaign_deadline,
    completeness_by_child,
    latest_closed_period,
    leader_agenda,
    periodic_deadline,
)
from reports.services import report_return
from reports.tests.factories import ScheduleFactory
from reports.tests.helpers import save
from targets.models import PeriodDeadline
from targets.services import period_get_or_create, periods_generate
from targets.tests.factories import CampaignFactory
from teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args):
    return datetime.datetime(*args, tzinfo=VIETNAM)


def test_monthly_and_quarterly_deadlines_fall_in_the_next_month(world):
    monthly = ScheduleFactory.build(province=world["Q"], deadline_day=5)
    quarterly = ScheduleFactory.build(province=world["Q"], frequency=Frequency.QUARTERLY, deadline_day=10)
    december = period_get_or_create(kind="month", year=2025, number=12)
    february = period_get_or_create(kind="month", year=2024, number=2)
    q4 = period_get_or_create(kind="quarter", year=2025, number=4)
    q1 = period_get_or_create(kind="quarter", year=2026, number=1)
    assert periodic_deadline(december, monthly) == datetime.date(2026, 1, 5)
    assert periodic_deadline(february, monthly) == datetime.date(2024, 3, 5)
    assert periodic_deadline(q4, quarterly) == datetime.date(2026, 1, 10)
    assert periodic_deadline(q1, quarterly) == datetime.date(2026, 4, 10)


def test_campaign_deadline_is_the_plans_review_step_else_ten_days(world):
    campaign = CampaignFactory(unit=world["D1"])  # 01-10/10/2024
    assert campaign_deadline(campaign) == datetime.date(2024, 10, 20)
    PeriodDeadline.objects.create(period=campaign, due_on=datetime.date(2024, 9, 25), task="Kế hoạch")
    assert campaign_deadline(campaign) == datetime.date(2024, 10, 20)
    PeriodDeadline.objects.create(period=campaign, due_on=datetime.date(2024, 10, 18), task="Tổng kết")
    assert campaign_deadline(campaign) == datetime.date(2024, 10, 18)


@pytest.mark.parametrize(
    "sent, on_time",
    [
        (at(2026, 2, 5, 23, 59), True),  # the deadline day, late evening in Vietnam (16:59 UTC)
        (at(2026, 2, 6, 0, 30), False),  # half past midnight in Vietnam is still the 5th in UTC: late
        (at(2026, 1, 20, 8, 0), True),
    ],
)
def test_timeliness_counts_the_local_date_of_the_first_sending(setup, sent, on_time):
    with time_machine.travel(sent, tick=False):
        report = save(
            setup.personas["leader"],
            setup.team,
            setup.period(1),
            {setup.households.pk: 10, setup.visits.pk: 1},
            submit=True,
        )
    assert report.deadline == datetime.date(2026, 2, 5)
    assert report.on_time is on_time
    report_return(user=setup.personas["commune"], report=report, comment="Sửa lại")
    with time_machine.travel(at(2026, 3, 1, 9, 0), tick=False):
        report = save(
            setup.personas["leader"],
            setup.team,
            setup.period(1),
            {setup.households.pk: 10, setup.visits.pk: 1},
            submit=True,
        )
    assert Report.objects.get(pk=report.pk).on_time is on_time  # resending late does not change it


def test_leader_home_lists_returned_overdue_and_due(setup):
    leader = setup.personas["leader"]
    with time_machine.travel(at(2026, 2, 20, 9, 0), tick=False):
        report = save(leader, setup.team, setup.period(1), {setup.households.pk: 3, setup.visits.pk: 1}, submit=True)
        report_return(user=setup.personas["commune"], report=report, comment="Thiếu ảnh")
    with time_machine.travel(at(2026, 4, 3, 9, 0), tick=False):
        agenda = leader_agenda(leader)
    assert [slot.period.number for slot in agenda.returned] == [1]
    assert [slot.period.number for slot in agenda.overdue] == [2]  # due 05/03, nothing sent
    assert [slot.period.number for slot in agenda.due] == [3, 4]  # due 05/04, and April has started
    assert [slot.deadline for slot in agenda.due] == [datetime.date(2026, 4, 5), datetime.date(2026, 5, 5)]


def test_no_slots_before_the_schedule_starts_or_outside_the_teams_life(setup):
    periods_generate(year=2025)
    setup.team.dissolved_on = datetime.date(2026, 2, 10)
    setup.team.save()
    with time_machine.travel(at(2026, 5, 1, 9, 0), tick=False):
        agenda = leader_agenda(setup.personas["leader"])
    # 2025 is before the schedule; February's middle day (14/02) and March and April are after the team's last day.
    assert [(slot.period.year, slot.period.number) for slot in agenda.overdue] == [(2026, 1)]
    assert agenda.due == []


def test_completeness_and_timeliness_per_unit(setup):
    leader, officer = setup.personas["leader"], setup.personas["commune"]
    late_team = TeamFactory(unit=setup.world["W2"], name="Tổ 2", decision_date=datetime.date(2025, 1, 1))
    TeamFactory(
        unit=setup.world["W2"], name="Tổ mới", decision_date=datetime.date(2026, 3, 1)
    )  # not yet founded in January
    TeamFactory(
        unit=setup.world["W1"],
        name="Tổ cũ",
        decision_date=datetime.date(2024, 1, 1),
        dissolved_on=datetime.date(2025, 12, 31),
    )
    values = {setup.households.pk: 3, setup.visits.pk: 1}
    with time_machine.travel(at(2026, 2, 4, 9, 0), tick=False):
        save(leader, setup.team, setup.period(1), values, submit=True)
    with time_machine.travel(at(2026, 2, 7, 9, 0), tick=False):
        save(setup.other_leader, setup.other_team, setup.period(1), values, submit=True)
        report = Report.objects.create(
            team=late_team,
            kind="periodic",
            period=setup.period(1),
            deadline=datetime.date(2026, 2, 5),
            status="draft",
            province=setup.world["Q"],
            created_by=officer,
        )
        period, deadline = latest_closed_period(setup.world["K1"], datetime.date(2026, 2, 7))
    assert (period, deadline) == (setup.period(1), datetime.date(2026, 2, 5))
    total, rows = completeness_by_child(setup.world["K1"], period)
    assert (total.expected, total.received, total.on_time) == (3, 2, 1)
    assert total.completeness == pytest.approx(66.7)
    assert total.timeliness == 50.0
    by_unit = {row.unit.name: row for row in rows}
    assert (
        by_unit["Thôn Bản Giang"].expected,
        by_unit["Thôn Bản Giang"].received,
        by_unit["Thôn Bản Giang"].on_time,
    ) == (1, 1, 1)
    assert (by_unit["Thôn Na Lay"].expected, by_unit["Thôn Na Lay"].received, by_unit["Thôn Na Lay"].on_time) == (
        2,
        1,
        0,
    )
    assert by_unit["Thôn Na Lay"].missing == [report.team]


def test_latest_closed_period_waits_for_the_deadline(setup):
    assert latest_closed_period(setup.world["K1"], datetime.date(2026, 2, 5)) == (
        setup.period(1),
        datetime.date(2026, 2, 5),
    )
    assert latest_closed_period(setup.world["K1"], datetime.date(2026, 2, 4)) == (
        None,
        None,
    )  # the schedule starts in 2026
