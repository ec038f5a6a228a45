import datetime

import factory

from accounts.tests.factories import UserFactory
from teams.choices import Affiliation, RequestKind, TeamRole
from teams.models import CompositionRule, Membership, MembershipRequest, Person, Team, Training
from units.tests.factories import CommuneFactory, VillageFactory


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    unit = factory.SubFactory(VillageFactory)
    name = factory.LazyAttribute(lambda team: f"Tổ CNSCĐ {team.unit.name}")
    decision_number = factory.Sequence(lambda n: f"{100 + n}/QĐ-UBND")
    decision_date = datetime.date(2023, 3, 1)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {chr(65 + n % 26)}{n}")
    birth_year = 1990
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    commune = factory.SubFactory(CommuneFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    person = factory.SubFactory(PersonFactory, commune=factory.SelfAttribute("..team.unit.parent"))
    role = TeamRole.MEMBER
    affiliation = Affiliation.CITIZEN
    start_date = datetime.date(2023, 3, 1)


class CompositionRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompositionRule
        django_get_or_create = ("province", "team_level")


class MembershipRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipRequest

    team = factory.SubFactory(TeamFactory)
    person = factory.SubFactory(PersonFactory, commune=factory.SelfAttribute("..team.unit.parent"))
    kind = RequestKind.JOIN
    effective_date = datetime.date(2025, 8, 1)
    requested_by = factory.SubFactory(UserFactory)


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    unit = factory.SubFactory(VillageFactory)
    date = datetime.date(2025, 9, 15)
    topic = "Hướng dẫn cài đặt VNeID"
    organiser = "VNPT"
