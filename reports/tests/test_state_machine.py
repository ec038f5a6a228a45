"""The review state machine: draft → submitted → returned → resubmitted → approved → reopened → …, who may
take each step, what each step records, and the roll-up hook."""

import datetime

import pytest
import time_machine
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from accounts.choices import Role
from accounts.tests.factories import UserFactory
from reports.choices import Action, ReportStatus
from reports.models import ReportTransition, ReportValue, StaleRollup
from reports.services import LEVELS_DOWN, report_approve, report_reopen, report_return, unit_ids_of
from reports.tests.factories import ScheduleFactory
from reports.tests.helpers import lead, save
from targets.services import periods_generate
from teams.tests.factories import TeamFactory
from units.tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def steps(report):
    return [
        (step.action, step.from_status, step.to_status, step.actor.username, step.comment)
        for step in ReportTransition.objects.filter(report=report).select_related("actor")
    ]


@time_machine.travel(datetime.datetime(2026, 2, 3, 9, 0, tzinfo=datetime.UTC))
def test_full_review_cycle_records_every_step_and_locks_approved_values(setup):
    leader, officer, district, province = (setup.personas[key] for key in ("leader", "commune", "district", "province"))
    january = setup.period(1)
    values = {setup.households.pk: 120, setup.visits.pk: 14}

    report = save(leader, setup.team, january, values, activities="Hướng dẫn VNeID")
    assert report.status == ReportStatus.DRAFT
    assert report.submitted_at is None
    report = save(leader, setup.team, january, values, submit=True, activities="Hướng dẫn VNeID")
    assert report.status == ReportStatus.SUBMITTED
    first_sent = report.submitted_at

    with pytest.raises(ValidationError) as refused:
        report_return(user=officer, report=report, comment="  ")
    assert "comment" in refused.value.message_dict
    report = report_return(user=officer, report=report, comment="Kiểm tra lại số hộ")
    assert report.status == ReportStatus.RETURNED

    report = save(leader, setup.team, january, {**values, setup.households.pk: 110}, submit=True)
    assert report.status == ReportStatus.RESUBMITTED
    assert report.submitted_at == first_sent  # timeliness counts the first sending
    report = report_approve(user=officer, report=report)
    assert report.status == ReportStatus.APPROVED
    assert set(ReportValue.objects.filter(report=report).values_list("approved", flat=True)) == {True}
    assert StaleRollup.objects.filter(unit=setup.world["K1"], year=2026, quarter=1).count() == 1

    with pytest.raises(ValidationError) as locked:
        save(leader, setup.team, january, {**values, setup.households.pk: 200}, submit=True)
    assert "approved" in str(locked.value) or "duyệt" in str(locked.value)
    assert ReportValue.objects.get(report=report, indicator=setup.households).value == 110

    with pytest.raises(ValidationError):  # a commune officer cannot reopen
        report_reopen(user=officer, report=report, reason="Sai số liệu")
    with pytest.raises(ValidationError):  # district staff of another province cannot either
        report_reopen(user=district, report=report, reason="Sai số liệu")
    report = report_reopen(user=province, report=report, reason="Sở rà soát lại")
    assert report.status == ReportStatus.RETURNED
    assert report.approved_at is None
    assert set(ReportValue.objects.filter(report=report).values_list("approved", flat=True)) == {False}

    assert steps(report) == [
        (Action.CREATE, "", ReportStatus.DRAFT, "leader", ""),
        (Action.SUBMIT, ReportStatus.DRAFT, ReportStatus.SUBMITTED, "leader", ""),
        (Action.RETURN, ReportStatus.SUBMITTED, ReportStatus.RETURNED, "commune", "Kiểm tra lại số hộ"),
        (Action.RESUBMIT, ReportStatus.RETURNED, ReportStatus.RESUBMITTED, "leader", ""),
        (Action.APPROVE, ReportStatus.RESUBMITTED, ReportStatus.APPROVED, "commune", ""),
        (Action.REOPEN, ReportStatus.APPROVED, ReportStatus.RETURNED, "province", "Sở rà soát lại"),
    ]


def test_only_the_right_reviewer_reviews_a_village_teams_report(setup):
    report = save(
        setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 1, setup.visits.pk: 1}, submit=True
    )
    for key in ("leader", "province", "district", "outsider"):
        with pytest.raises(ValidationError):
            report_approve(user=setup.personas[key], report=report)
    other_commune_officer = UserFactory(role=Role.COMMUNE_OFFICER, scope_unit=setup.world["K2"])
    with pytest.raises(ValidationError):
        report_approve(user=other_commune_officer, report=report)
    assert report_approve(user=setup.personas["admin"], report=report).status == ReportStatus.APPROVED


def test_approving_an_approved_report_needs_a_reviewer(setup):
    """Issue 12: approving it again answered "approved" to anyone who could see it; only its reviewers' double
    tap is a quiet no-op, everyone else is refused as for any report they do not review."""
    report = save(
        setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 1, setup.visits.pk: 1}, submit=True
    )
    report = report_approve(user=setup.personas["commune"], report=report)
    for key in ("leader", "province", "district", "outsider"):
        with pytest.raises(ValidationError) as refused:
            report_approve(user=setup.personas[key], report=report)
        assert NON_FIELD_ERRORS in refused.value.message_dict, key
    for key in ("commune", "admin"):
        assert report_approve(user=setup.personas[key], report=report).status == ReportStatus.APPROVED
    assert ReportTransition.objects.filter(report=report, action=Action.APPROVE).count() == 1


def test_returning_or_reopening_checks_the_reviewer_before_the_comment(setup):
    """Someone who may not return or reopen a report is told so, not asked for a better comment."""
    report = save(
        setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 1, setup.visits.pk: 1}, submit=True
    )
    with pytest.raises(ValidationError) as refused:
        report_return(user=setup.personas["leader"], report=report, comment="")
    assert list(refused.value.message_dict) == [NON_FIELD_ERRORS]
    report = report_approve(user=setup.personas["commune"], report=report)
    with pytest.raises(ValidationError) as refused:
        report_reopen(user=setup.personas["commune"], report=report, reason="")
    assert list(refused.value.message_dict) == [NON_FIELD_ERRORS]


def test_a_draft_cannot_be_reviewed(setup):
    report = save(setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 1})
    with pytest.raises(ValidationError):
        report_approve(user=setup.personas["commune"], report=report)
    with pytest.raises(ValidationError):
        report_return(user=setup.personas["commune"], report=report, comment="x")


@time_machine.travel(datetime.datetime(2024, 2, 3, 9, 0, tzinfo=datetime.UTC))
def test_a_reports_units_are_read_from_its_teams_path_on_both_maps(world):
    """`unit_ids_of` (no query) answers what the unit's ancestors say, a commune right under its province too."""
    world["C3"] = CommuneFactory(parent=world["P"], code="21600")
    for name in ("V1", "C1", "C3", "D1", "W1", "K1"):
        team = TeamFactory(unit=world[name])
        chain = {unit.level: unit.pk for unit in team.unit.ancestors() + [team.unit]}
        assert unit_ids_of(team) == {level: chain.get(level) for level in LEVELS_DOWN}, name


def test_commune_team_on_the_pre_reform_map_goes_to_district_staff(world, personas):
    ScheduleFactory(province=world["P"], starts_on=datetime.date(2024, 1, 1))
    periods_generate(year=2024)
    leader = UserFactory(role=Role.TEAM_LEADER, scope_unit=world["C1"])
    team = lead(
        TeamFactory(unit=world["C1"], decision_date=datetime.date(2023, 1, 1)), leader, start=datetime.date(2023, 1, 1)
    )
    from targets.models import Period

    report = save(leader, team, Period.objects.get(kind="month", year=2024, number=1), {}, submit=False)
    assert (report.village, report.commune, report.district, report.province) == (
        None,
        world["C1"],
        world["D1"],
        world["P"],
    )
    report = save(leader, team, report.period, {}, submit=True)
    with pytest.raises(ValidationError):
        report_approve(user=UserFactory(role=Role.COMMUNE_OFFICER, scope_unit=world["C1"]), report=report)
    assert report_approve(user=personas["district"], report=report).status == ReportStatus.APPROVED
    assert StaleRollup.objects.filter(unit=world["C1"], year=2024, quarter=1).exists()


def test_units_are_kept_as_they_were_when_the_report_was_made(setup):
    report = save(setup.personas["leader"], setup.team, setup.period(1), {setup.households.pk: 5, setup.visits.pk: 2})
    value = ReportValue.objects.get(report=report, indicator=setup.visits)
    assert (value.village_id, value.commune_id, value.district_id, value.province_id) == (
        setup.world["W1"].pk,
        setup.world["K1"].pk,
        None,
        setup.world["Q"].pk,
    )
    assert (value.period, value.period_end, value.team_id, value.kind) == (
        setup.period(1),
        setup.period(1).end,
        setup.team.pk,
        "periodic",
    )
    # The village moves to another commune later: the report keeps where it was made.
    village = setup.world["W1"]
    village.parent = setup.world["K2"]
    village.save()
    report.refresh_from_db()
    assert report.commune == setup.world["K1"]
