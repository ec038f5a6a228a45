from reports.choices import ReportKind, ReportStatus
from reports.models import Report, StaleRollup, UnitSummary


def test_the_demo_holds_a_year_of_reports_in_every_state(demo):
    assert not StaleRollup.objects.exists()  # the demo's approvals are rolled up
    assert UnitSummary.objects.filter(unit__level="province", reports_received__gt=0).count() >= 2
    assert set(Report.objects.values_list("status", flat=True)) == set(ReportStatus.values)
    assert Report.objects.filter(kind=ReportKind.CAMPAIGN, status=ReportStatus.APPROVED).exists()
    assert Report.objects.filter(transitions__action="reopen").exists()
    assert Report.objects.filter(period__kind="month").values("period").distinct().count() >= 11
