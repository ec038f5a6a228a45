from accounts.models import User
from teams.choices import RequestStatus, TeamRole, TeamStatus
from teams.models import Membership, MembershipRequest, Team, Training
from teams.selectors import composition_violations, teams_led_by


def test_the_demo_tells_a_true_story(demo):
    leader = User.objects.get(username="totruong.bangiang")
    led = teams_led_by(leader).get()
    assert led.name == "Tổ Công nghệ số cộng đồng thôn Bản Giang"
    assert Team.objects.filter(level="district", status=TeamStatus.DISSOLVED).exists()
    assert set(Team.objects.values_list("level", flat=True)) == {"district", "commune", "village"}
    assert Membership.objects.filter(end_date__isnull=False).exclude(end_reason="").exists()
    assert MembershipRequest.objects.filter(status=RequestStatus.PENDING).count() >= 2
    assert Training.objects.filter(attendees__isnull=False).exists()
    assert sum(bool(composition_violations(team)) for team in Team.objects.all()) >= 3
    assert all(team.memberships.filter(role=TeamRole.LEADER).exists() for team in Team.objects.all())
