"""Reminders before and after deadlines: in the portal and by email, never twice, from a thin Celery task."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from reports.choices import NotificationKind
from reports.models import Notification
from reports.services import reminders_send
from reports.tasks import remind_province, send_report_reminders
from reports.tests.helpers import save

pytestmark = pytest.mark.django_db
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, month=2):
    return time_machine.travel(datetime.datetime(2026, month, day, 7, 0, tzinfo=VIETNAM), tick=False)


def kinds(user):
    return sorted((n.kind, n.key.split(":")[-1]) for n in Notification.objects.filter(user=user))


def test_due_soon_is_sent_once_with_an_email_where_known(setup):
    leader = setup.personas["leader"]
    leader.email = "tuan@example.vn"
    leader.save()
    january = f"p{setup.period(1).pk}"
    with at(1):
        assert reminders_send(province=setup.world["Q"]) == 0  # 4 days before 05/02: too early
    with at(2):
        assert reminders_send(province=setup.world["Q"]) == 2  # W1's and W2's leaders
        assert reminders_send(province=setup.world["Q"]) == 0
    assert kinds(leader) == [(NotificationKind.DUE_SOON, january)]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tuan@example.vn"]
    assert "05/02/2026" in mail.outbox[0].body
    assert Notification.objects.get(user=leader).emailed is True


def test_overdue_once_and_never_for_a_sent_report(setup):
    leader, other = setup.personas["leader"], setup.other_leader
    with at(4):
        save(leader, setup.team, setup.period(1), {setup.households.pk: 1, setup.visits.pk: 1}, submit=True)
    with at(6):
        reminders_send(province=setup.world["Q"])
    with at(7):
        reminders_send(province=setup.world["Q"])
    assert kinds(leader) == []
    assert kinds(other) == [(NotificationKind.OVERDUE, f"p{setup.period(1).pk}")]


def test_the_tasks_take_ids_and_are_safe_to_run_twice(setup):
    with at(3):
        assert send_report_reminders.delay().get() >= 1
        remind_province.delay(setup.world["Q"].pk).get()
    assert Notification.objects.filter(kind=NotificationKind.DUE_SOON).count() == 2


def test_bell_counts_unread_and_the_list_marks_them_read(client, setup):
    leader = setup.personas["leader"]
    with at(3):
        reminders_send(province=setup.world["Q"])
    client.force_login(leader)
    page = client.get(reverse("home")).content.decode()
    assert 'id="unread-count">1<' in page
    notification = Notification.objects.get(user=leader)
    listing = client.get(reverse("reports:notifications")).content.decode()
    assert notification.message in listing
    response = client.get(reverse("reports:notification_open", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'id="unread-count"' not in client.get(reverse("home")).content.decode()
    # Another user's notification is not theirs to open.
    client.force_login(setup.other_leader)
    assert client.get(reverse("reports:notification_open", args=[notification.pk])).status_code == 404


def test_review_notices_reach_reviewers_and_leaders(setup):
    leader, officer = setup.personas["leader"], setup.personas["commune"]
    report = save(leader, setup.team, setup.period(1), {setup.households.pk: 1, setup.visits.pk: 1}, submit=True)
    assert Notification.objects.filter(user=officer, kind=NotificationKind.SUBMITTED).count() == 1
    from reports.services import report_return

    report_return(user=officer, report=report, comment="Bổ sung ảnh")
    returned = Notification.objects.get(user=leader, kind=NotificationKind.RETURNED)
    assert "Bổ sung ảnh" in returned.message
    assert returned.url == reverse("reports:detail", args=[report.pk])
