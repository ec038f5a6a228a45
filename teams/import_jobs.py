"""Starting and confirming spreadsheet imports from the web: small files run in the request, large ones in
Celery (enqueued on commit) while the page polls the job's progress."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from totech.spreadsheets import check_upload, count_rows
from units.models import Unit

from .imports import import_job_run
from .models_excel import ImportJob, ImportStatus
from .tasks import import_job_check, import_job_write

INLINE_ROWS = 2000

logger = logging.getLogger(__name__)


def _enqueue(task, job_id: int) -> None:
    """Queue a large file's step. With the task queue (Redis) down the job fails with a message saying so,
    rather than the page failing or the job waiting for a task that was never queued."""
    try:
        task.delay(job_id)
    except OperationalError:
        logger.exception("import job %s: the task queue is unavailable", job_id)
        message = _("The task queue is unavailable: upload the file again in a few minutes.")
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(), errors=[{"row": 0, "column": "", "message": message}]
        )


def _dispatch(job: ImportJob, *, dry_run: bool) -> None:
    if job.total_rows <= INLINE_ROWS:
        import_job_run(job.pk, dry_run=dry_run)
    else:
        task = import_job_check if dry_run else import_job_write
        transaction.on_commit(lambda: _enqueue(task, job.pk))


def import_job_start(*, kind: str, commune: Unit, user, upload, as_of: datetime.date | None = None) -> ImportJob:
    """Check the upload's safety, store it and start the dry run. Raises SpreadsheetError for unsafe files."""
    check_upload(upload, upload.name)
    job = ImportJob(kind=kind, commune=commune, user=user, file_name=upload.name[-255:], as_of=as_of, total_rows=count_rows(upload))
    job.file.save(upload.name[-100:], upload, save=False)
    job.full_clean()
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


def import_job_record(*, kind: str, commune: Unit, user, file_name: str, result, as_of=None) -> ImportJob:
    """Log an import run outside the web flow (the command line), with its outcome."""
    return ImportJob.objects.create(
        kind=kind, commune=commune, user=user, file_name=file_name[-255:], as_of=as_of,
        status=ImportStatus.DONE if result.ok else ImportStatus.INVALID, total_rows=result.total_rows,
        created=result.created, updated=result.updated, unchanged=result.unchanged,
        errors=[error.as_dict() for error in result.errors], warnings=[warning.as_dict() for warning in result.warnings],
        finished_at=timezone.now(),
    )
