"""The dashboard: an approval reaches it through the stale mark and the beat task; scoped, drill-down, colours."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.tests.factories import UserFactory
from reports.models import IndicatorSummary, Report, ReportValue, StaleRollup, UnitSummary
from reports.services import report_approve
from reports.tasks import drain_stale_rollups
from reports.tests.factories import ScheduleFactory
from reports.tests.helpers import FOUNDED, lead, save
from targets.choices import TargetMode
from targets.models import Period
from targets.tests.factories import TargetFactory
from teams.tests.factories import TeamFactory
from units.tests.factories import PopulationFigureFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(setup):
    """September 2026: the W1 team reports 8 visits, approved by the commune; the commune's target is 10."""
    quarter = Period.objects.get(kind="quarter", year=2026, number=3)
    TargetFactory(
        indicator=setup.visits, period=quarter, unit=setup.world["K1"], mode=TargetMode.ABSOLUTE, value=Decimal("10")
    )
    report = save(
        setup.personas["leader"],
        setup.team,
        setup.period(9),
        {setup.visits.pk: 8, setup.households.pk: 150},
        submit=True,
    )
    report_approve(user=setup.personas["commune"], report=report)
    return setup


def test_an_approval_reaches_the_dashboard_through_the_beat_task(approved, client):
    world = approved.world
    assert StaleRollup.objects.filter(unit=world["K1"], year=2026, quarter=3).exists()
    drain_stale_rollups.delay()
    assert not StaleRollup.objects.exists()
    cell = IndicatorSummary.objects.get(unit=world["K1"], period__kind="quarter", indicator=approved.visits)
    assert (cell.actual, cell.achievement, cell.rating) == (8, Decimal("80.0"), "amber")

    client.force_login(approved.personas["province"])
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert world["Q"].name in page and world["K2"].name in page
    assert reverse("reports:dashboard_unit", args=[world["K1"].pk]) in page  # drill-down
    assert "rating-amber" in page and "80,0%" in page

    client.force_login(approved.personas["commune"])
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert world["K1"].name in page and world["K2"].name not in page
    assert reverse("reports:dashboard_unit", args=[world["Q"].pk]) not in page  # no way up out of scope


def test_the_dashboard_says_what_to_do_before_any_summary(setup, client):
    client.force_login(setup.personas["commune"])
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert response.context["unit"] == setup.world["K1"] and response.context["period"] is None
    assert "python manage.py rollup" in response.content.decode()
    client.force_login(setup.personas["leader"])  # a village's leader: no unit with summaries in scope
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200 and response.context["unit"] is None


@pytest.mark.browser
def test_province_staff_drill_down_to_a_commune(page, live_server, approved):
    from totech.tests.browser import fits_the_phone, log_in, shoot

    drain_stale_rollups.delay()
    world = approved.world
    log_in(page, live_server, "province")
    page.goto(f"{live_server.url}{reverse('reports:dashboard')}")
    shoot(page, "dashboard-province")
    page.click(f"a[href^='{reverse('reports:dashboard_unit', args=[world['K1'].pk])}']")
    page.wait_for_url(f"**{reverse('reports:dashboard_unit', args=[world['K1'].pk])}?period=*")
    assert world["K1"].name in page.inner_text("h1")
    assert page.locator("td.rating-amber").count() >= 1
    fits_the_phone(page)
    shoot(page, "dashboard-commune")


# --- the pre-reform map: province → district → commune -------------------------------------------------


@pytest.fixture
def old_map(setup):
    """Quảng Ngãi (P) before the reform. The team of Thôn 1 (commune C1, district D1) reports every month of Q3
    2026 on time: 4 visits each and 150 of 300 households guided (140 in June). The team of Tổ 5 (C2, district
    D2) sends September only, late: 3 visits, 60 households. Targets for Q3: half the households (the
    province's percentage, applying below) and 10 visits for each commune."""
    from reports.rollups import rollup_province

    world = setup.world
    ScheduleFactory(province=world["P"])
    village = VillageFactory(parent=world["C2"], name="Tổ 5")
    for unit in (world["V1"], village):
        PopulationFigureFactory(unit=unit, as_of=datetime.date(2025, 1, 1), households=300)
    staff = UserFactory(username="quangngai", role=Role.PROVINCE_STAFF, scope_unit=world["P"])
    strong = lead(
        TeamFactory(unit=world["V1"], name="Tổ CNSCĐ Thôn 1", decision_date=FOUNDED),
        UserFactory(role=Role.TEAM_LEADER, scope_unit=world["V1"]),
    )
    weak = lead(
        TeamFactory(unit=village, name="Tổ CNSCĐ Tổ 5", decision_date=FOUNDED),
        UserFactory(role=Role.TEAM_LEADER, scope_unit=village),
    )
    quarter = Period.objects.get(kind="quarter", year=2026, number=3)
    TargetFactory(
        indicator=setup.households, period=quarter, unit=world["P"], mode=TargetMode.PERCENT, value=Decimal("50")
    )
    for commune in ("C1", "C2"):
        TargetFactory(
            indicator=setup.visits, period=quarter, unit=world[commune], mode=TargetMode.ABSOLUTE, value=Decimal("10")
        )
    for team, month, visits, households in [(strong, month, 4, 150) for month in (7, 8, 9)] + [
        (strong, 6, 5, 140),
        (weak, 9, 3, 60),
    ]:
        leader = team.memberships.get().person.user
        report = save(
            leader, team, setup.period(month), {setup.visits.pk: visits, setup.households.pk: households}, submit=True
        )
        report_approve(user=setup.personas["admin"], report=report)
        if team == strong:  # sent the day before its deadline
            sent = timezone.make_aware(
                datetime.datetime.combine(report.deadline - datetime.timedelta(days=1), datetime.time(9))
            )
            Report.objects.filter(pk=report.pk).update(submitted_at=sent)
    for number in (2, 3):
        rollup_province(province=world["P"], year=2026, quarter=number)
    setup.staff, setup.strong, setup.weak, setup.quarter = staff, strong, weak, quarter
    return setup


def series(chart, label):
    return next(item.values for item in chart.series if item.label == label)


def test_province_dashboard_charts_ranks_and_keeps_the_pillar(old_map, client):
    world = old_map.world
    client.force_login(old_map.staff)
    response = client.get(reverse("reports:dashboard"), {"period": old_map.quarter.pk})
    assert response.status_code == 200 and response.context["unit"] == world["P"]
    assert [row.unit for row in response.context["dashboard"].rows] == [world["D1"], world["D2"]]

    trend, children = response.context["charts"]
    assert trend.labels == ["Quý 2/2026", "Quý 3/2026"]
    households = f"{old_map.households.name} (%)"
    assert series(trend, households) == [23.3, 35.0]  # 140 of 600 households, then 150 + 60
    summaries = UnitSummary.objects.filter(unit=world["P"]).order_by("period__start")
    assert series(trend, "Báo cáo đã nhận (%)") == [
        float(row.completeness) for row in summaries if row.period.kind == "quarter"
    ]
    assert not any(old_map.visits.name in item.label for item in trend.series)  # the province has no visits target
    assert children.labels == [world["D1"].name, world["D2"].name]
    assert series(children, "Mức đạt bình quân so với chỉ tiêu (%)") == [
        100.0,
        40.0,
    ]  # 50% and 20% of households, target 50%

    # Every commune (not only the units right below), by average achievement: (120 + 100) / 2 and (30 + 40) / 2;
    # C2 received 1 of its 3 reports due: it needs support, whatever its figures, and says why.
    communes = response.context["top_communes"]
    assert [(rank.unit, rank.achievement, rank.position) for rank in communes] == [(world["C1"], Decimal("110.0"), 1)]
    weak = response.context["weak_communes"]
    assert [(rank.unit, rank.achievement, rank.reason) for rank in weak] == [
        (world["C2"], Decimal("35.0"), "Nhận được ít báo cáo (1/3)")
    ]
    html = response.content.decode()
    teams_url = reverse("reports:dashboard_teams", args=[world["P"].pk])
    assert (
        f'hx-get="{teams_url}?period={old_map.quarter.pk}"' in html
        and 'id="trend-chart"' in html
        and "js/dashboard.js" in html
    )
    fragment = client.get(teams_url, {"period": old_map.quarter.pk}, headers={"HX-Request": "true"})
    teams = fragment.context["top_teams"] + fragment.context["weak_teams"]
    # Thôn 1: 3 of 3 due reports on time, households 50% of 50%; Tổ 5: 0 of 3, 20% of 50%. The visits targets
    # are the communes' and are not split among the teams: they do not count for a team. Tổ 5 sent 1 of its 3
    # reports: it needs support.
    assert [(team.team_id, team.due, team.on_time, team.achievement, team.score) for team in teams] == [
        (old_map.strong.pk, 3, 3, Decimal("100.0"), Decimal("100.0")),
        (old_map.weak.pk, 3, 0, Decimal("40.0"), Decimal("20.0")),
    ]
    assert [team.team_id for team in fragment.context["top_teams"]] == [old_map.strong.pk]
    html = fragment.content.decode()
    assert (
        'id="team-score-help"' in html and old_map.strong.name in html and "<nav" not in html
    )  # a fragment, not a page

    page = client.get(reverse("reports:dashboard"), {"period": old_map.quarter.pk, "pillar": "team_activity"})
    assert page.context["dashboard"].indicators == [old_map.visits]
    html = page.content.decode()
    assert (
        f"{reverse('reports:dashboard_unit', args=[world['D1'].pk])}?period={old_map.quarter.pk}&amp;pillar=team_activity"
        in html
    )
    assert 'value="team_activity" selected' in html
    assert [rank.achievement for rank in page.context["top_communes"] + page.context["weak_communes"]] == [
        Decimal("120.0"),
        Decimal("30.0"),
    ]
    empty = client.get(reverse("reports:dashboard"), {"period": old_map.quarter.pk, "pillar": "digital_economy"})
    assert empty.context["dashboard"].indicators == [] and "Không có chỉ tiêu" in empty.content.decode()


def test_team_scores_are_cached_until_the_summary_is_recomputed(old_map, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.rollups import rollup_province

    client.force_login(old_map.staff)
    url = reverse("reports:dashboard_teams", args=[old_map.world["P"].pk])
    client.get(url, {"period": old_map.quarter.pk})
    with CaptureQueriesContext(connection) as queries:
        cached = client.get(url, {"period": old_map.quarter.pk})
    assert not any("reports_reportvalue" in query["sql"] for query in queries.captured_queries)
    ReportValue.objects.filter(team=old_map.weak, indicator=old_map.households).update(value=150)
    assert cached.context["weak_teams"][0].achievement == Decimal("40.0")
    rollup_province(province=old_map.world["P"], year=2026, quarter=3)
    fresh = client.get(url, {"period": old_map.quarter.pk})
    assert fresh.context["weak_teams"][0].achievement == Decimal("100.0")


def test_commune_dashboard_ranks_its_teams_and_drills_down_to_its_villages(old_map, client):
    world = old_map.world
    client.force_login(old_map.staff)
    response = client.get(reverse("reports:dashboard_unit", args=[world["C1"].pk]), {"period": old_map.quarter.pk})
    assert response.context["dashboard"].rows == [] and len(response.context["charts"]) == 1
    assert series(response.context["charts"][0], f"{old_map.visits.name} (% so với chỉ tiêu)") == [None, 120.0]
    assert response.context["top_communes"] == []
    teams = client.get(
        reverse("reports:dashboard_teams", args=[world["C1"].pk]),
        {"period": old_map.quarter.pk},
        headers={"HX-Request": "true"},
    )
    assert [score.team_id for score in teams.context["top_teams"]] == [old_map.strong.pk] and teams.context[
        "weak_teams"
    ] == []
    html = response.content.decode()
    assert "Không có đơn vị" not in html and 'id="print-button"' in html
    assert [crumb.pk for crumb in response.context["breadcrumbs"]] == [world["P"].pk, world["D1"].pk]
    # The drill-down reaches Thôn 1: September's 150 of its 300 households, 3 × 4 visits; C1's figure is its village's.
    rows, sources = response.context["areas"]
    assert [name for name, _cells in rows] == ["Thôn 1"]
    assert "50,0%" in rows[0][1] and ">12<" in rows[0][1]
    assert sources == ["tổng số liệu của 1 thôn", "cộng số liệu của mọi tổ"]
    assert reverse("reports:methodology") in html


def test_a_commune_teams_figure_is_the_communes_and_is_never_added_to_its_villages(old_map, client):
    """Thôn 1's team has 150 households guided in September; C1's commune team reports 250 for the whole
    commune in August. C1 (300 households) takes 250, not 400; its visits add up: 12 + 5 = 17."""
    from reports.rollups import rollup_province

    world = old_map.world
    commune_team = lead(
        TeamFactory(unit=world["C1"], name="Tổ CNSCĐ xã", decision_date=FOUNDED),
        UserFactory(role=Role.TEAM_LEADER, scope_unit=world["C1"]),
    )
    report = save(
        commune_team.memberships.get().person.user,
        commune_team,
        old_map.period(8),
        {old_map.visits.pk: 5, old_map.households.pk: 250},
        submit=True,
    )
    report_approve(user=old_map.personas["admin"], report=report)
    rollup_province(province=world["P"], year=2026, quarter=3)
    c1 = {row.indicator_id: row for row in IndicatorSummary.objects.filter(unit=world["C1"], period=old_map.quarter)}
    assert (c1[old_map.households.pk].actual, c1[old_map.households.pk].rate, c1[old_map.visits.pk].actual) == (
        250,
        Decimal("83.3"),
        17,
    )
    # D1 and P: C1's 250 (D1 has no other commune); P adds C2's 60: 310 of 600 households.
    d1 = IndicatorSummary.objects.get(unit=world["D1"], period=old_map.quarter, indicator=old_map.households)
    p = IndicatorSummary.objects.get(unit=world["P"], period=old_map.quarter, indicator=old_map.households)
    assert (d1.actual, p.actual, p.denominator, p.rate) == (250, 310, 600, Decimal("51.7"))

    client.force_login(old_map.staff)
    rows, sources = client.get(
        reverse("reports:dashboard_unit", args=[world["C1"].pk]), {"period": old_map.quarter.pk}
    ).context["areas"]
    assert [name for name, _cells in rows] == [f"{world['C1'].name}: số liệu riêng của tổ cấp xã", "Thôn 1"]
    assert sources == ["số liệu của tổ cấp xã", "cộng số liệu của mọi tổ"]


def test_the_roll_up_task_warms_the_team_scores_of_the_province_and_its_districts(
    old_map, client, django_assert_max_num_queries
):
    from django.core.cache import cache

    from reports.tasks import recompute_province_period

    world = old_map.world
    ReportValue.objects.filter(team=old_map.weak, indicator=old_map.households).update(
        value=150
    )  # new figures to roll up
    cache.clear()
    recompute_province_period.delay(world["P"].pk, 2026, 3)
    client.force_login(old_map.staff)
    for unit, listed, first in ((world["P"], "top_teams", old_map.strong), (world["D2"], "weak_teams", old_map.weak)):
        with django_assert_max_num_queries(8) as queries:  # session, user, scope, periods, the summary: no scores
            response = client.get(
                reverse("reports:dashboard_teams", args=[unit.pk]),
                {"period": old_map.quarter.pk},
                headers={"HX-Request": "true"},
            )
        assert not any("reports_reportvalue" in query["sql"] for query in queries.captured_queries)
        assert response.context[listed][0].team_id == first.pk
    assert response.context["weak_teams"][0].achievement == Decimal(
        "100.0"
    )  # the new figures: warmed after the roll-up


def test_the_team_ranking_is_a_page_of_its_own_without_javascript(old_map, client):
    world = old_map.world
    client.force_login(old_map.staff)
    response = client.get(
        reverse("reports:dashboard_teams", args=[world["D1"].pk]),
        {"period": old_map.quarter.pk, "pillar": "team_activity"},
    )
    html = response.content.decode()
    assert (
        response.status_code == 200 and "<nav" in html and old_map.strong.name in html and old_map.weak.name not in html
    )
    assert (
        f"{reverse('reports:dashboard_unit', args=[world['D1'].pk])}?period={old_map.quarter.pk}&amp;pillar=team_activity"
        in html
    )
    assert client.get(reverse("reports:dashboard_teams", args=[world["K1"].pk])).status_code == 404  # out of scope


def test_breadcrumbs_stop_at_the_users_scope_and_other_units_are_404(old_map, client):
    world = old_map.world
    client.force_login(UserFactory(username="moduc", role=Role.DISTRICT_STAFF, scope_unit=world["D1"]))
    response = client.get(
        reverse("reports:dashboard_unit", args=[world["C1"].pk]), {"period": old_map.quarter.pk, "pillar": "nonsense"}
    )
    assert response.status_code == 200 and response.context["pillar"] == ""
    assert [crumb.pk for crumb in response.context["breadcrumbs"]] == [world["D1"].pk]
    assert reverse("reports:dashboard_unit", args=[world["P"].pk]) not in response.content.decode()
    for unit in ("P", "D2", "C2", "K1"):
        assert client.get(reverse("reports:dashboard_unit", args=[world[unit].pk])).status_code == 404


@pytest.mark.browser
def test_province_staff_drill_down_province_district_commune(page, live_server, old_map):
    from totech.tests.browser import SCREENSHOTS, fits_the_phone, log_in, shoot

    world = old_map.world
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, "quangngai")
    page.goto(f"{live_server.url}{reverse('reports:dashboard')}?period={old_map.quarter.pk}")
    assert world["P"].name in page.inner_text("h1")
    assert page.evaluate("Object.keys(Chart.instances).length") == 2  # the trend and the districts
    fits_the_phone(page)
    shoot(page, "dashboard-old-province")
    page.set_viewport_size({"width": 1280, "height": 900})  # printed from a desktop
    page.emulate_media(media="print")
    for hidden in ("nav.navbar", "footer", "#print-button", "#period-select"):
        assert not page.locator(hidden).is_visible()
    assert page.locator("canvas").first.is_visible() and page.locator("#dashboard-meta").is_visible()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what the browser does before printing
    page.pdf(path=SCREENSHOTS / "dashboard-old-province.pdf", prefer_css_page_size=True)
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")

    page.click(f".dashboard-table a[href^='{reverse('reports:dashboard_unit', args=[world['D1'].pk])}']")
    page.wait_for_url(f"**{reverse('reports:dashboard_unit', args=[world['D1'].pk])}?period=*")
    assert world["D1"].name in page.inner_text("h1")
    assert page.locator(".breadcrumb").inner_text().startswith(world["P"].name)
    shoot(page, "dashboard-old-district")

    page.click(f".dashboard-table a[href^='{reverse('reports:dashboard_unit', args=[world['C1'].pk])}']")
    page.wait_for_url(f"**{reverse('reports:dashboard_unit', args=[world['C1'].pk])}?period=*")
    assert world["C1"].name in page.inner_text("h1")
    total = page.locator(".dashboard-table tfoot tr").first.inner_text()
    assert "Thôn 1" in page.locator("#commune-areas tbody").inner_text()  # the drill-down reaches its village
    visits = IndicatorSummary.objects.get(unit=world["C1"], period=old_map.quarter, indicator=old_map.visits)
    households = IndicatorSummary.objects.get(unit=world["C1"], period=old_map.quarter, indicator=old_map.households)
    summary = UnitSummary.objects.get(unit=world["C1"], period=old_map.quarter)
    for shown in (
        str(visits.actual),
        f"{visits.achievement}% so với chỉ tiêu".replace(".", ","),
        f"{households.rate}%".replace(".", ","),
        f"{summary.reports_received}/{summary.reports_expected}",
    ):
        assert shown in total, (shown, total)
    assert page.locator("#top-teams").inner_text().count(old_map.strong.name) == 1
    page.locator(".chart-table summary").first.click()
    assert "120,0" in page.locator(".chart-table table").first.inner_text()
    fits_the_phone(page)
    shoot(page, "dashboard-old-commune")
    assert errors == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_tables_numbers_read_as_localize_writes_them(language):
    from django.utils import translation
    from django.utils.formats import localize

    from reports.presenters import Numbers

    values = [
        0,
        7,
        999,
        1000,
        1234567,
        Decimal("80.0"),
        Decimal("1234.5"),
        Decimal("1E+2"),
        35.0,
        12345.6,
        -5,
        Decimal("-1234.5"),
    ]
    with translation.override(language):
        assert [Numbers()(value) for value in values] == [localize(value) for value in values]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_chart_tables_read_as_floatformat_writes_them(language):
    from django.template.defaultfilters import floatformat
    from django.utils import translation

    from reports.charts import Chart

    values = [None, 0.0, 5.25, 99.95, 1234.56, 33.33333, 2.675]
    chart = Chart("c", "bar", "Chart", [str(index) for index in range(len(values))])
    chart.add("Series", values)
    with translation.override(language):
        assert [str(cells) for _label, cells in chart.rows] == [
            '<td class="text-end">%s</td>' % ("—" if value is None else floatformat(value, 1)) for value in values
        ]


def test_a_percentage_without_its_denominator_shows_the_count_and_says_why():
    from django.utils import translation

    from reports.presenters import TableCells

    cells = TableCells(percent_indicator_ids=[1])
    with translation.override("vi"):
        without = cells.indicator(IndicatorSummary(indicator_id=1, actual=150, rate=None))
        count = cells.indicator(IndicatorSummary(indicator_id=2, actual=150, rate=None))
        rate = cells.indicator(IndicatorSummary(indicator_id=1, actual=150, rate=Decimal("25.0")))
    assert "150" in without and "chưa có mẫu số" in without
    assert "150" in count and "mẫu số" not in count
    assert "25,0%" in rate and "mẫu số" not in rate


@pytest.mark.parametrize(
    ("values", "top", "clipped"),
    [
        (
            [30, 50, 60, 889],
            100,
            True,
        ),  # one outlier (889 %): the axis stays at 100 %, the outlier is marked at the edge
        ([80, 120, 150, 160], 230, False),  # above 100 % throughout: 1.5 × the upper quartile (150), to the next ten
        ([70, 2504, 90, 110, 889, 95, 100, 85], 170, True),  # two outliers among eight: upper quartile 110
        ([None, None], 100, False),
    ],
)
def test_one_outlier_does_not_flatten_a_chart_and_keeps_its_true_value(values, top, clipped):
    from reports.charts import Chart

    chart = Chart("c", "line", "t", [str(index) for index in range(len(values))])
    chart.add("Mức đạt", values)
    assert (chart.top, chart.clipped) == (top, clipped)
    if chart.series:
        assert chart.data()["series"][0]["values"] == [
            float(value) for value in values
        ]  # the true values, never capped
