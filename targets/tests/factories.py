import datetime
from decimal import Decimal

import factory

from targets.choices import Aggregation, IndicatorKind, PeriodKind, Pillar, PopulationField, TargetMode
from targets.models import Indicator, Period, Target
from teams.models import Team
from units.tests.factories import CommuneFactory, VillageFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A percentage of households by default; CountIndicatorFactory for counts."""

    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"indicator_{n}")
    name_vi = factory.Sequence(lambda n: f"Chỉ tiêu {n}")
    name_en = factory.Sequence(lambda n: f"Indicator {n}")
    pillar = Pillar.DIGITAL_GOVERNMENT
    kind = IndicatorKind.PERCENT
    denominator_field = PopulationField.HOUSEHOLDS
    aggregation = Aggregation.STOCK


class CountIndicatorFactory(IndicatorFactory):
    pillar = Pillar.TEAM_ACTIVITY
    kind = IndicatorKind.COUNT
    aggregation = Aggregation.FLOW


class QuarterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ["kind", "year", "number"]

    kind = PeriodKind.QUARTER
    year = 2026
    number = 1
    start = factory.LazyAttribute(lambda p: datetime.date(p.year, p.number * 3 - 2, 1))
    end = factory.LazyAttribute(lambda p: datetime.date(p.year, p.number * 3, 28))


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period

    kind = PeriodKind.CAMPAIGN
    name = "Ra quân"
    year = 2024
    start = datetime.date(2024, 10, 1)
    end = datetime.date(2024, 10, 10)
    unit = factory.SubFactory(CommuneFactory)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    period = factory.SubFactory(QuarterFactory)
    unit = factory.SubFactory(CommuneFactory)
    mode = TargetMode.PERCENT
    value = Decimal("80")


class TeamFactory(factory.django.DjangoModelFactory):
    """A minimal team (the teams app's own factories may replace this once they exist on main)."""

    class Meta:
        model = Team

    unit = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"Tổ CNSCĐ {n}")
