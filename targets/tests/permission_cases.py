from totech.tests.permissions import ALL, Case

from .factories import CampaignFactory, IndicatorFactory, QuarterFactory

DEPARTMENT = frozenset({"admin", "province", "outsider"})  # province staff of Thái Nguyên and of Hà Nội, and the admin
ADMIN = frozenset({"admin"})


def _once(world, key, make):
    """Objects the cases need, made once per test world."""
    if key not in world:
        world[key] = make(world)
    return world[key]


def indicator(w):
    return _once(w, "indicator", lambda w: IndicatorFactory())


def with_a_period(w):
    """No URL kwargs; a period must exist for there to be a grid to export."""
    _once(w, "quarter", lambda w: QuarterFactory())
    return {}


def campaign_of(unit_key):
    return lambda w: {"pk": _once(w, f"campaign_{unit_key}", lambda w: CampaignFactory(unit=w[unit_key])).pk}


CASES = [
    # Everyone reads the effective targets of their own scope (further scope checks: targets/tests/test_scope.py).
    Case("targets:overview", allowed=ALL),
    Case("targets:assign", allowed=DEPARTMENT),
    # The export follows the overview's scope (each user's own unit by default); a GET of the import (an upload
    # form's target) sends the Department back to the grid.
    Case("targets:export", kwargs=with_a_period, allowed=ALL),
    Case("targets:import", allowed=DEPARTMENT, allowed_status=302),
    # The catalogue is national: the Department reads it (an indicator's page is its form, disabled), only system
    # administrators add or change indicators (a POST from province staff: targets/tests/test_catalogue.py).
    Case("targets:indicator_list", allowed=DEPARTMENT),
    Case("targets:indicator_create", allowed=ADMIN),
    Case("targets:indicator_edit", kwargs=lambda w: {"pk": indicator(w).pk}, allowed=DEPARTMENT),
    Case("targets:period_list", allowed=DEPARTMENT),
    Case("targets:period_generate", allowed=DEPARTMENT),
    Case("targets:campaign_create", allowed=DEPARTMENT),
    Case(
        "targets:campaign_edit",
        kwargs=campaign_of("K1"),
        allowed=frozenset({"admin", "province"}),
        label="campaign of own commune",
    ),
    Case(
        "targets:campaign_edit",
        kwargs=campaign_of("D1"),
        allowed=frozenset({"admin"}),
        label="campaign of another province",
    ),
    Case("targets:threshold_index", allowed=DEPARTMENT),
    Case(
        "targets:threshold_edit",
        kwargs=lambda w: {"province_pk": w["Q"].pk},
        allowed=frozenset({"admin", "province"}),
        label="own province thresholds",
    ),
    Case(
        "targets:threshold_edit",
        kwargs=lambda w: {"province_pk": w["O"].pk},
        allowed=frozenset({"admin", "outsider"}),
        label="other province thresholds",
    ),
]
