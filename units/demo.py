"""Demo map: Quảng Ngãi on the pre-reform map (districts, as in seeds 000 and 004) and Thái Nguyên on the
reformed map (as in seed 003), with villages and population figures for a few communes."""

import datetime
import random

from .choices import DivisionType, Edition, Level
from .models import Unit
from .services import admin_units_load, population_figure_set, village_create

QUANG_NGAI, MO_DUC_DISTRICT = "51", "533"
THAI_NGUYEN, THANH_THINH = "19", "02107"
POPULATION_AS_OF = datetime.date(2024, 1, 1)

THANH_THINH_VILLAGES = [
    "Thôn Bản Giang",
    "Thôn Na Lay",
    "Thôn Khe Thầu",
    "Thôn Nà Pài",
    "Thôn Làng Chủ",
    "Thôn Đồng Tâm",
]
MO_DUC_VILLAGES = ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn 5"]


def _ensure_villages(commune, names, rng):
    existing = {village.name: village for village in commune.children.all()}
    villages = []
    for name in names:
        village = existing.get(name) or village_create(commune=commune, name=name, division_type=DivisionType.VILLAGE)
        households = rng.randint(180, 420)
        population = households * rng.randint(3, 5)
        population_figure_set(
            unit=village,
            as_of=POPULATION_AS_OF,
            households=households,
            population=population,
            working_age_population=population * 6 // 10,
            eid_eligible=population * 8 // 10,
        )
        villages.append(village)
    return villages


def seed():
    """Load both demo provinces and their villages; returns the units other apps' demos build on."""
    rng = random.Random(2026)
    admin_units_load(edition=Edition.PRE_REFORM, province_codes=[QUANG_NGAI])
    admin_units_load(edition=Edition.REFORMED, province_codes=[THAI_NGUYEN])
    quang_ngai = Unit.objects.get(edition=Edition.PRE_REFORM, level=Level.PROVINCE, code=QUANG_NGAI)
    mo_duc = Unit.objects.get(edition=Edition.PRE_REFORM, level=Level.DISTRICT, code=MO_DUC_DISTRICT)
    mo_duc_communes = list(mo_duc.children.order_by("code")[:3])
    for commune in mo_duc_communes:
        _ensure_villages(commune, MO_DUC_VILLAGES, rng)
    thai_nguyen = Unit.objects.get(edition=Edition.REFORMED, level=Level.PROVINCE, code=THAI_NGUYEN)
    thanh_thinh = Unit.objects.get(edition=Edition.REFORMED, level=Level.COMMUNE, code=THANH_THINH)
    thanh_thinh_villages = _ensure_villages(thanh_thinh, THANH_THINH_VILLAGES, rng)
    return {
        "quang_ngai": quang_ngai,
        "mo_duc": mo_duc,
        "mo_duc_communes": mo_duc_communes,
        "thai_nguyen": thai_nguyen,
        "thanh_thinh": thanh_thinh,
        "thanh_thinh_villages": thanh_thinh_villages,
    }
