"""A province's reminders in a fixed number of queries (selectors.reminder_slots), with the rule of
slots_for_team: campaigns of the team's unit or above, ad-hoc requests, teams active during the period only,
leaders with an active account, and nothing sent twice, even by two runs at once."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import Role
from accounts.tests.factories import UserFactory
from reports.choices import NotificationKind
from reports.models import Notification, ReportRequest
from reports.selectors import OVERDUE_REMINDER_WINDOW, reminder_slots, slots_for_team
from reports.services import reminders_send
from reports.tests.helpers import lead, save
from targets.models import PeriodDeadline
from targets.tests.factories import CampaignFactory
from teams.choices import TeamStatus
from teams.models import Team
from teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
DUE_SOON, OVERDUE = NotificationKind.DUE_SOON, NotificationKind.OVERDUE
FEBRUARY_2 = datetime.date(2026, 2, 2)  # January is due on 05/02: within the 3 reminder days
OCTOBER_18 = datetime.date(2026, 10, 18)


def kinds(user):
    return sorted((n.kind, n.key.split(":")[-1]) for n in Notification.objects.filter(user=user))


def new_leader(team, name, email="", start=datetime.date(2025, 8, 1)):
    user = UserFactory(username=name, role=Role.TEAM_LEADER, scope_unit=team.unit, email=email)
    lead(team, user, start=start)
    return user


def send(setup, today):
    with CaptureQueriesContext(connection) as queries:
        sent = reminders_send(province=setup.world["Q"], today=today)
    return sent, len(queries)


def test_the_queries_do_not_grow_with_the_teams(setup):
    for leader in (setup.personas["leader"], setup.other_leader):
        leader.email = f"{leader.username}@example.vn"
        leader.save()
    sent, queries_for_2 = send(setup, FEBRUARY_2)
    assert (sent, len(mail.outbox)) == (2, 2)

    Notification.objects.all().delete()
    mail.outbox.clear()
    world = setup.world
    for number, unit in enumerate([world["W3"], world["K1"], world["K2"], world["W3"]]):
        team = TeamFactory(unit=unit, name=f"Tổ {number}", decision_date=datetime.date(2025, 8, 1))
        new_leader(team, f"extra{number}", email=f"extra{number}@example.vn")
    assert Team.objects.filter(unit__path__startswith=world["Q"].path).count() == 6
    sent, queries_for_6 = send(setup, FEBRUARY_2)
    assert (sent, len(mail.outbox)) == (6, 6)
    assert queries_for_6 == queries_for_2
    # periods_generate's one read (in a savepoint), the schedule, the periods, campaigns and requests in the
    # window, the leaders, the reports, the existing keys, the insert and its ids (in a savepoint, with
    # PostgreSQL's advisory lock), the `emailed` flags.
    assert queries_for_6 == 15 + (connection.vendor == "postgresql")
    assert Notification.objects.filter(emailed=True).count() == 6

    mail.outbox.clear()
    assert send(setup, FEBRUARY_2)[0] == 0  # once only
    assert mail.outbox == []


@pytest.fixture
def campaigns(setup):
    """Thanh Thịnh (K1, the commune of W1 and W2) and Chợ Mới (K2) run October campaigns reviewed by 20/10; the
    province asks every team for a report by 19/10; a team in W3 (under K2)."""
    world = setup.world
    thanh_thinh = CampaignFactory(
        unit=world["K1"],
        name="Ra quân Thanh Thịnh",
        year=2026,
        start=datetime.date(2026, 10, 1),
        end=datetime.date(2026, 10, 10),
    )
    cho_moi = CampaignFactory(
        unit=world["K2"],
        name="Ra quân Chợ Mới",
        year=2026,
        start=datetime.date(2026, 10, 1),
        end=datetime.date(2026, 10, 10),
    )
    for campaign in (thanh_thinh, cho_moi):
        PeriodDeadline.objects.create(period=campaign, due_on=datetime.date(2026, 10, 20), task="Tổng kết")
    request = ReportRequest.objects.create(
        unit=world["Q"],
        title="Báo cáo nhanh sau bão",
        covers_start=datetime.date(2026, 10, 1),
        covers_end=datetime.date(2026, 10, 15),
        deadline=datetime.date(2026, 10, 19),
        requested_by=setup.personas["province"],
    )
    team = TeamFactory(unit=world["W3"], decision_date=datetime.date(2025, 8, 1))
    return thanh_thinh, cho_moi, request, new_leader(team, "leader3")


def test_campaigns_of_the_unit_or_above_and_ad_hoc_requests(setup, campaigns):
    thanh_thinh, cho_moi, request, leader3 = campaigns
    leader, september = setup.personas["leader"], setup.period(9)
    draft = save(leader, setup.team, september, {setup.households.pk: 1})  # started, not sent: still overdue
    assert reminders_send(province=setup.world["Q"], today=OCTOBER_18) == 9

    # September was due on 05/10; the campaigns on 20/10 and the request on 19/10 are within 3 days.
    assert (
        kinds(leader)
        == kinds(setup.other_leader)
        == sorted([(OVERDUE, f"p{september.pk}"), (DUE_SOON, f"p{thanh_thinh.pk}"), (DUE_SOON, f"r{request.pk}")])
    )
    assert kinds(leader3) == sorted(
        [(OVERDUE, f"p{september.pk}"), (DUE_SOON, f"p{cho_moi.pk}"), (DUE_SOON, f"r{request.pk}")]
    )
    overdue = Notification.objects.get(user=leader, kind=OVERDUE)
    assert overdue.key == f"{OVERDUE}:{setup.team.pk}:p{september.pk}"
    assert overdue.url == reverse("reports:detail", args=[draft.pk])
    assert "05/10/2026" in overdue.message and setup.team.name in overdue.message
    campaign = Notification.objects.get(user=leader, key__endswith=f"p{thanh_thinh.pk}")
    assert "20/10/2026" in campaign.message and str(thanh_thinh) in campaign.message
    assert campaign.url == reverse("home")
    ad_hoc = Notification.objects.get(user=leader3, key__endswith=f"r{request.pk}")
    assert "19/10/2026" in ad_hoc.message and "Báo cáo nhanh sau bão" in ad_hoc.message


def test_the_province_rule_is_the_team_rule(setup, campaigns):
    """reminder_slots picks, for every team, the slots slots_for_team gives that are not received and due
    in the reminder window."""
    save(
        setup.personas["leader"], setup.team, setup.period(9), {setup.households.pk: 1, setup.visits.pk: 1}, submit=True
    )
    window = (OCTOBER_18 - OVERDUE_REMINDER_WINDOW, OCTOBER_18 + datetime.timedelta(days=3))
    schedule = setup.world["Q"].reporting_schedule
    found = {
        (slot.team.pk, slot.ids, slot.deadline, slot.report and slot.report.pk)
        for slot, _leaders in reminder_slots(setup.world["Q"], schedule, OCTOBER_18, datetime.timedelta(days=3))
    }
    expected = {
        (team.pk, slot.ids, slot.deadline, slot.report and slot.report.pk)
        for team in Team.objects.filter(unit__path__startswith=setup.world["Q"].path)
        for slot in slots_for_team(team, OCTOBER_18)
        if not slot.received and window[0] <= slot.deadline <= window[1]
    }
    assert found == expected
    assert len(found) == 8  # W1's September was sent


def test_only_teams_active_during_the_period(setup):
    world = setup.world
    founded_later = TeamFactory(unit=world["W3"], name="Tổ mới", decision_date=datetime.date(2026, 2, 1))
    newcomer = new_leader(founded_later, "newcomer")
    dissolved = TeamFactory(
        unit=world["K2"],
        name="Tổ giải thể",
        decision_date=datetime.date(2025, 1, 1),
        status=TeamStatus.DISSOLVED,
        dissolved_on=datetime.date(2025, 12, 31),
    )
    former = new_leader(dissolved, "former")
    assert reminders_send(province=world["Q"], today=FEBRUARY_2) == 2
    assert kinds(newcomer) == kinds(former) == []
    # The new team owes February (deadline 05/03), reminded in time.
    assert reminders_send(province=world["Q"], today=datetime.date(2026, 3, 3)) == 5  # and January overdue for W1, W2
    assert kinds(newcomer) == [(DUE_SOON, f"p{setup.period(2).pk}")]


def test_only_current_leaders_with_an_active_account(setup):
    leader, stepped_down = setup.personas["leader"], setup.other_leader
    leader.is_active = False  # W1's only leader
    leader.save()
    stepped_down.person.memberships.update(end_date=datetime.date(2026, 1, 31))  # W2's leader hands over
    successor = new_leader(setup.other_team, "successor", start=datetime.date(2026, 2, 1))
    assert reminders_send(province=setup.world["Q"], today=FEBRUARY_2) == 1
    assert kinds(leader) == kinds(stepped_down) == []
    assert kinds(successor) == [(DUE_SOON, f"p{setup.period(1).pk}")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: the advisory lock, two connections")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_nothing_twice(setup, monkeypatch):
    """The second run looks for existing keys while the first has inserted its rows but not committed: it
    waits for the first's lock, then finds them."""
    for leader in (setup.personas["leader"], setup.other_leader):
        leader.email = f"{leader.username}@example.vn"
        leader.save()
    inserted, go = threading.Event(), threading.Event()
    bulk_create = Notification.objects.bulk_create.__func__
    first_thread = []

    def slow_bulk_create(manager, objs, **kwargs):
        created = bulk_create(manager, objs, **kwargs)
        if threading.current_thread() is first_thread[0]:
            inserted.set()
            go.wait(10)
        return created

    monkeypatch.setattr(type(Notification.objects), "bulk_create", slow_bulk_create)
    results = {}

    def run(name):
        try:
            results[name] = reminders_send(province=setup.world["Q"], today=FEBRUARY_2)
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first",))
    first_thread.append(first)
    second = threading.Thread(target=run, args=("second",))
    first.start()
    assert inserted.wait(10)
    second.start()
    second.join(1)  # it waits on the lock while the first holds it
    assert second.is_alive()
    go.set()
    first.join(10)
    second.join(10)
    assert results == {"first": 2, "second": 0}
    assert Notification.objects.count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["leader2@example.vn", "leader@example.vn"]
