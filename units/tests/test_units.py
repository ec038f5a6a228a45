import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from units.choices import DivisionType, Level
from units.models import Unit
from units.selectors import population_as_of, unit_descendant_counts, units_visible_to
from units.services import population_figure_set, village_create
from units.tests.factories import PopulationFigureFactory


def test_paths_follow_the_tree(world):
    assert world["W1"].path == f"{world['K1'].path}{world['W1'].pk}/"
    assert world["W1"].is_within(world["Q"]) and not world["W1"].is_within(world["K2"])
    assert [unit.pk for unit in world["W1"].ancestors()] == [world["Q"].pk, world["K1"].pk]


def test_scoping_selector_is_the_scope_unit_and_everything_under_it(world, personas):
    visible = set(units_visible_to(personas["commune"]).values_list("pk", flat=True))
    assert visible == {world["K1"].pk, world["W1"].pk, world["W2"].pk}
    district = set(units_visible_to(personas["district"]).values_list("pk", flat=True))
    assert district == {world["D1"].pk, world["C1"].pk, world["V1"].pk}
    assert units_visible_to(personas["admin"]).count() == Unit.objects.count()
    assert not units_visible_to(personas["outsider"]).filter(pk=world["K1"].pk).exists()


def test_user_without_scope_sees_nothing(world):
    stray = UserFactory(role="commune_officer", scope_unit=None)
    assert not units_visible_to(stray).exists()


def test_descendant_counts_are_cumulative(world):
    assert unit_descendant_counts(world["Q"]) == {"commune": 2, "village": 3}
    assert unit_descendant_counts(world["P"]) == {"district": 2, "commune": 2, "village": 1}


def test_unit_rules(world):
    wrong_parent = Unit(
        edition="2025", level=Level.VILLAGE, division_type=DivisionType.VILLAGE, name="X", parent=world["Q"]
    )
    with pytest.raises(ValidationError, match="không thể trực thuộc"):
        wrong_parent.full_clean()
    wrong_type = Unit(
        edition="2025",
        level=Level.COMMUNE,
        division_type=DivisionType.VILLAGE,
        name="X",
        code="99999",
        parent=world["Q"],
    )
    with pytest.raises(ValidationError, match="không thuộc cấp đã chọn"):
        wrong_type.full_clean()
    cross_edition = Unit(
        edition="2025",
        level=Level.COMMUNE,
        division_type=DivisionType.COMMUNE,
        name="X",
        code="99998",
        parent=world["D1"],
    )
    with pytest.raises(ValidationError, match="giai đoạn danh mục khác"):
        cross_edition.full_clean()


def test_village_names_are_unique_within_a_commune(world):
    village = village_create(commune=world["K2"], name="Thôn Mới", division_type=DivisionType.VILLAGE)
    assert village.edition == world["K2"].edition and village.path.startswith(world["K2"].path)
    with pytest.raises(ValidationError):
        village_create(commune=world["K2"], name="Thôn Mới", division_type=DivisionType.VILLAGE)


def test_population_as_of_takes_the_latest_figure_on_or_before_the_date(world):
    PopulationFigureFactory(unit=world["W1"], as_of=datetime.date(2024, 1, 1), households=300)
    PopulationFigureFactory(unit=world["W1"], as_of=datetime.date(2025, 1, 1), households=320)
    assert population_as_of(world["W1"], datetime.date(2023, 12, 31)) is None
    assert population_as_of(world["W1"], datetime.date(2024, 6, 30)).households == 300
    assert population_as_of(world["W1"], datetime.date(2025, 1, 1)).households == 320


def test_population_figures_are_checked_and_replaced(world):
    with pytest.raises(ValidationError, match="không thể lớn hơn dân số"):
        population_figure_set(
            unit=world["W1"], as_of=datetime.date(2024, 1, 1), population=100, working_age_population=200
        )
    population_figure_set(unit=world["W1"], as_of=datetime.date(2024, 1, 1), population=100, households=30)
    population_figure_set(unit=world["W1"], as_of=datetime.date(2024, 1, 1), population=110, households=31)
    assert world["W1"].population_figures.get().population == 110


def test_the_unit_page_follows_the_units_level(client, world, personas):
    """Its template compares the level with the choices (totech.context_processors)."""
    client.force_login(personas["admin"])

    def page(key):
        return client.get(reverse("units:detail", args=[world[key].pk])).content.decode()

    column = '<th class="text-end">Đơn vị trực thuộc</th>'  # how many units each child holds
    assert column in page("P")
    commune = page("K1")
    assert "Thôn Bản Giang" in commune and column not in commune
    assert "Xã chưa nhập danh sách thôn" in page("C2")
    assert "Thôn là cấp thấp nhất của danh mục." in page("W1")
