"""The pages: what they show, what posting them does, and what they hide (the GETs are in the permission matrix)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from teams.choices import Affiliation, RequestKind, RequestStatus, TeamRole, TeamStatus
from teams.models import CompositionRule, MembershipRequest, Person, Team, Training

from .factories import CompositionRuleFactory, MembershipFactory, MembershipRequestFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.usefixtures("english")  # pages in English, so the assertions can quote the msgids


@pytest.fixture
def village_team(world):
    team = TeamFactory(unit=world["W1"], name="Tổ CNSCĐ thôn Bản Giang")
    MembershipFactory(
        team=team,
        role=TeamRole.LEADER,
        person=PersonFactory(
            commune=world["K1"], full_name="Đỗ Văn Tuấn", phone="0912486357", national_id="019079001234"
        ),
    )
    return team


def login(client, personas, who):
    client.force_login(personas[who])
    return client


def test_team_create_by_commune_officer(client, world, personas):
    response = login(client, personas, "commune").post(
        reverse("teams:create"),
        {
            "unit": world["W2"].pk,
            "name": "Tổ CNSCĐ thôn Na Lay",
            "decision_number": "127/QĐ-UBND",
            "decision_date": "22/07/2025",
        },
    )
    team = Team.objects.get()
    assert response.status_code == 302 and response.url == reverse("teams:detail", args=[team.pk])
    assert (team.unit, team.decision_date) == (world["W2"], datetime.date(2025, 7, 22))


def test_a_team_set_up_without_a_name_is_named_after_the_unit_picked(client, world, personas):
    client = login(client, personas, "commune")
    form = client.get(reverse("teams:create"), {"unit": world["W1"].pk}).context["form"]
    assert form.initial == {"unit": world["W1"]}  # no name typed in for that unit, in case another is picked
    client.post(reverse("teams:create"), {"unit": world["W2"].pk, "name": ""})
    assert Team.objects.get().name == "Tổ Công nghệ số cộng đồng Thôn Na Lay"


def test_team_create_refuses_a_unit_outside_scope(client, world, personas):
    response = login(client, personas, "commune").post(reverse("teams:create"), {"unit": world["W3"].pk, "name": "Tổ"})
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Team.objects.exists()


def test_stale_team_edit_shows_a_message_and_keeps_the_other_edit(client, world, personas, village_team):
    client = login(client, personas, "commune")
    url = reverse("teams:edit", args=[village_team.pk])
    data = {"unit": world["W1"].pk, "name": village_team.name, "version": village_team.version}
    assert client.post(url, {**data, "notes": "Officer A"}).status_code == 302
    response = client.post(url, {**data, "notes": "Officer B"})  # the form officer B loaded still says version 1
    assert response.status_code == 200
    assert "Someone else changed this team" in str(response.context["form"].non_field_errors())
    village_team.refresh_from_db()
    assert (village_team.notes, village_team.version) == ("Officer A", 2)


def test_add_a_new_person_as_member(client, world, personas, village_team):
    response = login(client, personas, "commune").post(
        reverse("teams:membership_add", args=[village_team.pk]),
        {
            "membership-role": TeamRole.DEPUTY,
            "membership-affiliation": Affiliation.YOUTH_UNION,
            "membership-start_date": "01/08/2025",
            "person-full_name": "Đặng Minh Tuấn",
            "person-phone": "+84 928 073 005",
            "person-birth_year": "1993",
            "save": "",
        },
    )
    assert response.status_code == 302
    membership = village_team.memberships.get(person__full_name="Đặng Minh Tuấn")
    assert membership.person.phone == "0928073005" and membership.person.commune == world["K1"]
    assert membership.start_date == datetime.date(2025, 8, 1)


@pytest.mark.parametrize(
    "changes, form, field",
    [
        ({"person-phone": "12345"}, "person_form", "phone"),
        ({"person-birth_date": "01/01/2099"}, "person_form", "birth_date"),
        ({"membership-role": TeamRole.LEADER}, "membership_form", "role"),
        ({"person-full_name": ""}, "person_form", "full_name"),
    ],
)
def test_add_member_bad_input_is_shown_on_its_field_and_nothing_saved(
    client, world, personas, village_team, changes, form, field
):
    data = {
        "membership-role": TeamRole.MEMBER,
        "membership-affiliation": Affiliation.CITIZEN,
        "membership-start_date": "01/08/2025",
        "person-full_name": "Lê Thị Hoa",
        **changes,
    }
    response = login(client, personas, "commune").post(reverse("teams:membership_add", args=[village_team.pk]), data)
    assert response.status_code == 200
    assert field in response.context[form].errors
    assert village_team.memberships.count() == 1
    assert not Person.objects.filter(full_name="Lê Thị Hoa").exists()


def test_adding_someone_whose_national_id_is_on_record_points_to_them(client, world, personas, village_team):
    PersonFactory(commune=world["K1"], full_name="Triệu Thị Yến", birth_year=2004, national_id="001304012345")
    response = login(client, personas, "commune").post(
        reverse("teams:membership_add", args=[village_team.pk]),
        {
            "membership-role": TeamRole.MEMBER,
            "membership-affiliation": Affiliation.CITIZEN,
            "membership-start_date": "01/08/2025",
            "person-full_name": "Triệu Văn Bình",
            "person-national_id": "001304012345",
            "save": "",
        },
    )
    assert response.status_code == 200
    assert "already recorded for another person of the commune" in str(
        response.context["person_form"].errors["national_id"]
    )
    assert not Person.objects.filter(full_name="Triệu Văn Bình").exists()


def test_add_an_existing_person(client, world, personas, village_team):
    person = PersonFactory(commune=world["K1"], full_name="Hà Thị Lan")
    response = login(client, personas, "commune").post(
        reverse("teams:membership_add", args=[village_team.pk]),
        {
            "membership-existing_person": person.pk,
            "membership-role": TeamRole.MEMBER,
            "membership-affiliation": Affiliation.HEALTH_WORKER,
            "membership-start_date": "01/08/2025",
        },
    )
    assert response.status_code == 302
    assert village_team.memberships.filter(person=person).exists()


def test_membership_end_asks_first_then_ends(client, world, personas, village_team):
    membership = MembershipFactory(
        team=village_team, person=PersonFactory(commune=world["K1"], full_name="Ma Thị Hường")
    )
    client = login(client, personas, "commune")
    url = reverse("teams:membership_end", args=[membership.pk])
    page = client.get(url)
    assert "Ma Thị Hường" in page.content.decode()
    membership.refresh_from_db()
    assert membership.end_date is None  # looking at the confirmation changes nothing
    assert client.post(url, {"end_date": "31/10/2025", "reason": "Đi làm ăn xa"}).status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2025, 10, 31)


def test_membership_end_before_start_is_refused_on_the_field(client, world, personas, village_team):
    membership = MembershipFactory(team=village_team, start_date=datetime.date(2025, 8, 1))
    response = login(client, personas, "commune").post(
        reverse("teams:membership_end", args=[membership.pk]), {"end_date": "01/07/2025"}
    )
    assert "end_date" in response.context["form"].errors
    membership.refresh_from_db()
    assert membership.end_date is None


def test_membership_edit_shows_the_full_national_id_only_there(client, world, personas, village_team):
    client = login(client, personas, "commune")
    membership = village_team.memberships.get()
    edit = client.get(reverse("teams:membership_edit", args=[membership.pk])).content.decode()
    detail = client.get(reverse("teams:detail", args=[village_team.pk])).content.decode()
    assert "019079001234" in edit
    assert "019079001234" not in detail and "•••••••••234" in detail


@pytest.mark.parametrize("who", ["commune", "province", "leader", "admin"])
def test_phone_shown_to_users_whose_scope_covers_the_team(client, personas, village_team, who):
    content = login(client, personas, who).get(reverse("teams:detail", args=[village_team.pk])).content.decode()
    assert "0912486357" in content


def test_a_leader_sees_the_commune_team_they_lead_but_not_its_phones(client, world, personas):
    commune_team = TeamFactory(unit=world["K1"])
    leader_person = PersonFactory(commune=world["K1"], user=personas["leader"])
    MembershipFactory(team=commune_team, person=leader_person, role=TeamRole.LEADER)
    MembershipFactory(
        team=commune_team, person=PersonFactory(commune=world["K1"], phone="0987000111", national_id="019090000111")
    )
    content = login(client, personas, "leader").get(reverse("teams:detail", args=[commune_team.pk])).content.decode()
    assert leader_person.full_name in content
    assert "0987000111" not in content and "•••••••••111" not in content


def test_leader_files_and_decides_a_join_request_for_their_village_team(client, world, personas, village_team):
    village_team.memberships.update(person=PersonFactory(commune=world["K1"], user=personas["leader"]))
    client = login(client, personas, "leader")
    response = client.post(
        reverse("teams:request_create", args=[village_team.pk]),
        {
            "kind": "join",
            "new_full_name": "Triệu Thị Quỳnh",
            "new_phone": "0912000111",
            "role": TeamRole.MEMBER,
            "affiliation": Affiliation.YOUTH_UNION,
            "effective_date": "01/12/2025",
        },
    )
    assert response.status_code == 302
    request = MembershipRequest.objects.get()
    response = client.post(
        reverse("teams:request_decide", args=[request.pk]),
        {
            "decision": "approve",
            "decider_name": "Đỗ Văn Tuấn",
            "decider_title": "Tổ trưởng",
            "decided_on": "20/11/2025",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED and request.decided_by == personas["leader"]
    assert village_team.memberships.filter(
        person__full_name="Triệu Thị Quỳnh", start_date=datetime.date(2025, 12, 1)
    ).exists()


def test_join_request_for_an_active_member_is_refused_on_the_person_field(client, world, personas, village_team):
    member = village_team.memberships.get().person
    response = login(client, personas, "commune").post(
        reverse("teams:request_create", args=[village_team.pk]),
        {
            "kind": "join",
            "existing_person": member.pk,
            "role": TeamRole.MEMBER,
            "affiliation": Affiliation.CITIZEN,
            "effective_date": "01/12/2025",
        },
    )
    assert response.status_code == 200
    assert "existing_person" in response.context["form"].errors
    assert not MembershipRequest.objects.exists()


def test_leader_cannot_decide_a_commune_team_request(client, world, personas):
    commune_team = TeamFactory(unit=world["K1"])
    MembershipFactory(
        team=commune_team, role=TeamRole.LEADER, person=PersonFactory(commune=world["K1"], user=personas["leader"])
    )
    request = MembershipRequestFactory(team=commune_team)
    client = login(client, personas, "leader")
    assert client.get(reverse("teams:request_decide", args=[request.pk])).context["form"] is None
    response = client.post(
        reverse("teams:request_decide", args=[request.pk]),
        {"decision": "approve", "decider_name": "X", "decided_on": "20/11/2025"},
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_dissolve_ends_memberships(client, world, personas, village_team):
    response = login(client, personas, "commune").post(
        reverse("teams:dissolve", args=[village_team.pk]),
        {"dissolved_on": "30/09/2025", "version": village_team.version},
    )
    assert response.status_code == 302
    village_team.refresh_from_db()
    assert village_team.status == TeamStatus.DISSOLVED
    assert not village_team.memberships.filter(end_date__isnull=True).exists()


def test_team_list_filters_and_counts_everything_under_a_unit(client, world, personas):
    TeamFactory(unit=world["W1"])
    TeamFactory(unit=world["W2"])
    TeamFactory(unit=world["K1"])
    TeamFactory(unit=world["W3"])
    client = login(client, personas, "province")
    response = client.get(reverse("teams:list"), {"unit": world["K1"].pk})
    assert response.context["counts"]["total"] == 3
    assert response.context["counts"]["by_level"] == {"village": 2, "commune": 1}
    response = client.get(reverse("teams:list"), {"unit": world["K1"].pk, "level": "village"})
    assert {team.unit for team in response.context["page"].object_list} == {world["W1"], world["W2"]}


def test_team_list_violation_and_size_filters(client, world, personas):
    CompositionRuleFactory(province=world["Q"], team_level="village", min_size=2)
    small = TeamFactory(unit=world["W1"])
    MembershipFactory(team=small)
    big = TeamFactory(unit=world["W2"])
    MembershipFactory.create_batch(2, team=big)
    MembershipFactory(team=big, role=TeamRole.LEADER)
    MembershipFactory(team=small, role=TeamRole.COLLABORATOR)  # collaborators do not count
    client = login(client, personas, "province")
    breaking = client.get(reverse("teams:list"), {"violations": "yes"}).context["page"].object_list
    assert [team.pk for team in breaking] == [small.pk]
    assert [v.code for v in breaking[0].violations] == ["min_size", "leader"]
    meeting = client.get(reverse("teams:list"), {"violations": "no"}).context["page"].object_list
    assert [team.pk for team in meeting] == [big.pk]
    sized = client.get(reverse("teams:list"), {"size_min": 2, "size_max": 3}).context["page"].object_list
    assert [team.pk for team in sized] == [big.pk]


def test_coverage_lists_villages_without_an_active_team(client, world, personas):
    TeamFactory(unit=world["W1"])
    TeamFactory(unit=world["W2"], status=TeamStatus.DISSOLVED, dissolved_on=datetime.date(2025, 9, 1))
    response = login(client, personas, "commune").get(reverse("teams:coverage"))
    rows = response.context["rows"]
    assert [(row["commune"], row["missing"]) for row in rows] == [(world["K1"], [world["W2"]])]


def test_province_staff_apply_a_preset_and_edit_a_rule(client, world, personas):
    client = login(client, personas, "province")
    assert client.post(reverse("teams:rules", args=[world["Q"].pk]), {"preset": "thanh_thinh_2025"}).status_code == 302
    rule = CompositionRule.objects.get(province=world["Q"], team_level="village")
    assert (rule.min_size, rule.max_size, rule.requires_deputy) == (5, 10, True)
    url = reverse("teams:rule_edit", args=[world["Q"].pk, "village"])
    response = client.post(
        url,
        {
            "source": "KH 13",
            "min_size": 4,
            "max_size": 3,
            "min_youth_union": 0,
            "min_it_teachers": 0,
            "requires_leader": "on",
        },
    )
    assert "max_size" in response.context["form"].errors
    client.post(
        url,
        {
            "source": "KH 13",
            "min_size": 4,
            "max_size": 12,
            "min_youth_union": 2,
            "min_it_teachers": 0,
            "requires_leader": "on",
        },
    )
    rule.refresh_from_db()
    assert (rule.min_size, rule.max_size, rule.min_youth_union, rule.requires_deputy) == (4, 12, 2, False)


def test_training_records_attendees_from_the_units_teams(client, world, personas, village_team):
    member = village_team.memberships.get().person
    outsider = PersonFactory(commune=world["K2"])
    client = login(client, personas, "commune")
    form = client.get(reverse("teams:training_create"), {"unit": world["K1"].pk}).context["form"]
    assert list(form.fields["attendees"].queryset) == [member]
    response = client.post(
        reverse("teams:training_create"),
        {
            "unit": world["K1"].pk,
            "date": "15/08/2025",
            "topic": "Kỹ năng số",
            "organiser": "VNPT",
            "format": "on_site",
            "attendees": [member.pk, outsider.pk],
            "save": "",
        },
    )
    assert "attendees" in response.context["form"].errors
    response = client.post(
        reverse("teams:training_create"),
        {
            "unit": world["K1"].pk,
            "date": "15/08/2025",
            "topic": "Kỹ năng số",
            "organiser": "VNPT",
            "format": "on_site",
            "attendees": [member.pk],
            "save": "",
        },
    )
    assert response.status_code == 302
    training = Training.objects.get()
    assert list(training.attendees.all()) == [member]
    detail = client.get(reverse("teams:detail", args=[village_team.pk])).content.decode()
    assert "Kỹ năng số" in detail


@pytest.mark.parametrize("url_name", ["teams:training_create", "teams:training_edit"])
def test_the_training_form_opens_on_29_february(client, world, personas, village_team, url_name):
    """Issue 12: the form lists the people in a team during the last year, and 29/02/2028 minus a year crashed."""
    training = Training.objects.create(
        unit=world["K1"], date=datetime.date(2028, 2, 20), topic="VNeID", organiser="VNPT"
    )
    url = reverse(url_name, **({"args": [training.pk]} if url_name == "teams:training_edit" else {}))
    with time_machine.travel(datetime.datetime(2028, 2, 29, 9, 0, tzinfo=datetime.UTC), tick=False):
        response = login(client, personas, "commune").get(url, {"unit": world["K1"].pk})
    assert response.status_code == 200
    assert list(response.context["form"].fields["attendees"].queryset) == [village_team.memberships.get().person]


def test_history_names_who_changed_what(client, world, personas, village_team):
    client = login(client, personas, "commune")
    membership = village_team.memberships.get()
    client.post(
        reverse("teams:membership_edit", args=[membership.pk]),
        {
            "membership-role": TeamRole.LEADER,
            "membership-affiliation": Affiliation.PARTY_CELL,
            "membership-start_date": "01/03/2023",
            "person-full_name": membership.person.full_name,
            "person-phone": membership.person.phone,
            "person-national_id": membership.person.national_id,
        },
    )
    history = client.get(reverse("teams:history", args=[village_team.pk]))
    change = history.context["page"].object_list[0]
    assert change.user == personas["commune"]
    assert change.subject == "Đỗ Văn Tuấn"
    assert [(str(label), old, new) for label, old, new in change.fields] == [("affiliation", "Citizen", "Party cell")]


@pytest.mark.parametrize("who", ["district", "admin"])
def test_team_list_flags_age_for_users_below_or_above_the_province(client, world, personas, who):
    """The rule belongs to the province, above a district user's scope: the list still applies it."""
    CompositionRuleFactory(province=world["P"], team_level="village", preferred_max_age=39, requires_leader=False)
    team = TeamFactory(unit=world["V1"])
    MembershipFactory(team=team, person=PersonFactory(commune=world["C1"], birth_year=1970))
    page = login(client, personas, who).get(reverse("teams:list")).context["page"]
    listed = {listed.pk: listed for listed in page.object_list}
    assert [v.code for v in listed[team.pk].violations] == ["age"]


def test_join_request_with_a_bad_new_phone_is_refused_on_that_field(client, world, personas, village_team):
    response = login(client, personas, "commune").post(
        reverse("teams:request_create", args=[village_team.pk]),
        {
            "kind": "join",
            "new_full_name": "Triệu Thị Quỳnh",
            "new_phone": "123",
            "role": TeamRole.MEMBER,
            "affiliation": Affiliation.CITIZEN,
            "effective_date": "01/12/2025",
        },
    )
    assert "new_phone" in response.context["form"].errors
    assert not Person.objects.filter(full_name="Triệu Thị Quỳnh").exists()
    assert not MembershipRequest.objects.exists()


def test_the_add_member_page_warns_what_the_team_still_lacks(client, world, personas, village_team):
    CompositionRuleFactory(province=world["Q"], team_level="village", requires_deputy=True)
    response = login(client, personas, "commune").get(reverse("teams:membership_add", args=[village_team.pk]))
    assert [v.code for v in response.context["violations"]] == ["deputy"]
    assert "The team has no deputy." in response.content.decode()


def test_the_pages_tell_active_teams_pending_requests_and_who_decides(client, world, personas, village_team):
    """Their templates compare statuses, kinds and levels with the choices (totech.context_processors)."""
    dissolved = TeamFactory(unit=world["W2"], status=TeamStatus.DISSOLVED, dissolved_on=datetime.date(2025, 9, 30))
    join = MembershipRequestFactory(team=village_team)
    MembershipRequestFactory(team=village_team, kind=RequestKind.LEAVE, status=RequestStatus.APPROVED)
    commune_team = TeamFactory(unit=world["K1"])
    MembershipFactory(
        team=commune_team, role=TeamRole.LEADER, person=PersonFactory(commune=world["K1"], user=personas["leader"])
    )
    waiting = MembershipRequestFactory(team=commune_team)

    client = login(client, personas, "commune")
    active = client.get(reverse("teams:detail", args=[village_team.pk])).content.decode()
    assert (
        '<span class="badge text-bg-success">Active</span>' in active
        and "Add a member" in active
        and "Dissolve the team" in active
    )
    gone = client.get(reverse("teams:detail", args=[dissolved.pk])).content.decode()
    assert '<span class="badge text-bg-secondary">Dissolved ' in gone and "Add a member" not in gone
    assert '<span class="badge text-bg-success">Active</span>' in client.get(reverse("teams:list")).content.decode()
    requests = client.get(reverse("teams:requests"), {"status": ""}).content.decode()  # every status
    assert (
        reverse("teams:request_decide", args=[join.pk]) in requests
        and '<span class="badge text-bg-success">Approved</span>' in requests
    )
    decide = client.get(reverse("teams:request_decide", args=[join.pk])).content.decode()
    assert "Role in the team" in decide and "The team leader decides for a village team." in decide

    client = login(client, personas, "leader")
    assert (
        "This request waits for the decision"
        in client.get(reverse("teams:request_decide", args=[waiting.pk])).content.decode()
    )
