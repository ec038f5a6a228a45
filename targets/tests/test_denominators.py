import datetime

from targets.selectors import denominator_as_of, denominators_as_of, subtree_population_values
from units.selectors import population_as_of
from units.tests.factories import PopulationFigureFactory

from .factories import CountIndicatorFactory, IndicatorFactory

JAN, JUN = datetime.date(2024, 1, 1), datetime.date(2024, 6, 1)


def test_a_units_own_figure_is_the_latest_as_of_the_date(world):
    indicator = IndicatorFactory(denominator_field="eid_eligible")
    PopulationFigureFactory(unit=world["W1"], as_of=JAN, eid_eligible=800)
    PopulationFigureFactory(unit=world["W1"], as_of=JUN, eid_eligible=850)
    assert denominator_as_of(indicator=indicator, unit=world["W1"], date=datetime.date(2024, 3, 1)) == 800
    assert denominator_as_of(indicator=indicator, unit=world["W1"], date=JUN) == 850
    assert denominator_as_of(indicator=indicator, unit=world["W1"], date=datetime.date(2023, 12, 31)) is None
    # The same figure units.selectors.population_as_of finds.
    assert population_as_of(world["W1"], JUN).eid_eligible == 850


def test_a_unit_without_figures_sums_its_childrens_latest(world):
    indicator = IndicatorFactory(denominator_field="households")
    PopulationFigureFactory(unit=world["W1"], as_of=JAN, households=300)
    PopulationFigureFactory(unit=world["W2"], as_of=JAN, households=200)
    PopulationFigureFactory(unit=world["W2"], as_of=JUN, households=250)
    PopulationFigureFactory(unit=world["W3"], as_of=JAN, households=1000)
    assert denominator_as_of(indicator=indicator, unit=world["K1"], date=datetime.date(2024, 3, 1)) == 500
    assert denominator_as_of(indicator=indicator, unit=world["K1"], date=JUN) == 550
    # The province: its communes' sums (K1 from villages, K2 from W3).
    assert denominator_as_of(indicator=indicator, unit=world["Q"], date=JUN) == 1550


def test_own_figures_win_over_the_childrens_sum(world):
    indicator = IndicatorFactory(denominator_field="households")
    PopulationFigureFactory(unit=world["K1"], as_of=JAN, households=5000)
    PopulationFigureFactory(unit=world["W1"], as_of=JAN, households=300)
    PopulationFigureFactory(unit=world["W2"], as_of=JAN, households=200)
    assert denominator_as_of(indicator=indicator, unit=world["K1"], date=JUN) == 5000


def test_a_partial_sum_is_no_denominator(world):
    indicator = IndicatorFactory(denominator_field="households")
    PopulationFigureFactory(unit=world["W1"], as_of=JAN, households=300)  # W2 has none
    assert denominator_as_of(indicator=indicator, unit=world["K1"], date=JUN) is None
    values = subtree_population_values(root=world["K1"], field="households", date=JUN)
    assert values == {world["K1"].pk: None, world["W1"].pk: 300, world["W2"].pk: None}


def test_a_figure_without_the_field_does_not_count(world):
    indicator = IndicatorFactory(denominator_field="working_age_population")
    PopulationFigureFactory(unit=world["W1"], as_of=JAN, working_age_population=700)
    PopulationFigureFactory(unit=world["W1"], as_of=JUN, working_age_population=None)
    assert denominator_as_of(indicator=indicator, unit=world["W1"], date=JUN) == 700


def test_counts_and_indicator_denominators_have_no_population_denominator(world):
    PopulationFigureFactory(unit=world["W1"], as_of=JAN)
    registrations = IndicatorFactory(denominator_field="eid_eligible")
    activations = IndicatorFactory(denominator_field="", denominator_indicator=registrations)
    assert denominator_as_of(indicator=activations, unit=world["W1"], date=JUN) is None
    assert denominator_as_of(indicator=CountIndicatorFactory(), unit=world["W1"], date=JUN) is None
    # An absolute activation target is split like registrations: by eligible citizens.
    assert activations.share_field == "eid_eligible"


def test_denominators_in_bulk_match_the_single_lookups_in_two_queries(world, django_assert_max_num_queries):
    indicators = [
        IndicatorFactory(code="eid", denominator_field="eid_eligible"),
        IndicatorFactory(code="homes", denominator_field="households"),
        IndicatorFactory(code="homes_online", denominator_field="households"),
        CountIndicatorFactory(code="visits"),
    ]
    PopulationFigureFactory(unit=world["W1"], as_of=JAN, eid_eligible=800, households=300)
    PopulationFigureFactory(unit=world["W1"], as_of=JUN, eid_eligible=850, households=None)
    PopulationFigureFactory(unit=world["W2"], as_of=JAN, eid_eligible=500, households=200)
    for date in (datetime.date(2023, 12, 31), datetime.date(2024, 3, 1), JUN):
        for unit in (world["W1"], world["K1"]):
            with django_assert_max_num_queries(2):
                bulk = denominators_as_of(indicators=indicators, unit=unit, date=date)
            single = {
                i.pk: denominator_as_of(indicator=i, unit=unit, date=date)
                for i in indicators
                if i.denominator_field and i.is_percent
            }
            assert bulk == single
    assert denominators_as_of(indicators=indicators, unit=world["W1"], date=JUN) == {
        indicators[0].pk: 850,
        indicators[1].pk: 300,
        indicators[2].pk: 300,
    }
