import pytest
from django.core.management import call_command

from reports.choices import ReportKind, ReportStatus
from reports.models import Report, ReportValue, StaleRollup, UnitSummary

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_year_of_reports_in_every_state_and_runs_twice():
    call_command("seed_demo", stdout=None)
    counts = (Report.objects.count(), ReportValue.objects.count())
    assert not StaleRollup.objects.exists()  # the demo's approvals are rolled up
    assert UnitSummary.objects.filter(unit__level="province", reports_received__gt=0).count() >= 2
    assert set(Report.objects.values_list("status", flat=True)) == set(ReportStatus.values)
    assert Report.objects.filter(kind=ReportKind.CAMPAIGN, status=ReportStatus.APPROVED).exists()
    assert Report.objects.filter(transitions__action="reopen").exists()
    assert Report.objects.filter(period__kind="month").values("period").distinct().count() >= 11
    call_command("seed_demo", stdout=None)
    assert (Report.objects.count(), ReportValue.objects.count()) == counts
    assert not StaleRollup.objects.exists()
