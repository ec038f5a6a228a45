"""Progress against targets, checked against an independent computation on random reports."""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from accounts.choices import Role
from accounts.tests.factories import UserFactory
from reports.progress import progress
from reports.services import report_approve
from reports.tests.helpers import lead, save
from targets.choices import TargetMode
from targets.models import AchievementThreshold, Period
from targets.tests.factories import CampaignFactory, TargetFactory
from teams.tests.factories import TeamFactory
from units.models import PopulationFigure

pytestmark = pytest.mark.django_db


def one_decimal(fraction: Fraction) -> Decimal:
    return (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@pytest.fixture
def reports(setup):
    """Random monthly reports of four teams over four months; about two thirds approved."""
    rng = random.Random(7)
    w = setup.world
    third_leader = UserFactory(role=Role.TEAM_LEADER, scope_unit=w["W3"])
    teams = [
        (setup.team, setup.personas["leader"], setup.personas["commune"]),
        (setup.other_team, setup.other_leader, setup.personas["commune"]),
        (
            lead(TeamFactory(unit=w["W3"], decision_date=datetime.date(2025, 8, 1)), third_leader),
            third_leader,
            UserFactory(role=Role.COMMUNE_OFFICER, scope_unit=w["K2"]),
        ),
    ]
    facts = []
    for team, leader, officer in teams:
        households = 0
        for month in range(1, 5):
            households += rng.randint(0, 40)
            values = {setup.households.pk: households, setup.visits.pk: rng.randint(0, 30)}
            report = save(leader, team, setup.period(month), values, submit=True)
            approved = rng.random() < 0.67
            if approved:
                report_approve(user=officer, report=report)
            facts.append({"team": team, "month": month, "values": values, "approved": approved})
    return facts


def expected_actuals(facts, setup, teams, months):
    counted = [fact for fact in facts if fact["approved"] and fact["team"] in teams and fact["month"] in months]
    visits = sum(fact["values"][setup.visits.pk] for fact in counted) if counted else None
    latest = {}
    for fact in sorted(counted, key=lambda fact: fact["month"]):
        latest[fact["team"].pk] = fact["values"][setup.households.pk]
    households = sum(latest.values()) if latest else None
    return households, visits


def test_unit_progress_matches_an_independent_computation(setup, reports):
    quarter = Period.objects.get(kind="quarter", year=2026, number=1)
    commune = setup.world["K1"]
    TargetFactory(
        indicator=setup.households, period=quarter, unit=commune, mode=TargetMode.PERCENT, value=Decimal("20")
    )
    TargetFactory(indicator=setup.visits, period=quarter, unit=commune, mode=TargetMode.ABSOLUTE, value=Decimal("40"))
    AchievementThreshold.objects.create(province=setup.world["Q"], amber_from=Decimal("60"), green_from=Decimal("85"))

    rows = {row.indicator.code: row for row in progress(period=quarter, unit=commune)}

    households, visits = expected_actuals(reports, setup, [setup.team, setup.other_team], {1, 2, 3})
    denominator = sum(PopulationFigure.objects.filter(unit__parent=commune).values_list("households", flat=True))
    assert rows["households_guided"].actual == households
    assert rows["visits"].actual == visits
    assert rows["households_guided"].denominator == denominator
    rate = Fraction(100 * households, denominator)
    assert rows["households_guided"].rate == one_decimal(rate)
    achievement = Fraction(100) * Fraction(one_decimal(rate)) / 20
    assert rows["households_guided"].achievement == one_decimal(achievement)
    assert rows["visits"].achievement == one_decimal(Fraction(100 * visits, 40))
    for row in rows.values():
        expected = "green" if row.achievement >= 85 else "amber" if row.achievement >= 60 else "red"
        assert row.rating == expected


def test_team_and_province_progress_and_months(setup, reports):
    quarter = Period.objects.get(kind="quarter", year=2026, number=1)
    team_rows = {row.indicator.code: row for row in progress(period=quarter, team=setup.other_team)}
    assert (team_rows["households_guided"].actual, team_rows["visits"].actual) == expected_actuals(
        reports, setup, [setup.other_team], {1, 2, 3}
    )
    all_teams = list({fact["team"] for fact in reports})
    province_rows = {row.indicator.code: row for row in progress(period=quarter, unit=setup.world["Q"])}
    assert (province_rows["households_guided"].actual, province_rows["visits"].actual) == expected_actuals(
        reports, setup, all_teams, {1, 2, 3}
    )
    april = setup.period(4)
    april_rows = {row.indicator.code: row for row in progress(period=april, unit=setup.world["Q"])}
    assert (april_rows["households_guided"].actual, april_rows["visits"].actual) == expected_actuals(
        reports, setup, all_teams, {4}
    )
    assert team_rows["households_guided"].target is None and team_rows["households_guided"].achievement is None


def test_campaign_counts_only_its_own_reports(setup, reports):
    campaign = CampaignFactory(
        unit=setup.world["K1"], start=datetime.date(2026, 2, 1), end=datetime.date(2026, 2, 10), year=2026
    )
    assert all(row.actual is None for row in progress(period=campaign, unit=setup.world["K1"]))
    report = save(
        setup.personas["leader"], setup.team, campaign, {setup.households.pk: 7, setup.visits.pk: 9}, submit=True
    )
    assert report.kind == "campaign" and report.deadline == datetime.date(2026, 2, 20)
    report_approve(user=setup.personas["commune"], report=report)
    rows = {row.indicator.code: row.actual for row in progress(period=campaign, unit=setup.world["K1"])}
    assert rows == {"households_guided": 7, "visits": 9}
