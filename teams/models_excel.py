"""The record of every spreadsheet import: who, when, which file, what it found and did.

It is also what the progress bar of a long import reads. Kept apart from models.py (imported by
TeamsConfig.ready) so the team model stays as the teams feature defines it.
"""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    MEMBERS = "members", _("Team members")
    VILLAGES = "villages", _("Villages and population")


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Checking the file")
    READY = "ready", _("Checked: waiting for confirmation")
    INVALID = "invalid", _("Rejected: errors in the file")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


RUNNING_STATUSES = {ImportStatus.VALIDATING, ImportStatus.IMPORTING}


def import_file_path(job, filename):
    """A name the server chooses (the sender's is kept in `file_name`, for the log)."""
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ImportJob(models.Model):
    kind = models.CharField(_("what"), max_length=10, choices=ImportKind.choices)
    commune = models.ForeignKey("units.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="import_jobs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="import_jobs", help_text=_("Empty when run from the command line."),
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
        _("warnings"), default=list, blank=True, help_text=_("Rows imported as they are but worth a look (a phone shared by a family)."),
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
