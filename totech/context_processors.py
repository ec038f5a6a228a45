"""Template context shared by every page."""

from reports.choices import Action, ReportStatus
from teams.choices import RequestKind, RequestStatus, TeamStatus
from units.choices import Level

# The choices templates compare stored values with (`{% if report.status == ReportStatus.RETURNED %}`), so no
# template spells a stored value. Templates do not call them (Django's choices are do_not_call_in_templates).
# Pages only: an inclusion tag's template does not receive them (RequestContext.new drops context processors).
CHOICES = {
    "Action": Action,
    "Level": Level,
    "ReportStatus": ReportStatus,
    "RequestKind": RequestKind,
    "RequestStatus": RequestStatus,
    "TeamStatus": TeamStatus,
}


def choices(request):
    return CHOICES
