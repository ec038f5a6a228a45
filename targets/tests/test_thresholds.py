from decimal import Decimal

import pytest
from django.urls import reverse

from targets.choices import Rating
from targets.models import AchievementThreshold
from targets.selectors import DEFAULT_THRESHOLDS, classify_achievement, thresholds_for


@pytest.mark.parametrize(
    "achievement, rating",
    [
        (0, Rating.RED),
        (69.9, Rating.RED),
        (70, Rating.AMBER),
        (89.99, Rating.AMBER),
        (90, Rating.GREEN),
        (130, Rating.GREEN),
    ],
)
def test_default_thresholds(achievement, rating):
    assert classify_achievement(achievement, DEFAULT_THRESHOLDS) == rating


def test_a_province_sets_its_own_and_the_units_below_use_them(world, personas, client):
    assert thresholds_for(world["W1"]).is_default
    client.force_login(personas["province"])
    response = client.post(
        reverse("targets:threshold_edit", args=[world["Q"].pk]), {"amber_from": "60", "green_from": "85,5"}
    )
    assert response.status_code == 302
    thresholds = thresholds_for(world["W1"])
    assert (thresholds.amber_from, thresholds.green_from, thresholds.is_default) == (
        Decimal(60),
        Decimal("85.5"),
        False,
    )
    assert classify_achievement(Decimal("85.4"), thresholds) == Rating.AMBER
    assert classify_achievement(Decimal("85.5"), thresholds) == Rating.GREEN
    assert thresholds_for(world["O1"]).is_default  # another province keeps the defaults


def test_green_must_start_above_amber(world, personas, client):
    client.force_login(personas["province"])
    response = client.post(
        reverse("targets:threshold_edit", args=[world["Q"].pk]), {"amber_from": "90", "green_from": "80"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not AchievementThreshold.objects.exists()


def test_another_provinces_thresholds_are_404(world, personas, client):
    client.force_login(personas["province"])
    response = client.post(
        reverse("targets:threshold_edit", args=[world["O"].pk]), {"amber_from": "10", "green_from": "20"}
    )
    assert response.status_code == 404
    assert not AchievementThreshold.objects.exists()
