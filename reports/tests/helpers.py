from reports.models import Report
from reports.services import report_save


def save(user, team, period, values, *, submit=False, version=None, **texts):
    """Save (and optionally send) a report as the form does, at the report's current version by default."""
    if version is None:
        current = Report.objects.filter(team=team, period=period, request__isnull=True).first()
        version = current.version if current else 0
    return report_save(user=user, team=team, period=period, version=version, values=values, submit=submit, **texts)
