"""Review notices are written with the change they tell of and e-mailed once it has committed, by a thin task
(reports.tasks.email_notifications): no mail server is waited for while the report row is locked, a rolled-back
change sends nothing, a notification is e-mailed once, and a mail server's refusal is tried again, then logged,
without failing the review. Reminders send through the same function."""

import datetime
import os
import smtplib
import time

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from kombu.exceptions import OperationalError

from reports import tasks
from reports.choices import NotificationKind, ReportStatus
from reports.models import Notification
from reports.services import reminders_send, report_approve, report_return
from reports.tests.helpers import save

pytestmark = pytest.mark.django_db
LONG_COMMENT = "Số hộ được hướng dẫn cao hơn số hộ của thôn; kiểm tra lại từng hộ. " * 6  # over 300 characters


class FlakyMailServer(EmailBackend):
    """The in-memory backend behind a mail server that refuses the first `refusals` messages."""

    refusals = 0
    attempts = 0

    def send_messages(self, messages):
        FlakyMailServer.attempts += 1
        if FlakyMailServer.refusals:
            FlakyMailServer.refusals -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def mail_server(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyMailServer"
    FlakyMailServer.refusals = FlakyMailServer.attempts = 0
    return FlakyMailServer


@pytest.fixture
def report(setup):
    """W1's January report, sent; its leader has an e-mail address."""
    leader = setup.personas["leader"]
    leader.email = "tuan@example.vn"
    leader.save()
    return save(leader, setup.team, setup.period(1), {setup.households.pk: 120, setup.visits.pk: 14}, submit=True)


def notification_of(setup):
    return Notification.objects.get(user=setup.personas["leader"])


def test_nothing_is_emailed_when_the_change_rolls_back(setup, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            report_approve(user=setup.personas["commune"], report=report)
            assert notification_of(setup).emailed is False  # written in the transaction
            raise RuntimeError("a later step fails")
    assert (callbacks, mail.outbox) == ([], [])
    assert not Notification.objects.filter(user=setup.personas["leader"]).exists()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_email_leaves_after_the_commit_with_the_whole_message(setup, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        report_return(user=setup.personas["commune"], report=report, comment=LONG_COMMENT)
    assert mail.outbox == []  # nothing sent while the report row was locked
    assert len(callbacks) == 1
    callbacks[0]()
    [message] = mail.outbox
    assert message.to == ["tuan@example.vn"]
    assert message.subject == "[Totech] Báo cáo bị trả lại"
    text = f"Báo cáo Tháng 1/2026 của tổ bị trả lại: {LONG_COMMENT.strip()}"
    assert message.body == f"{text}\n\n{settings.PORTAL_URL}{reverse('reports:detail', args=[report.pk])}"
    notification = notification_of(setup)
    assert (notification.message, notification.emailed) == (text, True)


def test_the_email_is_in_the_language_the_change_was_made_in(setup, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with translation.override("en"):
            report_approve(user=setup.personas["commune"], report=report)
    [message] = mail.outbox  # sent after the override ended, as a worker would
    assert message.subject == "[Totech] Report approved"
    assert message.body.startswith("Your report for Month 1/2026 was approved.\n\n")


def test_a_notification_is_emailed_once(setup, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        report_approve(user=setup.personas["commune"], report=report)
    notification = notification_of(setup)
    tasks.email_notifications.delay([notification.pk], "vi")
    tasks.email_notifications.delay([notification.pk], "vi")  # a redelivery
    for callback in callbacks:  # and the commit's own
        callback()
    assert len(mail.outbox) == 1
    assert notification_of(setup).emailed is True


def test_a_mail_server_failure_does_not_fail_the_approval(
    client, setup, report, mail_server, caplog, django_capture_on_commit_callbacks
):
    mail_server.refusals = 100
    client.force_login(setup.personas["commune"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:review", args=[report.pk]), {"action": "approve", "comment": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    notification = notification_of(setup)
    assert (notification.kind, notification.emailed, mail.outbox) == (NotificationKind.APPROVED, False, [])
    assert mail_server.attempts == 1 + tasks.email_notifications.max_retries  # then it gives up
    assert f"Could not email notification {notification.pk}" in caplog.text


def test_a_refused_email_is_tried_again(setup, report, mail_server, django_capture_on_commit_callbacks):
    mail_server.refusals = 1
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(user=setup.personas["commune"], report=report)
    assert (mail_server.attempts, len(mail.outbox)) == (2, 1)
    assert notification_of(setup).emailed is True


def test_with_the_task_queue_down_the_approval_stands(
    setup, report, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def unavailable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.email_notifications, "delay", unavailable)
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(user=setup.personas["commune"], report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert notification_of(setup).emailed is False
    assert "the task queue is unavailable" in caplog.text


def test_reminders_send_through_the_same_function(setup, mail_server, django_capture_on_commit_callbacks):
    leader = setup.personas["leader"]
    leader.email = "tuan@example.vn"
    leader.save()
    mail_server.refusals = 1
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(province=setup.world["Q"], today=datetime.date(2026, 2, 2)) == 2
    [message] = mail.outbox  # refused at first, sent by the task's retry
    notification = notification_of(setup)
    assert (message.subject, notification.emailed) == ("[Totech] Báo cáo sắp đến hạn", True)
    assert message.body == f"{notification.message}\n\n{settings.PORTAL_URL}{reverse('home')}"
    assert "05/02/2026" in notification.message


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL): CI sets it")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_after_the_commit_and_tries_again(setup, report, mail_server, monkeypatch):
    """Through the Redis broker: the approval commits, then a Celery worker e-mails; the mail server refuses
    once, and the retry the task queued sends it."""
    from celery.contrib.testing.worker import start_worker

    from totech.celery import app

    monkeypatch.setattr(tasks, "EMAIL_RETRY_SECONDS", 0)
    mail_server.refusals = 1
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
        report_approve(user=setup.personas["commune"], report=report)
        deadline = time.monotonic() + 30
        while (
            not Notification.objects.filter(user=setup.personas["leader"], emailed=True).exists()
            and time.monotonic() < deadline
        ):
            time.sleep(0.2)
    assert (mail_server.attempts, len(mail.outbox)) == (2, 1)
    assert mail.outbox[0].subject == "[Totech] Báo cáo đã duyệt"
