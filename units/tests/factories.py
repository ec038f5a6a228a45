import factory

from units.choices import DivisionType, Edition, Level
from units.models import PopulationFigure, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    edition = Edition.REFORMED
    level = Level.PROVINCE
    division_type = DivisionType.PROVINCE
    code = factory.Sequence(lambda n: f"{n:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh {n}")


class ProvinceFactory(UnitFactory):
    pass


class DistrictFactory(UnitFactory):
    edition = Edition.PRE_REFORM
    level = Level.DISTRICT
    division_type = DivisionType.RURAL_DISTRICT
    parent = factory.SubFactory(ProvinceFactory, edition=Edition.PRE_REFORM)
    code = factory.Sequence(lambda n: f"{n:03d}")
    name = factory.Sequence(lambda n: f"Huyện {n}")


class CommuneFactory(UnitFactory):
    level = Level.COMMUNE
    division_type = DivisionType.COMMUNE
    parent = factory.SubFactory(ProvinceFactory)
    edition = factory.SelfAttribute("parent.edition")
    code = factory.Sequence(lambda n: f"{n:05d}")
    name = factory.Sequence(lambda n: f"Xã {n}")


class VillageFactory(UnitFactory):
    level = Level.VILLAGE
    division_type = DivisionType.VILLAGE
    parent = factory.SubFactory(CommuneFactory)
    edition = factory.SelfAttribute("parent.edition")
    code = ""
    name = factory.Sequence(lambda n: f"Thôn {n}")


class PopulationFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationFigure

    unit = factory.SubFactory(VillageFactory)
    as_of = factory.Faker("date_between", start_date="-2y", end_date="-30d")
    households = 300
    population = 1200
    working_age_population = 700
    eid_eligible = 950
