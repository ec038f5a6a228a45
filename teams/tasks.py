"""Celery tasks: thin wrappers that take ids and call the import service (safe to run twice)."""

from celery import shared_task

# The service is imported in each task: it queues these tasks, so it imports this module.


@shared_task(acks_late=True)
def import_job_check(job_id: int) -> None:
    from .spreadsheets.jobs import import_job_run

    import_job_run(job_id, dry_run=True)


@shared_task(acks_late=True)
def import_job_write(job_id: int) -> None:
    from .spreadsheets.jobs import import_job_run

    import_job_run(job_id, dry_run=False)


@shared_task
def purge_import_files() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): delete the uploaded files kept past the retention period."""
    from .spreadsheets.jobs import import_files_purge

    return import_files_purge()
