"""Joining and leaving with approval (seed 003)."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from teams.choices import RequestKind, RequestStatus, TeamRole
from teams.models import Membership, MembershipRequest
from teams.selectors import can_decide_request
from teams.services import membership_request_create, membership_request_decide

from .factories import MembershipFactory, MembershipRequestFactory, PersonFactory, TeamFactory

DECIDED_ON = datetime.date(2025, 8, 5)


def test_join_request_for_someone_already_active_is_refused(world, personas):
    membership = MembershipFactory(team=TeamFactory(unit=world["W1"]))
    with pytest.raises(ValidationError) as error:
        membership_request_create(
            team=membership.team,
            person=membership.person,
            kind=RequestKind.JOIN,
            effective_date=datetime.date(2025, 8, 1),
            requested_by=personas["commune"],
        )
    assert "person" in error.value.message_dict
    assert not MembershipRequest.objects.exists()


def test_leave_request_for_someone_not_in_the_team_is_refused(world, personas):
    team = TeamFactory(unit=world["W1"])
    with pytest.raises(ValidationError) as error:
        membership_request_create(
            team=team,
            person=PersonFactory(commune=world["K1"]),
            kind=RequestKind.LEAVE,
            effective_date=datetime.date(2025, 8, 1),
            requested_by=personas["commune"],
        )
    assert "person" in error.value.message_dict


def test_a_second_pending_request_of_the_same_kind_is_refused(world, personas):
    request = MembershipRequestFactory(team=TeamFactory(unit=world["W1"]))
    with pytest.raises(ValidationError) as error:
        membership_request_create(
            team=request.team,
            person=request.person,
            kind=RequestKind.JOIN,
            effective_date=datetime.date(2025, 9, 1),
            requested_by=personas["commune"],
        )
    assert "person" in error.value.message_dict


def test_approving_a_join_opens_the_membership_and_keeps_the_decision(world, personas):
    team = TeamFactory(unit=world["K1"])
    request = membership_request_create(
        team=team,
        person=PersonFactory(commune=world["K1"]),
        kind=RequestKind.JOIN,
        role=TeamRole.MEMBER,
        effective_date=datetime.date(2025, 8, 1),
        requested_by=personas["commune"],
    )
    decided = membership_request_decide(
        request=request,
        approve=True,
        decided_by=personas["commune"],
        decider_name="Phan Đức Luận",
        decider_title="Chủ tịch UBND xã",
        decided_on=DECIDED_ON,
    )
    assert decided.status == RequestStatus.APPROVED
    assert (decided.decider_name, decided.decider_title, decided.decided_on) == (
        "Phan Đức Luận",
        "Chủ tịch UBND xã",
        DECIDED_ON,
    )
    membership = Membership.objects.get(team=team, person=request.person)
    assert membership.start_date == datetime.date(2025, 8, 1) and membership.end_date is None


def test_approving_a_leave_ends_the_membership_on_the_effective_date(world, personas):
    membership = MembershipFactory(team=TeamFactory(unit=world["W1"]))
    request = membership_request_create(
        team=membership.team,
        person=membership.person,
        kind=RequestKind.LEAVE,
        reason="Đi làm xa",
        effective_date=datetime.date(2025, 8, 31),
        requested_by=personas["leader"],
    )
    membership_request_decide(
        request=request, approve=True, decided_by=personas["leader"], decider_name="Đỗ Văn Tuấn", decided_on=DECIDED_ON
    )
    membership.refresh_from_db()
    assert (membership.end_date, membership.end_reason) == (datetime.date(2025, 8, 31), "Đi làm xa")


def test_refusing_changes_no_membership(world, personas):
    request = MembershipRequestFactory(team=TeamFactory(unit=world["W1"]))
    membership_request_decide(
        request=request,
        approve=False,
        decided_by=personas["commune"],
        decider_name="Đỗ Văn Tuấn",
        decided_on=DECIDED_ON,
        note="Đủ người",
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED and request.decision_note == "Đủ người"
    assert not Membership.objects.exists()


def test_a_decision_needs_a_decider_and_a_date_not_in_the_future(world, personas):
    request = MembershipRequestFactory(team=TeamFactory(unit=world["W1"]))
    with pytest.raises(ValidationError) as error:
        membership_request_decide(
            request=request,
            approve=True,
            decided_by=personas["commune"],
            decider_name=" ",
            decided_on=datetime.date.today() + datetime.timedelta(days=1),
        )
    assert {"decider_name", "decided_on"} <= set(error.value.message_dict)
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_a_request_is_decided_once(world, personas):
    request = MembershipRequestFactory(team=TeamFactory(unit=world["W1"]))
    membership_request_decide(
        request=request, approve=False, decided_by=personas["commune"], decider_name="A", decided_on=DECIDED_ON
    )
    with pytest.raises(ValidationError) as error:
        membership_request_decide(
            request=request, approve=True, decided_by=personas["commune"], decider_name="A", decided_on=DECIDED_ON
        )
    assert NON_FIELD_ERRORS in error.value.message_dict
    assert not Membership.objects.exists()


def test_approving_a_second_leader_fails_and_leaves_the_request_pending(world, personas):
    team = TeamFactory(unit=world["W1"])
    MembershipFactory(team=team, role=TeamRole.LEADER)
    request = MembershipRequestFactory(team=team, role=TeamRole.LEADER)
    with pytest.raises(ValidationError) as error:
        membership_request_decide(
            request=request, approve=True, decided_by=personas["commune"], decider_name="A", decided_on=DECIDED_ON
        )
    assert "role" in error.value.message_dict
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_who_decides(world, personas):
    """Seed 003: the village team's leader decides its requests; commune-team requests need the commune chair,
    recorded by a commune officer."""
    village_team = TeamFactory(unit=world["W1"])
    commune_team = TeamFactory(unit=world["K1"])
    leader_person = PersonFactory(commune=world["K1"], user=personas["leader"])
    MembershipFactory(team=village_team, person=leader_person, role=TeamRole.LEADER)
    MembershipFactory(team=commune_team, person=leader_person, role=TeamRole.LEADER)
    village_request = MembershipRequestFactory(team=village_team)
    commune_request = MembershipRequestFactory(team=commune_team)
    assert can_decide_request(personas["leader"], village_request)
    assert not can_decide_request(personas["leader"], commune_request)
    assert can_decide_request(personas["commune"], commune_request)
    assert not can_decide_request(personas["outsider"], commune_request)
    assert not can_decide_request(personas["district"], village_request)
