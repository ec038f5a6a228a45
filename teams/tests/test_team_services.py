import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation

from teams.choices import RequestStatus, TeamStatus
from teams.models import Team
from teams.services import team_create, team_dissolve, team_update

from .factories import MembershipFactory, MembershipRequestFactory, TeamFactory


def test_team_create_takes_its_level_from_the_unit(world):
    team = team_create(
        unit=world["W1"],
        name="Tổ CNSCĐ thôn Bản Giang",
        decision_number="125/QĐ-UBND",
        decision_date=datetime.date(2025, 7, 22),
    )
    assert team.level == "village"
    assert team.version == 1
    assert team.status == TeamStatus.ACTIVE


def test_team_cannot_serve_a_province(world):
    with pytest.raises(ValidationError) as error:
        team_create(unit=world["Q"], name="Tổ tỉnh")
    assert "unit" in error.value.message_dict
    assert not Team.objects.exists()


def test_two_teams_in_one_village_need_different_names(world):
    team_create(unit=world["W1"], name="Tổ 1")
    team_create(unit=world["W1"], name="Tổ 2")  # seed 000: a village may have more than one team
    with pytest.raises(ValidationError) as error:
        team_create(unit=world["W1"], name="Tổ 1")
    assert "name" in error.value.message_dict
    assert Team.objects.count() == 2


def test_decision_date_cannot_be_in_the_future(world):
    with pytest.raises(ValidationError) as error:
        team_create(unit=world["W1"], name="Tổ", decision_date=datetime.date.today() + datetime.timedelta(days=1))
    assert "decision_date" in error.value.message_dict


def test_team_update_bumps_the_version(world):
    team = TeamFactory(unit=world["W1"])
    updated = team_update(team=team, version=team.version, notes="Họp mỗi thứ Hai")
    assert updated.version == 2
    assert Team.objects.get(pk=team.pk).notes == "Họp mỗi thứ Hai"


def test_a_stale_edit_is_refused_and_overwrites_nothing(world):
    team = TeamFactory(unit=world["W1"], notes="")
    first_officer_copy = Team.objects.get(pk=team.pk)
    second_officer_copy = Team.objects.get(pk=team.pk)
    team_update(team=first_officer_copy, version=first_officer_copy.version, notes="Sửa lần 1")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        team_update(team=second_officer_copy, version=second_officer_copy.version, notes="Sửa lần 2")
    assert "Reload the page" in " ".join(error.value.message_dict[NON_FIELD_ERRORS])
    assert Team.objects.get(pk=team.pk).notes == "Sửa lần 1"


def test_dissolving_ends_open_memberships_and_refuses_pending_requests(world):
    team = TeamFactory(unit=world["W1"])
    open_membership = MembershipFactory(team=team)
    ended = MembershipFactory(team=team, end_date=datetime.date(2024, 1, 31))
    request = MembershipRequestFactory(team=team)
    team_dissolve(team=team, version=team.version, dissolved_on=datetime.date(2025, 6, 30))
    team.refresh_from_db()
    open_membership.refresh_from_db()
    ended.refresh_from_db()
    request.refresh_from_db()
    assert team.status == TeamStatus.DISSOLVED
    assert open_membership.end_date == datetime.date(2025, 6, 30)
    assert ended.end_date == datetime.date(2024, 1, 31)
    assert request.status == RequestStatus.REFUSED


def test_dissolving_twice_or_with_a_stale_version_is_refused(world):
    team = TeamFactory(unit=world["W1"])
    team_dissolve(team=team, version=1, dissolved_on=datetime.date(2025, 6, 30))
    with pytest.raises(ValidationError):
        team_dissolve(team=team, version=1, dissolved_on=datetime.date(2025, 6, 30))
    with pytest.raises(ValidationError) as error:
        team_dissolve(team=team, version=2, dissolved_on=datetime.date(2025, 6, 30))
    assert NON_FIELD_ERRORS in error.value.message_dict
