import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from units.models import Unit
from units.selectors import covers

from .choices import Aggregation, IndicatorKind, PeriodKind, Pillar, PopulationField
from .models import AchievementThreshold, Indicator, Period, PeriodDeadline, Target, calendar_bounds
from .selectors import can_edit_catalogue, teams_serving

SEED_004 = "KH Ra quân Tổ CNSCĐ huyện Mộ Đức, 01-10/10/2024"

# The catalogue's starting point: the five percentages of seed 004 with their levels (a range as its two ends), the
# accounts issued that activation is a share of, and the counts teams report.
# (code, Vietnamese name, English name, pillar, kind, population denominator, denominator indicator, over time, default, source)
CATALOGUE = [
    (
        "eid_level2",
        "Công dân đã đăng ký định danh điện tử mức độ 2 (VNeID)",
        "Citizens registered for level-2 e-ID (VNeID)",
        Pillar.DIGITAL_GOVERNMENT,
        IndicatorKind.PERCENT,
        PopulationField.EID_ELIGIBLE,
        None,
        Aggregation.STOCK,
        85,
        SEED_004,
    ),
    # Seed 004: activation for "90% công dân được cấp tài khoản ĐDDT mức độ 2": over accounts issued, not registrations.
    (
        "eid_issued",
        "Công dân được cấp tài khoản định danh điện tử mức độ 2",
        "Citizens issued a level-2 e-ID account",
        Pillar.DIGITAL_GOVERNMENT,
        IndicatorKind.COUNT,
        PopulationField.EID_ELIGIBLE,
        None,
        Aggregation.STOCK,
        None,
        SEED_004,
    ),
    (
        "eid_activation",
        "Tài khoản định danh điện tử mức độ 2 được kích hoạt",
        "Level-2 e-ID accounts activated",
        Pillar.DIGITAL_GOVERNMENT,
        IndicatorKind.PERCENT,
        "",
        "eid_issued",
        Aggregation.STOCK,
        90,
        SEED_004,
    ),
    (
        "households_online_services",
        "Hộ gia đình được hướng dẫn dịch vụ công trực tuyến, thanh toán không dùng tiền mặt",
        "Households guided to online public services and cashless payment",
        Pillar.DIGITAL_GOVERNMENT,
        IndicatorKind.PERCENT,
        PopulationField.HOUSEHOLDS,
        None,
        Aggregation.STOCK,
        80,
        SEED_004,
    ),
    (
        "citizen_app",
        "Người trong độ tuổi lao động cài đặt ứng dụng công dân của tỉnh (C-Quảng Ngãi)",
        "Working-age people with the province's citizen app installed",
        Pillar.DIGITAL_SOCIETY,
        IndicatorKind.PERCENT,
        PopulationField.WORKING_AGE,
        None,
        Aggregation.STOCK,
        (40, 50),
        SEED_004,
    ),
    (
        "households_digital_skills",
        "Hộ gia đình có ít nhất 01 người thành thạo 05 kỹ năng số cơ bản",
        "Households with at least one person proficient in the 5 basic digital skills",
        Pillar.DIGITAL_SOCIETY,
        IndicatorKind.PERCENT,
        PopulationField.HOUSEHOLDS,
        None,
        Aggregation.STOCK,
        80,
        SEED_004,
    ),
    (
        "ecommerce_registrations",
        "Lượt đăng ký bán hàng trên sàn thương mại điện tử (voso.vn, postmart.vn...)",
        "E-commerce registrations (voso.vn, postmart.vn...)",
        Pillar.DIGITAL_ECONOMY,
        IndicatorKind.COUNT,
        PopulationField.HOUSEHOLDS,
        None,
        Aggregation.FLOW,
        None,
        "",
    ),
    (
        "epayment_accounts",
        "Tài khoản thanh toán điện tử được mở",
        "E-payment accounts opened",
        Pillar.DIGITAL_ECONOMY,
        IndicatorKind.COUNT,
        PopulationField.WORKING_AGE,
        None,
        Aggregation.FLOW,
        None,
        "",
    ),
    (
        "propaganda_sessions",
        "Buổi tuyên truyền về chuyển đổi số",
        "Awareness sessions on digital transformation",
        Pillar.TEAM_ACTIVITY,
        IndicatorKind.COUNT,
        PopulationField.POPULATION,
        None,
        Aggregation.FLOW,
        None,
        "",
    ),
    (
        "door_to_door_visits",
        "Lượt hộ gia đình được đến tận nhà hướng dẫn",
        "Door-to-door visits to households",
        Pillar.TEAM_ACTIVITY,
        IndicatorKind.COUNT,
        PopulationField.HOUSEHOLDS,
        None,
        Aggregation.FLOW,
        None,
        "",
    ),
    (
        "people_guided",
        "Lượt người dân được hướng dẫn kỹ năng số",
        "People guided in digital skills",
        Pillar.TEAM_ACTIVITY,
        IndicatorKind.COUNT,
        PopulationField.POPULATION,
        None,
        Aggregation.FLOW,
        None,
        "",
    ),
]


@transaction.atomic
def indicator_save(*, user, indicator: Indicator) -> Indicator:
    """Add or change an indicator of the national catalogue (system administrators only)."""
    if not can_edit_catalogue(user):
        raise ValidationError(_("Only system administrators edit the national indicator catalogue."))
    return _indicator_store(indicator)


def _indicator_store(indicator: Indicator) -> Indicator:
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def catalogue_seed() -> list[Indicator]:
    """Create the indicators of CATALOGUE that do not exist yet. Safe to re-run: an indicator a system administrator
    has since edited is left as it is."""
    created = []
    for order, row in enumerate(CATALOGUE, start=1):
        code, name_vi, name_en, pillar, kind, field, denominator_code, aggregation, default, source = row
        if Indicator.objects.filter(code=code).exists():
            continue
        low, high = default if isinstance(default, tuple) else (default, None)
        created.append(
            _indicator_store(
                Indicator(
                    code=code,
                    name_vi=name_vi,
                    name_en=name_en,
                    pillar=pillar,
                    kind=kind,
                    denominator_field=field,
                    denominator_indicator=Indicator.objects.get(code=denominator_code) if denominator_code else None,
                    aggregation=aggregation,
                    default_target=low,
                    default_target_high=high,
                    source=source,
                    order=order * 10,
                )
            )
        )
    return created


def period_get_or_create(*, kind: str, year: int, number: int | None = None) -> Period:
    """The month, quarter or year, created on first use."""
    if kind == PeriodKind.CAMPAIGN:
        raise ValueError("campaigns are created with campaign_save")
    limits = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4}
    if kind == PeriodKind.YEAR:
        number = None
    elif not number or not 1 <= number <= limits[kind]:
        raise ValidationError(
            _("A %(kind)s is numbered 1 to %(limit)s.")
            % {"kind": PeriodKind(kind).label.lower(), "limit": limits[kind]}
        )
    existing = Period.objects.filter(kind=kind, year=year, number=number).first()
    if existing:
        return existing
    start, end = calendar_bounds(kind, year, number)
    period = Period(kind=kind, year=year, number=number, start=start, end=end)
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def periods_generate(*, year: int) -> list[Period]:
    """Every month and quarter of a year, and the year itself (existing ones are kept): one query once they exist
    (the daily reminders ask for them in every province)."""
    wanted = [
        (PeriodKind.YEAR, None),
        *((PeriodKind.QUARTER, n) for n in range(1, 5)),
        *((PeriodKind.MONTH, n) for n in range(1, 13)),
    ]
    existing = {
        (p.kind, p.number): p for p in Period.objects.filter(year=year, kind__in={kind for kind, _number in wanted})
    }
    return [
        existing.get((kind, number)) or period_get_or_create(kind=kind, year=year, number=number)
        for kind, number in wanted
    ]


@transaction.atomic
def campaign_save(*, campaign: Period, deadlines: list[tuple[datetime.date, str]]) -> Period:
    """Create or update a campaign and replace its deadlines."""
    campaign.kind = PeriodKind.CAMPAIGN
    campaign.number = None
    if campaign.start:
        campaign.year = campaign.start.year
    campaign.full_clean()
    campaign.save()
    campaign.deadlines.all().delete()
    for due_on, task in deadlines:
        deadline = PeriodDeadline(period=campaign, due_on=due_on, task=task)
        deadline.full_clean()
        deadline.save()
    return campaign


@transaction.atomic
def thresholds_set(*, province: Unit, amber_from: Decimal, green_from: Decimal) -> AchievementThreshold:
    row = AchievementThreshold.objects.filter(province=province).first() or AchievementThreshold(province=province)
    row.amber_from, row.green_from = amber_from, green_from
    row.full_clean()
    row.save()
    return row


# --- the assignment grid --------------------------------------------------------------------------------


def grid_holders(parent: Unit) -> dict[tuple[str, int], object]:
    """Who a grid for `parent` assigns targets to: the parent, the teams serving it, and the units right below
    it (districts, or communes directly under the province on the reformed map; villages under a commune)."""
    holders = {("unit", parent.pk): parent}
    holders.update({("team", team.pk): team for team in teams_serving(parent).select_related("unit")})
    holders.update({("unit", child.pk): child for child in parent.children.order_by("code", "name")})
    return holders


@dataclass
class GridSaveResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0


@transaction.atomic
def target_grid_save(
    *,
    user,
    parent: Unit,
    period: Period,
    cells: dict[tuple[str, int, int], Decimal | None],
    decision_number: str = "",
    decision_date: datetime.date | None = None,
) -> GridSaveResult:
    """Save a grid of targets in one go: `cells` maps (holder kind "unit" | "team", holder id, indicator id) to a
    value, or None to remove the holder's own target (it then inherits from above). The mode is the
    indicator's: a percentage for percentage indicators, an absolute number for counts.

    Everything is checked first; any bad cell raises ValidationError (messages keyed by cell) and nothing is
    saved. Changed and new targets record the decision; unchanged ones keep theirs. Excel imports of the grid
    build the same `cells` mapping and call this service.
    """
    if not covers(user, parent):
        raise ValidationError(_("%(unit)s is outside your scope: you cannot set its targets.") % {"unit": parent.name})
    holders = grid_holders(parent)
    indicators = {indicator.pk: indicator for indicator in Indicator.objects.filter(pk__in={key[2] for key in cells})}
    unit_ids = [holder_id for kind, holder_id in holders if kind == "unit"]
    team_ids = [holder_id for kind, holder_id in holders if kind == "team"]
    existing = {
        (("team", t.team_id) if t.team_id else ("unit", t.unit_id), t.indicator_id): t
        for t in Target.objects.filter(period=period, indicator__in=indicators.keys()).filter(
            Q(unit__in=unit_ids) | Q(team__in=team_ids)
        )
    }
    errors, to_save, to_delete = {}, [], []
    for (kind, holder_id, indicator_id), value in cells.items():
        key = f"{kind}-{holder_id}-{indicator_id}"
        holder = holders.get((kind, holder_id))
        indicator = indicators.get(indicator_id)
        if holder is None:
            errors[key] = [
                _("This unit or team is outside the grid of %(unit)s: its target was not saved.")
                % {"unit": parent.name}
            ]
            continue
        if indicator is None:
            errors[key] = [_("Unknown indicator.")]
            continue
        target = existing.get(((kind, holder_id), indicator_id))
        if value is None:
            if target is not None:
                to_delete.append(target)
            continue
        if target is not None and target.value == value and target.mode == indicator.natural_mode:
            continue
        target = target or Target(indicator=indicator, period=period, **{kind: holder})
        target.mode, target.value = indicator.natural_mode, value
        target.decision_number, target.decision_date, target.updated_by = decision_number, decision_date, user
        try:
            target.full_clean()
        except ValidationError as error:
            errors[key] = error.messages
            continue
        to_save.append(target)
    if errors:
        raise ValidationError(errors)
    result = GridSaveResult(deleted=len(to_delete))
    for target in to_delete:
        target.delete()
    for target in to_save:
        if target.pk:
            result.updated += 1
        else:
            result.created += 1
        target.save()
    return result
