import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from teams.choices import Affiliation, TeamRole
from teams.models import Membership, Person
from teams.services import membership_create, membership_end, membership_update, person_create, person_update
from teams.validators import CONFLICT, OTHER, SAME, same_person

from .factories import MembershipFactory, PersonFactory, TeamFactory

TODAY = datetime.date.today()


@pytest.mark.parametrize("typed", ["+84 912.345.678", "84912345678", "912345678", "0912 345 678"])
def test_person_phone_is_normalised(world, typed):
    person = person_create(commune=world["K1"], full_name="Lê  Thị   Hoa", phone=typed)
    assert person.phone == "0912345678"
    assert person.full_name == "Lê Thị Hoa"


@pytest.mark.parametrize("typed", ["12345", "0912-345-67", "abc", "091234567890"])
def test_invalid_phone_is_refused_on_the_phone_field(world, typed):
    with pytest.raises(ValidationError) as error:
        person_create(commune=world["K1"], full_name="Lê Thị Hoa", phone=typed)
    assert list(error.value.message_dict) == ["phone"]
    assert not Person.objects.exists()


def test_birth_date_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as error:
        person_create(commune=world["K1"], full_name="Lê Thị Hoa", birth_date=TODAY + datetime.timedelta(days=1))
    assert "birth_date" in error.value.message_dict
    assert not Person.objects.exists()


@pytest.mark.parametrize("national_id", ["12345678901", "0190950012345", "01909500123x"])
def test_invalid_national_id_is_refused(world, national_id):
    with pytest.raises(ValidationError) as error:
        person_create(commune=world["K1"], full_name="Lê Thị Hoa", national_id=national_id)
    assert "national_id" in error.value.message_dict


def test_person_update_validates_too(world):
    person = person_create(commune=world["K1"], full_name="Lê Thị Hoa", national_id="019095001234")
    with pytest.raises(ValidationError) as error:
        person_update(person=person, phone="123")
    assert "phone" in error.value.message_dict
    assert Person.objects.get(pk=person.pk).phone == ""
    assert person_update(person=Person.objects.get(pk=person.pk), phone="0987654321").phone == "0987654321"


def test_a_national_id_is_one_person_of_the_commune(world):
    """The import's rule (teams.validators.same_person) on the forms: the ID already on record is a second record."""
    yen = person_create(commune=world["K1"], full_name="Triệu Thị Yến", birth_year=2004, national_id="001304012345")
    for name in ("Triệu Thị Yến", "Triệu Văn Bình"):
        with pytest.raises(ValidationError) as error:
            person_create(commune=world["K1"], full_name=name, national_id="001304012345")
        assert list(error.value.message_dict) == ["national_id"]
    binh = person_create(commune=world["K1"], full_name="Triệu Văn Bình", birth_year=1970)
    with pytest.raises(ValidationError) as error:
        person_update(person=binh, national_id="001304012345")
    assert error.value.message_dict["national_id"][0].startswith("Số CCCD này đã được ghi cho một người khác của xã")
    assert person_update(person=yen, phone="0912000111").national_id == "001304012345"  # her own ID is no clash
    assert (
        person_create(commune=world["K2"], full_name="Triệu Thị Yến", national_id="001304012345").commune == world["K2"]
    )
    assert Person.objects.filter(national_id="001304012345").count() == 2


@pytest.mark.parametrize(
    "first, second, verdict",
    [
        (
            ("Triệu Thị Yến", None, 2004, ""),
            ("Triệu Văn Bình", None, 1970, ""),
            OTHER,
        ),  # the family's shared phone is no link
        (("Nguyễn Văn An", datetime.date(1990, 3, 5), None, ""), ("nguyễn  văn AN", None, 1990, ""), SAME),
        (
            ("Nguyễn Văn An", datetime.date(1990, 3, 5), None, ""),
            ("Nguyễn Văn An", datetime.date(1990, 3, 9), None, ""),
            OTHER,
        ),
        (
            ("Nguyễn Văn An", None, None, ""),
            ("Nguyễn Văn An", None, 1990, ""),
            SAME,
        ),  # nothing known disagrees with nothing
        (("Nguyễn Văn Ân", None, 1990, ""), ("Nguyễn Văn An", None, 1990, ""), OTHER),
        (("Triệu Thị Yến", None, 2004, "001304012345"), ("Triệu Văn Bình", None, 1970, "001304012345"), CONFLICT),
        (("Triệu Thị Yến", None, 2004, "001304012345"), ("Triệu Thị Yến", None, None, "001304012345"), SAME),
        (("Nguyễn Văn An", None, 1990, "001090000001"), ("Nguyễn Văn An", None, 1990, "001090000002"), OTHER),
    ],
)
def test_one_rule_says_who_is_who(first, second, verdict):
    def record(name, birth_date, birth_year, national_id):
        return Person(full_name=name, birth_date=birth_date, birth_year=birth_year, national_id=national_id)

    assert same_person(record(*first), record(*second)) == verdict
    assert same_person(record(*second), record(*first)) == verdict


def test_national_id_is_masked(world):
    person = person_create(commune=world["K1"], full_name="Lê Thị Hoa", national_id="019095001234")
    assert person.masked_national_id == "•••••••••234"


def test_membership_create(world):
    team = TeamFactory(unit=world["W1"])
    person = PersonFactory(commune=world["K1"])
    membership = membership_create(
        team=team,
        person=person,
        start_date=datetime.date(2025, 7, 23),
        role=TeamRole.DEPUTY,
        affiliation=Affiliation.YOUTH_UNION,
    )
    assert membership.is_active_on(datetime.date(2025, 8, 1))
    assert not membership.is_active_on(datetime.date(2025, 7, 22))


def test_a_second_leader_is_refused_on_the_role_field(world):
    team = TeamFactory(unit=world["W1"])
    MembershipFactory(team=team, role=TeamRole.LEADER)
    with pytest.raises(ValidationError) as error:
        membership_create(
            team=team,
            person=PersonFactory(commune=world["K1"]),
            start_date=datetime.date(2025, 8, 1),
            role=TeamRole.LEADER,
        )
    assert "role" in error.value.message_dict
    assert team.memberships.count() == 1


def test_a_new_leader_may_start_after_the_old_one_ended(world):
    team = TeamFactory(unit=world["W1"])
    MembershipFactory(team=team, role=TeamRole.LEADER, end_date=datetime.date(2025, 6, 30))
    membership_create(
        team=team, person=PersonFactory(commune=world["K1"]), start_date=datetime.date(2025, 7, 1), role=TeamRole.LEADER
    )
    assert team.memberships.filter(role=TeamRole.LEADER).count() == 2


def test_leader_periods_may_not_overlap_in_the_past_either(world):
    team = TeamFactory(unit=world["W1"])
    MembershipFactory(
        team=team, role=TeamRole.LEADER, start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2023, 12, 31)
    )
    with pytest.raises(ValidationError) as error:
        membership_create(
            team=team,
            person=PersonFactory(commune=world["K1"]),
            role=TeamRole.LEADER,
            start_date=datetime.date(2023, 6, 1),
            end_date=datetime.date(2023, 8, 1),
        )
    assert "role" in error.value.message_dict


def test_the_same_person_cannot_be_in_a_team_twice_at_once(world):
    membership = MembershipFactory(team=TeamFactory(unit=world["W1"]))
    with pytest.raises(ValidationError) as error:
        membership_create(team=membership.team, person=membership.person, start_date=datetime.date(2025, 1, 1))
    assert "person" in error.value.message_dict


def test_a_person_may_rejoin_after_leaving(world):
    membership = MembershipFactory(team=TeamFactory(unit=world["W1"]), end_date=datetime.date(2024, 12, 31))
    again = membership_create(team=membership.team, person=membership.person, start_date=datetime.date(2025, 3, 1))
    assert again.pk != membership.pk


def test_a_membership_ending_before_it_starts_is_refused(world):
    team = TeamFactory(unit=world["W1"])
    with pytest.raises(ValidationError) as error:
        membership_create(
            team=team,
            person=PersonFactory(commune=world["K1"]),
            start_date=datetime.date(2025, 8, 1),
            end_date=datetime.date(2025, 7, 1),
        )
    assert list(error.value.message_dict) == ["end_date"]
    assert not Membership.objects.exists()


def test_membership_end_sets_the_last_day_and_the_reason(world):
    membership = MembershipFactory(team=TeamFactory(unit=world["W1"]))
    membership_end(membership=membership, end_date=datetime.date(2025, 9, 30), reason="Chuyển công tác")
    membership.refresh_from_db()
    assert (membership.end_date, membership.end_reason) == (datetime.date(2025, 9, 30), "Chuyển công tác")


def test_membership_end_before_start_or_twice_is_refused(world):
    membership = MembershipFactory(team=TeamFactory(unit=world["W1"]), start_date=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError) as error:
        membership_end(membership=membership, end_date=datetime.date(2024, 12, 31))
    assert "end_date" in error.value.message_dict
    membership = Membership.objects.get(pk=membership.pk)
    assert membership.end_date is None
    membership_end(membership=membership, end_date=datetime.date(2025, 2, 1))
    with pytest.raises(ValidationError):
        membership_end(membership=membership, end_date=datetime.date(2025, 3, 1))


def test_membership_update_to_leader_checks_for_a_leader(world):
    team = TeamFactory(unit=world["W1"])
    MembershipFactory(team=team, role=TeamRole.LEADER)
    member = MembershipFactory(team=team)
    with pytest.raises(ValidationError) as error:
        membership_update(membership=member, role=TeamRole.LEADER)
    assert "role" in error.value.message_dict
    assert Membership.objects.get(pk=member.pk).role == TeamRole.MEMBER


def test_a_dissolved_team_takes_no_open_membership(world):
    team = TeamFactory(unit=world["W1"], status="dissolved", dissolved_on=datetime.date(2025, 6, 30))
    with pytest.raises(ValidationError):
        membership_create(team=team, person=PersonFactory(commune=world["K1"]), start_date=datetime.date(2025, 1, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("years_ago", [101, 106, 3])
def test_a_birth_date_is_bounded_as_the_import_bounds_it(world, years_ago):
    """The import refused a birth date more than 100 or less than 10 years ago; the person forms' service took it."""
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        person_create(
            commune=world["K1"], full_name="Lò Văn Pó", birth_date=datetime.date(today.year - years_ago, 3, 5)
        )
    assert error.value.message_dict == {
        "birth_date": [f"Năm sinh phải trong khoảng từ {today.year - 100} đến {today.year - 10}."]
    }
