import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from targets.choices import PopulationField, Rating, TargetMode
from targets.models import FIRST_YEAR
from totech.models import CleanTextModel

from .choices import EDITABLE_STATUSES, Action, Frequency, NotificationKind, Operator, ReportKind, ReportStatus
from .images import EXTENSIONS

DEFAULT_DEADLINE_DAY = 5
DEFAULT_REMIND_DAYS_BEFORE = 3


class ReportingSchedule(models.Model):
    """How often a province's teams report, and by which day of the following month."""

    province = models.OneToOneField(
        "units.Unit", verbose_name=_("province"), on_delete=models.CASCADE, related_name="reporting_schedule"
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    deadline_day = models.PositiveSmallIntegerField(
        _("deadline day"),
        default=DEFAULT_DEADLINE_DAY,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Day of the month after the period by which the report is due (1-28)."),
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind days before"),
        default=DEFAULT_REMIND_DAYS_BEFORE,
        validators=[MaxValueValidator(15)],
        help_text=_("How many days before the deadline teams are reminded."),
    )
    starts_on = models.DateField(
        _("reports expected from"), help_text=_("Periods starting before this date are not expected.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting schedule")
        verbose_name_plural = _("reporting schedules")

    def __str__(self):
        return f"{self.province} · {self.get_frequency_display()}"

    def clean(self):
        """Its periods are generated from its first year on: none before the portal's first (targets.FIRST_YEAR)."""
        if self.starts_on and self.starts_on.year < FIRST_YEAR:
            raise ValidationError(
                {"starts_on": _("Reports can be expected from %(year)s at the earliest.") % {"year": FIRST_YEAR}}
            )


class ReportRequest(CleanTextModel, models.Model):
    """An ad-hoc report (báo cáo đột xuất) asked of every active team under a commune or province."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("requested by unit"), on_delete=models.PROTECT, related_name="report_requests"
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("what to report"), blank=True)
    covers_start = models.DateField(_("covers from"))
    covers_end = models.DateField(_("covers to"))
    deadline = models.DateField(_("deadline"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ad-hoc report request")
        verbose_name_plural = _("ad-hoc report requests")
        ordering = ["-deadline", "-pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.covers_start and self.covers_end and self.covers_end < self.covers_start:
            raise ValidationError({"covers_end": _("The period covered cannot end before it starts.")})
        if self.covers_start and self.deadline and self.deadline < self.covers_start:
            raise ValidationError({"deadline": _("The deadline cannot be before the period covered starts.")})


class Report(CleanTextModel, models.Model):
    """One team's report for one period (or one ad-hoc request).

    The team's units are copied here when the report is created, so a later reorganisation (the 2025 reform
    abolished districts) never moves history. The values copy them again, for the roll-ups (see ReportValue).
    """

    team = models.ForeignKey("teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    period = models.ForeignKey(
        "targets.Period",
        verbose_name=_("period"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    request = models.ForeignKey(
        ReportRequest,
        verbose_name=_("ad-hoc request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    village = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    commune = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    district = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    activities = models.TextField(_("activities done"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    quality_note = models.TextField(
        _("explanation of the flagged figures"),
        blank=True,
        help_text=_(
            "The leader's explanation of the figures the data-quality checks flagged when the report was sent."
        ),
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every save: stale saves are refused."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered on the team's behalf by"),
        help_text=_("The commune officer who last typed in the team's paper report; they never approve it."),
    )
    entered_at = models.DateTimeField(_("entered on the team's behalf at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-deadline", "team__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "period"], condition=Q(request__isnull=True), name="one_report_per_team_and_period"
            ),
            models.UniqueConstraint(
                fields=["team", "request"], condition=Q(request__isnull=False), name="one_report_per_team_and_request"
            ),
            models.CheckConstraint(
                condition=Q(kind=ReportKind.AD_HOC, request__isnull=False, period__isnull=True)
                | (~Q(kind=ReportKind.AD_HOC) & Q(request__isnull=True, period__isnull=False)),
                name="report_has_period_or_request",
            ),
        ]
        indexes = [models.Index(fields=["status", "commune"]), models.Index(fields=["deadline"])]

    def __str__(self):
        return f"{self.team} · {self.subject}"

    @property
    def subject(self):
        """What the report is for: its period, or the ad-hoc request's title."""
        return self.request.title if self.request_id else str(self.period)

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    @property
    def on_time(self) -> bool | None:
        """Whether it was first submitted by the deadline (None while never submitted)."""
        if self.submitted_at is None:
            return None
        return submitted_on(self.submitted_at) <= self.deadline

    @property
    def slot_key(self) -> str:
        """Stable across the report's creation: the browser keeps unsent input under this key."""
        slot = f"r{self.request_id}" if self.request_id else f"p{self.period_id}"
        return f"{self.team_id}-{slot}"


def submitted_on(moment) -> datetime.date:
    """The local date of a submission: deadlines are dates in the portal's time zone."""
    return timezone.localtime(moment).date()


class ReportValue(models.Model):
    """One indicator's value in one report: the fact row of the roll-ups.

    Period, team, units and whether the report is approved are copied from the report so the quarterly
    roll-up can GROUP BY them without joins (LIBRARY-NOTES, "PostgreSQL aggregation"); the services keep them
    in step on every transition.
    """

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        "targets.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveIntegerField(_("value"), null=True, blank=True)
    kind = models.CharField(max_length=10, choices=ReportKind.choices)
    period = models.ForeignKey("targets.Period", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    period_end = models.DateField(
        help_text="The end of the period (or of the ad-hoc request's span): stock values take the latest."
    )
    team = models.ForeignKey("teams.Team", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    approved = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("report value")
        verbose_name_plural = _("report values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_report_and_indicator")
        ]
        indexes = [
            models.Index(fields=["approved", "period", "commune"]),
            models.Index(fields=["approved", "team", "indicator"]),
            models.Index(fields=["province", "period"]),  # a province's quarter, without its other months
        ]


def photo_path(photo, filename):
    """A name the server chooses: the sender's file name (x.html) is never used; the extension is the format
    written (reports.images)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"reports/{photo.report_id}/{uuid.uuid4().hex}.{extension if extension in EXTENSIONS.values() else 'bin'}"


class ReportPhoto(CleanTextModel, models.Model):
    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at"]


class ReportTransition(CleanTextModel, models.Model):
    """One step of the review, with who, when, from which state to which, and the comment: shown on the report."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["at", "pk"]


class StaleRollup(models.Model):
    """A (commune, quarter) whose summaries must be recomputed: written when a report is approved or reopened,
    drained by the roll-up (issue 7). `unit` is the report's commune (its district for a district team).
    `marked_at` moves forward on every mark, so a roll-up that started earlier knows it must run again."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "quarter"], name="one_stale_mark_per_unit_quarter")
        ]


class RecomputeRequest(models.Model):
    """Staff asked to recompute a province's quarter (`quarter` 0: its year) now rather than at the next drain;
    one at a time: the task deletes it when it has run (services.rollup_request)."""

    province = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(validators=[MaxValueValidator(4)])
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "quarter"], name="one_recompute_request_per_province_period"
            )
        ]


class Notification(models.Model):
    """A message in the portal (the bell in the navbar). `key` makes reminders idempotent: one per user and key.
    `emailed` once its e-mail has left (services.notifications_email, after the commit)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=12, choices=NotificationKind.choices)
    key = models.CharField(max_length=100)
    message = models.TextField(_("message"))
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed = models.BooleanField(_("emailed"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_user_and_key")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.message


class IndicatorSummary(models.Model):
    """One indicator's roll-up for one unit (commune, district or province) and period, written by
    reports.rollups from approved values; recomputed whole, never incremented."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey("targets.Period", verbose_name=_("period"), on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(
        "targets.Indicator", verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    actual = models.PositiveIntegerField(_("actual"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("denominator"), null=True, blank=True)
    rate = models.DecimalField(_("rate (%)"), max_digits=7, decimal_places=1, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    target_mode = models.CharField(_("target expressed as"), max_length=10, choices=TargetMode.choices, blank=True)
    achievement = models.DecimalField(_("achievement (%)"), max_digits=9, decimal_places=1, null=True, blank=True)
    rating = models.CharField(_("status"), max_length=10, choices=Rating.choices, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("indicator summary")
        verbose_name_plural = _("indicator summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "indicator"], name="one_summary_per_unit_period_indicator"
            )
        ]


class UnitSummary(models.Model):
    """A unit's roll-up for one period: completeness and timeliness of reports, teams, members and coverage."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey("targets.Period", verbose_name=_("period"), on_delete=models.CASCADE, related_name="+")
    reports_expected = models.PositiveIntegerField(_("reports expected"), default=0)
    reports_received = models.PositiveIntegerField(_("reports received"), default=0)
    reports_on_time = models.PositiveIntegerField(_("reports on time"), default=0)
    reports_pending = models.PositiveIntegerField(
        _("reports not yet due"), default=0, help_text=_("Reports owed for periods whose deadline has not passed yet.")
    )
    active_teams = models.PositiveIntegerField(_("active teams"), default=0)
    members = models.PositiveIntegerField(_("members"), default=0)
    villages = models.PositiveIntegerField(_("villages"), default=0)
    villages_covered = models.PositiveIntegerField(_("villages with an active team"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("unit summary")
        verbose_name_plural = _("unit summaries")
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="one_summary_per_unit_period")]

    @property
    def completeness(self):
        return round(100 * self.reports_received / self.reports_expected, 1) if self.reports_expected else None

    @property
    def timeliness(self):
        return round(100 * self.reports_on_time / self.reports_received, 1) if self.reports_received else None

    @property
    def not_yet_due(self) -> bool:
        """Reports are owed for the period but no deadline has passed yet: "not yet due", never 0 %."""
        return not self.reports_expected and bool(self.reports_pending)

    @property
    def coverage(self):
        return round(100 * self.villages_covered / self.villages, 1) if self.villages else None


class QualityRule(CleanTextModel, models.Model):
    """A Department's own data-quality rule for its province, after DHIS2's validation rules: a left side, an
    operator and a right side, each an indicator's value in the report or a population figure of the team's
    area, the right side times a factor (citizen app ≤ 0.5 × working-age population). Checked with the built-in
    rules (reports.quality) on every report of the province. Of DHIS2's fields it keeps name, instruction,
    operator and the two sides; a side without a value skips the rule (DHIS2's SKIP_IF_ANY_VALUE_MISSING); no
    importance (every problem is a warning the leader explains) and no period type (every report is checked)."""

    province = models.ForeignKey(
        "units.Unit", verbose_name=_("province"), on_delete=models.CASCADE, related_name="quality_rules"
    )
    name = models.CharField(_("name"), max_length=200)
    instruction = models.TextField(
        _("what to check"), blank=True, help_text=_("Shown to the team and the reviewer with the warning.")
    )
    left_indicator = models.ForeignKey(
        "targets.Indicator",
        verbose_name=_("left side: indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    left_field = models.CharField(
        _("left side: population figure"), max_length=30, choices=PopulationField.choices, blank=True
    )
    operator = models.CharField(_("operator"), max_length=3, choices=Operator.choices)
    right_indicator = models.ForeignKey(
        "targets.Indicator",
        verbose_name=_("right side: indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    right_field = models.CharField(
        _("right side: population figure"), max_length=30, choices=PopulationField.choices, blank=True
    )
    right_factor = models.DecimalField(
        _("right side multiplied by"),
        max_digits=7,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(10000)],
    )
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("data-quality rule")
        verbose_name_plural = _("data-quality rules")
        ordering = ["province", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_indicator__isnull=False, left_field="")
                | (Q(left_indicator__isnull=True) & ~Q(left_field="")),
                name="quality_rule_one_left_side",
            ),
            models.CheckConstraint(
                condition=Q(right_indicator__isnull=False, right_field="")
                | (Q(right_indicator__isnull=True) & ~Q(right_field="")),
                name="quality_rule_one_right_side",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if bool(self.left_indicator_id) == bool(self.left_field):
            raise ValidationError({"left_indicator": _("Choose one left side: an indicator or a population figure.")})
        if bool(self.right_indicator_id) == bool(self.right_field):
            raise ValidationError({"right_indicator": _("Choose one right side: an indicator or a population figure.")})
        if not (self.left_indicator_id or self.right_indicator_id):
            raise ValidationError(
                {
                    "left_indicator": _(
                        "A rule needs an indicator on at least one side: two population figures are not in any report."
                    )
                }
            )
        if (self.left_indicator_id, self.left_field) == (
            self.right_indicator_id,
            self.right_field,
        ) and self.right_factor == 1:
            raise ValidationError({"right_indicator": _("The two sides are the same: the rule would check nothing.")})
