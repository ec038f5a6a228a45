from reports.choices import ReportKind, ReportStatus
from reports.models import Report, StaleRollup, UnitSummary
from reports.quality import SENT_STATUSES, problems_of


def test_the_demo_holds_a_year_of_reports_in_every_state(demo):
    assert not StaleRollup.objects.exists()  # the demo's approvals are rolled up
    assert UnitSummary.objects.filter(unit__level="province", reports_received__gt=0).count() >= 2
    assert set(Report.objects.values_list("status", flat=True)) == set(ReportStatus.values)
    assert Report.objects.filter(kind=ReportKind.CAMPAIGN, status=ReportStatus.APPROVED).exists()
    assert Report.objects.filter(transitions__action="reopen").exists()
    assert Report.objects.filter(period__kind="month").values("period").distinct().count() >= 11


def test_the_demo_shows_one_data_quality_warning_with_its_explanation(demo):
    """Issue 13, item 9: a report waiting for review flags door-to-door visits far above the team's history, and
    carries the leader's explanation; no other sent figure of the demo is flagged."""
    sent = list(Report.objects.filter(status__in=SENT_STATUSES).select_related("team__unit", "period", "request"))
    found = problems_of(sent)
    flagged = {report: found[report.pk] for report in sent if found[report.pk]}
    assert len(flagged) == 1
    ((report, problems),) = flagged.items()
    assert report.status == ReportStatus.SUBMITTED
    assert [(problem.indicator.code, problem.kind, problem.value) for problem in problems] == [
        ("door_to_door_visits", "flow_spike", 160)
    ]
    assert report.quality_note.startswith("Tháng này tổ phối hợp với Đoàn Thanh niên ra quân 10 ngày")
