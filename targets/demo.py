"""Demo targets: the seed 004 campaign of Mộ Đức district (pre-reform map) and a year of quarterly targets for
Thái Nguyên (reformed map), with population figures for the communes that have no villages entered."""

import datetime
import random
from decimal import Decimal

from units.demo import POPULATION_AS_OF
from units.services import population_figure_set

from .cascade import cascade_split
from .choices import PeriodKind
from .models import Indicator, Period
from .services import campaign_save, catalogue_seed, periods_generate, target_grid_save, thresholds_set

CAMPAIGN_NAME = "Ra quân hướng dẫn kỹ năng số cơ bản cho người dân (01-10/10/2024)"
CAMPAIGN_DEADLINES = [
    (datetime.date(2024, 9, 20), "Củng cố, kiện toàn Tổ CNSCĐ thôn, TDP và báo cáo về UBND huyện"),
    (datetime.date(2024, 9, 25), "Gửi kế hoạch và lịch ra quân về UBND huyện (qua phòng Văn hóa và Thông tin)"),
    (datetime.date(2024, 10, 20), "Tổng kết Kế hoạch"),
]
# Campaign counts for the whole district, split among its communes by their households or population.
CAMPAIGN_COUNTS = {"door_to_door_visits": 4000, "people_guided": 9000, "propaganda_sessions": 40}
QUARTERLY_PERCENTS = {  # Thái Nguyên's levels rise quarter by quarter towards the year's target
    "eid_level2": [70, 75, 80, 85],
    "eid_activation": [75, 80, 85, 90],
    "households_online_services": [60, 67, 74, 80],
    "citizen_app": [25, 30, 35, 40],
    "households_digital_skills": [60, 67, 74, 80],
}
QUARTERLY_COUNTS = {"door_to_door_visits": 30000, "people_guided": 60000, "ecommerce_registrations": 1500}
TARGET_YEAR = 2026


def _communes_have_figures(parent, rng):
    """Give every commune under `parent` without villages its own figures (communes with villages add theirs up)."""
    for commune in parent.children.prefetch_related("children"):
        if commune.children.exists():
            continue
        households = rng.randint(1800, 5200)
        population = households * rng.randint(3, 4) + rng.randint(0, 900)
        population_figure_set(
            unit=commune,
            as_of=POPULATION_AS_OF,
            households=households,
            population=population,
            working_age_population=population * 6 // 10,
            eid_eligible=population * 8 // 10,
        )


def _split_cells(*, parent, period, indicator, total):
    children = list(parent.children.order_by("code", "name"))
    shares = cascade_split(indicator=indicator, parent=parent, children=children, total=total, date=period.start)
    return {("unit", child.pk, indicator.pk): Decimal(shares[child.pk]) for child in children}


def seed(units, users):
    catalogue_seed()
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    rng = random.Random(2024)
    by_username = {user.username: user for user in users}

    # Mộ Đức district, pre-reform map: the 10-day campaign of seed 004 with its percentages and counts.
    mo_duc = units["mo_duc"]
    _communes_have_figures(mo_duc, rng)
    campaign = Period.objects.filter(kind=PeriodKind.CAMPAIGN, unit=mo_duc, start=datetime.date(2024, 10, 1)).first()
    campaign = campaign_save(
        campaign=campaign
        or Period(name=CAMPAIGN_NAME, unit=mo_duc, start=datetime.date(2024, 10, 1), end=datetime.date(2024, 10, 10)),
        deadlines=CAMPAIGN_DEADLINES,
    )
    cells = {
        ("unit", mo_duc.pk, indicator.pk): indicator.default_target
        for indicator in indicators.values()
        if indicator.is_percent
    }
    for code, total in CAMPAIGN_COUNTS.items():
        cells[("unit", mo_duc.pk, indicators[code].pk)] = Decimal(total)
        cells.update(_split_cells(parent=mo_duc, period=campaign, indicator=indicators[code], total=total))
    target_grid_save(user=by_username["so.quangngai"], parent=mo_duc, period=campaign, cells=cells)

    # Thái Nguyên, reformed map: quarterly targets for a year, counts split to the communes, Thanh Thịnh's to its villages.
    thai_nguyen, thanh_thinh = units["thai_nguyen"], units["thanh_thinh"]
    _communes_have_figures(thai_nguyen, rng)
    department = by_username["so.thainguyen"]
    quarters = [period for period in periods_generate(year=TARGET_YEAR) if period.kind == PeriodKind.QUARTER]
    for quarter in quarters:
        province_cells, commune_cells = {}, {}
        for code, levels in QUARTERLY_PERCENTS.items():
            province_cells[("unit", thai_nguyen.pk, indicators[code].pk)] = Decimal(levels[quarter.number - 1])
        for code, yearly in QUARTERLY_COUNTS.items():
            province_cells[("unit", thai_nguyen.pk, indicators[code].pk)] = Decimal(yearly // 4)
            province_cells.update(
                _split_cells(parent=thai_nguyen, period=quarter, indicator=indicators[code], total=yearly // 4)
            )
        decision = {"decision_number": "45/QĐ-SKHCN", "decision_date": datetime.date(TARGET_YEAR, 1, 15)}
        target_grid_save(user=department, parent=thai_nguyen, period=quarter, cells=province_cells, **decision)
        for code in QUARTERLY_COUNTS:
            commune_total = int(province_cells[("unit", thanh_thinh.pk, indicators[code].pk)])
            commune_cells.update(
                _split_cells(parent=thanh_thinh, period=quarter, indicator=indicators[code], total=commune_total)
            )
        target_grid_save(user=department, parent=thanh_thinh, period=quarter, cells=commune_cells, **decision)
    thresholds_set(province=thai_nguyen, amber_from=Decimal(60), green_from=Decimal(85))
    return campaign
