import datetime

from django.db.models import Count, Q, QuerySet

from .models import PopulationFigure, Unit


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


def units_visible_to(user) -> QuerySet[Unit]:
    """Every unit the user may see: their scope unit and everything under it."""
    return Unit.objects.filter(unit_scope_q(user, unit_field=None))


def unit_children(unit: Unit) -> QuerySet[Unit]:
    return unit.children.annotate(child_count=Count("children")).order_by("code", "name")


def unit_descendant_counts(unit: Unit) -> dict[str, int]:
    """How many units of each level lie under `unit` (cumulative, not only direct children)."""
    rows = (
        Unit.objects.filter(path__startswith=unit.path)
        .exclude(pk=unit.pk)
        .values("level")
        .annotate(total=Count("id"))
    )
    return {row["level"]: row["total"] for row in rows}


def population_as_of(unit: Unit, date: datetime.date) -> PopulationFigure | None:
    """The unit's latest population figures dated on or before `date`."""
    return unit.population_figures.filter(as_of__lte=date).order_by("-as_of").first()


def unit_ancestors_visible_to(user, unit: Unit) -> list[Unit]:
    """The breadcrumb above `unit`, cut where it leaves the user's scope."""
    ancestors = unit.ancestors()
    if user.sees_everything:
        return ancestors
    return [ancestor for ancestor in ancestors if ancestor.is_within(user.scope_unit)]
