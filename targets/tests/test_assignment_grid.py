"""The Department's assignment grid: saving, the cascade preview, refusals, and the flags."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from targets.choices import TargetMode
from targets.forms import cell_name
from targets.models import Target

from .factories import TargetFactory, TeamFactory
from .helpers import grid_url, post


def test_a_province_percentage_applies_below_unless_overridden(world, grid):
    response = post(
        grid,
        world["Q"],
        "save",
        {(world["Q"], "percent"): "85", (world["K2"], "percent"): "70,5"},
        decision_number="45/QĐ-SKHCN",
        decision_date="15/01/2026",
    )
    assert response.status_code == 302
    province = Target.objects.get(unit=world["Q"])
    assert (province.value, province.mode, province.decision_number, province.decision_date) == (
        Decimal(85),
        TargetMode.PERCENT,
        "45/QĐ-SKHCN",
        datetime.date(2026, 1, 15),
    )
    assert Target.objects.get(unit=world["K2"]).value == Decimal("70.5")
    assert not Target.objects.filter(unit=world["K1"]).exists()  # K1 inherits, nothing stored for it

    page = grid["client"].get(grid_url(world["Q"], grid["quarter"]))
    k1 = page.context["rows"][[row.holder for row in page.context["rows"]].index(world["K1"])]
    assert k1.cells[0].inherited_value == Decimal(85)


def test_preview_splits_a_count_among_the_units_below_and_saves_nothing(world, grid):
    response = post(grid, world["K1"], "preview", {(world["K1"], "count"): "1.001", (world["K1"], "percent"): "80"})
    assert response.status_code == 200
    assert response.context["preview"]
    form = response.context["form"]
    w1, w2 = (form[cell_name("unit", world[key].pk, grid["count"].pk)].value() for key in ("W1", "W2"))
    assert (int(w1), int(w2)) == (751, 250)  # 1,001 by 300:100 → 750.75 / 250.25, the left-over unit to W1
    # The percentage is not split: the villages show the typed 80 as inherited.
    w1_row = next(row for row in response.context["rows"] if row.holder == world["W1"])
    assert w1_row.cells[0].inherited_value == Decimal(80)
    assert not Target.objects.exists()


def test_adjusting_a_child_after_the_preview_saves_it_and_flags_the_split(world, grid):
    post(
        grid,
        world["K1"],
        "save",
        {(world["K1"], "count"): "1000", (world["W1"], "count"): "700", (world["W2"], "count"): "250"},
    )
    assert Target.objects.filter(indicator=grid["count"]).count() == 3
    page = grid["client"].get(grid_url(world["K1"], grid["quarter"]))
    assert page.context["flags"] == {grid["count"].pk: {"parent": Decimal(1000), "children": Decimal(950)}}
    [mismatch] = page.context["mismatches"]
    assert (mismatch.parent_target.unit, mismatch.difference) == (world["K1"], Decimal(-50))
    assert "950" in page.content.decode()

    post(
        grid,
        world["K1"],
        "save",
        {(world["K1"], "count"): "1000", (world["W1"], "count"): "750", (world["W2"], "count"): "250"},
    )
    page = grid["client"].get(grid_url(world["K1"], grid["quarter"]))
    assert page.context["flags"] == {} and page.context["mismatches"] == []


def test_preview_onto_units_without_figures_is_an_error(world, grid):
    """K2's only village W3 has figures, but the province's other commune K1 has none of its own and W1, W2 do:
    remove W2's to leave K1 without a complete denominator."""
    world["W2"].population_figures.all().delete()
    response = post(grid, world["Q"], "preview", {(world["Q"], "count"): "500"})
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and "Xã Thanh Thịnh" in errors[0]
    assert "Xã Chợ Mới" not in errors[0]
    assert not response.context["preview"]


@pytest.mark.parametrize(
    "cells, message",
    [
        ({("K1", "percent"): "101"}, "Tỷ lệ phải nằm trong khoảng từ 0 đến 100."),
        ({("K1", "count"): "-5"}, "Số lượng không được là số âm."),
        (
            {("K1", "count"): "12,5"},
            "“12,5” không phải là số nguyên. Hãy ghi số không có phần thập phân, có hoặc không có dấu chấm ngăn cách hàng nghìn: 25000 hoặc 25.000.",
        ),
        (
            {("K1", "count"): "1.5"},
            "“1.5” không phải là số nguyên. Hãy ghi số không có phần thập phân, có hoặc không có dấu chấm ngăn cách hàng nghìn: 25000 hoặc 25.000.",
        ),
        ({("K1", "percent"): "85,555"}, "Tỷ lệ phần trăm có tối đa 2 chữ số thập phân, ví dụ 85,5."),
    ],
)
def test_bad_values_are_refused_in_vietnamese_and_nothing_is_saved(world, grid, cells, message):
    good = {(world["W1"], "percent"): "80"}
    response = post(
        grid, world["K1"], "save", {**good, **{(world[key], ind): value for (key, ind), value in cells.items()}}
    )
    assert response.status_code == 200
    assert any(message == text for _label, text in response.context["error_summary"])
    assert not Target.objects.exists()


def test_a_cell_for_a_unit_outside_the_grid_is_refused(world, grid):
    """A forged field for the other province's commune: the form ignores it, the service refuses it."""
    response = post(grid, world["K1"], "save", {(world["K1"], "percent"): "80", (world["O1"], "percent"): "10"})
    assert response.status_code == 302
    assert not Target.objects.filter(unit=world["O1"]).exists()


def test_the_grid_of_a_unit_outside_the_scope_is_404(world, grid):
    assert grid["client"].get(grid_url(world["O1"], grid["quarter"])).status_code == 404
    response = post(grid, world["P"], "save", {(world["P"], "percent"): "80"})
    assert response.status_code == 404
    assert not Target.objects.exists()


def test_emptying_a_cell_removes_the_own_target(world, grid):
    TargetFactory(indicator=grid["percent"], period=grid["quarter"], unit=world["W1"], value=Decimal(60))
    post(grid, world["K1"], "save", {(world["W1"], "percent"): ""})
    assert not Target.objects.filter(unit=world["W1"]).exists()


def test_teams_of_the_unit_get_their_own_row(world, grid):
    team = TeamFactory(unit=world["W1"])
    data = {"action": "save", cell_name("team", team.pk, grid["count"].pk): "40"}
    grid["client"].post(grid_url(world["W1"], grid["quarter"]), data)
    assert Target.objects.get(team=team).value == Decimal(40)


def test_the_readonly_view_shows_the_effective_targets_of_the_scope(world, personas, client, grid):
    TargetFactory(indicator=grid["percent"], period=grid["quarter"], unit=world["Q"], value=Decimal(85))
    client.force_login(personas["leader"])
    page = client.get(reverse("targets:overview") + f"?period={grid['quarter'].pk}")
    assert page.status_code == 200
    [row] = page.context["rows"]
    assert row.holder == world["W1"] and row.cells[0].effective.value == Decimal(85)
    assert "85%" in page.content.decode()
    # Another village, a unit above the scope, another province: all out of scope.
    for key in ("W2", "K1", "O1"):
        assert client.get(reverse("targets:overview") + f"?unit={world[key].pk}").status_code == 404
