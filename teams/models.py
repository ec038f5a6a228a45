import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from totech.models import CleanTextModel
from units.choices import Level

from .choices import (
    DEPUTY_ROLES,
    Affiliation,
    Gender,
    ImportKind,
    ImportStatus,
    RequestKind,
    RequestStatus,
    TeamRole,
    TeamStatus,
    TrainingFormat,
)
from .validators import normalize_phone, validate_birth, validate_national_id

TEAM_LEVELS = [
    (Level.DISTRICT, Level.DISTRICT.label),
    (Level.COMMUNE, Level.COMMUNE.label),
    (Level.VILLAGE, Level.VILLAGE.label),
]
# A team's usual official name, in Vietnamese whatever the page's language: given to a team set up without one.
DEFAULT_TEAM_NAME = "Tổ Công nghệ số cộng đồng %s"


class Team(CleanTextModel, models.Model):
    """A community digital technology team (Tổ Công nghệ số cộng đồng) serving one district, commune or village."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit served"), on_delete=models.PROTECT, related_name="teams"
    )
    level = models.CharField(_("level"), max_length=10, choices=TEAM_LEVELS, editable=False)
    name = models.CharField(_("name"), max_length=200)
    decision_number = models.CharField(
        _("establishment decision number"), max_length=50, blank=True, help_text=_("For example 125/QĐ-UBND")
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_signer = models.CharField(_("signed by"), max_length=150, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TeamStatus.choices, default=TeamStatus.ACTIVE)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    zalo_link = models.URLField(_("Zalo group link"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every save: stale edits are refused."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["unit__path", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="team_name_unique_in_unit")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.unit_id:
            self.level = self.unit.level
        super().save(*args, **kwargs)

    def clean(self):
        if self.unit_id and self.unit.level not in {Level.DISTRICT, Level.COMMUNE, Level.VILLAGE}:
            raise ValidationError({"unit": _("A team serves a district, a commune or a village.")})
        if self.status == TeamStatus.DISSOLVED and not self.dissolved_on:
            raise ValidationError({"dissolved_on": _("Give the date the team was dissolved.")})
        if self.decision_date and self.decision_date > timezone.localdate():
            raise ValidationError({"decision_date": _("The decision date cannot be in the future.")})
        if self.dissolved_on and self.decision_date and self.dissolved_on < self.decision_date:
            raise ValidationError({"dissolved_on": _("The team cannot be dissolved before it was established.")})


class Person(CleanTextModel, models.Model):
    """Someone who is or was a team member. Phone and national ID are personal data (Law 91/2025/QH15)."""

    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, help_text=_("When only the year is known.")
    )
    phone = models.CharField(_("phone"), max_length=10, blank=True, help_text=_("10 digits starting with 0."))
    email = models.EmailField(_("email"), blank=True)
    national_id = models.CharField(
        _("national ID (CCCD)"), max_length=12, blank=True, validators=[validate_national_id]
    )
    commune = models.ForeignKey(
        "units.Unit",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("The commune whose officers keep this person's record."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["national_id"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        indexes = [models.Index(fields=["commune", "phone"]), models.Index(fields=["commune", "full_name"])]

    def __str__(self):
        return self.full_name

    def clean(self):
        errors = {}
        try:
            self.phone = normalize_phone(self.phone)
        except ValidationError as error:
            errors["phone"] = error.messages
        try:
            validate_birth(self.birth_date, self.birth_year, timezone.localdate())
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)

    @property
    def masked_national_id(self):
        """The national ID with all but its last 3 digits hidden (shown everywhere but its edit form)."""
        if not self.national_id:
            return ""
        return "•" * (len(self.national_id) - 3) + self.national_id[-3:]

    @property
    def year_of_birth(self):
        return self.birth_date.year if self.birth_date else self.birth_year


class Membership(CleanTextModel, models.Model):
    """A person's time in a team, with their role and where they come from. end_date is the last day in it."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role in the team"), max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER)
    affiliation = models.CharField(
        _("affiliation"), max_length=20, choices=Affiliation.choices, default=Affiliation.CITIZEN
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    fills_reports = models.BooleanField(
        _("fills in the team's reports"),
        default=False,
        help_text=_("A deputy the leader names to fill in and send the team's reports."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["team", "end_date", "role", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"],
                condition=Q(end_date__isnull=True),
                name="one_open_membership_per_person_and_team",
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(end_date__isnull=True, role=TeamRole.LEADER),
                name="one_current_leader_per_team",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["team", "start_date", "end_date"])]

    def __str__(self):
        return f"{self.person} · {self.team}"

    def clean(self):
        """The rules are checked over whole periods (not only open memberships, as the constraints do), so the
        roster's history stays true: nobody twice in a team at once, never two leaders at once."""
        if not (self.team_id and self.start_date):
            return
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A membership cannot end before it starts.")})
        if self.team.dissolved_on and self.start_date > self.team.dissolved_on:
            raise ValidationError({"start_date": _("The team was dissolved before this date.")})
        overlapping = self.overlapping_memberships()
        errors = {}
        if self.person_id and overlapping.filter(person_id=self.person_id).exists():
            errors["person"] = _("%(person)s is already a member of this team during this period.") % {
                "person": self.person
            }
        if self.role == TeamRole.LEADER:
            leader = (
                overlapping.filter(role=TeamRole.LEADER)
                .exclude(person_id=self.person_id)
                .select_related("person")
                .first()
            )
            if leader:
                errors["role"] = _(
                    "The team already has a leader during this period: %(person)s. End their membership or change their role first."
                ) % {"person": leader.person}
        if self.fills_reports and self.role not in DEPUTY_ROLES:
            errors["fills_reports"] = _("Only a deputy now in the team can be named to fill in the team's reports.")
        if errors:
            raise ValidationError(errors)

    def overlapping_memberships(self):
        """The team's other memberships whose period meets this one's."""
        overlap = Q(end_date__isnull=True) | Q(end_date__gte=self.start_date)
        if self.end_date:
            overlap &= Q(start_date__lte=self.end_date)
        return Membership.objects.filter(overlap, team_id=self.team_id).exclude(pk=self.pk)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    def is_active_on(self, date: datetime.date) -> bool:
        return self.start_date <= date and (self.end_date is None or self.end_date >= date)


class MembershipRequest(CleanTextModel, models.Model):
    """A request to join or leave a team, decided by the commune chair (commune teams) or the team leader
    (village teams), as in seed 003."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="requests")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(_("request"), max_length=10, choices=RequestKind.choices)
    role = models.CharField(_("role in the team"), max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER)
    affiliation = models.CharField(
        _("affiliation"), max_length=20, choices=Affiliation.choices, default=Affiliation.CITIZEN
    )
    effective_date = models.DateField(_("effective date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decider_name = models.CharField(_("decided by (name)"), max_length=150, blank=True)
    decider_title = models.CharField(
        _("decider's title"), max_length=150, blank=True, help_text=_("Commune chair or team leader.")
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("join or leave request")
        verbose_name_plural = _("join and leave requests")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.person} · {self.team}"


class CompositionRule(CleanTextModel, models.Model):
    """A province's rules for a team's make-up at one level; breaking them warns, it does not block saving."""

    province = models.ForeignKey(
        "units.Unit", verbose_name=_("province"), on_delete=models.CASCADE, related_name="composition_rules"
    )
    team_level = models.CharField(_("team level"), max_length=10, choices=TEAM_LEVELS)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("The plan the rule comes from."))
    min_size = models.PositiveSmallIntegerField(_("minimum members"), null=True, blank=True)
    max_size = models.PositiveSmallIntegerField(_("maximum members"), null=True, blank=True)
    requires_leader = models.BooleanField(_("needs a leader"), default=True)
    requires_deputy = models.BooleanField(_("needs a deputy"), default=False)
    min_youth_union = models.PositiveSmallIntegerField(_("minimum Youth Union members"), default=0)
    min_it_teachers = models.PositiveSmallIntegerField(_("minimum IT teachers"), default=0)
    preferred_max_age = models.PositiveSmallIntegerField(_("preferred maximum age"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("composition rule")
        verbose_name_plural = _("composition rules")
        constraints = [
            models.UniqueConstraint(fields=["province", "team_level"], name="one_rule_per_province_and_level")
        ]

    def __str__(self):
        return f"{self.province} · {self.get_team_level_display()}"

    def clean(self):
        if self.min_size and self.max_size and self.min_size > self.max_size:
            raise ValidationError({"max_size": _("The maximum cannot be below the minimum.")})


class Training(CleanTextModel, models.Model):
    """A training session for teams (often run with VNPT, Viettel, MobiFone, VNPost or FPT)."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("organised for"), on_delete=models.PROTECT, related_name="trainings"
    )
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=150, blank=True)
    format = models.CharField(
        _("format"), max_length=10, choices=TrainingFormat.choices, default=TrainingFormat.ON_SITE
    )
    attendees = models.ManyToManyField(Person, verbose_name=_("attendees"), blank=True, related_name="trainings")
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.topic} ({self.date:%d/%m/%Y})"


# The record of every spreadsheet import: who, when, which file, what it found and did. It is also what the
# progress bar of a long import reads.


RUNNING_STATUSES = {ImportStatus.VALIDATING, ImportStatus.IMPORTING}


def import_file_path(job, filename):
    """A name the server chooses (the sender's is kept in `file_name`, for the log)."""
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ImportJob(models.Model):
    kind = models.CharField(_("what"), max_length=10, choices=ImportKind.choices)
    commune = models.ForeignKey(
        "units.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="import_jobs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        help_text=_("Empty when run from the command line."),
    )
    # Emptied once the job is over or after settings.IMPORT_FILE_RETENTION_DAYS (release_file).
    file = models.FileField(_("file"), upload_to=import_file_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    as_of = models.DateField(_("figures as of"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.VALIDATING)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    created = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(
        _("warnings"),
        default=list,
        blank=True,
        help_text=_("Rows imported as they are but worth a look (a phone shared by a family)."),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_kind_display()})"

    @property
    def is_running(self):
        return self.status in RUNNING_STATUSES

    @property
    def progress_cache_key(self):
        return f"import-job-{self.pk}-progress"

    def release_file(self) -> None:
        """Forget the uploaded file (it holds personal data) once the job needs it no more; the caller saves the
        job. The file itself is deleted after the transaction commits, so a rollback keeps it."""
        if self.file:
            storage, name = self.file.storage, self.file.name
            transaction.on_commit(lambda: storage.delete(name))
            self.file = ""
