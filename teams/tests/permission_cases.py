"""Every teams URL through the permission matrix: own unit, sibling, other province, each role.

The objects are made on demand for the unit named by its key in the test `world`; the team at W1 is led by
the `leader` persona (through Person.user), as a team leader's own team is.
"""

import datetime

from accounts.models import User
from teams.choices import TeamRole
from teams.models import (
    CompositionRule,
    ImportJob,
    ImportKind,
    ImportStatus,
    Membership,
    MembershipRequest,
    Person,
    Team,
    Training,
)
from totech.tests.permissions import ALL, Case
from units.choices import Level

EDITORS = ALL - {"leader"}


def team(w, key):
    unit = w[key]
    found, created = Team.objects.get_or_create(unit=unit, name=f"Tổ CNSCĐ {unit.name}")
    if created and key == "W1":
        leader = User.objects.filter(username="leader").first()
        person = Person.objects.create(full_name="Đỗ Văn Tuấn", commune=unit.parent, user=leader)
        Membership.objects.create(
            team=found, person=person, role=TeamRole.LEADER, start_date=datetime.date(2025, 7, 23)
        )
    return found


def _commune_of(unit):
    return unit.parent if unit.level == Level.VILLAGE else unit


def membership(w, key):
    person = Person.objects.create(full_name="Lê Thị Hoa", commune=_commune_of(w[key]), phone="0912345678")
    return Membership.objects.create(team=team(w, key), person=person, start_date=datetime.date(2025, 8, 1))


def deputy(w, key):
    person = Person.objects.create(full_name="Vi Văn Khánh", commune=_commune_of(w[key]))
    return Membership.objects.create(
        team=team(w, key), person=person, role=TeamRole.DEPUTY, start_date=datetime.date(2025, 8, 1)
    )


def join_request(w, key):
    person = Person.objects.create(full_name="Hà Văn Dũng", commune=_commune_of(w[key]))
    requester = User.objects.get_or_create(username="requester")[0]
    return MembershipRequest.objects.create(
        team=team(w, key), person=person, kind="join", effective_date=datetime.date(2025, 9, 1), requested_by=requester
    )


def training(w, key):
    return Training.objects.create(unit=w[key], date=datetime.date(2025, 9, 15), topic="VNeID mức 2", organiser="VNPT")


def rule(w, key):
    return CompositionRule.objects.get_or_create(province=w[key], team_level=Level.VILLAGE)[0]


def pk_of(make, key):
    return lambda w: {"pk": make(w, key).pk}


def import_job_in_thanh_thinh(w):
    job = ImportJob.objects.create(
        kind=ImportKind.MEMBERS, commune=w["K1"], file_name="ds.xlsx", status=ImportStatus.READY
    )
    return {"pk": job.pk}


THANH_THINH = frozenset({"admin", "province", "commune"})


def leader_without_login(w, key):
    """The leader of the team at `key`, with no portal account yet."""
    person = Person.objects.create(full_name="Hoàng Văn Nam", commune=_commune_of(w[key]))
    return Membership.objects.create(
        team=team(w, key), person=person, role=TeamRole.LEADER, start_date=datetime.date(2025, 7, 1)
    )


def has_login(name):
    return lambda w: Person.objects.filter(full_name=name, user__username="hoangvannam").exists()


CASES = [
    Case("teams:list", allowed=ALL),
    Case("teams:mine", allowed=ALL, allowed_status=302, label="teams:mine redirect"),
    Case("teams:create", allowed=EDITORS),
    Case(
        "teams:detail",
        kwargs=pk_of(team, "W1"),
        allowed=frozenset({"admin", "province", "commune", "leader"}),
        label="team of own village",
    ),
    Case(
        "teams:detail",
        kwargs=pk_of(team, "W2"),
        allowed=frozenset({"admin", "province", "commune"}),
        label="team of sibling village",
    ),
    Case(
        "teams:detail",
        kwargs=pk_of(team, "K1"),
        allowed=frozenset({"admin", "province", "commune"}),
        label="commune team",
    ),
    Case(
        "teams:detail",
        kwargs=pk_of(team, "K2"),
        allowed=frozenset({"admin", "province"}),
        label="team of sibling commune",
    ),
    Case(
        "teams:detail", kwargs=pk_of(team, "C1"), allowed=frozenset({"admin", "district"}), label="team in own district"
    ),
    Case("teams:detail", kwargs=pk_of(team, "D1"), allowed=frozenset({"admin", "district"}), label="district team"),
    Case("teams:detail", kwargs=pk_of(team, "C2"), allowed=frozenset({"admin"}), label="team in sibling district"),
    Case(
        "teams:detail",
        kwargs=pk_of(team, "O1"),
        allowed=frozenset({"admin", "outsider"}),
        label="team of other province",
    ),
    Case("teams:history", kwargs=pk_of(team, "W1"), allowed=frozenset({"admin", "province", "commune", "leader"})),
    Case(
        "teams:history",
        kwargs=pk_of(team, "O1"),
        allowed=frozenset({"admin", "outsider"}),
        label="history other province",
    ),
    Case(
        "teams:edit",
        kwargs=pk_of(team, "W1"),
        allowed=frozenset({"admin", "province", "commune"}),
        label="edit own village team",
    ),
    Case(
        "teams:edit",
        kwargs=pk_of(team, "C1"),
        allowed=frozenset({"admin", "district"}),
        label="edit team in own district",
    ),
    Case(
        "teams:edit",
        kwargs=pk_of(team, "O1"),
        allowed=frozenset({"admin", "outsider"}),
        label="edit team of other province",
    ),
    Case("teams:dissolve", kwargs=pk_of(team, "W1"), allowed=frozenset({"admin", "province", "commune"})),
    Case("teams:membership_add", kwargs=pk_of(team, "W1"), allowed=frozenset({"admin", "province", "commune"})),
    Case(
        "teams:membership_add",
        kwargs=pk_of(team, "K2"),
        allowed=frozenset({"admin", "province"}),
        label="add member sibling commune",
    ),
    Case("teams:membership_edit", kwargs=pk_of(membership, "W1"), allowed=frozenset({"admin", "province", "commune"})),
    Case(
        "teams:membership_edit",
        kwargs=pk_of(membership, "C1"),
        allowed=frozenset({"admin", "district"}),
        label="edit membership own district",
    ),
    Case("teams:membership_end", kwargs=pk_of(membership, "W1"), allowed=frozenset({"admin", "province", "commune"})),
    # The leader names the deputy who fills in reports (officers in scope record it): a POST; a GET is refused.
    Case(
        "teams:membership_fills_reports",
        kwargs=pk_of(deputy, "W1"),
        allowed=frozenset({"admin", "province", "commune", "leader"}),
        allowed_status=405,
        label="name deputy GET",
    ),
    Case(
        "teams:membership_fills_reports",
        kwargs=pk_of(deputy, "W1"),
        data=lambda w: {"fills_reports": "1"},
        allowed=frozenset({"admin", "province", "commune", "leader"}),
        allowed_status=302,
        label="name deputy POST",
    ),
    Case(
        "teams:membership_fills_reports",
        kwargs=pk_of(deputy, "W2"),
        data=lambda w: {"fills_reports": "1"},
        allowed=frozenset({"admin", "province", "commune"}),
        allowed_status=302,
        label="name deputy of sibling village POST",
    ),
    Case(
        "teams:membership_fills_reports",
        kwargs=pk_of(deputy, "O1"),
        data=lambda w: {"fills_reports": "1"},
        allowed=frozenset({"admin", "outsider"}),
        allowed_status=302,
        label="name deputy other province POST",
    ),
    Case(
        "teams:membership_end",
        kwargs=pk_of(membership, "O1"),
        allowed=frozenset({"admin", "outsider"}),
        label="end membership other province",
    ),
    Case(
        "teams:request_create",
        kwargs=pk_of(team, "W1"),
        allowed=frozenset({"admin", "province", "commune", "leader"}),
        label="request for own team",
    ),
    Case(
        "teams:request_create",
        kwargs=pk_of(team, "K1"),
        allowed=frozenset({"admin", "province", "commune"}),
        label="request for commune team",
    ),
    Case("teams:requests", allowed=ALL),
    Case(
        "teams:request_decide",
        kwargs=pk_of(join_request, "W1"),
        allowed=frozenset({"admin", "province", "commune", "leader"}),
        label="request of own team",
    ),
    Case(
        "teams:request_decide",
        kwargs=pk_of(join_request, "W2"),
        allowed=frozenset({"admin", "province", "commune"}),
        label="request of sibling village team",
    ),
    Case(
        "teams:request_decide",
        kwargs=pk_of(join_request, "O1"),
        allowed=frozenset({"admin", "outsider"}),
        label="request other province",
    ),
    Case("teams:coverage", allowed=ALL),
    Case(
        "teams:rules_index",
        allowed=frozenset({"province", "outsider"}),
        allowed_status=302,
        denied_status=200,
        label="teams:rules_index redirect",
    ),
    Case("teams:rules", kwargs=lambda w: {"province_pk": w["Q"].pk}, allowed=frozenset({"admin", "province"})),
    Case(
        "teams:rules",
        kwargs=lambda w: {"province_pk": w["O"].pk},
        allowed=frozenset({"admin", "outsider"}),
        label="rules other province",
    ),
    Case("teams:rules", kwargs=lambda w: {"province_pk": w["K1"].pk}, allowed=frozenset(), label="rules of a commune"),
    Case(
        "teams:rule_edit",
        kwargs=lambda w: {"province_pk": rule(w, "Q").province_id, "level": "village"},
        allowed=frozenset({"admin", "province"}),
    ),
    Case("teams:trainings", allowed=ALL),
    Case("teams:training_create", allowed=EDITORS),
    Case("teams:training_edit", kwargs=pk_of(training, "K1"), allowed=frozenset({"admin", "province", "commune"})),
    Case(
        "teams:training_edit",
        kwargs=pk_of(training, "O1"),
        allowed=frozenset({"admin", "outsider"}),
        label="training other province",
    ),
    # Spreadsheets: team leaders keep their roster on the team pages, they do not import lists.
    Case("teams:members_import", allowed=EDITORS),
    Case("teams:villages_import", allowed=EDITORS),
    Case("teams:job_list", allowed=EDITORS),
    Case("teams:members_sample", allowed=EDITORS),
    Case("teams:members_export", allowed=ALL),
    Case("teams:members_template", allowed=ALL),
    Case("teams:job_detail", kwargs=import_job_in_thanh_thinh, allowed=THANH_THINH),
    Case("teams:job_progress", kwargs=import_job_in_thanh_thinh, allowed=THANH_THINH),
    Case(
        "teams:job_confirm",
        kwargs=import_job_in_thanh_thinh,
        allowed=THANH_THINH,
        allowed_status=405,
        label="teams:job_confirm (GET)",
    ),
    # Logins for leaders: whoever may give a team leader's account in the team's unit (accounts.permissions).
    Case(
        "teams:member_login",
        kwargs=pk_of(leader_without_login, "W2"),
        allowed=THANH_THINH,
        post=lambda w: {},
        post_status=200,
        post_check=has_login("Hoàng Văn Nam"),
    ),
    Case(
        "teams:member_login",
        kwargs=pk_of(leader_without_login, "O1"),
        allowed=frozenset({"admin", "outsider"}),
        post=lambda w: {},
        post_status=200,
        post_check=has_login("Hoàng Văn Nam"),
        label="member login other province",
    ),
    Case(
        "teams:member_login",
        kwargs=pk_of(membership, "W1"),
        allowed=frozenset(),
        label="member login of a plain member",
    ),
    Case(
        "teams:leader_logins",
        allowed=frozenset({"admin", "province", "commune", "outsider"}),
        post_allowed=THANH_THINH,
        post=lambda w: {"commune": leader_without_login(w, "W2").team.unit.parent_id},
        post_status=200,
        post_check=has_login("Hoàng Văn Nam"),
        label="leader logins of Thanh Thinh",
    ),
]
