"""Reads of the targets app. `effective_target`, `denominator_as_of` and `classify_achievement` are what the
reports and dashboards call to measure progress; the other selectors serve the pages, scoped to a user."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet, Sum

from accounts.choices import Role
from teams.models import Team
from units.choices import Level
from units.models import Unit
from units.selectors import population_values, subtree_population_values, unit_scope_q

from .choices import PeriodKind, Rating, TargetMode
from .models import DEFAULT_AMBER_FROM, DEFAULT_GREEN_FROM, AchievementThreshold, Indicator, Period, Target


def can_assign_targets(user) -> bool:
    """The Department (province staff) and system administrators set targets, periods and thresholds."""
    return user.is_authenticated and user.role in {Role.SYSTEM_ADMIN, Role.PROVINCE_STAFF}


def can_edit_catalogue(user) -> bool:
    """The indicator catalogue is national (every province reads the same indicators): only system
    administrators add, edit or deactivate indicators. The Department reads it."""
    return user.is_authenticated and user.sees_everything


# --- scoped reads for the pages -------------------------------------------------------------------------


def indicators_active() -> QuerySet[Indicator]:
    """The catalogue is shared by every province (it holds no unit data): everyone reads the same indicators."""
    return Indicator.objects.filter(is_active=True).select_related("denominator_indicator")


# Every report form reads the catalogue, which changes a few times a year: it is kept in Django's cache (shared by
# every process) this long, and dropped as soon as an indicator is saved or deleted.
CATALOGUE_SECONDS = 60
CATALOGUE_CACHE_KEY = "targets:indicators_catalogue"


def indicators_catalogue() -> list[Indicator]:
    """`indicators_active()`, read from the database at most once every CATALOGUE_SECONDS, and again after an
    indicator is saved or deleted."""
    catalogue = cache.get(CATALOGUE_CACHE_KEY)
    if catalogue is None:
        catalogue = list(indicators_active())
        cache.set(CATALOGUE_CACHE_KEY, catalogue, CATALOGUE_SECONDS)
    return catalogue


def forget_catalogue() -> None:
    """Drop the cached catalogue: the next `indicators_catalogue` call reads it again."""
    cache.delete(CATALOGUE_CACHE_KEY)


def indicator_changed(**_signal) -> None:
    """An indicator was saved or deleted: forget the catalogue now and once the transaction commits (a request
    running meanwhile may have cached the rows as they were before the commit)."""
    forget_catalogue()
    transaction.on_commit(forget_catalogue)


def periods_visible_to(user) -> QuerySet[Period]:
    """Calendar periods, and the campaigns run in the user's scope or by a unit above it (a province's campaign
    applies to its districts and communes too)."""
    if not user.is_authenticated:
        return Period.objects.none()
    if user.sees_everything:  # (Q() | Q(x) would be Q(x): an empty Q vanishes from an OR)
        return Period.objects.select_related("unit")
    above = Q()
    if user.scope_unit_id:
        above = Q(unit__in=user.scope_unit.ancestor_ids())
    return Period.objects.filter(Q(unit__isnull=True) | unit_scope_q(user, "unit") | above).select_related("unit")


def campaigns_editable_by(user) -> QuerySet[Period]:
    return (
        Period.objects.filter(unit_scope_q(user, "unit"), kind=PeriodKind.CAMPAIGN)
        if can_assign_targets(user)
        else Period.objects.none()
    )


def targets_visible_to(user) -> QuerySet[Target]:
    return Target.objects.filter(unit_scope_q(user, "unit") | unit_scope_q(user, "team__unit"))


def teams_serving(unit: Unit) -> QuerySet[Team]:
    return Team.objects.filter(unit=unit).order_by("name")


# --- denominators ---------------------------------------------------------------------------------------


def denominator_as_of(*, indicator: Indicator, unit: Unit, date: datetime.date) -> int | None:
    """The population denominator of a percentage indicator for `unit` as of `date`, by the rule of
    `subtree_population_values` (built on the same figures as `units.selectors.population_as_of`).

    None when the unit has no figures, and for counts. An indicator whose denominator is another indicator
    (activations over e-IDs issued) also answers None: that denominator is the other indicator's actual
    result, which the reports app measures.
    """
    if not indicator.is_percent or not indicator.denominator_field:
        return None
    return subtree_population_values(root=unit, field=indicator.denominator_field, date=date)[unit.pk]


def denominators_as_of(*, indicators, unit: Unit, date: datetime.date) -> dict[int, int | None]:
    """`denominator_as_of` of each percentage indicator with a population denominator, keyed by indicator id:
    two queries in all (a report form has several percentages, on two or three population fields)."""
    wanted = [indicator for indicator in indicators if indicator.is_percent and indicator.denominator_field]
    if not wanted:
        return {}
    fields = sorted({indicator.denominator_field for indicator in wanted})
    values = population_values(roots=[unit], fields=fields, dates=[date])
    return {indicator.pk: values[(indicator.denominator_field, date)][unit.pk] for indicator in wanted}


# --- effective targets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveTarget:
    """The target that applies to a unit or team, and where it comes from.

    `target` is the Target row that decides it; `inherited` is True when that row belongs to someone else (the
    team's unit, or an ancestor). A percentage applies below as it is. An absolute number applies to the unit
    it was set for and to that unit's own teams; below that it must be split (in the assignment grid), so a
    unit under an absolute number with no share of its own gets `value` None and `awaiting_split` True.
    """

    target: Target
    inherited: bool
    awaiting_split: bool = False

    @property
    def source(self):
        return self.target.holder

    @property
    def mode(self):
        return self.target.mode

    @property
    def is_percent(self) -> bool:
        return self.target.mode == TargetMode.PERCENT

    @property
    def value(self) -> Decimal | None:
        return None if self.awaiting_split else self.target.value


def _unit_chain_ids(unit: Unit) -> list[int]:
    """The unit's id and its ancestors' ids, nearest first."""
    return [int(part) for part in reversed(unit.path.strip("/").split("/"))]


def effective_targets(
    *, period: Period, indicators, units=(), teams=(), with_holders: bool = True
) -> dict[tuple[str, int, int], EffectiveTarget | None]:
    """Effective targets in bulk, keyed ("unit" | "team", holder id, indicator id); two queries in all.
    `with_holders=False` reads only what the values need (mode and value), not the holders and indicators
    pages show: the national roll-up reads tens of thousands of targets."""
    indicator_ids = [indicator.pk for indicator in indicators]
    teams = list(teams)
    chains = {unit.pk: _unit_chain_ids(unit) for unit in units}
    for team in teams:
        chains.setdefault(team.unit_id, _unit_chain_ids(team.unit))
    unit_ids = {pk for chain in chains.values() for pk in chain}
    base = Target.objects.filter(period=period, indicator_id__in=indicator_ids)
    base = (
        base.select_related("unit", "team", "indicator")
        if with_holders
        else base.only("unit_id", "team_id", "indicator_id", "mode", "value")
    )
    by_unit = {(t.unit_id, t.indicator_id): t for t in base.filter(unit_id__in=unit_ids)}
    by_team = {(t.team_id, t.indicator_id): t for t in base.filter(team_id__in=[team.pk for team in teams])}

    def for_unit(unit_id, indicator_id):
        for depth, ancestor_id in enumerate(chains[unit_id]):
            target = by_unit.get((ancestor_id, indicator_id))
            if target is not None:
                inherited = depth > 0
                return EffectiveTarget(
                    target, inherited, awaiting_split=inherited and target.mode == TargetMode.ABSOLUTE
                )
        return None

    result = {}
    for indicator_id in indicator_ids:
        for unit in units:
            result[("unit", unit.pk, indicator_id)] = for_unit(unit.pk, indicator_id)
        for team in teams:
            own = by_team.get((team.pk, indicator_id))
            if own is not None:
                result[("team", team.pk, indicator_id)] = EffectiveTarget(own, inherited=False)
                continue
            of_unit = for_unit(team.unit_id, indicator_id)
            result[("team", team.pk, indicator_id)] = (
                EffectiveTarget(of_unit.target, inherited=True, awaiting_split=of_unit.awaiting_split)
                if of_unit
                else None
            )
    return result


def effective_target(*, indicator: Indicator, period: Period, unit: Unit | None = None, team: Team | None = None):
    """The target of a unit or a team (exactly one) for an indicator and period: its own, or the one it
    inherits from the nearest holder above (team → its unit → the unit's ancestors up to the province).
    Returns an EffectiveTarget (with its source), or None when nobody above has set one."""
    if (unit is None) == (team is None):
        raise ValueError("effective_target takes a unit or a team")
    if team is not None:
        return effective_targets(period=period, indicators=[indicator], teams=[team])[("team", team.pk, indicator.pk)]
    return effective_targets(period=period, indicators=[indicator], units=[unit])[("unit", unit.pk, indicator.pk)]


# --- splits that no longer add up -----------------------------------------------------------------------


@dataclass(frozen=True)
class SplitMismatch:
    parent_target: Target
    children_total: Decimal

    @property
    def difference(self):
        return self.children_total - self.parent_target.value


def split_mismatches(*, user, period: Period) -> list[SplitMismatch]:
    """Absolute targets in the user's scope whose children's absolute targets no longer add up to them."""
    parents = targets_visible_to(user).filter(period=period, mode=TargetMode.ABSOLUTE, unit__isnull=False)
    children_totals = {
        (row["indicator_id"], row["unit__parent_id"]): row["total"]
        for row in Target.objects.filter(
            period=period, mode=TargetMode.ABSOLUTE, unit__parent__in=parents.values("unit_id")
        )
        .values("indicator_id", "unit__parent_id")
        .annotate(total=Sum("value"))
    }
    mismatches = []
    for parent in parents.select_related("unit", "indicator").order_by("unit__path", "indicator__order"):
        total = children_totals.get((parent.indicator_id, parent.unit_id))
        if total is not None and total != parent.value:
            mismatches.append(SplitMismatch(parent, total))
    return mismatches


# --- red / amber / green --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    amber_from: Decimal
    green_from: Decimal
    is_default: bool


DEFAULT_THRESHOLDS = Thresholds(DEFAULT_AMBER_FROM, DEFAULT_GREEN_FROM, is_default=True)


def thresholds_for(unit: Unit) -> Thresholds:
    """The red/amber/green thresholds of the unit's province, or the defaults (amber from 70%, green from 90%)."""
    province_id = unit.pk if unit.level == Level.PROVINCE else _unit_chain_ids(unit)[-1]
    row = AchievementThreshold.objects.filter(province_id=province_id).first()
    return Thresholds(row.amber_from, row.green_from, is_default=False) if row else DEFAULT_THRESHOLDS


def classify_achievement(achievement_percent, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Rating:
    """Red, amber or green for an achievement (actual as a percentage of the target; 100 = target reached)."""
    achievement = Decimal(str(achievement_percent))
    if achievement >= thresholds.green_from:
        return Rating.GREEN
    if achievement >= thresholds.amber_from:
        return Rating.AMBER
    return Rating.RED
