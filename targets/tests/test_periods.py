import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from targets.choices import PeriodKind
from targets.models import Period
from targets.services import period_get_or_create, periods_generate


def test_calendar_periods_are_generated_once_with_their_bounds(db):
    q4 = period_get_or_create(kind=PeriodKind.QUARTER, year=2024, number=4)
    assert (q4.start, q4.end, str(q4)) == (datetime.date(2024, 10, 1), datetime.date(2024, 12, 31), "Quý 4/2024")
    assert period_get_or_create(kind=PeriodKind.QUARTER, year=2024, number=4) == q4
    february = period_get_or_create(kind=PeriodKind.MONTH, year=2024, number=2)
    assert february.end == datetime.date(2024, 2, 29)
    generated = periods_generate(year=2024)  # the year, its quarters and months, q4 and February kept
    assert [(p.kind, p.number) for p in generated] == [
        ("year", None),
        *(("quarter", n) for n in range(1, 5)),
        *(("month", n) for n in range(1, 13)),
    ]
    assert q4 in generated and february in generated
    assert periods_generate(year=2024) == generated
    assert Period.objects.filter(year=2024).count() == 12 + 4 + 1


def test_periods_that_exist_are_read_in_one_query(db, django_assert_num_queries):
    periods_generate(year=2025)
    with django_assert_num_queries(3):  # the read, in a savepoint
        periods_generate(year=2025)


def test_a_quarter_five_does_not_exist(db):
    with pytest.raises(ValidationError):
        period_get_or_create(kind=PeriodKind.QUARTER, year=2024, number=5)


def test_the_department_creates_a_campaign_with_deadlines(world, personas, client):
    client.force_login(personas["province"])
    data = {
        "name": "Ra quân tháng 10",
        "unit": world["K1"].pk,
        "start": "01/10/2025",
        "end": "10/10/2025",
        "plan_number": "13/KH-UBND",
        "deadlines-TOTAL_FORMS": "3",
        "deadlines-INITIAL_FORMS": "0",
        "deadlines-0-due_on": "20/09/2025",
        "deadlines-0-task": "Kiện toàn tổ",
        "deadlines-1-due_on": "20/10/2025",
        "deadlines-1-task": "Tổng kết",
    }
    response = client.post(reverse("targets:campaign_create"), data)
    assert response.status_code == 302
    campaign = Period.objects.get(kind=PeriodKind.CAMPAIGN)
    assert (campaign.year, campaign.unit, campaign.plan_number) == (2025, world["K1"], "13/KH-UBND")
    assert [(d.due_on, d.task) for d in campaign.deadlines.all()] == [
        (datetime.date(2025, 9, 20), "Kiện toàn tổ"),
        (datetime.date(2025, 10, 20), "Tổng kết"),
    ]


def test_a_campaign_ending_before_it_starts_is_refused(world, personas, client):
    client.force_login(personas["province"])
    data = {
        "name": "Ra quân",
        "unit": world["K1"].pk,
        "start": "10/10/2025",
        "end": "01/10/2025",
        "deadlines-TOTAL_FORMS": "0",
        "deadlines-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("targets:campaign_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["end"] == ["Ngày kết thúc không được trước ngày bắt đầu."]
    assert not Period.objects.exists()


def test_a_campaign_cannot_be_run_by_a_unit_outside_the_scope(world, personas, client):
    client.force_login(personas["province"])
    data = {
        "name": "Ra quân",
        "unit": world["O1"].pk,
        "start": "01/10/2025",
        "end": "10/10/2025",
        "deadlines-TOTAL_FORMS": "0",
        "deadlines-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("targets:campaign_create"), data)
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not Period.objects.exists()


def test_campaigns_are_seen_in_their_scope_and_below(world, personas, client):
    from targets.selectors import periods_visible_to

    from .factories import CampaignFactory

    province_campaign = CampaignFactory(unit=world["Q"])
    commune_campaign = CampaignFactory(unit=world["K1"])
    other_province = CampaignFactory(unit=world["O"])
    calendar = period_get_or_create(kind=PeriodKind.YEAR, year=2026)
    assert set(periods_visible_to(personas["leader"])) == {province_campaign, commune_campaign, calendar}
    assert set(periods_visible_to(personas["province"])) == {province_campaign, commune_campaign, calendar}
    assert other_province in periods_visible_to(personas["admin"])


def test_generating_a_year_from_the_page(personas, client):
    client.force_login(personas["province"])
    response = client.post(reverse("targets:period_generate"), {"year": "2026"})
    assert response.status_code == 302
    assert Period.objects.filter(year=2026, kind=PeriodKind.QUARTER).count() == 4
