"""The province dashboard's server time at national scale: 34 provinces x 100 communes x 30 village teams
(102,000 teams), one report a month per team for 2026 (1.22M reports, 12.2M report values, 10 indicators).

Run on a PostgreSQL database of its own (it fills it once, then only times the page):
    createdb totech_bench_dashboard
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/totech_bench_dashboard SECRET_KEY=x .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/totech_bench_dashboard REDIS_URL=redis://127.0.0.1:6379/0 \\
        SECRET_KEY=x .venv/bin/python bench/dashboard.py

The summaries of the measured province are written directly (the dashboard reads only them and, for the
team ranking, the reports and values); the data is loaded with INSERT ... SELECT and foreign-key triggers
off (session_replication_role = replica, superuser only) to keep the load to a few minutes.
"""

import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "totech.settings")
django.setup()
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from reports.models import IndicatorSummary, ReportingSchedule, UnitSummary  # noqa: E402
from reports.rankings import _compute_team_scores  # noqa: E402
from reports.selectors import dashboard_indicators  # noqa: E402
from targets.models import Indicator, Period, Target  # noqa: E402
from targets.services import periods_generate  # noqa: E402
from teams.models import Team  # noqa: E402
from units.models import PopulationFigure, Unit  # noqa: E402

PROVINCES, COMMUNES, VILLAGES = 34, 100, 30
settings.ALLOWED_HOSTS = ["*"]


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def load():
    periods_generate(year=2026)
    indicators = [
        Indicator.objects.create(
            code=f"bench_{n}", name_vi=f"Chỉ tiêu {n}", name_en=f"Indicator {n}", order=n,
            pillar=["digital_government", "digital_economy", "digital_society", "team_activity"][n % 4],
            kind="percent" if n < 5 else "count", denominator_field="households" if n < 5 else "",
            aggregation="stock" if n < 5 else "flow",
        )
        for n in range(10)
    ]
    with transaction.atomic():
        sql("SET LOCAL session_replication_role = replica")
        sql(
            "INSERT INTO units_unit (edition, level, division_type, code, name, path) "
            "SELECT '2025', 'province', 'tinh', 'B' || p, 'Tỉnh ' || p, '' FROM generate_series(1, %s) p", [PROVINCES]
        )
        sql("UPDATE units_unit SET path = '/' || id || '/' WHERE level = 'province'")
        sql(
            "INSERT INTO units_unit (edition, level, division_type, code, name, path, parent_id) "
            "SELECT '2025', 'commune', 'xa', 'C' || p.id || '-' || c, 'Xã ' || c, p.path, p.id "
            "FROM units_unit p, generate_series(1, %s) c WHERE p.level = 'province'", [COMMUNES]
        )
        sql("UPDATE units_unit SET path = path || id || '/' WHERE level = 'commune'")
        sql(
            "INSERT INTO units_unit (edition, level, division_type, code, name, path, parent_id) "
            "SELECT '2025', 'village', 'thon', '', 'Thôn ' || v, c.path, c.id "
            "FROM units_unit c, generate_series(1, %s) v WHERE c.level = 'commune'", [VILLAGES]
        )
        sql("UPDATE units_unit SET path = path || id || '/' WHERE level = 'village'")
        sql(
            "INSERT INTO teams_team (level, name, decision_number, decision_date, decision_signer, status, zalo_link, notes, "
            "version, created_at, updated_at, unit_id) "
            "SELECT 'village', 'Tổ CNSCĐ ' || v.name, '', '2025-06-01', '', 'active', '', '', 1, now(), now(), v.id "
            "FROM units_unit v WHERE v.level = 'village'"
        )
        user = User.objects.create(username="bench", role="province_staff", scope_unit=Unit.objects.filter(level="province").order_by("pk").first())
        months = list(Period.objects.filter(kind="month", year=2026).values_list("pk", flat=True))
        # Reports of January-October approved (9 in 10 on time), one a month per team.
        sql(
            "INSERT INTO reports_report (kind, deadline, status, activities, difficulties, proposals, version, created_at, "
            "updated_at, submitted_at, approved_at, commune_id, created_by_id, period_id, province_id, team_id, village_id) "
            "SELECT 'periodic', (m.end + 5), 'approved', '', '', '', 1, now(), now(), "
            "(m.end + CASE WHEN t.id %% 10 = 0 THEN 9 ELSE 3 END)::timestamptz, (m.end + 12)::timestamptz, "
            "c.id, %s, m.id, c.parent_id, t.id, v.id "
            "FROM teams_team t JOIN units_unit v ON v.id = t.unit_id JOIN units_unit c ON c.id = v.parent_id "
            "JOIN targets_period m ON m.id = ANY(%s) WHERE m.number <= 10",
            [user.pk, months],
        )
        sql(
            "INSERT INTO reports_reportvalue (value, kind, period_end, approved, commune_id, indicator_id, period_id, "
            "province_id, report_id, team_id, village_id) "
            "SELECT mod(r.id * 7 + i.id * 13, CASE WHEN i.kind = 'percent' THEN 200 ELSE 30 END), 'periodic', p.end, true, "
            "r.commune_id, i.id, r.period_id, r.province_id, r.id, r.team_id, r.village_id "
            "FROM reports_report r JOIN targets_period p ON p.id = r.period_id CROSS JOIN targets_indicator i"
        )
    bench = user.scope_unit
    communes = list(Unit.objects.filter(parent=bench))
    villages = list(Unit.objects.filter(parent__parent=bench))
    PopulationFigure.objects.bulk_create(
        [PopulationFigure(unit=village, as_of=datetime.date(2025, 1, 1), households=300, population=1200) for village in villages]
    )
    for province in Unit.objects.filter(level="province"):
        ReportingSchedule.objects.create(province=province, frequency="month", deadline_day=5, remind_days_before=3, starts_on=datetime.date(2026, 1, 1))
    quarters = list(Period.objects.filter(kind="quarter", year=2026).order_by("number"))
    q3 = quarters[2]
    Target.objects.bulk_create(
        [Target(indicator=indicator, period=q3, unit=bench, mode="percent", value=Decimal("60")) for indicator in indicators[:5]]
        + [Target(indicator=indicator, period=q3, unit=commune, mode="absolute", value=Decimal("2000")) for indicator in indicators[5:] for commune in communes]
        + [Target(indicator=indicators[5], period=q3, team=team, mode="absolute", value=Decimal("40")) for team in Team.objects.filter(unit__in=villages)]
    )
    now = timezone.now()
    random.seed(7)
    for quarter in quarters[:3]:
        for unit in [bench, *communes]:
            UnitSummary.objects.create(
                unit=unit, period=quarter, reports_expected=90, reports_received=random.randint(60, 90), reports_on_time=random.randint(40, 60),
                active_teams=30, members=210, villages=30, villages_covered=30, computed_at=now,
            )
            IndicatorSummary.objects.bulk_create(
                [IndicatorSummary(unit=unit, period=quarter, indicator=indicator, actual=random.randint(0, 900), rate=Decimal(random.randint(0, 1000)) / 10,
                                  achievement=Decimal(random.randint(0, 1500)) / 10, rating=random.choice(["red", "amber", "green"]), computed_at=now)
                 for indicator in indicators]
            )
    sql("ANALYZE")


def main():
    if not User.objects.filter(username="bench").exists():
        started = time.perf_counter()
        load()
        print(f"loaded in {time.perf_counter() - started:.0f} s")
    user = User.objects.get(username="bench")
    province = user.scope_unit
    q3 = Period.objects.get(kind="quarter", year=2026, number=3)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reports_reportvalue")
        values = cursor.fetchone()[0]
    print(f"teams {Team.objects.count():,}, report values {values:,}, teams in the province {Team.objects.filter(unit__path__startswith=province.path).count():,}")
    print("cache:", settings.CACHES["default"]["BACKEND"])
    client = Client()
    client.force_login(user)
    url = reverse("reports:dashboard_unit", args=[province.pk]) + f"?period={q3.pk}"

    def timed_get():
        started = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200 and b'id="top-teams"' in response.content, response.status_code
        return (time.perf_counter() - started) * 1000

    indicators = dashboard_indicators()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        scores = _compute_team_scores(province, q3, indicators, timezone.localdate())
    print(f"team scores alone: {len(scores):,} teams in {(time.perf_counter() - started) * 1000:.0f} ms, {len(queries)} queries")
    cold = []
    for _ in range(5):
        UnitSummary.objects.filter(unit=province, period=q3).update(computed_at=timezone.now())  # what a roll-up does
        cold.append(timed_get())
    warm = sorted(timed_get() for _ in range(60))
    print(f"page after a roll-up (team scores recomputed): {' / '.join(f'{value:.0f}' for value in cold)} ms")
    print(f"page, cached team scores, 60 requests: p50 {statistics.median(warm):.0f} ms, p95 {warm[int(0.95 * len(warm)) - 1]:.0f} ms, max {warm[-1]:.0f} ms")


if __name__ == "__main__":
    main()
