"""The reports' test set-up on the shared `world`: Thái Nguyên (Q) reports monthly by the 5th from January
2026; the team of village W1 is led by the `leader` persona, W2's by another leader; two indicators: a stock
percentage of households and a flow count."""

import datetime
from dataclasses import dataclass

import pytest

from accounts.choices import Role
from accounts.tests.factories import UserFactory
from reports.tests.factories import ScheduleFactory
from reports.tests.helpers import FOUNDED, lead
from targets.choices import Aggregation
from targets.services import periods_generate
from targets.tests.factories import CountIndicatorFactory, IndicatorFactory
from teams.tests.factories import TeamFactory
from units.tests.factories import PopulationFigureFactory


@dataclass
class Setup:
    world: dict
    personas: dict
    team: object
    other_team: object
    households: object
    visits: object
    other_leader: object

    def period(self, month, year=2026):
        from targets.models import Period

        return Period.objects.get(kind="month", year=year, number=month)


@pytest.fixture
def setup(world, personas):
    ScheduleFactory(province=world["Q"])
    periods_generate(year=2026)
    for village in ("W1", "W2"):
        PopulationFigureFactory(unit=world[village], as_of=datetime.date(2025, 1, 1), households=300)
    team = lead(TeamFactory(unit=world["W1"], decision_date=FOUNDED), personas["leader"])
    other_leader = UserFactory(username="leader2", role=Role.TEAM_LEADER, scope_unit=world["W2"])
    other_team = lead(TeamFactory(unit=world["W2"], decision_date=FOUNDED), other_leader)
    households = IndicatorFactory(code="households_guided", order=1, aggregation=Aggregation.STOCK)
    visits = CountIndicatorFactory(code="visits", order=2)
    return Setup(world, personas, team, other_team, households, visits, other_leader)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
