from decimal import Decimal

import pytest

from targets.choices import TargetMode
from targets.selectors import effective_target, effective_targets

from .factories import CountIndicatorFactory, IndicatorFactory, QuarterFactory, TargetFactory, TeamFactory


@pytest.fixture
def quarter(db):
    return QuarterFactory()


def test_a_percentage_flows_down_from_the_nearest_holder(world, quarter):
    """team → village → commune → district → province, on the pre-reform map."""
    indicator = IndicatorFactory()
    team = TeamFactory(unit=world["V1"])
    assert effective_target(indicator=indicator, period=quarter, team=team) is None

    province = TargetFactory(indicator=indicator, period=quarter, unit=world["P"], value=Decimal(85))
    found = effective_target(indicator=indicator, period=quarter, team=team)
    assert (found.target, found.inherited, found.value, found.source) == (province, True, Decimal(85), world["P"])

    district = TargetFactory(indicator=indicator, period=quarter, unit=world["D1"], value=Decimal(80))
    assert effective_target(indicator=indicator, period=quarter, team=team).target == district
    commune = TargetFactory(indicator=indicator, period=quarter, unit=world["C1"], value=Decimal(75))
    assert effective_target(indicator=indicator, period=quarter, team=team).target == commune
    village = TargetFactory(indicator=indicator, period=quarter, unit=world["V1"], value=Decimal(70))
    assert effective_target(indicator=indicator, period=quarter, team=team).target == village
    own = TargetFactory(indicator=indicator, period=quarter, unit=None, team=team, value=Decimal(65))
    found = effective_target(indicator=indicator, period=quarter, team=team)
    assert (found.target, found.inherited, found.value) == (own, False, Decimal(65))
    # The sibling district's commune still gets the province's level.
    assert effective_target(indicator=indicator, period=quarter, unit=world["C2"]).target == province


def test_communes_sit_directly_under_the_province_on_the_reformed_map(world, quarter):
    indicator = IndicatorFactory()
    province = TargetFactory(indicator=indicator, period=quarter, unit=world["Q"], value=Decimal(85))
    override = TargetFactory(indicator=indicator, period=quarter, unit=world["K2"], value=Decimal(60))
    assert effective_target(indicator=indicator, period=quarter, unit=world["W1"]).target == province
    assert effective_target(indicator=indicator, period=quarter, unit=world["W3"]).target == override
    assert effective_target(indicator=indicator, period=quarter, unit=world["O1"]) is None


def test_another_periods_targets_do_not_apply(world, quarter):
    indicator = IndicatorFactory()
    TargetFactory(indicator=indicator, period=QuarterFactory(number=2), unit=world["Q"])
    assert effective_target(indicator=indicator, period=quarter, unit=world["K1"]) is None


def test_an_absolute_number_is_not_copied_down_but_applies_to_its_units_teams(world, quarter):
    indicator = CountIndicatorFactory()
    TargetFactory(indicator=indicator, period=quarter, unit=world["Q"], mode=TargetMode.ABSOLUTE, value=Decimal(1000))
    below = effective_target(indicator=indicator, period=quarter, unit=world["K1"])
    assert below.awaiting_split and below.value is None and below.source == world["Q"]

    TargetFactory(indicator=indicator, period=quarter, unit=world["W1"], mode=TargetMode.ABSOLUTE, value=Decimal(120))
    team = TeamFactory(unit=world["W1"])
    of_team = effective_target(indicator=indicator, period=quarter, team=team)
    assert (of_team.value, of_team.inherited, of_team.awaiting_split) == (Decimal(120), True, False)
    team_under_unsplit = TeamFactory(unit=world["W2"])
    assert effective_target(indicator=indicator, period=quarter, team=team_under_unsplit).awaiting_split


def test_bulk_resolution_matches_single_lookups_in_at_most_two_queries(world, quarter, django_assert_max_num_queries):
    indicators = [IndicatorFactory(), CountIndicatorFactory()]
    TargetFactory(indicator=indicators[0], period=quarter, unit=world["Q"], value=Decimal(85))
    TargetFactory(indicator=indicators[0], period=quarter, unit=world["K2"], value=Decimal(50))
    units = [world[key] for key in ("Q", "K1", "K2", "W1", "W2", "W3")]
    with django_assert_max_num_queries(2):
        bulk = effective_targets(period=quarter, indicators=indicators, units=units)
    for unit in units:
        for indicator in indicators:
            assert bulk[("unit", unit.pk, indicator.pk)] == effective_target(
                indicator=indicator, period=quarter, unit=unit
            )


def test_effective_target_takes_a_unit_or_a_team(world, quarter):
    with pytest.raises(ValueError):
        effective_target(indicator=IndicatorFactory(), period=quarter)
