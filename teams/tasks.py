"""Celery tasks: thin wrappers that take ids and call the import service (safe to run twice)."""

from celery import shared_task

from .imports import import_job_run


@shared_task(acks_late=True)
def import_job_check(job_id: int) -> None:
    import_job_run(job_id, dry_run=True)


@shared_task(acks_late=True)
def import_job_write(job_id: int) -> None:
    import_job_run(job_id, dry_run=False)
