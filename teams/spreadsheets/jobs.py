"""Starting and confirming spreadsheet imports from the web: small files run in the request, large ones in
Celery (enqueued on commit) while the page polls the job's progress."""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from totech.spreadsheets import ImportResult, SpreadsheetError, check_upload, count_rows
from units.imports import import_villages
from units.models import Unit

from ..choices import ImportKind, ImportStatus
from ..models import ImportJob
from ..tasks import import_job_check, import_job_write
from .members import import_members

INLINE_ROWS = 2000

logger = logging.getLogger(__name__)


def _enqueue(task, job_id: int) -> None:
    """Queue a large file's step. With the task queue (Redis) down the job fails with a message saying so,
    rather than the page failing or the job waiting for a task that was never queued."""
    try:
        task.delay(job_id)
    except OperationalError:
        logger.exception("import job %s: the task queue is unavailable", job_id)
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job_id)
            _fail(job, _("The task queue is unavailable: upload the file again in a few minutes."))


def _fail(job: ImportJob, message: str) -> None:
    """Mark a locked job failed with `message`; its file is released."""
    job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
    job.errors = [{"row": 0, "column": "", "message": message}]
    job.release_file()
    job.save()


def _dispatch(job: ImportJob, *, dry_run: bool) -> None:
    if job.total_rows <= INLINE_ROWS:
        import_job_run(job.pk, dry_run=dry_run)
    else:
        task = import_job_check if dry_run else import_job_write
        transaction.on_commit(lambda: _enqueue(task, job.pk))


def import_job_start(*, kind: str, commune: Unit, user, upload, as_of: datetime.date | None = None) -> ImportJob:
    """Check the upload's safety, store it and start the dry run. Raises SpreadsheetError for unsafe files."""
    check_upload(upload, upload.name)
    job = ImportJob(
        kind=kind, commune=commune, user=user, file_name=upload.name[-255:], as_of=as_of, total_rows=count_rows(upload)
    )
    job.full_clean()
    job.file.save("import.xlsx", upload, save=False)  # named by import_file_path
    job.save()
    _dispatch(job, dry_run=True)
    job.refresh_from_db()
    return job


def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """Write a checked file. Only a job waiting for confirmation moves on; anything else is left as it is."""
    if ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY).update(status=ImportStatus.IMPORTING):
        _dispatch(job, dry_run=False)
    job.refresh_from_db()
    return job


def import_files_purge() -> int:
    """Daily (beat): release the files kept past settings.IMPORT_FILE_RETENTION_DAYS; returns how many. A job
    never confirmed, or stuck in a run whose task was lost, fails saying so. Safe to run twice."""
    days = settings.IMPORT_FILE_RETENTION_DAYS
    old = ImportJob.objects.exclude(file="").filter(created_at__lt=timezone.now() - datetime.timedelta(days=days))
    released = 0
    for job_id in old.values_list("pk", flat=True):
        with transaction.atomic():
            # A running import holds its job's row (import_job_run) and releases the file itself when done.
            job = ImportJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
            if job is None or not job.file:
                continue
            if job.status == ImportStatus.READY or job.is_running:
                _fail(
                    job,
                    _("The file was deleted after %(days)s days without being imported: upload it again.")
                    % {"days": days},
                )
            else:  # a job over before its file was released
                job.release_file()
                job.save(update_fields=["file"])
            released += 1
    return released


def import_job_record(*, kind: str, commune: Unit, user, file_name: str, result, as_of=None) -> ImportJob:
    """Log an import run outside the web flow (the command line), with its outcome."""
    return ImportJob.objects.create(
        kind=kind,
        commune=commune,
        user=user,
        file_name=file_name[-255:],
        as_of=as_of,
        status=ImportStatus.DONE if result.ok else ImportStatus.INVALID,
        total_rows=result.total_rows,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        errors=[error.as_dict() for error in result.errors],
        warnings=[warning.as_dict() for warning in result.warnings],
        finished_at=timezone.now(),
    )


def import_job_run(job_id: int, *, dry_run: bool) -> None:
    """Check (dry run) or write the job's file and record the outcome on the job. Safe to run twice: the job
    row is locked and its status says whether this step is still to do."""
    expected = ImportStatus.VALIDATING if dry_run else ImportStatus.IMPORTING
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("commune", "user")
            .filter(pk=job_id, status=expected)
            .first()
        )
        if job is None:
            return

        def progress(row_number):
            cache.set(job.progress_cache_key, min(99, row_number * 100 // max(job.total_rows, 1)), 3600)

        try:
            if not job.file or not job.file.storage.exists(job.file.name):
                raise SpreadsheetError(_("The uploaded file is no longer kept: upload it again."))
            with job.file.open("rb") as file:
                if job.kind == ImportKind.MEMBERS:
                    result = import_members(
                        file,
                        commune=job.commune,
                        user=job.user,
                        file_name=job.file_name,
                        dry_run=dry_run,
                        progress=progress,
                    )
                else:
                    result = import_villages(
                        file, commune=job.commune, as_of=job.as_of, dry_run=dry_run, progress=progress
                    )
        except SpreadsheetError as problem:
            result = ImportResult()
            result.add_error(1, "", str(problem))
        job.created, job.updated, job.unchanged = result.created, result.updated, result.unchanged
        job.total_rows = result.total_rows
        job.errors = [error.as_dict() for error in result.errors]
        job.warnings = [warning.as_dict() for warning in result.warnings]
        if result.error_count > len(result.errors):
            job.errors.append(
                {
                    "row": 0,
                    "column": "",
                    "message": _("… and %(count)s more errors.")
                    % {"count": number_format(result.error_count - len(result.errors))},
                }
            )
        if not result.ok:
            job.status = ImportStatus.INVALID
        else:
            job.status = ImportStatus.READY if dry_run else ImportStatus.DONE
        if job.status != ImportStatus.READY:
            job.finished_at = timezone.now()
            job.release_file()
        job.save()
        cache.delete(job.progress_cache_key)
