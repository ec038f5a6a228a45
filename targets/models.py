import calendar
import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from totech.dates import quarter_bounds
from totech.models import CleanTextModel
from units.choices import Level

from .choices import Aggregation, IndicatorKind, PeriodKind, Pillar, PopulationField, TargetMode

DEFAULT_AMBER_FROM = Decimal("70")
DEFAULT_GREEN_FROM = Decimal("90")
# The first year with periods: no team reported before; the period generator and reporting schedules start here.
FIRST_YEAR = 2020


class Indicator(CleanTextModel, models.Model):
    """One KPI of the catalogue. It knows its denominator, never the actual results (those live in reports)."""

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Short and stable, e.g. eid_level2."))
    name_vi = models.CharField(_("name in Vietnamese"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    pillar = models.CharField(_("pillar"), max_length=20, choices=Pillar.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    denominator_field = models.CharField(
        _("population denominator"),
        max_length=30,
        choices=PopulationField.choices,
        blank=True,
        help_text=_(
            "For a percentage: the population figure it is a share of. For a count: the figure an absolute "
            "target is split by among the units below (population when empty)."
        ),
    )
    denominator_indicator = models.ForeignKey(
        "self",
        verbose_name=_("denominator indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a percentage of another indicator's result, e.g. activations over e-IDs issued."),
    )
    aggregation = models.CharField(_("over time"), max_length=10, choices=Aggregation.choices, default=Aggregation.FLOW)
    default_target = models.DecimalField(
        _("default target level"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The usual level in percent (or count), offered when targets are assigned."),
    )
    default_target_high = models.DecimalField(
        _("top of the default range"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("When the plan gives a range (40-50%): its top; the default level above is its bottom."),
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The plan the indicator comes from.")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The name in the active language."""
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    @property
    def is_percent(self):
        return self.kind == IndicatorKind.PERCENT

    @property
    def natural_mode(self):
        return TargetMode.PERCENT if self.is_percent else TargetMode.ABSOLUTE

    @property
    def share_field(self) -> str:
        """The population figure an absolute target is split by: the denominator, followed through a denominator
        indicator (activations split like e-ID registrations), population when there is none."""
        if self.denominator_field:
            return self.denominator_field
        if self.denominator_indicator_id and self.denominator_indicator_id != self.pk:
            return self.denominator_indicator.share_field
        return PopulationField.POPULATION

    def get_share_field_label(self):
        return PopulationField(self.share_field).label

    def clean(self):
        has_denominator = bool(self.denominator_field) + (self.denominator_indicator_id is not None)
        if self.kind == IndicatorKind.PERCENT and has_denominator != 1:
            raise ValidationError(
                {
                    "denominator_field": _(
                        "A percentage needs one denominator: a population figure or another indicator."
                    )
                }
            )
        if self.kind == IndicatorKind.COUNT and self.denominator_indicator_id:
            raise ValidationError({"denominator_indicator": _("A count has no denominator indicator.")})
        if self.pk and self.denominator_indicator_id == self.pk:
            raise ValidationError({"denominator_indicator": _("An indicator cannot be its own denominator.")})
        if self.kind == IndicatorKind.PERCENT and self.default_target is not None and self.default_target > 100:
            raise ValidationError({"default_target": _("A percentage must be between 0 and 100.")})
        if self.default_target_high is not None:
            if self.default_target is None or self.default_target_high < self.default_target:
                raise ValidationError(
                    {
                        "default_target_high": _(
                            "The top of the range must be at least the default level, which is its bottom."
                        )
                    }
                )
            if self.kind == IndicatorKind.PERCENT and self.default_target_high > 100:
                raise ValidationError({"default_target_high": _("A percentage must be between 0 and 100.")})


class Period(CleanTextModel, models.Model):
    """A month, quarter or year (generated, shared by everyone) or a dated campaign run by one unit."""

    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(
        _("number"), null=True, blank=True, help_text="Month 1-12 or quarter 1-4."
    )
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("For a campaign, e.g. Ra quân tháng 10.")
    )
    start = models.DateField(_("starts on"))
    end = models.DateField(_("ends on"))
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        help_text=_("The unit whose plan set the campaign; its targets apply there and below."),
    )
    plan_number = models.CharField(_("plan number"), max_length=50, blank=True, help_text=_("For example 174/KH-UBND"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["-start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number"],
                condition=Q(kind__in=["month", "quarter"]),
                name="one_period_per_number",
            ),
            models.UniqueConstraint(fields=["kind", "year"], condition=Q(kind="year"), name="one_period_per_year"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_ends_after_it_starts"),
            models.CheckConstraint(condition=~Q(kind="campaign") | Q(unit__isnull=False), name="campaign_has_unit"),
        ]

    def __str__(self):
        if self.kind == PeriodKind.MONTH:
            return _("Month %(number)s/%(year)s") % {"number": self.number, "year": self.year}
        if self.kind == PeriodKind.QUARTER:
            return _("Quarter %(number)s/%(year)s") % {"number": self.number, "year": self.year}
        if self.kind == PeriodKind.YEAR:
            return _("Year %(year)s") % {"year": self.year}
        return self.name

    @property
    def is_campaign(self):
        return self.kind == PeriodKind.CAMPAIGN

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("A period cannot end before it starts.")})
        if self.is_campaign:
            if not self.name:
                raise ValidationError({"name": _("Give the campaign a name.")})
            if self.unit_id is None:
                raise ValidationError({"unit": _("Choose the unit that runs the campaign.")})
            if self.start:
                self.year = self.start.year


def calendar_bounds(kind: str, year: int, number: int | None) -> tuple[datetime.date, datetime.date]:
    """First and last day of a month, quarter or year."""
    if kind == PeriodKind.MONTH:
        return datetime.date(year, number, 1), datetime.date(year, number, calendar.monthrange(year, number)[1])
    if kind == PeriodKind.QUARTER:
        return quarter_bounds(year, number)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class PeriodDeadline(CleanTextModel, models.Model):
    """A dated step of a campaign plan (seed 004: rosters by 20/09, plans by 25/09, review by 20/10)."""

    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="deadlines")
    due_on = models.DateField(_("due on"))
    task = models.CharField(_("what is due"), max_length=200)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on"]

    def __str__(self):
        return self.task


class Target(CleanTextModel, models.Model):
    """The target of one unit or one team for one indicator and period, and the decision that set it."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="targets")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    mode = models.CharField(_("expressed as"), max_length=10, choices=TargetMode.choices)
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    decision_number = models.CharField(
        _("decision number"), max_length=50, blank=True, help_text=_("For example 174/KH-UBND")
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["period", "indicator"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, team__isnull=True) | Q(unit__isnull=True, team__isnull=False),
                name="target_for_unit_or_team",
            ),
            models.UniqueConstraint(fields=["indicator", "period", "unit"], name="one_target_per_unit"),
            models.UniqueConstraint(fields=["indicator", "period", "team"], name="one_target_per_team"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]
        indexes = [models.Index(fields=["period", "indicator"])]

    def __str__(self):
        return f"{self.indicator.code} · {self.period} · {self.unit or self.team}"

    @property
    def holder(self):
        return self.team if self.team_id else self.unit

    def clean(self):
        if (self.unit_id is None) == (self.team_id is None):
            raise ValidationError(_("A target belongs to one unit or one team."))
        if self.value is None:
            return
        if self.value < 0:
            raise ValidationError({"value": _("A target cannot be negative.")})
        if self.mode == TargetMode.PERCENT:
            if self.value > 100:
                raise ValidationError({"value": _("A percentage must be between 0 and 100.")})
            if self.indicator_id and not self.indicator.is_percent:
                raise ValidationError({"mode": _("A count indicator takes an absolute number, not a percentage.")})
        elif self.value != self.value.to_integral_value():
            raise ValidationError({"value": _("An absolute target is a whole number.")})


class AchievementThreshold(models.Model):
    """Where a province's Department draws red, amber and green on achievement (actual as % of the target)."""

    province = models.OneToOneField(
        "units.Unit",
        verbose_name=_("province"),
        on_delete=models.CASCADE,
        related_name="achievement_threshold",
        limit_choices_to={"level": Level.PROVINCE},
    )
    amber_from = models.DecimalField(
        _("amber from (%)"),
        max_digits=5,
        decimal_places=1,
        default=DEFAULT_AMBER_FROM,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Below this share of the target a unit is red."),
    )
    green_from = models.DecimalField(
        _("green from (%)"),
        max_digits=5,
        decimal_places=1,
        default=DEFAULT_GREEN_FROM,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("From this share of the target a unit is green."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("achievement thresholds")
        verbose_name_plural = _("achievement thresholds")

    def clean(self):
        if self.amber_from is not None and self.green_from is not None and self.amber_from >= self.green_from:
            raise ValidationError({"green_from": _("Green must start above amber.")})
