"""Uploaded import files hold personal data: each is deleted once its job is over (imported, rejected or
failed), and a beat task deletes those left waiting for confirmation past the retention period (issue 12,
item 10)."""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from teams.models import ImportJob, ImportStatus
from teams.spreadsheets import jobs as import_jobs
from teams.tasks import purge_import_files
from totech.celery import app

from .helpers import member_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media):
    return [path for path in (media / "imports").rglob("*") if path.is_file()] if (media / "imports").exists() else []


def start(client, world, rows=1, valid=True):
    data = [
        [n, f"Người Số {n}", "1990", "Nam", f"09{n:08d}" if valid else "123", "", "", "Bản Giang", None]
        for n in range(1, rows + 1)
    ]
    client.post(
        reverse("teams:members_import"),
        {"commune": world["K1"].pk, "file": SimpleUploadedFile("danh-sach.xlsx", member_file(*data).getvalue())},
    )
    return ImportJob.objects.latest("pk")


def test_the_file_is_kept_until_confirmation_then_deleted(
    client, world, personas, media, django_capture_on_commit_callbacks
):
    client.force_login(personas["commune"])
    with django_capture_on_commit_callbacks(execute=True):
        job = start(client, world)
    assert job.status == ImportStatus.READY and job.file and len(stored(media)) == 1
    assert job.file.name.endswith(".xlsx") and "danh-sach" not in job.file.name  # a name the server chose
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("teams:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and not job.file and not stored(media)
    assert job.file_name == "danh-sach.xlsx"  # the log still names it


def test_a_rejected_file_is_deleted_at_once(client, world, personas, media, django_capture_on_commit_callbacks):
    client.force_login(personas["commune"])
    with django_capture_on_commit_callbacks(execute=True):
        job = start(client, world, valid=False)
    assert job.status == ImportStatus.INVALID and not job.file and not stored(media)


def test_a_file_whose_job_failed_is_deleted(
    client, world, personas, media, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_jobs, "INLINE_ROWS", 1)

    def queue_down(job_id):
        raise OperationalError("redis down")

    monkeypatch.setattr(import_jobs.import_job_check, "delay", queue_down)
    client.force_login(personas["commune"])
    with django_capture_on_commit_callbacks(execute=True):
        job = start(client, world, rows=3)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and not job.file and not stored(media)


def test_files_waiting_past_the_retention_period_are_deleted_by_the_beat_task(
    client, world, personas, media, django_capture_on_commit_callbacks
):
    client.force_login(personas["commune"])
    with django_capture_on_commit_callbacks(execute=True):
        old, recent = start(client, world), start(client, world)
    days = settings.IMPORT_FILE_RETENTION_DAYS
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=days, minutes=1))
    assert len(stored(media)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert purge_import_files() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == ImportStatus.FAILED and not old.file
    assert f"{days} ngày" in old.errors[0]["message"]
    assert (
        recent.status == ImportStatus.READY
        and recent.file
        and [path.name for path in stored(media)] == [recent.file.name.rsplit("/", 1)[1]]
    )
    client.post(reverse("teams:job_confirm", args=[old.pk]))
    old.refresh_from_db()
    assert old.status == ImportStatus.FAILED  # nothing left to confirm
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_import_files() == 0  # safe to run again


def test_the_purge_runs_every_day_from_the_beat_schedule():
    [entry] = [
        entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == "teams.tasks.purge_import_files"
    ]
    assert entry["task"] in app.tasks


def test_files_of_jobs_over_before_this_change_are_deleted_too(
    client, world, personas, media, django_capture_on_commit_callbacks
):
    client.force_login(personas["commune"])
    with django_capture_on_commit_callbacks(execute=True):
        job = start(client, world)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE, created_at=timezone.now() - datetime.timedelta(days=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_import_files() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and not job.errors and not job.file and not stored(media)
