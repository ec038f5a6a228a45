"""Who is asked for what, and rankings that mean something (issue 13, items 2-4), against figures worked out by
hand from the rule in reports.selectors: a team owes a slot's report when it was active on the slot's middle
day, in a unit that existed then; a slot counts once its deadline has passed; on time is judged against the
deadline the report carries.

Thái Nguyên (Q) reports monthly by the 5th. In Xã Thanh Thịnh (K1), on 20/12/2026:

| team (village)          | founded    | dissolved  | October          | November         |
|-------------------------|------------|------------|------------------|------------------|
| A, the leader's (W1)    | 01/08/2025 |            | sent 04/11, 4 v. | sent 07/12, 3 v. |
| B, leader2's (W2)       | 01/08/2025 |            | sent 05/11, 2 v. | nothing          |
| Gone (W1)               | 01/08/2025 | 10/11/2026 | sent 06/11, 1 v. | (not owed)       |
| Silent (W2)             | 01/08/2025 |            | nothing          | nothing          |
| New (W2)                | 03/12/2026 |            | (not owed)       | (not owed)       |

All sent reports are approved; "v." are visits, the commune's Q4 target is 10 visits. Middle days: 16/10,
15/11, 16/12. October and November are due (05/11, 05/12); December (due 05/01/2027) is not: A, B, Silent and
New owe it, 4 reports not yet due.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.choices import Role
from accounts.tests.factories import UserFactory
from reports.models import RecomputeRequest, Report, StaleRollup, UnitSummary
from reports.rankings import commune_ranking, leaders_and_support, unit_team_scores
from reports.rollups import rollup_province
from reports.selectors import completeness_for_user, dashboard_indicators, freshness, slots_for_team, summary_periods
from reports.services import report_approve, rollup_request, schedule_set
from reports.tests.conftest import lead
from reports.tests.factories import ScheduleFactory
from reports.tests.helpers import save
from targets.choices import TargetMode
from targets.models import Period
from targets.services import periods_generate
from targets.tests.factories import TargetFactory
from teams.tests.factories import TeamFactory
from units.models import Unit

pytestmark = pytest.mark.django_db

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2026, 12, 20)


def at(month, day, year=2026):
    return time_machine.travel(datetime.datetime(year, month, day, 9, 0, tzinfo=VIETNAM), tick=False)


def month(number, year=2026):
    return Period.objects.get(kind="month", year=year, number=number)


def quarter(number, year=2026):
    return Period.objects.get(kind="quarter", year=year, number=number)


def send(setup, team, number, visits, day):
    """The team's report for month `number` sent (at 09:00) on `day` of the next month, then approved."""
    leader = team.memberships.get().person.user
    with at(number % 12 + 1, day):
        report = save(leader, team, month(number), {setup.visits.pk: visits, setup.households.pk: 0}, submit=True)
        report_approve(user=setup.personas["commune"], report=report)
    return report


@pytest.fixture
def thanh_thinh(setup):
    world = setup.world
    founded = datetime.date(2025, 8, 1)
    gone = lead(
        TeamFactory(unit=world["W1"], name="Tổ cũ", decision_date=founded),
        UserFactory(role=Role.TEAM_LEADER, scope_unit=world["W1"]),
    )
    silent = TeamFactory(unit=world["W2"], name="Tổ im lặng", decision_date=founded)
    new = TeamFactory(unit=world["W2"], name="Tổ mới", decision_date=datetime.date(2026, 12, 3))
    TargetFactory(
        indicator=setup.visits, period=quarter(4), unit=world["K1"], mode=TargetMode.ABSOLUTE, value=Decimal("10")
    )
    send(setup, setup.team, 10, 4, 4)
    send(setup, setup.team, 11, 3, 7)
    send(setup, setup.other_team, 10, 2, 5)
    send(setup, gone, 10, 1, 6)
    type(gone).objects.filter(pk=gone.pk).update(dissolved_on=datetime.date(2026, 11, 10))
    rollup_province(province=world["Q"], year=2026, quarter=4, today=TODAY)
    setup.gone, setup.silent, setup.new = gone, silent, new
    return setup


def counts(unit, period):
    row = UnitSummary.objects.get(unit=unit, period=period)
    return (
        row.reports_expected,
        row.reports_received,
        row.reports_on_time,
        row.reports_pending,
        row.completeness,
        row.timeliness,
    )


def test_teams_owe_only_the_slots_they_were_active_for_and_undue_slots_are_not_yet_due(thanh_thinh):
    world = thanh_thinh.world
    # October: A, B, Gone owe it (3), Silent too (4); 3 received, A and B on time (04/11 and 05/11, the deadline day).
    assert counts(world["K1"], month(10)) == (4, 3, 2, 0, 75.0, 66.7)
    # November: A, B, Silent (Gone dissolved 10/11, before the 15th); A's came late (07/12).
    assert counts(world["K1"], month(11)) == (3, 1, 0, 0, 33.3, 0.0)
    # December: due 05/01/2027: not yet due, never 0 %.
    assert counts(world["K1"], month(12)) == (0, 0, 0, 4, None, None)
    assert UnitSummary.objects.get(unit=world["K1"], period=month(12)).not_yet_due
    # The quarter: 4 + 3 expected, 3 + 1 received, 2 on time; December's 4 apart.
    assert counts(world["K1"], quarter(4)) == (7, 4, 2, 4, 57.1, 50.0)
    assert counts(world["Q"], quarter(4)) == (7, 4, 2, 4, 57.1, 50.0)
    # Xã Chợ Mới has no team: asked for nothing.
    assert counts(world["K2"], quarter(4)) == (0, 0, 0, 0, None, None)
    # The team founded on 03/12/2026 owes neither October nor Quarter III, only December.
    with at(12, 20):
        assert [slot.period.number for slot in slots_for_team(thanh_thinh.new, TODAY)] == [12]


def test_the_dashboard_says_not_yet_due_instead_of_zero(thanh_thinh, client):
    client.force_login(thanh_thinh.personas["commune"])
    html = client.get(reverse("reports:dashboard"), {"period": month(12).pk}).content.decode()
    total = html[html.index("<tfoot") : html.index("</tfoot>")]
    assert '<td class="text-end text-nowrap text-muted">chưa đến hạn</td>' in total and ">0,0%" not in total


def test_the_home_page_counts_by_the_same_rule(thanh_thinh):
    with at(12, 20):
        block = completeness_for_user(thanh_thinh.personas["commune"])
    # November (due 05/12) is the latest closed period: A, B and Silent owe it; A's is in, late.
    assert (block["period"], block["deadline"]) == (month(11), datetime.date(2026, 12, 5))
    total = block["total"]
    assert (total.expected, total.received, total.on_time) == (3, 1, 0)
    rows = {row.unit.name: row for row in block["rows"]}
    assert (rows["Thôn Bản Giang"].expected, rows["Thôn Bản Giang"].received) == (1, 1)
    assert (rows["Thôn Na Lay"].expected, rows["Thôn Na Lay"].received) == (2, 0)
    assert sorted(team.name for team in rows["Thôn Na Lay"].missing) == sorted(
        [thanh_thinh.other_team.name, "Tổ im lặng"]
    )


def test_moving_the_deadline_day_does_not_re_judge_past_reports(thanh_thinh):
    world = thanh_thinh.world
    with at(12, 20):
        draft = save(thanh_thinh.personas["leader"], thanh_thinh.team, month(12), {thanh_thinh.visits.pk: 1})
        schedule_set(
            user=thanh_thinh.personas["province"],
            province=world["Q"],
            frequency="month",
            deadline_day=3,
            remind_days_before=3,
            starts_on=datetime.date(2026, 1, 1),
        )
    rollup_province(province=world["Q"], year=2026, quarter=4, today=TODAY)
    # B's October report, sent on 05/11, stays on time on its page and in the roll-up.
    october = Report.objects.get(team=thanh_thinh.other_team, period=month(10))
    assert (october.deadline, october.on_time) == (datetime.date(2026, 11, 5), True)
    assert counts(world["K1"], month(10)) == (4, 3, 2, 0, 75.0, 66.7)
    assert counts(world["K1"], quarter(4)) == (7, 4, 2, 4, 57.1, 50.0)
    # December's draft was not due yet: it takes the new day.
    draft.refresh_from_db()
    assert draft.deadline == datetime.date(2027, 1, 3)


def test_rankings_lead_only_with_data_share_ties_and_say_why_others_need_support(thanh_thinh):
    world = thanh_thinh.world
    indicators = dashboard_indicators()
    teams = unit_team_scores(world["K1"], quarter(4), indicators, TODAY)
    leaders, support = leaders_and_support(teams, shown=len(teams))
    # A and B: 1 of 2 due reports approved on time (50.0), no team target; Gone: 0 of 1; New owes nothing yet.
    assert [(team.name, team.position, team.tied, team.score) for team in leaders] == [
        (thanh_thinh.team.name, 1, True, Decimal("50.0")),
        (thanh_thinh.other_team.name, 1, True, Decimal("50.0")),
        ("Tổ cũ", 3, False, Decimal("0.0")),
    ]
    assert [(team.name, team.reason) for team in support] == [("Tổ im lặng", "Chưa nhận được báo cáo nào (0/2)")]
    assert "Tổ mới" not in [team.name for team in teams]

    communes = commune_ranking(world["Q"], quarter(4), indicators)
    leaders, support = leaders_and_support(communes)
    # K1: visits 4 + 3 + 2 + 1 = 10 of a target of 10: 100.0 %, 4 of 7 reports; K2 has no team and no data.
    assert [(rank.unit, rank.achievement, rank.position) for rank in leaders] == [(world["K1"], Decimal("100.0"), 1)]
    assert support == []


def test_q3_does_not_rank_a_team_founded_in_december(thanh_thinh):
    rollup_province(province=thanh_thinh.world["Q"], year=2026, quarter=3, today=TODAY)
    scores = unit_team_scores(thanh_thinh.world["K1"], quarter(3), dashboard_indicators(), TODAY)
    assert "Tổ mới" not in [score.name for score in scores]
    # Jul-Sep: A, B, Gone and Silent owe 3 reports each, none sent.
    assert sorted((score.name, score.due, score.received) for score in scores) == sorted(
        (name, 3, 0) for name in (thanh_thinh.team.name, thanh_thinh.other_team.name, "Tổ cũ", "Tổ im lặng")
    )


# --- a district abolished on 01/07/2025 ------------------------------------------------------------------


@pytest.fixture
def mo_duc(setup):
    """Quảng Ngãi on the pre-reform map (P, its districts and communes, valid until 30/06/2025), reporting
    monthly from January 2025; the team of Thôn 1 (C1, Huyện Mộ Đức) was never dissolved in the portal."""
    world = setup.world
    Unit.objects.filter(path__startswith=world["P"].path).update(valid_to=datetime.date(2025, 6, 30))
    for key in ("P", "D1", "C1", "V1"):
        world[key].refresh_from_db()
    ScheduleFactory(province=world["P"], starts_on=datetime.date(2025, 1, 1))
    periods_generate(year=2025)
    team = lead(
        TeamFactory(unit=world["V1"], name="Tổ Thôn 1", decision_date=datetime.date(2024, 1, 1)),
        UserFactory(role=Role.TEAM_LEADER, scope_unit=world["V1"]),
        start=datetime.date(2024, 1, 1),
    )
    rollup_province(province=world["P"], year=2025, quarter=2, today=TODAY)
    rollup_province(province=world["P"], year=2026, quarter=3, today=TODAY)
    setup.old_team = team
    return setup


def test_a_dissolved_district_is_asked_only_for_its_own_periods(mo_duc):
    world = mo_duc.world
    # April-June 2025: one report each, none sent. Quarter III/2026: the district did not exist.
    assert counts(world["D1"], quarter(2, 2025)) == (3, 0, 0, 0, 0.0, None)
    assert counts(world["D1"], quarter(3)) == (0, 0, 0, 0, None, None)
    with at(12, 20):
        assert [slot.period.number for slot in slots_for_team(mo_duc.old_team, TODAY)] == [1, 2, 3, 4, 5, 6]
        block = completeness_for_user(mo_duc.personas["district"])
    assert (block["period"], block["deadline"]) == (month(6, 2025), datetime.date(2025, 7, 5))
    assert (block["total"].expected, block["total"].received) == (1, 0)
    # Its dashboard offers its own periods, the latest quarter first: Quarter II/2025, not 2026.
    assert [period.year for period in summary_periods(world["D1"])] == [2025] * 4


# --- fresh, and says how fresh ---------------------------------------------------------------------------


def test_the_dashboard_says_when_it_was_computed_and_what_waits(thanh_thinh, client):
    world = thanh_thinh.world
    assert freshness(world["Q"], quarter(4)).waiting == 0  # the fixture's roll-up took its approvals' marks
    StaleRollup.objects.create(
        unit=world["K1"], year=2026, quarter=4, marked_at=datetime.datetime(2026, 12, 20, 9, tzinfo=VIETNAM)
    )
    state = freshness(world["Q"], quarter(4))
    assert (state.waiting, state.queued_at) == (1, None) and state.computed_at is not None
    assert freshness(world["K2"], quarter(4)).waiting == 0
    client.force_login(thanh_thinh.personas["province"])
    html = client.get(reverse("reports:dashboard"), {"period": quarter(4).pk}).content.decode()
    assert "Báo cáo đã duyệt hoặc mở lại của 1 đơn vị chưa được tính vào số liệu." in html
    assert 'id="recompute-button"' in html and "Tổng hợp lúc" in html


def test_the_official_excel_carries_the_computation_time_and_what_waits(thanh_thinh):
    from django.utils import timezone

    from reports.exports import OfficialReport

    world = thanh_thinh.world
    StaleRollup.objects.create(
        unit=world["K1"], year=2026, quarter=4, marked_at=datetime.datetime(2026, 12, 20, 9, tzinfo=VIETNAM)
    )
    computed_at = timezone.localtime(UnitSummary.objects.get(unit=world["Q"], period=quarter(4)).computed_at)
    sheet = OfficialReport(unit=world["Q"], period=quarter(4)).workbook().active
    notes = [
        cell.value
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("Số liệu tổng hợp lúc")
    ]
    assert notes == [
        f"Số liệu tổng hợp lúc {computed_at:%H:%M ngày %d/%m/%Y} từ các báo cáo đã được phê duyệt."
        " Còn 1 đơn vị có báo cáo đã duyệt hoặc mở lại chưa được tổng hợp."
    ]


def test_an_approval_is_rolled_up_right_after_its_commit_in_process(setup, django_capture_on_commit_callbacks):
    with at(11, 4):
        report = save(
            setup.personas["leader"], setup.team, month(10), {setup.visits.pk: 4, setup.households.pk: 0}, submit=True
        )
    with at(11, 6), django_capture_on_commit_callbacks(execute=True):
        report_approve(user=setup.personas["commune"], report=report)
    assert not StaleRollup.objects.exists()
    row = UnitSummary.objects.get(unit=setup.world["K1"], period=month(10))
    assert (row.reports_expected, row.reports_received, row.reports_on_time) == (2, 1, 1)


@pytest.mark.parametrize("persona", ["admin", "province", "district", "commune", "leader", "outsider"])
def test_recompute_now_is_a_scoped_post_queued_once(thanh_thinh, client, persona, django_capture_on_commit_callbacks):
    world = thanh_thinh.world
    client.force_login(thanh_thinh.personas[persona])
    url = reverse("reports:dashboard_recompute", args=[world["K1"].pk])
    query = f"?period={quarter(4).pk}"
    allowed = persona in {"admin", "province", "commune"}
    assert client.get(url + query).status_code == (302 if allowed else 404)  # a GET queues nothing
    assert not RecomputeRequest.objects.exists()
    response = client.post(url + query)
    assert response.status_code == (302 if allowed else 404)
    if allowed:
        assert RecomputeRequest.objects.filter(province=world["Q"], year=2026, quarter=4).count() == 1
        again = client.post(url + query, follow=True)  # a second click: refused while the first waits
        assert RecomputeRequest.objects.count() == 1
        assert "Số liệu này đã được yêu cầu tổng hợp lại lúc" in again.content.decode()
    else:
        assert not RecomputeRequest.objects.exists()


def test_a_queued_recompute_runs_and_frees_the_next_one(thanh_thinh, django_capture_on_commit_callbacks):
    user, unit = thanh_thinh.personas["commune"], thanh_thinh.world["K1"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rollup_request(user=user, unit=unit, period=quarter(4))
    with pytest.raises(ValidationError, match="đã được yêu cầu tổng hợp lại lúc"):
        rollup_request(user=user, unit=unit, period=quarter(4))
    for callback in callbacks:
        callback()  # the task runs (in-process): the request is answered
    assert not RecomputeRequest.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        rollup_request(user=user, unit=unit, period=quarter(4))
    assert not RecomputeRequest.objects.exists()
    with pytest.raises(ValidationError, match="Chỉ cán bộ phụ trách"):
        rollup_request(user=thanh_thinh.personas["leader"], unit=unit, period=quarter(4))


@pytest.mark.browser
def test_the_dashboard_shows_what_waits_and_recomputes_on_request(page, live_server, thanh_thinh):
    from reports.tests.test_browser import fits_the_phone, shoot
    from totech.tests.browser import log_in

    world = thanh_thinh.world
    StaleRollup.objects.create(
        unit=world["K1"], year=2026, quarter=4, marked_at=datetime.datetime(2026, 12, 20, 9, tzinfo=VIETNAM)
    )
    log_in(page, live_server, "province")
    page.goto(f"{live_server.url}{reverse('reports:dashboard')}?period={quarter(4).pk}")
    assert "Báo cáo đã duyệt hoặc mở lại của 1 đơn vị chưa được tính vào số liệu." in page.inner_text("#freshness")
    fits_the_phone(page)
    shoot(page, "dashboard-freshness")
    page.click("#recompute-button")  # in-process: the roll-up runs before the page comes back
    assert "Số liệu sẽ được tổng hợp lại" in page.inner_text(".alert-success")
    assert "Mọi báo cáo đã duyệt đều đã được tính." in page.inner_text("#freshness")
    assert not StaleRollup.objects.exists() and not RecomputeRequest.objects.exists()
    shoot(page, "dashboard-recomputed")
