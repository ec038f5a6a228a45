"""Refusals with a clear message and nothing saved (issue 5, "Bad input")."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from targets.choices import PeriodKind, TargetMode
from targets.models import Period, Target
from targets.services import campaign_save, target_grid_save

from .factories import CountIndicatorFactory, IndicatorFactory, QuarterFactory


@pytest.fixture
def quarter(db):
    return QuarterFactory()


@pytest.mark.parametrize(
    "mode, value, field",
    [
        (TargetMode.PERCENT, Decimal("100.5"), "value"),
        (TargetMode.PERCENT, Decimal(-1), "value"),
        (TargetMode.ABSOLUTE, Decimal(-3), "value"),
    ],
)
def test_target_values_out_of_range(world, quarter, mode, value, field):
    indicator = IndicatorFactory() if mode == TargetMode.PERCENT else CountIndicatorFactory()
    target = Target(indicator=indicator, period=quarter, unit=world["K1"], mode=mode, value=value)
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert field in error.value.message_dict


def test_a_count_cannot_take_a_percentage(world, quarter):
    target = Target(
        indicator=CountIndicatorFactory(), period=quarter, unit=world["K1"], mode=TargetMode.PERCENT, value=Decimal(50)
    )
    with pytest.raises(ValidationError) as error:
        target.full_clean()
    assert "mode" in error.value.message_dict


def test_the_grid_service_saves_all_or_nothing(world, personas, quarter):
    percent, count = IndicatorFactory(), CountIndicatorFactory()
    cells = {("unit", world["K1"].pk, percent.pk): Decimal(80), ("unit", world["W1"].pk, count.pk): Decimal(-2)}
    with pytest.raises(ValidationError) as error:
        target_grid_save(user=personas["province"], parent=world["K1"], period=quarter, cells=cells)
    assert list(error.value.message_dict) == [f"unit-{world['W1'].pk}-{count.pk}"]
    assert not Target.objects.exists()


def test_the_grid_service_refuses_units_outside_the_grid_and_the_scope(world, personas, quarter):
    indicator = IndicatorFactory()
    outside_grid = {
        ("unit", world["K1"].pk, indicator.pk): Decimal(80),
        ("unit", world["W3"].pk, indicator.pk): Decimal(80),
    }
    with pytest.raises(ValidationError):
        target_grid_save(user=personas["province"], parent=world["K1"], period=quarter, cells=outside_grid)
    outside_scope = {("unit", world["O1"].pk, indicator.pk): Decimal(80)}
    with pytest.raises(ValidationError) as error:
        target_grid_save(user=personas["province"], parent=world["O1"], period=quarter, cells=outside_scope)
    assert "Phường Hoàn Kiếm" in error.value.messages[0]
    assert not Target.objects.exists()


def test_a_period_cannot_end_before_it_starts(world):
    campaign = Period(
        name="Ra quân", unit=world["D1"], start=datetime.date(2024, 10, 10), end=datetime.date(2024, 10, 1)
    )
    with pytest.raises(ValidationError) as error:
        campaign_save(campaign=campaign, deadlines=[])
    assert "end" in error.value.message_dict
    assert not Period.objects.filter(kind=PeriodKind.CAMPAIGN).exists()


def test_messages_are_in_vietnamese(world, quarter):
    target = Target(
        indicator=IndicatorFactory(), period=quarter, unit=world["K1"], mode=TargetMode.PERCENT, value=Decimal(120)
    )
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        target.full_clean()
    assert error.value.message_dict["value"] == ["Tỷ lệ phải nằm trong khoảng từ 0 đến 100."]
