"""Who fills in a team's report and who approves it, on both map editions (issue 14, item 3; seeds 000, 003,
004): village teams report to the commune; a commune team to the commune People's Committee on the reformed
map and to the district before the reform; a district team to the Department. The leader, the deputy the
leader names, or a commune officer typing in a paper report fills it in; a reviewer of the next level approves
it, never whoever entered or sent it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.choices import Role
from accounts.tests.factories import UserFactory
from reports.choices import ReportStatus
from reports.models import Notification
from reports.services import photo_add, report_approve, report_return, reviewers_of
from reports.tests.conftest import lead
from reports.tests.factories import ScheduleFactory
from reports.tests.helpers import save
from reports.tests.test_photos import picture
from targets.models import Period
from targets.services import periods_generate
from teams.choices import TeamRole
from teams.services import membership_fills_reports_set, membership_update
from teams.tests.factories import MembershipFactory, PersonFactory, TeamFactory

PRE_REFORM_START = datetime.date(2023, 1, 1)


def member(team, user, role):
    commune = team.unit.parent if team.unit.level == "village" else team.unit
    return MembershipFactory(
        team=team, person=PersonFactory(commune=commune, user=user), role=role, start_date=team.decision_date
    )


def refused(action):
    with pytest.raises(ValidationError):
        action()


@pytest.fixture
def second_officer(world):
    return UserFactory(username="commune2", role=Role.COMMUNE_OFFICER, scope_unit=world["K1"])


# --- who fills in --------------------------------------------------------------------------------------------


def test_a_deputy_fills_in_the_report_once_the_leader_names_them_and_not_before(setup):
    deputy_user = UserFactory(username="deputy", role=Role.TEAM_LEADER, scope_unit=setup.world["W1"])
    deputy = member(setup.team, deputy_user, TeamRole.STANDING_DEPUTY)
    refused(lambda: save(deputy_user, setup.team, setup.period(1), {setup.households.pk: 0, setup.visits.pk: 3}))
    membership_fills_reports_set(membership=deputy, fills_reports=True)
    report = save(deputy_user, setup.team, setup.period(1), {setup.households.pk: 0, setup.visits.pk: 3}, submit=True)
    assert report.status == ReportStatus.SUBMITTED and report.entered_by is None  # the team's own deputy, not on behalf
    membership_fills_reports_set(membership=deputy, fills_reports=False)
    refused(lambda: save(deputy_user, setup.team, setup.period(2), {setup.households.pk: 0, setup.visits.pk: 1}))


def test_only_a_serving_deputy_can_be_named_and_a_role_change_ends_it(setup):
    user = UserFactory(username="member", role=Role.TEAM_LEADER, scope_unit=setup.world["W1"])
    plain = member(setup.team, user, TeamRole.MEMBER)
    with pytest.raises(ValidationError) as error:
        membership_fills_reports_set(membership=plain, fills_reports=True)
    assert error.value.message_dict == {
        "fills_reports": ["Chỉ Tổ phó đang trong Tổ mới có thể được giao điền báo cáo của Tổ."]
    }
    refused(lambda: save(user, setup.team, setup.period(1), {setup.households.pk: 0, setup.visits.pk: 3}))
    deputy = member(setup.team, UserFactory(username="deputy"), TeamRole.DEPUTY)
    membership_fills_reports_set(membership=deputy, fills_reports=True)
    membership_update(membership=deputy, role=TeamRole.MEMBER)
    deputy.refresh_from_db()
    assert deputy.fills_reports is False


def test_a_commune_officer_types_in_a_village_teams_paper_report_marked_as_entered_on_its_behalf(setup):
    officer = setup.personas["commune"]
    report = save(
        officer,
        setup.team,
        setup.period(1),
        {setup.households.pk: 0, setup.visits.pk: 4},
        activities="Theo báo cáo giấy của thôn",
    )
    assert report.entered_by == officer and report.entered_at is not None and report.created_by == officer
    report = save(
        setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 0, setup.visits.pk: 4}, submit=True
    )
    assert report.entered_by == officer  # the mark stays when the leader sends what the commune typed in


def test_nobody_else_fills_in_a_teams_report(setup, world):
    for user in [
        setup.personas["province"],
        setup.personas["admin"],
        setup.personas["outsider"],
        setup.other_leader,
        UserFactory(role=Role.COMMUNE_OFFICER, scope_unit=world["K2"]),
    ]:
        refused(lambda user=user: save(user, setup.team, setup.period(1), {setup.households.pk: 0, setup.visits.pk: 1}))


# --- who approves: the reformed map ------------------------------------------------------------------------


def test_reformed_map_a_village_teams_report_is_approved_by_its_commune_only(setup):
    report = save(
        setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 0, setup.visits.pk: 2}, submit=True
    )
    assert reviewers_of(report) == [setup.personas["commune"]]
    refused(lambda: report_approve(user=setup.personas["province"], report=report))
    refused(
        lambda: report_approve(user=UserFactory(role=Role.COMMUNE_OFFICER, scope_unit=setup.world["K2"]), report=report)
    )
    assert report_approve(user=setup.personas["commune"], report=report).status == ReportStatus.APPROVED


def test_reformed_map_a_commune_teams_report_goes_to_the_commune_not_the_department(setup):
    leader = UserFactory(role=Role.TEAM_LEADER, scope_unit=setup.world["K1"])
    team = lead(TeamFactory(unit=setup.world["K1"], decision_date=datetime.date(2025, 8, 1)), leader)
    report = save(leader, team, setup.period(1), {setup.households.pk: 0, setup.visits.pk: 3}, submit=True)
    assert report.district is None
    assert reviewers_of(report) == [setup.personas["commune"]]
    assert Notification.objects.filter(user=setup.personas["commune"], kind="submitted").count() == 1
    assert not Notification.objects.filter(user=setup.personas["province"]).exists()
    refused(lambda: report_approve(user=setup.personas["province"], report=report))
    assert report_approve(user=setup.personas["commune"], report=report).status == ReportStatus.APPROVED


def test_reformed_map_the_officer_who_entered_a_paper_report_never_approves_it(setup, second_officer):
    officer = setup.personas["commune"]
    report = save(officer, setup.team, setup.period(1), {setup.households.pk: 0, setup.visits.pk: 4}, submit=True)
    assert reviewers_of(report) == [second_officer]  # the one who entered it is not asked
    with pytest.raises(ValidationError) as error:
        report_approve(user=officer, report=report)
    assert error.value.messages == ["Đồng chí đã nhập hoặc gửi báo cáo này: một người duyệt khác sẽ duyệt."]
    refused(lambda: report_return(user=officer, report=report, comment="Sửa lại"))
    assert report_approve(user=second_officer, report=report).status == ReportStatus.APPROVED


def test_reformed_map_an_officer_who_typed_a_draft_the_leader_sent_does_not_approve_it(setup, second_officer):
    officer = setup.personas["commune"]
    save(officer, setup.team, setup.period(1), {setup.households.pk: 0, setup.visits.pk: 4})
    report = save(
        setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 0, setup.visits.pk: 5}, submit=True
    )
    refused(lambda: report_approve(user=officer, report=report))
    assert report_approve(user=second_officer, report=report).status == ReportStatus.APPROVED


def test_reformed_map_a_commune_teams_paper_report_is_approved_by_another_officer(setup, second_officer):
    team = lead(
        TeamFactory(unit=setup.world["K1"], decision_date=datetime.date(2025, 8, 1)),
        UserFactory(role=Role.TEAM_LEADER, scope_unit=setup.world["K1"]),
    )
    report = save(
        setup.personas["commune"], team, setup.period(1), {setup.households.pk: 0, setup.visits.pk: 3}, submit=True
    )
    assert report.entered_by == setup.personas["commune"]
    refused(lambda: report_approve(user=setup.personas["commune"], report=report))
    assert report_approve(user=second_officer, report=report).status == ReportStatus.APPROVED


# --- who approves: the pre-reform map (seed 004) ------------------------------------------------------------


@pytest.fixture
def pre_reform(world):
    ScheduleFactory(province=world["P"], starts_on=datetime.date(2024, 1, 1))
    periods_generate(year=2024)
    return Period.objects.get(kind="month", year=2024, number=1)


def test_pre_reform_map_a_village_teams_report_is_approved_by_its_commune(world, personas, pre_reform):
    officer = UserFactory(role=Role.COMMUNE_OFFICER, scope_unit=world["C1"])
    leader = UserFactory(role=Role.TEAM_LEADER, scope_unit=world["V1"])
    team = lead(TeamFactory(unit=world["V1"], decision_date=PRE_REFORM_START), leader, start=PRE_REFORM_START)
    report = save(leader, team, pre_reform, {}, submit=True)
    assert reviewers_of(report) == [officer]
    refused(lambda: report_approve(user=personas["district"], report=report))
    assert report_approve(user=officer, report=report).status == ReportStatus.APPROVED


def test_pre_reform_map_a_commune_teams_report_goes_to_the_district_even_when_the_commune_typed_it_in(
    world, personas, pre_reform
):
    officer = UserFactory(role=Role.COMMUNE_OFFICER, scope_unit=world["C1"])
    team = lead(
        TeamFactory(unit=world["C1"], decision_date=PRE_REFORM_START),
        UserFactory(role=Role.TEAM_LEADER, scope_unit=world["C1"]),
        start=PRE_REFORM_START,
    )
    report = save(officer, team, pre_reform, {}, submit=True)
    assert report.entered_by == officer and report.district == world["D1"]
    assert reviewers_of(report) == [personas["district"]]
    refused(lambda: report_approve(user=officer, report=report))
    refused(lambda: report_approve(user=UserFactory(role=Role.PROVINCE_STAFF, scope_unit=world["P"]), report=report))
    assert report_approve(user=personas["district"], report=report).status == ReportStatus.APPROVED


def test_pre_reform_map_a_district_teams_report_goes_to_the_department(world, personas, pre_reform):
    department = UserFactory(role=Role.PROVINCE_STAFF, scope_unit=world["P"])
    leader = UserFactory(role=Role.TEAM_LEADER, scope_unit=world["C1"])
    team = lead(TeamFactory(unit=world["D1"], decision_date=PRE_REFORM_START), leader, start=PRE_REFORM_START)
    report = save(leader, team, pre_reform, {}, submit=True)
    assert reviewers_of(report) == [department]
    refused(lambda: report_approve(user=personas["district"], report=report))
    refused(
        lambda: save(UserFactory(role=Role.COMMUNE_OFFICER, scope_unit=world["C1"]), team, pre_reform, {})
    )  # not a commune's team
    assert report_approve(user=department, report=report).status == ReportStatus.APPROVED


def test_photos_follow_who_fills_in(setup, media):
    def upload():
        return SimpleUploadedFile("anh.png", picture(), content_type="image/png")

    report = save(setup.personas["commune"], setup.team, setup.period(1), {setup.households.pk: 0, setup.visits.pk: 4})
    assert photo_add(user=setup.personas["commune"], report=report, image=upload()).report == report
    refused(lambda: photo_add(user=setup.personas["province"], report=report, image=upload()))
