import datetime

from accounts.models import User
from targets.choices import PeriodKind
from targets.models import Indicator, Period
from targets.selectors import effective_target, split_mismatches
from units.choices import Edition, Level
from units.models import Unit


def test_the_demo_holds_the_campaign_and_a_year_of_quarters(demo):
    campaign = Period.objects.get(kind=PeriodKind.CAMPAIGN)
    assert (campaign.start, campaign.end, campaign.unit.name) == (
        datetime.date(2024, 10, 1),
        datetime.date(2024, 10, 10),
        "Huyện Mộ Đức",
    )
    assert campaign.deadlines.count() == 3
    commune = Unit.objects.filter(edition=Edition.PRE_REFORM, parent=campaign.unit).first()
    eid = effective_target(indicator=Indicator.objects.get(code="eid_level2"), period=campaign, unit=commune)
    assert eid.value == 85 and eid.source == campaign.unit
    quarters = Period.objects.filter(kind=PeriodKind.QUARTER, targets__isnull=False).distinct()
    assert quarters.count() == 4
    thanh_thinh = Unit.objects.get(edition=Edition.REFORMED, level=Level.COMMUNE, code="02107")
    village = thanh_thinh.children.first()
    visits = Indicator.objects.get(code="door_to_door_visits")
    assert effective_target(indicator=visits, period=quarters.first(), unit=village).value > 0
    assert split_mismatches(user=User.objects.get(username="admin"), period=quarters.first()) == []
