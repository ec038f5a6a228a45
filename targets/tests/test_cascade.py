import datetime
import random
from decimal import Decimal

import pytest

from targets.cascade import CascadeError, cascade_split, split_largest_remainder
from units.tests.factories import PopulationFigureFactory

from .factories import CountIndicatorFactory

AS_OF = datetime.date(2024, 1, 1)


def test_split_adds_up_exactly_and_gives_the_remainder_to_the_largest_fractions():
    # 100 by 1:1:1 → 33.3 each; one unit left over goes to the first (equal remainders and weights).
    assert split_largest_remainder(100, {"a": 1, "b": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}
    # 10 by 5:3:2 is exact.
    assert split_largest_remainder(10, {"a": 5, "b": 3, "c": 2}) == {"a": 5, "b": 3, "c": 2}
    # 7 by 300:200:100 → 3.5, 2.33, 1.17: floors 3, 2, 1 and the left-over unit to the largest fraction (a).
    assert split_largest_remainder(7, {"a": 300, "b": 200, "c": 100}) == {"a": 4, "b": 2, "c": 1}
    # Equal fractions: the larger weight wins the left-over unit.
    assert split_largest_remainder(1, {"small": 1, "big": 3}) == {"small": 0, "big": 1}


def test_split_always_sums_to_the_total_and_stays_within_one_of_the_exact_share():
    rng = random.Random(5)
    for _ in range(500):
        weights = {key: rng.randint(0, 5000) for key in range(rng.randint(1, 15))}
        weights[0] += 1  # at least one positive weight
        total = rng.randint(0, 100_000)
        shares = split_largest_remainder(total, weights)
        assert sum(shares.values()) == total
        weight_sum = sum(weights.values())
        for key, weight in weights.items():
            assert abs(shares[key] - total * weight / weight_sum) < 1


def test_split_refuses_nothing_to_split_by():
    with pytest.raises(ValueError):
        split_largest_remainder(10, {"a": 0, "b": 0})


def test_cascade_split_uses_the_indicators_figure(world):
    indicator = CountIndicatorFactory(denominator_field="households")
    PopulationFigureFactory(unit=world["W1"], as_of=AS_OF, households=300, population=900)
    PopulationFigureFactory(unit=world["W2"], as_of=AS_OF, households=100, population=2700)
    shares = cascade_split(
        indicator=indicator, parent=world["K1"], children=[world["W1"], world["W2"]], total=10, date=AS_OF
    )
    assert shares == {world["W1"].pk: 8, world["W2"].pk: 2}  # 7.5 / 2.5: the tie goes to the larger weight


def test_cascade_split_onto_units_without_figures_names_them(world):
    indicator = CountIndicatorFactory()
    PopulationFigureFactory(unit=world["W1"], as_of=AS_OF)
    with pytest.raises(CascadeError) as error:
        cascade_split(
            indicator=indicator, parent=world["K1"], children=[world["W1"], world["W2"]], total=10, date=AS_OF
        )
    assert "Thôn Na Lay" in str(error.value)
    assert "Thôn Bản Giang" not in str(error.value)


def test_cascade_split_ignores_figures_dated_after_the_period_start(world):
    indicator = CountIndicatorFactory()
    PopulationFigureFactory(unit=world["W1"], as_of=AS_OF)
    PopulationFigureFactory(unit=world["W2"], as_of=datetime.date(2024, 6, 1))
    with pytest.raises(CascadeError):
        cascade_split(
            indicator=indicator, parent=world["K1"], children=[world["W1"], world["W2"]], total=Decimal(10), date=AS_OF
        )
