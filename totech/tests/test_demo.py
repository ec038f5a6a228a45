"""The demo (seed_demo) runs again on its own data without adding or losing a row. Each app's tests read the
story the demo tells (test_demo.py in teams, targets, reports) from the session's demo database."""

from django.core.management import call_command

from accounts.choices import Role
from accounts.models import User
from reports.models import Report, ReportValue, StaleRollup
from targets.models import Target
from teams.choices import ImportStatus
from teams.models import CompositionRule, ImportJob, Membership, MembershipRequest, Person, Team, Training

COUNTED = (
    User,
    Team,
    Person,
    Membership,
    MembershipRequest,
    Training,
    CompositionRule,
    ImportJob,
    Target,
    Report,
    ReportValue,
)


def test_the_demo_runs_twice_and_changes_nothing_the_second_time(demo):
    first = {model.__name__: model.objects.count() for model in COUNTED}
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert {model.__name__: model.objects.count() for model in COUNTED} == first
    assert first["Membership"] > 10 and first["Report"] > 0 and first["Target"] > 0
    assert ImportJob.objects.get().status == ImportStatus.DONE
    assert not StaleRollup.objects.exists()  # the demo's approvals are rolled up, the second time too


def test_the_demo_has_a_user_per_role_with_the_printed_password(demo):
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    leader = User.objects.get(username="totruong.bangiang")
    assert leader.scope_unit.name == "Thôn Bản Giang" and leader.check_password("totech-demo-2026")
