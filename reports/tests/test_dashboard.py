"""The dashboard: an approval reaches it through the stale mark and the beat task; scoped, drill-down, colours."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reports.models import IndicatorSummary, StaleRollup
from reports.services import report_approve
from reports.tasks import drain_stale_rollups
from reports.tests.helpers import save
from targets.choices import TargetMode
from targets.models import Period
from targets.tests.factories import TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(setup):
    """September 2026: the W1 team reports 8 visits, approved by the commune; the commune's target is 10."""
    quarter = Period.objects.get(kind="quarter", year=2026, number=3)
    TargetFactory(indicator=setup.visits, period=quarter, unit=setup.world["K1"], mode=TargetMode.ABSOLUTE, value=Decimal("10"))
    report = save(setup.personas["leader"], setup.team, setup.period(9), {setup.visits.pk: 8, setup.households.pk: 150}, submit=True)
    report_approve(user=setup.personas["commune"], report=report)
    return setup


def test_an_approval_reaches_the_dashboard_through_the_beat_task(approved, client):
    world = approved.world
    assert StaleRollup.objects.filter(unit=world["K1"], year=2026, quarter=3).exists()
    drain_stale_rollups.delay()
    assert not StaleRollup.objects.exists()
    cell = IndicatorSummary.objects.get(unit=world["K1"], period__kind="quarter", indicator=approved.visits)
    assert (cell.actual, cell.achievement, cell.rating) == (8, Decimal("80.0"), "amber")

    client.force_login(approved.personas["province"])
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert world["Q"].name in page and world["K2"].name in page
    assert reverse("reports:dashboard_unit", args=[world["K1"].pk]) in page  # drill-down
    assert "rating-amber" in page and "80,0%" in page

    client.force_login(approved.personas["commune"])
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert world["K1"].name in page and world["K2"].name not in page
    assert reverse("reports:dashboard_unit", args=[world["Q"].pk]) not in page  # no way up out of scope


def test_the_dashboard_says_what_to_do_before_any_summary(setup, client):
    client.force_login(setup.personas["commune"])
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert response.context["unit"] == setup.world["K1"] and response.context["period"] is None
    assert "python manage.py rollup" in response.content.decode()
    client.force_login(setup.personas["leader"])  # a village's leader: no unit with summaries in scope
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200 and response.context["unit"] is None


@pytest.mark.browser
def test_province_staff_drill_down_to_a_commune(page, live_server, approved):
    from reports.tests.test_browser import fits_the_phone, shoot
    from totech.tests.browser import log_in

    drain_stale_rollups.delay()
    world = approved.world
    log_in(page, live_server, "province")
    page.goto(f"{live_server.url}{reverse('reports:dashboard')}")
    shoot(page, "dashboard-province")
    page.click(f"a[href^='{reverse('reports:dashboard_unit', args=[world['K1'].pk])}']")
    page.wait_for_url(f"**{reverse('reports:dashboard_unit', args=[world['K1'].pk])}?period=*")
    assert world["K1"].name in page.inner_text("h1")
    assert page.locator("td.rating-amber").count() >= 1
    fits_the_phone(page)
    shoot(page, "dashboard-commune")
