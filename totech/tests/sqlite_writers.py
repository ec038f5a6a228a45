"""Parallel writers on a file SQLite database, as in the `make run` demo (run by test_settings in a subprocess
with DATABASE_URL=sqlite:///<temporary file>): several team leaders send their reports at the same moment, then
a reviewer's approvals of them all run at the same moment, through the real services. Prints one line,
RESULT <json>: the errors the writers met and the reports' statuses."""

import datetime
import json
import threading

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

WRITERS = 6


def world():
    from accounts.choices import Role
    from accounts.tests.factories import UserFactory
    from reports.tests.factories import ScheduleFactory
    from targets.models import Period
    from targets.services import periods_generate
    from targets.tests.factories import CountIndicatorFactory
    from teams.choices import TeamRole
    from teams.tests.factories import MembershipFactory, PersonFactory, TeamFactory
    from units.tests.factories import CommuneFactory, ProvinceFactory, VillageFactory

    province = ProvinceFactory(code="19", name="Thái Nguyên")
    commune = CommuneFactory(parent=province, code="02107", name="Xã Thanh Thịnh")
    ScheduleFactory(province=province, starts_on=datetime.date(2026, 1, 1))
    periods_generate(year=2026)
    indicator = CountIndicatorFactory(code="visits")
    teams = []
    for n in range(WRITERS):
        team = TeamFactory(
            unit=VillageFactory(parent=commune, name=f"Thôn {n}"), decision_date=datetime.date(2025, 8, 1)
        )
        leader = UserFactory(username=f"leader{n}", role=Role.TEAM_LEADER, scope_unit=team.unit, email="")
        person = PersonFactory(commune=commune, user=leader, email="")
        MembershipFactory(team=team, person=person, role=TeamRole.LEADER, start_date=datetime.date(2025, 8, 1))
        teams.append((team, leader))
    reviewer = UserFactory(username="officer", role=Role.COMMUNE_OFFICER, scope_unit=commune, email="")
    return teams, reviewer, indicator, Period.objects.get(kind="month", year=2026, number=3)


def all_at_once(jobs):
    """Run the jobs in threads (each with its own connection) released together; the errors they raised."""
    barrier, errors = threading.Barrier(len(jobs)), []

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # noqa: BLE001 (what the writer met is the result)
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def main():
    from reports.models import Report
    from reports.services import report_approve, report_save

    call_command("migrate", verbosity=0)
    teams, reviewer, indicator, period = world()
    connections.close_all()

    def send(team, leader):
        return lambda: report_save(
            user=leader, team=team, period=period, version=0, values={indicator.pk: 5}, submit=True
        )

    def approve(report):
        return lambda: report_approve(user=reviewer, report=report)

    errors = all_at_once([send(team, leader) for team, leader in teams])
    errors += all_at_once([approve(report) for report in Report.objects.all()])
    statuses = sorted(Report.objects.values_list("status", flat=True))
    print("RESULT " + json.dumps({"errors": errors, "statuses": statuses}))


main()
