import datetime

from reports.models import Report
from reports.services import report_save
from teams.choices import TeamRole
from teams.tests.factories import MembershipFactory, PersonFactory
from units.choices import Level

FOUNDED = datetime.date(2025, 8, 1)


def lead(team, user, start=FOUNDED):
    person = PersonFactory(
        commune=team.unit.parent if team.unit.level == Level.VILLAGE else team.unit, user=user, email=""
    )
    MembershipFactory(team=team, person=person, role=TeamRole.LEADER, start_date=start)
    return team


def save(user, team, period, values, *, submit=False, version=None, **texts):
    """Save (and optionally send) a report as the form does, at the report's current version by default."""
    if version is None:
        current = Report.objects.filter(team=team, period=period, request__isnull=True).first()
        version = current.version if current else 0
    return report_save(user=user, team=team, period=period, version=version, values=values, submit=submit, **texts)
