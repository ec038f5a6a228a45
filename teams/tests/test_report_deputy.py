"""The leader names the deputy who fills in the team's reports from the team page (issue 14, item 3)."""

import datetime

from django.urls import reverse

from accounts.choices import Role
from accounts.tests.factories import UserFactory
from teams.choices import TeamRole
from teams.models import Membership
from teams.tests.factories import MembershipFactory, PersonFactory, TeamFactory

FOUNDED = datetime.date(2025, 8, 1)


def lead(team, user):
    MembershipFactory(
        team=team, person=PersonFactory(commune=team.unit.parent, user=user), role=TeamRole.LEADER, start_date=FOUNDED
    )
    return team


def test_the_leader_names_a_deputy_from_the_team_page_and_the_roster_says_so(client, world, personas):
    team = lead(TeamFactory(unit=world["W1"], decision_date=FOUNDED), personas["leader"])
    deputy = MembershipFactory(
        team=team,
        person=PersonFactory(commune=world["K1"], full_name="Vi Văn Khánh"),
        role=TeamRole.STANDING_DEPUTY,
        start_date=FOUNDED,
    )
    member = MembershipFactory(team=team, person=PersonFactory(commune=world["K1"]), start_date=FOUNDED)
    client.force_login(personas["leader"])
    page = client.get(reverse("teams:detail", args=[team.pk])).content.decode()
    assert page.count("Giao điền báo cáo") == 1  # on the deputy's row only, not the plain member's
    response = client.post(
        reverse("teams:membership_fills_reports", args=[deputy.pk]), {"fills_reports": "1"}, follow=True
    )
    assert "Vi Văn Khánh từ nay có thể điền báo cáo của Tổ." in response.content.decode()
    assert "Thôi giao điền báo cáo" in response.content.decode()
    deputy.refresh_from_db()
    assert deputy.fills_reports and deputy.history.first().history_user == personas["leader"]
    response = client.post(
        reverse("teams:membership_fills_reports", args=[member.pk]), {"fills_reports": "1"}, follow=True
    )
    assert "Chỉ Tổ phó đang trong Tổ mới có thể được giao điền báo cáo của Tổ." in response.content.decode()
    assert not Membership.objects.get(pk=member.pk).fills_reports
    client.post(reverse("teams:membership_fills_reports", args=[deputy.pk]), {"fills_reports": "0"})
    deputy.refresh_from_db()
    assert not deputy.fills_reports


def test_another_teams_leader_cannot_name_a_deputy(client, world, personas):
    team = lead(
        TeamFactory(unit=world["W2"], decision_date=FOUNDED), UserFactory(role=Role.TEAM_LEADER, scope_unit=world["W2"])
    )
    deputy = MembershipFactory(
        team=team, person=PersonFactory(commune=world["K1"]), role=TeamRole.DEPUTY, start_date=FOUNDED
    )
    lead(TeamFactory(unit=world["W1"], decision_date=FOUNDED), personas["leader"])
    client.force_login(personas["leader"])
    assert (
        client.post(reverse("teams:membership_fills_reports", args=[deputy.pk]), {"fills_reports": "1"}).status_code
        == 404
    )
    deputy.refresh_from_db()
    assert not deputy.fills_reports
