import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from totech.models import CleanTextModel
from totech.text import fold

from .choices import LEVEL_OF_DIVISION_TYPE, DivisionType, Edition, Level

REFORM_DATE = datetime.date(2025, 7, 1)

# Which level a unit's parent must be at. Communes hang under a district on the pre-reform map and directly
# under the province on the reformed one.
ALLOWED_PARENT_LEVELS = {
    Level.PROVINCE: set(),
    Level.DISTRICT: {Level.PROVINCE},
    Level.COMMUNE: {Level.DISTRICT, Level.PROVINCE},
    Level.VILLAGE: {Level.COMMUNE},
}


class Unit(CleanTextModel, models.Model):
    """One node of the administrative tree: province, district, commune or village.

    Each official edition of the map keeps its own rows, so history made under districts keeps pointing at
    them after the 2025 reform. `path` holds the ids from the root ("/3/41/977/") so "this unit and
    everything under it" is one indexed prefix match.
    """

    edition = models.CharField(_("edition"), max_length=4, choices=Edition.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    division_type = models.CharField(_("division type"), max_length=16, choices=DivisionType.choices)
    code = models.CharField(_("GSO code"), max_length=10, blank=True, help_text=_("Official code; villages have none."))
    name = models.CharField(_("name"), max_length=150)
    # fold(name), what the unit picker's search matches ("phuong ben thanh"). Kept by save() and by the loaders
    # that write in bulk (units.services); trigram-indexed on PostgreSQL (migration 0002).
    search_name = models.CharField(max_length=150, editable=False, default="")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=100, editable=False, db_index=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "level", "code"], condition=~models.Q(code=""), name="unit_code_unique_per_edition"
            ),
            models.UniqueConstraint(
                fields=["parent", "name"], condition=models.Q(level="village"), name="village_name_unique_in_commune"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
            ),
        ]
        indexes = [
            models.Index(fields=["level", "edition"]),
            # One level in map order: the unit search reads each level's first matches (units.selectors).
            models.Index(fields=["level", "path"], name="unit_level_path_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            Unit.objects.filter(pk=self.pk).update(path=path)

    def clean(self):
        if self.division_type and LEVEL_OF_DIVISION_TYPE.get(self.division_type) != self.level:
            raise ValidationError({"division_type": _("This division type does not belong to this level.")})
        allowed = ALLOWED_PARENT_LEVELS.get(self.level, set())
        if self.parent is None and allowed:
            raise ValidationError({"parent": _("This unit needs a parent unit.")})
        if self.parent is not None:
            if self.parent.level not in allowed:
                raise ValidationError({"parent": _("A unit of this level cannot sit under that parent.")})
            if self.parent.edition != self.edition:
                raise ValidationError({"parent": _("The parent belongs to another edition of the map.")})

    def ancestor_ids(self) -> list[int]:
        """The ids of this unit's ancestors from the province down, read from its path (no query)."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1]]

    def ancestors(self):
        """This unit's ancestors from the province down, in one query."""
        return sorted(Unit.objects.filter(pk__in=self.ancestor_ids()), key=lambda unit: len(unit.path))

    def is_within(self, other):
        return self.path.startswith(other.path)

    @property
    def has_districts(self):
        return self.edition == Edition.PRE_REFORM


POPULATION_FIELDS = ["households", "population", "working_age_population", "eid_eligible"]  # the figures, in page order


class PopulationFigure(models.Model):
    """The denominators of percentage KPIs for one unit, as of a date."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="population_figures")
    as_of = models.DateField(_("as of"))
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    working_age_population = models.PositiveIntegerField(_("working-age population"), null=True, blank=True)
    eid_eligible = models.PositiveIntegerField(_("citizens eligible for e-ID"), null=True, blank=True)
    history = HistoricalRecords()  # who entered or corrected which figure, when (the portal's population pages)

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["unit", "-as_of"]
        constraints = [models.UniqueConstraint(fields=["unit", "as_of"], name="population_one_per_unit_and_date")]

    def __str__(self):
        return f"{self.unit} ({self.as_of:%d/%m/%Y})"

    def clean(self):
        if (
            self.population is not None
            and self.working_age_population is not None
            and self.working_age_population > self.population
        ):
            raise ValidationError(
                {"working_age_population": _("The working-age population cannot exceed the population.")}
            )
        if self.population is not None and self.eid_eligible is not None and self.eid_eligible > self.population:
            raise ValidationError({"eid_eligible": _("Citizens eligible for e-ID cannot exceed the population.")})
