"""Every figure of every level, against literals worked out by hand from the rule of reports.progress (stocks
once per area, a commune team's figure never added to its villages'; flows added over every team).

Quảng Ngãi on the pre-reform map in Q4/2024: district Mộ Đức (D1, abolished on 01/07/2025) holds the
commune C1 with three villages, Đức Phổ (D2) the commune C2 with one. Households: V1 100, V2 200, V3 300
(C1 600, D1 600), V4 400 (C2 and D2 400), the province 1,000. Teams: C1's commune team, two teams in V1 (the
second founded on 15/11/2024), V2's (dissolved on 20/11/2024), V3's, V4's and a district team of Mộ Đức.
Mộ Đức's campaign of 01-10/10/2024 has its own reports.

Approved values (households guided S, visits F; V4's November report is only submitted):

    team          October    November    December    campaign
    C1 commune    S450 F10   -           -           S400 F15
    V1 first      S60  F5    S70 F6      S90 F4      S55  F20
    V1 second     -          S80 F3 (*)  -           -
    V2            S120 F7    S130 F2     -           -
    V3            S150 F4    -           S170 F6     S140 F11
    V4            S200 F9    (S250 F8)   -           -
    D1 district   -          -           S900 F12    -

    (*) sent after V1's first team's: the village's November figure is the report sent last, 80, not 150.
"""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from accounts.tests.factories import UserFactory
from reports.choices import ReportKind, ReportStatus
from reports.models import IndicatorSummary, Report, ReportValue
from reports.progress import commune_areas, progress
from reports.rollups import rollup_province
from targets.models import Period, PeriodDeadline
from targets.services import periods_generate
from targets.tests.factories import CampaignFactory, CountIndicatorFactory, IndicatorFactory, TargetFactory
from teams.choices import TeamStatus
from teams.tests.factories import TeamFactory
from units.choices import Level
from units.tests.factories import PopulationFigureFactory, VillageFactory

pytestmark = pytest.mark.django_db

# Working, each figure from the table above:
#
# October: areas C1 450 (commune team), V1 60, V2 120, V3 150, V4 200.
#   C1 = its commune team's 450 (not 450 + 60 + 120 + 150 = 780), 450/600 = 75.0 %; visits 10 + 5 + 7 + 4 = 26.
#   C2 = V4's 200, 50.0 %; visits 9.  D1 = C1's 450 (no district figure); D2 = 200.
#   P = 450 + 200 = 650, 65.0 %; visits 26 + 9 = 35.
# November: V1 80 (its second team's, sent last), V2 130; V4's report is not approved.
#   C1 = 80 + 130 = 210 (no commune figure this month), 35.0 %; visits 6 + 3 + 2 = 11.  C2, D2: none.
#   D1 = 210; P = 210, 21.0 %; visits 11.
# December: V1 90, V3 170, D1's district team 900.
#   C1 = 90 + 170 = 260, 260/600 = 43.3 %; visits 4 + 6 = 10.  D1 = its district team's 900 (a report says
#   so: 150.0 % of its 600 households); visits 10 + 12 = 22.  P = 900, 90.0 %; visits 22.
# Quarter: each area's latest in Oct-Dec: C1's own 450 (October), V1 90, V2 130, V3 170, V4 200, D1's own 900.
#   C1 = 450, 75.0 %; visits 26 + 11 + 10 = 47.  C2 = 200, 50.0 %; visits 9.
#   D1 = 900, 150.0 %; visits 47 + 12 = 59.  D2 = 200, 50.0 %; visits 9.  P = 900 + 200 = 1,100, 110.0 %; visits 68.
# Campaign (Mộ Đức's: P, D1, C1): C1 = its commune team's 400, 400/600 = 66.7 %; visits 15 + 20 + 11 = 46.
#   D1 = 400, 66.7 %; P = 400, 400/1000 = 40.0 %; visits 46 each.
# Drill-down of C1 in the quarter: C1's commune team 450 and 10 visits; V1 90 (90.0 % of 100) and 5 + 6 + 3 + 4 = 18;
#   V2 130 (65.0 %) and 9; V3 170 (56.7 %) and 10.
EXPECTED = {  # unit: {period: (households guided, rate, visits)}
    "C1": {
        "10": (450, "75.0", 26),
        "11": (210, "35.0", 11),
        "12": (260, "43.3", 10),
        "Q4": (450, "75.0", 47),
        "campaign": (400, "66.7", 46),
    },
    "C2": {"10": (200, "50.0", 9), "11": (None, None, None), "12": (None, None, None), "Q4": (200, "50.0", 9)},
    "D1": {
        "10": (450, "75.0", 26),
        "11": (210, "35.0", 11),
        "12": (900, "150.0", 22),
        "Q4": (900, "150.0", 59),
        "campaign": (400, "66.7", 46),
    },
    "D2": {"10": (200, "50.0", 9), "11": (None, None, None), "12": (None, None, None), "Q4": (200, "50.0", 9)},
    "P": {
        "10": (650, "65.0", 35),
        "11": (210, "21.0", 11),
        "12": (900, "90.0", 22),
        "Q4": (1100, "110.0", 68),
        "campaign": (400, "40.0", 46),
    },
}
AREAS_Q4 = [("C1", 450, "75.0", 10), ("V1", 90, "90.0", 18), ("V2", 130, "65.0", 9), ("V3", 170, "56.7", 10)]


def maker():
    return User.objects.filter(username="maker").first() or UserFactory(username="maker")


def _report(team, unit, period, values, status=ReportStatus.APPROVED):
    """A report as the services leave it (reports.tests.test_rollups.create_report, for any period)."""
    chain = {ancestor.level: ancestor for ancestor in [*unit.ancestors(), unit]}
    units = {level: chain.get(level) for level in (Level.VILLAGE, Level.COMMUNE, Level.DISTRICT, Level.PROVINCE)}
    kind = ReportKind.CAMPAIGN if period.is_campaign else ReportKind.PERIODIC
    report = Report.objects.create(
        team=team,
        kind=kind,
        period=period,
        deadline=period.end + datetime.timedelta(days=5),
        status=status,
        created_by=maker(),
        **units,
    )
    for indicator, value in values.items():
        ReportValue.objects.create(
            report=report,
            indicator=indicator,
            value=value,
            kind=kind,
            period=period,
            period_end=period.end,
            team=team,
            approved=status == ReportStatus.APPROVED,
            **units,
        )


@pytest.fixture
def quang_ngai(world):
    periods_generate(year=2024)
    w = dict(world)
    w["D1"].valid_to = datetime.date(2025, 6, 30)  # Mộ Đức district, abolished with the 2025 reform
    w["D1"].save()
    w["V2"] = VillageFactory(parent=w["C1"], name="Thôn 2")
    w["V3"] = VillageFactory(parent=w["C1"], name="Thôn 3")
    w["V4"] = VillageFactory(parent=w["C2"], name="Tổ 4")
    for key, households in (("V1", 100), ("V2", 200), ("V3", 300), ("V4", 400)):
        PopulationFigureFactory(unit=w[key], as_of=datetime.date(2024, 1, 1), households=households)
    households = IndicatorFactory(code="households_guided", order=1)
    visits = CountIndicatorFactory(code="visits", order=2)
    founded = datetime.date(2024, 1, 1)
    teams = {
        "C1": TeamFactory(unit=w["C1"], name="Tổ CNSCĐ thị trấn", decision_date=founded),
        "V1a": TeamFactory(unit=w["V1"], name="Tổ 1 Thôn 1", decision_date=founded),
        "V1b": TeamFactory(unit=w["V1"], name="Tổ 2 Thôn 1", decision_date=datetime.date(2024, 11, 15)),
        "V2": TeamFactory(
            unit=w["V2"],
            name="Tổ Thôn 2",
            decision_date=founded,
            dissolved_on=datetime.date(2024, 11, 20),
            status=TeamStatus.DISSOLVED,
        ),
        "V3": TeamFactory(unit=w["V3"], name="Tổ Thôn 3", decision_date=founded),
        "V4": TeamFactory(unit=w["V4"], name="Tổ Tổ 4", decision_date=founded),
        "D1": TeamFactory(unit=w["D1"], name="Tổ huyện Mộ Đức", decision_date=founded),
    }
    campaign = CampaignFactory(
        unit=w["D1"],
        name="Ra quân tháng 10",
        year=2024,
        start=datetime.date(2024, 10, 1),
        end=datetime.date(2024, 10, 10),
    )
    PeriodDeadline.objects.create(period=campaign, due_on=datetime.date(2024, 9, 20), task="Kiện toàn danh sách Tổ")
    PeriodDeadline.objects.create(period=campaign, due_on=datetime.date(2024, 10, 20), task="Sơ kết đợt ra quân")
    month = {number: Period.objects.get(kind="month", year=2024, number=number) for number in (10, 11, 12)}
    rows = [  # (team, month or campaign, S, F, status), in the order the reports were sent
        ("C1", 10, 450, 10),
        ("V1a", 10, 60, 5),
        ("V2", 10, 120, 7),
        ("V3", 10, 150, 4),
        ("V4", 10, 200, 9),
        ("V1a", 11, 70, 6),
        ("V1b", 11, 80, 3),
        ("V2", 11, 130, 2),
        ("V4", 11, 250, 8, ReportStatus.SUBMITTED),
        ("V1a", 12, 90, 4),
        ("V3", 12, 170, 6),
        ("D1", 12, 900, 12),
        ("V1a", "campaign", 55, 20),
        ("C1", "campaign", 400, 15),
        ("V3", "campaign", 140, 11),
    ]
    for key, when, stock, flow, *status in rows:
        team = teams[key]
        _report(
            team, team.unit, campaign if when == "campaign" else month[when], {households: stock, visits: flow}, *status
        )
    periods = {str(number): period for number, period in month.items()}
    periods |= {"Q4": Period.objects.get(kind="quarter", year=2024, number=4), "campaign": campaign}
    return {"world": w, "households": households, "visits": visits, "periods": periods, "campaign": campaign}


def figures(rows, households, visits):
    by_indicator = {row.indicator_id: row for row in rows}
    stock, flow = by_indicator.get(households.pk), by_indicator.get(visits.pk)
    rate = stock.rate if stock is not None else None
    return (stock.actual if stock else None, str(rate) if rate is not None else None, flow.actual if flow else None)


def test_every_figure_of_every_level_equals_the_hand_worked_literals(quang_ngai):
    w, households, visits, periods = (
        quang_ngai["world"],
        quang_ngai["households"],
        quang_ngai["visits"],
        quang_ngai["periods"],
    )
    rollup_province(province=w["P"], year=2024, quarter=4, today=datetime.date(2025, 1, 15))
    for key, by_period in EXPECTED.items():
        for label, expected in by_period.items():
            period = periods[label]
            summaries = IndicatorSummary.objects.filter(unit=w[key], period=period)
            assert figures(summaries, households, visits) == expected, (key, label, "roll-up")
            assert figures(progress(period=period, unit=w[key]), households, visits) == expected, (
                key,
                label,
                "progress",
            )
    # The campaign covers Mộ Đức and what is above and below it, not Đức Phổ.
    assert not IndicatorSummary.objects.filter(period=quang_ngai["campaign"], unit__in=[w["C2"], w["D2"]]).exists()

    table = commune_areas(commune=w["C1"], period=periods["Q4"], indicators=[households, visits])
    assert [(row.unit.pk, *figures(row.cells, households, visits)) for row in table.rows] == [
        (w[key].pk, stock, rate, flow) for key, stock, rate, flow in AREAS_Q4
    ]
    assert (table.own_figure, table.villages_reporting) == ({households.pk}, {households.pk: 3})


def test_the_campaign_has_its_dashboard_with_its_steps_and_its_official_report(quang_ngai, client, personas):
    w, campaign = quang_ngai["world"], quang_ngai["campaign"]
    # The district's campaign target (households guided, 80 %): a commune ranks among the leaders only with an
    # achievement against a target (reports.rankings).
    TargetFactory(period=campaign, unit=w["D1"], indicator=quang_ngai["households"])
    rollup_province(province=w["P"], year=2024, quarter=4, today=datetime.date(2025, 1, 15))
    client.force_login(personas["district"])
    response = client.get(reverse("reports:dashboard_unit", args=[w["D1"].pk]), {"period": campaign.pk})
    assert response.status_code == 200 and response.context["period"] == campaign
    assert campaign in response.context["periods"]
    html = response.content.decode()
    assert "Kiện toàn danh sách Tổ trước 20/09/2024" in html and "Sơ kết đợt ra quân trước 20/10/2024" in html
    assert [row.unit for row in response.context["dashboard"].rows] == [w["C1"]]
    assert [rank.unit for rank in response.context["top_communes"]] == [w["C1"]]
    excel = client.get(reverse("reports:dashboard_excel", args=[w["D1"].pk]), {"period": campaign.pk})
    assert excel.status_code == 200 and f"period-{campaign.pk}" in excel["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(excel.content))["Báo cáo"]
    texts = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any("đợt Ra quân tháng 10" in text for text in texts)
    row = next(row for row in sheet.iter_rows() if row[1].value == quang_ngai["households"].name_vi)
    assert (row[4].value, row[5].value) == (400, pytest.approx(0.667))
    data = client.get(reverse("reports:dashboard_data", args=[w["D1"].pk]), {"period": campaign.pk})
    assert data.status_code == 200
