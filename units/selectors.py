import datetime
import functools
import operator
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Case, Count, ExpressionWrapper, F, Func, Q, QuerySet, When
from django.db.models.expressions import RawSQL

from totech.text import fold

from .choices import PICKER_LEVELS, Level
from .models import POPULATION_FIELDS, PopulationFigure, Unit

SEARCH_LIMIT = 30
MAX_SEARCH_LENGTH = 100  # characters typed in a unit search; longer is refused (units.views.unit_search)
MAX_SEARCH_WORDS = 6
PARENT_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)  # villages are nobody's parent


def within_unit_q(unit: Unit, unit_field: str | None = "unit") -> Q:
    """A filter for objects whose unit is `unit` or lies under it (`unit_field`: lookup path to the Unit)."""
    prefix = f"{unit_field}__" if unit_field else ""
    return Q(**{f"{prefix}path__startswith": unit.path})


def unit_scope_q(user, unit_field: str | None = "unit") -> Q:
    """The filter every scoped read starts from: objects whose unit lies in the user's scope.

    `unit_field` is the lookup path from the model to its Unit (None when the model is Unit itself).
    System administrators see everything; a user without a scope unit sees nothing.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.sees_everything:
        return Q()
    if user.scope_unit_id is None:
        return Q(pk__in=[])
    return within_unit_q(user.scope_unit, unit_field)


def covers(user, unit: Unit | None) -> bool:
    """Whether `unit` (None: no unit) lies in the user's scope: unit_scope_q for one unit in memory."""
    if user.sees_everything:
        return True
    return unit is not None and bool(user.scope_unit_id) and unit.is_within(user.scope_unit)


def units_visible_to(user) -> QuerySet[Unit]:
    """Every unit the user may see: their scope unit and everything under it."""
    return Unit.objects.filter(unit_scope_q(user, unit_field=None))


def units_to_pick(user, levels: str) -> QuerySet[Unit]:
    """The units a picker (units.forms.UnitChoiceField) offers the user at PICKER_LEVELS[levels], in map order."""
    return units_visible_to(user).filter(level__in=PICKER_LEVELS[levels]).select_related("parent").order_by("path")


def unit_children(unit: Unit) -> QuerySet[Unit]:
    return unit.children.annotate(child_count=Count("children")).order_by("code", "name")


def unit_descendant_counts(unit: Unit) -> dict[str, int]:
    """How many units of each level lie under `unit` (cumulative, not only direct children)."""
    rows = (
        Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk).values("level").annotate(total=Count("id"))
    )
    return {row["level"]: row["total"] for row in rows}


def population_as_of(unit: Unit, date: datetime.date) -> PopulationFigure | None:
    """The unit's latest population figures dated on or before `date`."""
    return unit.population_figures.filter(as_of__lte=date).order_by("-as_of").first()


def population_values(*, roots=None, fields, dates) -> dict[tuple[str, datetime.date], dict[int, int | None]]:
    """Population figures (`fields`) as of each of `dates` for every unit under `roots` (all units when None),
    keyed (field, date) then unit id: two queries in all, whatever the number of units (one under villages).

    The rule: a unit's value is its own latest figure dated on or before the date that has this field; a unit
    without one takes the sum of its children's values, but only when every child has a value (a partial sum
    would understate the denominator and overstate progress); otherwise it has none (None).
    """
    in_roots, figures_in_roots = Q(), Q()
    for root in roots or ():
        in_roots |= Q(path__startswith=root.path)
        figures_in_roots |= Q(unit__path__startswith=root.path)
    if roots and all(root.level == Level.VILLAGE for root in roots):  # nothing below a village: no need to read it
        units = [(root.pk, root.parent_id, root.path) for root in roots]
    else:
        units = sorted(
            Unit.objects.filter(in_roots).values_list("pk", "parent_id", "path"), key=lambda row: -len(row[2])
        )
    figures = list(
        PopulationFigure.objects.filter(figures_in_roots, as_of__lte=max(dates, default=datetime.date.min))
        .order_by("unit_id", "-as_of")
        .values_list("unit_id", "as_of", *fields)
    )
    children = defaultdict(list)
    for pk, parent_id, _path in units:
        children[parent_id].append(pk)
    result = {}
    for position, field in enumerate(fields, start=2):
        for date in dates:
            own = {}
            for row in figures:
                if row[1] <= date and row[position] is not None:
                    own.setdefault(row[0], row[position])
            values = {}
            for pk, _parent_id, _path in units:  # deepest first
                if pk in own:
                    values[pk] = own[pk]
                elif children[pk] and all(values[child] is not None for child in children[pk]):
                    values[pk] = sum(values[child] for child in children[pk])
                else:
                    values[pk] = None
            result[(field, date)] = values
    return result


def subtree_population_values(*, root: Unit, field: str, date: datetime.date) -> dict[int, int | None]:
    """One population figure (`field`) for `root` and every unit under it, as of `date` (two queries), by the
    rule of `population_values`."""
    return population_values(roots=[root], fields=[field], dates=[date])[(field, date)]


def unit_ancestors_visible_to(user, unit: Unit) -> list[Unit]:
    """The breadcrumb above `unit`, cut where it leaves the user's scope."""
    ancestors = unit.ancestors()
    if user.sees_everything:
        return ancestors
    return [ancestor for ancestor in ancestors if ancestor.is_within(user.scope_unit)]


def word_start_q(word: str) -> Q:
    """`word` (folded) starts a word of the unit's folded name: the LIKE patterns the trigram index answers."""
    return Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")


def units_matching(user, text: str, levels, limit: int = SEARCH_LIMIT) -> list[Unit]:
    """The first `limit` units in the user's scope at `levels` that match what was typed: digits are the start
    of a GSO code; words (at most MAX_SEARCH_WORDS) must each start a word of the unit's name or its parent's
    ("thon 5 tan dinh", "ben tha"), with or without accents, in either case. Units whose own name has every
    word first, then higher levels, then in map order.

    Words are matched in the stored accent-free name (Unit.search_name) with LIKE 'word%' OR LIKE '% word%',
    which PostgreSQL answers from a trigram index (even for a word of one or two letters, whose start of word
    makes a trigram). The results are read group by group in that order, each group cut at what is still
    missing: own name or not, and in each the units above villages (3,400 on the map, sorted by level) before
    the villages, read in map order from the (level, path) index, so a word found in most village names
    ("thon") stops after a few rows instead of sorting 55,000: a system administrator's search over the
    73,000 units of the map stays in milliseconds (bench/README.md).
    """
    text = text.strip()
    levels = [level for level in Level.values if level in levels]
    if text.isascii() and text.isdigit():  # a GSO code: villages have none (and would be read for nothing)
        levels = [level for level in levels if level != Level.VILLAGE]
    above_villages = [level for level in levels if level != Level.VILLAGE]
    by_level = Case(*(When(level=level, then=rank) for rank, level in enumerate(Level.values)))
    found = []
    for group in _matching_groups(units_visible_to(user), text):
        batches = []
        if above_villages:
            batches.append(group.filter(level__in=above_villages).order_by(by_level, "path"))
        if Level.VILLAGE in levels:
            batches.append(group.filter(level=Level.VILLAGE).order_by("path"))
        for batch in batches:
            found += batch[: limit - len(found)]
            if len(found) == limit:
                return found
    return found


def _matching_groups(visible: QuerySet[Unit], text: str) -> Iterator[QuerySet[Unit]]:
    """The units matching `text` (units_matching), in the groups shown one after the other: those whose own
    name has every word, then those that need their parent's name. Each group is built when it is reached."""
    if text.isascii() and text.isdigit():
        yield visible.filter(code__startswith=text)
        return
    words = fold(text).split()[:MAX_SEARCH_WORDS]
    if not words:
        return
    own = Q(*(word_start_q(word) for word in words))
    yield visible.filter(own)
    # The parents that match a word are read first, in one query over the 3,400 units above villages (by their
    # level's index), so that "its name or its parent's" is then two index lookups per word (trigrams,
    # parent_id) rather than a subquery run for every row of the map.
    flags = {
        f"word{index}": ExpressionWrapper(word_start_q(word), output_field=BooleanField())
        for index, word in enumerate(words)
    }
    parents = list(
        visible.filter(functools.reduce(operator.or_, (word_start_q(word) for word in words)), level__in=PARENT_LEVELS)
        .annotate(**flags)
        .values_list("pk", *flags)
    )
    by_parent = visible.exclude(own)
    for index, word in enumerate(words, start=1):
        by_parent = by_parent.filter(word_start_q(word) | _parent_among([row[0] for row in parents if row[index]]))
    yield by_parent


def _parent_among(ids: list[int]) -> Q:
    """Units whose parent is one of `ids`: on PostgreSQL `parent_id = ANY(%s)`, one array parameter (a word
    like "xa" names 2,000 communes: as many placeholders took longer to build and plan than to run)."""
    if not ids or connection.vendor != "postgresql":
        return Q(parent_id__in=ids)
    return Q(_EqualsAny(F("parent_id"), RawSQL("%s", [ids])))  # the driver sends the list as an array


class _EqualsAny(Func):
    """`value = ANY(array)` (PostgreSQL)."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def unit_labels(units) -> dict[int, str]:
    """Each unit's label in a picker: its name and its ancestors' ("Thôn 5 · Xã Tân Định · Tây Ninh"), so that
    same-named villages are told apart (an official name already says what it is: Phường, Xã, Thôn...). One
    query for all the ancestors' (public) names."""
    names = dict(
        Unit.objects.filter(pk__in={pk for unit in units for pk in unit.ancestor_ids()}).values_list("pk", "name")
    )
    return {
        unit.pk: " · ".join([unit.name] + [names[pk] for pk in reversed(unit.ancestor_ids()) if pk in names])
        for unit in units
    }


# --- population figures ----------------------------------------------------------------------------------

POPULATION_LEVELS = (Level.COMMUNE, Level.VILLAGE)  # the units whose figures are typed in; the rest are sums


def can_edit_population(user, unit: Unit) -> bool:
    """Commune officers enter their commune's and villages' figures, the Department (and administrators) those
    of the communes and villages in their province."""
    return (
        user.is_authenticated
        and user.keeps_population_figures
        and unit.level in POPULATION_LEVELS
        and units_visible_to(user).filter(pk=unit.pk).exists()
    )


@dataclass
class PopulationRow:
    """One unit on the population page: the figures that count for it (`values`, by the rule of
    `population_values`) and, field by field, those that are its own (`own`: field → (as of, value)); the
    others are the sum of the units below it, or missing (None)."""

    unit: Unit
    values: dict[str, int | None]
    own: dict[str, tuple[datetime.date, int]]

    @property
    def own_as_of(self) -> datetime.date | None:
        """The date of its latest own figure."""
        return max((as_of for as_of, _value in self.own.values()), default=None)

    @property
    def summed(self) -> bool:
        """Some figure that counts is the sum of the units below."""
        return any(value is not None and field not in self.own for field, value in self.values.items())

    @property
    def missing(self) -> bool:
        return all(value is None for value in self.values.values())


def population_rows(unit: Unit, date: datetime.date) -> list[PopulationRow]:
    """`unit` and the units right below it, with the figures that count for each as of `date`."""
    units = [unit, *unit.children.order_by("code", "name")]
    values = population_values(roots=[unit], fields=POPULATION_FIELDS, dates=[date])
    own = defaultdict(dict)
    figures = PopulationFigure.objects.filter(unit__in=units, as_of__lte=date).order_by("unit_id", "-as_of")
    for row in figures.values_list("unit_id", "as_of", *POPULATION_FIELDS):
        for field, value in zip(POPULATION_FIELDS, row[2:], strict=True):
            if value is not None:
                own[row[0]].setdefault(field, (row[1], value))  # the latest figure that has this field
    return [
        PopulationRow(
            unit=row, values={field: values[(field, date)][row.pk] for field in POPULATION_FIELDS}, own=own[row.pk]
        )
        for row in units
    ]
