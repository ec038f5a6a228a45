"""Fixtures of the targets tests."""

import pytest

from units.tests.factories import PopulationFigureFactory

from .factories import CountIndicatorFactory, IndicatorFactory, QuarterFactory
from .helpers import AS_OF


@pytest.fixture
def grid(world, personas, client):
    """Thái Nguyên's province staff on the grid of commune K1 (villages W1, W2) for Q1/2026."""
    client.force_login(personas["province"])
    figures = {"W1": 300, "W2": 100, "W3": 600}
    for key, households in figures.items():
        PopulationFigureFactory(unit=world[key], as_of=AS_OF, households=households, population=households * 4)
    return {
        "client": client,
        "quarter": QuarterFactory(),
        "percent": IndicatorFactory(code="eid", denominator_field="households"),
        "count": CountIndicatorFactory(code="visits", denominator_field="households"),
    }
