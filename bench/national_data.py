"""A national-scale data set on PostgreSQL, built in minutes with set-based SQL.

    .venv/bin/python bench/national_data.py [--database postgres://postgres@127.0.0.1:5432/totech_national] [--force]

Builds (the database is created; with --force an existing one is dropped first):

* the 2025 map (`load_admin_units --edition 2025`: 34 provinces, 3,321 communes, real names) and ~21 generated
  villages per commune (~70,000), each with population figures as of 01/07/2025 (communes and provinces take
  the sum of their villages, by the rule of units.selectors.subtree_population_values);
* the indicator catalogue (`seed_indicators`), the periods of 2025 and 2026, a monthly schedule per province
  (deadline the 5th, reports expected from 01/11/2025), and targets per province for the four quarters of
  2026 (percentages as the catalogue's default level, absolute numbers from the province's population) with
  the absolute ones split among its communes by their population figure;
* 100,000 teams: one per commune and one per village, plus a second team in ~39% of villages; 500,000 people
  and memberships (a leader, a standing deputy and three members per team); a portal account for every team
  leader (`leader_<team id>`), one commune officer per commune (`commune_<code>`) and one province staff
  account per province (`province_<code>`), password `bench-pass`;
* the 12 monthly reports of 11/2025 to 10/2026, the last 12 months whose deadline has passed on 23/11/2026
  (fixed: a later run date shifts nothing): ~1.18 million reports (1.5% missing), mostly approved, some
  submitted, returned, resubmitted or draft (September and October 2026 have more still under review), 10%
  sent late, with a value for each of the 11 indicators (~13 million ReportValue rows; commune teams leave stocks empty) whose copied
  columns (kind, period, period_end, team, village, commune, district = NULL on the 2025 map, province,
  approved) are those reports.services writes. November 2026, the month in progress, has no reports yet.

The teams of the first 100 leader accounts (`bench_leader_001` ... `bench_leader_100`, one village team each
in 100 different communes) get no generated reports: bench/submissions.py fills their 12 months through the
web and deletes what it wrote afterwards.

Reports carry no ReportTransition or history rows (the pages show an empty review history); foreign keys
are not checked during the load (session_replication_role = replica: the rows are built from the keys
they point at), the big tables' secondary indexes are dropped during the load and rebuilt after it.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/totech_national"
PASSWORD = "bench-pass"
BENCH_LEADERS = 100
SECOND_TEAM_SHARE = 0.3863  # of villages: 3,321 commune teams + 69,739 village teams + ~26,940 second teams
MONTHS = [(2025, 11), (2025, 12)] + [(2026, month) for month in range(1, 11)]

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Quang", "Thu", "Xuân", "Công", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
]


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("STATIC_MANIFEST", "False")  # no collectstatic needed
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "totech.settings")
    import django

    django.setup()


def create_database(database_url, force):
    import psycopg2

    name = database_url.rsplit("/", 1)[1]
    connection = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            if not force:
                sys.exit(f"Database {name} exists: pass --force to drop and rebuild it.")
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


class Steps:
    def __init__(self):
        self.started = time.perf_counter()

    def run(self, label, function, *args):
        t0 = time.perf_counter()
        result = function(*args)
        print(f"{label:<58} {time.perf_counter() - t0:7.1f} s  {result if result is not None else ''}", flush=True)
        return result


def sql(cursor, statement, params=None):
    cursor.execute(statement, params)
    return cursor.rowcount


def seq(table):
    return f"pg_get_serial_sequence('{table}', 'id')"


# --- the steps -------------------------------------------------------------------------------------------


def schema_and_catalogue():
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_admin_units", edition="2025")
    call_command("seed_indicators")


def villages(cursor):
    """15-27 villages per commune (tổ dân phố in wards), and their population figures."""
    sql(cursor, "SELECT setseed(0.2025)")
    count = sql(
        cursor,
        f"""
        INSERT INTO units_unit (id, edition, level, division_type, code, name, search_name, parent_id, path, valid_from, valid_to)
        SELECT id, '2025', 'village', kind, '', prefix || ' ' || number, folded || ' ' || number, commune_id,
               commune_path || id || '/', valid_from, NULL
        FROM (
            SELECT nextval({seq("units_unit")}) AS id, c.id AS commune_id, c.path AS commune_path, c.valid_from, g AS number,
                   CASE WHEN c.division_type = 'phuong' THEN 'to_dan_pho' ELSE 'thon' END AS kind,
                   CASE WHEN c.division_type = 'phuong' THEN 'Tổ dân phố' ELSE 'Thôn' END AS prefix,
                   CASE WHEN c.division_type = 'phuong' THEN 'to dan pho' ELSE 'thon' END AS folded  -- fold(prefix)
            FROM units_unit c CROSS JOIN LATERAL generate_series(1, 15 + (c.id * 7919 % 13)::int) AS g
            WHERE c.level = 'commune' AND c.edition = '2025'
            ORDER BY c.id, g
        ) AS v
        """,
    )
    sql(
        cursor,
        """
        INSERT INTO units_populationfigure (unit_id, as_of, population, households, working_age_population, eid_eligible)
        SELECT id, DATE '2025-07-01', population, population * 10 / 37, population * 64 / 100, population * 82 / 100
        FROM (SELECT id, 600 + floor(random() * 1700)::int AS population FROM units_unit WHERE level = 'village') AS v
        """,
    )
    return f"{count:,} villages with population figures"


def periods_schedules_targets(cursor):
    from targets.services import periods_generate

    for year in (2025, 2026):
        periods_generate(year=year)
    sql(
        cursor,
        """
        INSERT INTO reports_reportingschedule (province_id, frequency, deadline_day, remind_days_before, starts_on)
        SELECT id, 'month', 5, 3, DATE '2025-11-01' FROM units_unit WHERE level = 'province'
        """,
    )
    # Population figures of every province and commune (sums of their villages), for the absolute targets.
    sql(
        cursor,
        """
        CREATE TEMP TABLE unit_population AS
        SELECT c.id AS commune_id, c.parent_id AS province_id, sum(f.population) AS population, sum(f.households) AS households,
               sum(f.working_age_population) AS working_age_population, sum(f.eid_eligible) AS eid_eligible
        FROM units_unit c JOIN units_unit v ON v.parent_id = c.id JOIN units_populationfigure f ON f.unit_id = v.id
        WHERE c.level = 'commune' GROUP BY c.id
        """,
    )
    # Percentages: the catalogue's level, 15 points lower in Q1 rising to it in Q4. Counts, per quarter: a
    # share of the province's figure near what its teams report (e.g. people guided: ~22% of the population),
    # times a province factor (0.9-1.15), so provinces come out red, amber and green.
    provinces = sql(
        cursor,
        """
        INSERT INTO targets_target (indicator_id, period_id, unit_id, team_id, mode, value, decision_number, decision_date, updated_at)
        SELECT i.id, p.id, u.province_id, NULL,
               CASE WHEN i.kind = 'percent' THEN 'percent' ELSE 'absolute' END,
               CASE WHEN i.kind = 'percent' THEN greatest(0, i.default_target - 5 * (4 - p.number))
                    ELSE round(u.zeal * CASE i.code
                        WHEN 'ecommerce_registrations' THEN u.households * 0.035
                        WHEN 'epayment_accounts' THEN u.working_age_population * 0.05
                        WHEN 'propaganda_sessions' THEN u.population * 0.0075
                        WHEN 'door_to_door_visits' THEN u.households * 0.4
                        ELSE u.population * 0.22 END) END,
               '12/KH-UBND', DATE '2026-01-10', now()
        FROM (SELECT province_id, sum(population) AS population, sum(households) AS households,
                     sum(working_age_population) AS working_age_population, 0.9 + random() * 0.25 AS zeal
              FROM unit_population GROUP BY province_id) AS u
        CROSS JOIN targets_indicator i CROSS JOIN targets_period p
        WHERE p.kind = 'quarter' AND p.year = 2026 AND i.is_active
        """,
    )
    return f"{provinces:,} province targets"


def split_absolute_targets(cursor):
    """Each province's absolute targets split among its communes by their share field (rounded down, the
    remainder to the largest commune, so the shares add up)."""
    sql(
        cursor,
        """
        CREATE TEMP TABLE commune_share AS
        SELECT t.indicator_id, t.period_id, t.value AS total, c.commune_id,
               CASE coalesce(nullif(i.denominator_field, ''), 'population')
                    WHEN 'households' THEN c.households WHEN 'working_age_population' THEN c.working_age_population
                    WHEN 'eid_eligible' THEN c.eid_eligible ELSE c.population END AS figure,
               c.province_id
        FROM targets_target t JOIN targets_indicator i ON i.id = t.indicator_id
        JOIN unit_population c ON c.province_id = t.unit_id
        WHERE t.mode = 'absolute' AND t.unit_id IS NOT NULL
        """,
    )
    sql(
        cursor,
        """
        CREATE TEMP TABLE commune_share_floor AS
        SELECT indicator_id, period_id, commune_id, province_id, figure, total,
               floor(total * figure / sum(figure) OVER w) AS share,
               row_number() OVER (PARTITION BY indicator_id, period_id, province_id ORDER BY figure DESC, commune_id) AS rank
        FROM commune_share WINDOW w AS (PARTITION BY indicator_id, period_id, province_id)
        """,
    )
    communes = sql(
        cursor,
        """
        INSERT INTO targets_target (indicator_id, period_id, unit_id, team_id, mode, value, decision_number, decision_date, updated_at)
        SELECT indicator_id, period_id, commune_id, NULL, 'absolute',
               share + CASE WHEN rank = 1 THEN total - sum(share) OVER (PARTITION BY indicator_id, period_id, province_id) ELSE 0 END,
               '12/KH-UBND', DATE '2026-01-10', now()
        FROM commune_share_floor
        """,
    )
    return f"{communes:,} commune targets"


def teams(cursor):
    """A team per commune and per village, a second one in some villages; people, memberships, leader accounts."""
    sql(cursor, "SELECT setseed(0.2026)")
    communes = sql(
        cursor,
        """
        INSERT INTO teams_team (unit_id, level, name, decision_number, decision_date, decision_signer, status, zalo_link,
                                notes, version, created_at, updated_at)
        SELECT id, 'commune', 'Tổ Công nghệ số cộng đồng ' || name, '', DATE '2025-08-15', '', 'active', '', '', 1, now(), now()
        FROM units_unit WHERE level = 'commune' ORDER BY id
        """,
    )
    village_teams = sql(
        cursor,
        """
        INSERT INTO teams_team (unit_id, level, name, decision_number, decision_date, decision_signer, status, zalo_link,
                                notes, version, created_at, updated_at)
        SELECT v.id, 'village', 'Tổ CNSCĐ ' || v.name || CASE WHEN n = 2 THEN ' (tổ 2)' ELSE '' END,
               '', DATE '2025-09-01', '', 'active', '', '', 1, now(), now()
        FROM (SELECT id, name, random() < %s AS has_second FROM units_unit WHERE level = 'village') AS v
        CROSS JOIN generate_series(1, 2) AS n
        WHERE n = 1 OR v.has_second
        ORDER BY v.id, n
        """,
        [SECOND_TEAM_SHARE],
    )
    # The team's units as report rows copy them.
    sql(
        cursor,
        """
        CREATE TEMP TABLE bench_team_units AS
        SELECT t.id AS team_id, t.level,
               CASE WHEN t.level = 'village' THEN u.id END AS village_id,
               CASE WHEN t.level = 'village' THEN u.parent_id ELSE u.id END AS commune_id,
               CASE WHEN t.level = 'village' THEN c.parent_id ELSE u.parent_id END AS province_id,
               count(*) OVER (PARTITION BY t.unit_id) AS teams_in_unit,
               0.85 + random() * 0.25 AS zeal
        FROM teams_team t JOIN units_unit u ON u.id = t.unit_id JOIN units_unit c ON c.id = u.parent_id
        """,
    )
    sql(cursor, "ALTER TABLE bench_team_units ADD PRIMARY KEY (team_id)")
    sql(cursor, "ANALYZE bench_team_units")
    sql(
        cursor,
        f"""
        CREATE TEMP TABLE member_rows AS
        SELECT nextval({seq("teams_person")}) AS person_id, t.team_id, t.commune_id, k,
               (%s::text[])[1 + floor(random() * %s)::int] || ' ' || (%s::text[])[1 + floor(random() * %s)::int] || ' '
               || (%s::text[])[1 + floor(random() * %s)::int] AS full_name,
               CASE WHEN random() < 0.5 THEN 'male' ELSE 'female' END AS gender,
               1965 + floor(random() * 40)::int AS birth_year,
               '09' || lpad((t.team_id * 5 + k)::text, 8, '0') AS phone
        FROM bench_team_units t CROSS JOIN generate_series(1, 5) AS k ORDER BY t.team_id, k
        """,
        [FAMILY, len(FAMILY), MIDDLE, len(MIDDLE), GIVEN, len(GIVEN)],
    )
    people = sql(
        cursor,
        """
        INSERT INTO teams_person (id, full_name, gender, birth_year, phone, email, national_id, commune_id, created_at, updated_at)
        SELECT person_id, full_name, gender, birth_year, phone, '', '', commune_id, now(), now() FROM member_rows
        """,
    )
    memberships = sql(
        cursor,
        """
        INSERT INTO teams_membership (team_id, person_id, role, affiliation, start_date, end_reason, notes, created_at, updated_at)
        SELECT team_id, person_id,
               CASE k WHEN 1 THEN 'leader' WHEN 2 THEN 'standing_deputy' ELSE 'member' END,
               CASE k WHEN 2 THEN 'youth_union' WHEN 3 THEN 'womens_union' WHEN 4 THEN 'commune_police' ELSE 'citizen' END,
               DATE '2025-09-01', '', '', now(), now()
        FROM member_rows
        """,
    )
    return f"{communes + village_teams:,} teams ({communes:,} commune), {people:,} people, {memberships:,} memberships"


def staff_accounts(cursor):
    """A province staff account per province (`province_<code>`), a commune officer per commune (`commune_<code>`:
    they review the village teams' reports)."""
    from django.contrib.auth.hashers import make_password

    password = make_password(PASSWORD)
    return tuple(
        sql(
            cursor,
            f"""
            INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
                                       date_joined, role, phone, scope_unit_id)
            SELECT %s, false, '{level}_' || code, %s, name, '', false, true, now(), %s, '', id
            FROM units_unit WHERE level = '{level}'
            """,
            [password, first_name, role],
        )
        for level, first_name, role in (
            ("province", "Sở KH&CN", "province_staff"),
            ("commune", "UBND", "commune_officer"),
        )
    )


def accounts(cursor):
    """The staff accounts, and a leader account per team; the first BENCH_LEADERS village teams in distinct
    communes (spread over the provinces) are the submission benchmark's."""
    from django.contrib.auth.hashers import make_password

    password = make_password(PASSWORD)
    staff, officers = staff_accounts(cursor)
    sql(
        cursor,
        """
        CREATE TEMP TABLE bench_leaders AS
        SELECT team_id, row_number() OVER (ORDER BY position, commune_id) AS number
        FROM (SELECT team_id, commune_id, row_number() OVER (PARTITION BY province_id ORDER BY commune_id) AS position
              FROM (SELECT DISTINCT ON (commune_id) team_id, commune_id, province_id FROM bench_team_units
                    WHERE level = 'village' ORDER BY commune_id, team_id) AS first_per_commune) AS ranked
        ORDER BY position, commune_id LIMIT %s
        """,
        [BENCH_LEADERS],
    )
    leaders = sql(
        cursor,
        f"""
        WITH accounts AS (
            SELECT nextval({seq("accounts_user")}) AS user_id, m.person_id, t.team_id, team.unit_id,
                   coalesce('bench_leader_' || lpad(b.number::text, 3, '0'), 'leader_' || t.team_id) AS username
            FROM bench_team_units t JOIN teams_team team ON team.id = t.team_id
            JOIN teams_membership m ON m.team_id = t.team_id AND m.role = 'leader'
            LEFT JOIN bench_leaders b ON b.team_id = t.team_id
        ), created AS (
            INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
                                       date_joined, role, phone, scope_unit_id)
            SELECT user_id, %s, false, username, '', '', '', false, true, now(), 'team_leader', '', unit_id FROM accounts
        )
        UPDATE teams_person p SET user_id = a.user_id FROM accounts a WHERE p.id = a.person_id
        """,
        [password],
    )
    return f"{staff} province staff, {officers:,} commune officers, {leaders:,} team leaders ({BENCH_LEADERS} bench_leader_*)"


def report_rows(cursor):
    """The reports of every team but the benchmark's for the 12 months: status, dates and copied units."""
    sql(cursor, "SELECT setseed(0.2027)")
    sql(
        cursor,
        """
        CREATE TEMP TABLE months AS
        SELECT p.id AS period_id, p.start, p."end", row_number() OVER (ORDER BY p.start) - 1 AS m,
               (date_trunc('month', p."end") + interval '1 month' + interval '4 days')::date AS deadline
        FROM targets_period p WHERE p.kind = 'month' AND (p.year, p.number) IN %s
        """,
        [tuple(MONTHS)],
    )
    # r: a uniform draw deciding the status: 1.5% missing, then mostly approved, the last two months with
    # more still under review; late: 10% sent after the deadline.
    sql(
        cursor,
        """
        CREATE TEMP TABLE report_draw AS
        SELECT t.team_id, t.village_id, t.commune_id, t.province_id, mo.period_id, mo.deadline, mo."end", mo.m,
               random() AS r, random() AS late, random() AS lag
        FROM bench_team_units t CROSS JOIN months mo
        WHERE t.team_id NOT IN (SELECT team_id FROM bench_leaders)
        """,
    )
    sql(
        cursor,
        f"""
        CREATE TEMP TABLE bench_report_rows AS
        SELECT nextval({seq("reports_report")}) AS id, d.*,
               CASE WHEN status = 'draft' THEN NULL
                    WHEN late < 0.1 THEN d.deadline + 1 + floor(lag * 15)::int + time '15:20'
                    ELSE d.deadline - floor(lag * 8)::int + time '09:40' END AS submitted_at,
               d."end" - 6 + time '20:00' AS created_at
        FROM (SELECT *, CASE
                WHEN r < 0.015 THEN NULL
                WHEN m >= 10 AND r < 0.015 + 0.08 * (m - 9) THEN 'submitted'
                WHEN r < 0.955 THEN 'approved'
                WHEN r < 0.97 THEN 'returned'
                WHEN r < 0.98 THEN 'resubmitted'
                WHEN r < 0.99 THEN 'submitted'
                ELSE 'draft' END AS status
              FROM report_draw) AS d
        WHERE status IS NOT NULL
        ORDER BY d.period_id, d.team_id
        """,
    )
    sql(cursor, "ANALYZE bench_report_rows")
    return sql(
        cursor,
        """
        INSERT INTO reports_report (id, team_id, kind, period_id, request_id, deadline, status, village_id, commune_id, district_id,
                                    province_id, activities, difficulties, proposals, version, created_by_id, created_at,
                                    updated_at, submitted_at, approved_at)
        SELECT r.id, r.team_id, 'periodic', r.period_id, NULL, r.deadline, r.status, r.village_id, r.commune_id, NULL, r.province_id,
               'Hướng dẫn người dân cài đặt VNeID, dịch vụ công trực tuyến; tuyên truyền chuyển đổi số tại nhà văn hoá.',
               CASE WHEN r.lag < 0.2 THEN 'Nhiều người cao tuổi chưa có điện thoại thông minh.' ELSE '' END, '',
               CASE WHEN r.status = 'draft' THEN 1 ELSE 2 END, p.user_id,
               r.created_at, coalesce(CASE WHEN r.status = 'approved' THEN r.submitted_at + interval '3 days' ELSE r.submitted_at END, r.created_at),
               r.submitted_at, CASE WHEN r.status = 'approved' THEN r.submitted_at + interval '3 days' END
        FROM bench_report_rows r
        JOIN teams_membership m ON m.team_id = r.team_id AND m.role = 'leader'
        JOIN teams_person p ON p.id = m.person_id
        """,
    )


def report_values(cursor):
    """A value for every active indicator in every report. Percentages (and the accounts issued) are stocks of
    the village's people, rising month by month: every team of a village reports on the same people (the
    roll-up counts a village once, reports.progress), and commune teams leave them to the village teams (no
    value, so a commune's figure is the sum of its villages'); counts are the month's work (a commune team does
    three times a village team's)."""
    cursor.execute("SELECT code, id FROM targets_indicator WHERE is_active")
    indicators = dict(cursor.fetchall())
    expressions = {
        "eid_level2": "eid",
        "eid_issued": "floor(eid * least(0.97, 0.85 + 0.01 * m))",
        "eid_activation": "floor(floor(eid * least(0.97, 0.85 + 0.01 * m)) * least(0.98, 0.70 + 0.015 * m))",
        "households_online_services": "floor(share * households * least(0.98, (0.50 + 0.025 * m) * zeal))",
        "citizen_app": "floor(share * working_age_population * least(0.98, (0.20 + 0.020 * m) * zeal))",
        "households_digital_skills": "floor(share * households * least(0.98, (0.45 + 0.025 * m) * zeal))",
        "ecommerce_registrations": "floor(random() * 6 * zeal * size)",
        "epayment_accounts": "floor(random() * 20 * zeal * size)",
        "propaganda_sessions": "1 + floor(random() * 3 * zeal)",
        "door_to_door_visits": "floor((10 + random() * 50) * zeal * size)",
        "people_guided": "floor((20 + random() * 100) * zeal * size)",
    }
    stocks = {
        "eid_level2",
        "eid_issued",
        "eid_activation",
        "households_online_services",
        "citizen_app",
        "households_digital_skills",
    }
    values = ", ".join(
        f"({indicators[code]}, (CASE WHEN share > 0 THEN {expression} END)::int)"
        if code in stocks
        else f"({indicators[code]}, ({expression})::int)"
        for code, expression in expressions.items()
    )
    sql(cursor, "SELECT setseed(0.2028)")
    return sql(
        cursor,
        f"""
        INSERT INTO reports_reportvalue (report_id, indicator_id, value, kind, period_id, period_end, team_id, village_id,
                                         commune_id, district_id, province_id, approved)
        SELECT id, v.indicator_id, v.value, 'periodic', period_id, "end", team_id, village_id, commune_id, NULL, province_id,
               status = 'approved'
        FROM (
            SELECT r.id, r.period_id, r."end", r.team_id, r.village_id, r.commune_id, r.province_id, r.status, r.m, t.zeal,
                   share, CASE WHEN t.level = 'village' THEN 1 ELSE 3 END AS size,
                   coalesce(f.households, 0) AS households, coalesce(f.working_age_population, 0) AS working_age_population,
                   floor(share * coalesce(f.eid_eligible, 0) * least(0.98, (0.62 + 0.02 * r.m) * t.zeal)) AS eid
            FROM bench_report_rows r JOIN bench_team_units t ON t.team_id = r.team_id
            CROSS JOIN LATERAL (SELECT CASE WHEN t.level = 'village' THEN 1.0 ELSE 0 END AS share) AS s
            LEFT JOIN units_populationfigure f ON f.unit_id = r.village_id
        ) AS report
        CROSS JOIN LATERAL (VALUES {values}) AS v (indicator_id, value)
        """,
    )


# --- index handling --------------------------------------------------------------------------------------


def drop_secondary_indexes(cursor, tables):
    """Drop the non-primary-key indexes and unique constraints of `tables`; returns the SQL to rebuild them."""
    cursor.execute(
        """
        SELECT 'ALTER TABLE ' || conrelid::regclass || ' ADD CONSTRAINT ' || conname || ' ' || pg_get_constraintdef(oid),
               'ALTER TABLE ' || conrelid::regclass || ' DROP CONSTRAINT ' || conname
        FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) AND contype = 'u'
        """,
        [tables],
    )
    constraints = cursor.fetchall()
    for _create, drop in constraints:
        cursor.execute(drop)
    cursor.execute(
        """
        SELECT indexdef, 'DROP INDEX ' || indexname FROM pg_indexes i
        WHERE tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    for _create, drop in indexes:
        cursor.execute(drop)
    return Rebuild(create for create, _drop in constraints + indexes)


class Rebuild(list):
    def __str__(self):
        return f"{len(self)} indexes and constraints"


def rebuild(cursor, statements):
    for statement in statements:
        cursor.execute(statement)
    return f"{len(statements)} indexes and constraints"


def check(cursor):
    """Counts, and that the copied columns agree with the reports (the load skipped the foreign-key checks)."""
    cursor.execute(
        """
        SELECT (SELECT count(*) FROM units_unit WHERE level = 'province'), (SELECT count(*) FROM units_unit WHERE level = 'commune'),
               (SELECT count(*) FROM units_unit WHERE level = 'village'), (SELECT count(*) FROM teams_team),
               (SELECT count(*) FROM teams_person), (SELECT count(*) FROM teams_membership),
               (SELECT count(*) FROM accounts_user), (SELECT count(*) FROM targets_target),
               (SELECT count(*) FROM reports_report), (SELECT count(*) FROM reports_reportvalue)
        """
    )
    names = [
        "provinces",
        "communes",
        "villages",
        "teams",
        "people",
        "memberships",
        "users",
        "targets",
        "reports",
        "values",
    ]
    counts = dict(zip(names, cursor.fetchone(), strict=True))
    cursor.execute(
        """
        SELECT count(*) FROM reports_reportvalue v JOIN reports_report r ON r.id = v.report_id
        WHERE (v.period_id, v.team_id, v.province_id, v.approved) IS DISTINCT FROM (r.period_id, r.team_id, r.province_id, r.status = 'approved')
           OR v.village_id IS DISTINCT FROM r.village_id OR v.commune_id IS DISTINCT FROM r.commune_id OR v.district_id IS NOT NULL
        """
    )
    counts["values not matching their report"] = cursor.fetchone()[0]
    cursor.execute(
        """
        SELECT count(*) FROM reports_report r LEFT JOIN teams_team t ON t.id = r.team_id LEFT JOIN accounts_user u ON u.id = r.created_by_id
        WHERE t.id IS NULL OR u.id IS NULL
        """
    )
    counts["reports with a dangling key"] = cursor.fetchone()[0]
    return ", ".join(f"{name} {count:,}" for name, count in counts.items())


def app_check():
    """The data as the app sees it: a team page, a report and the progress page through the test client (as
    a province's staff), one commune's progress for 2026 Q3 by reports.progress, against the sums in SQL."""
    os.environ["ALLOWED_HOSTS"] = "testserver"
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from reports.models import Report
    from reports.progress import progress
    from targets.models import Period
    from teams.models import Team

    settings.ALLOWED_HOSTS = ["testserver"]
    report = (
        Report.objects.filter(status="approved", village__isnull=False)
        .order_by("pk")
        .select_related("province")
        .first()
    )
    team = Team.objects.get(pk=report.team_id)
    client = Client()
    client.force_login(User.objects.get(username=f"province_{report.province.code}"))
    lines = []
    for name, url in [
        ("team page", reverse("teams:detail", args=[team.pk])),
        ("report page", reverse("reports:detail", args=[report.pk])),
        ("reports list", reverse("reports:list")),
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        lines.append(f"{name} {url} 200")
    leader = Client()
    leader.force_login(User.objects.get(username="bench_leader_001"))
    response = leader.get(reverse("reports:list"))
    assert response.status_code == 200
    quarter = Period.objects.get(kind="quarter", year=2026, number=3)
    commune = report.commune
    rows = {row.indicator.code: row for row in progress(period=quarter, unit=commune)}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT sum(v.value) FROM reports_reportvalue v JOIN targets_indicator i ON i.id = v.indicator_id
            JOIN targets_period p ON p.id = v.period_id
            WHERE v.approved AND v.commune_id = %s AND i.code = 'people_guided' AND p.start >= %s AND p."end" <= %s
            """,
            [commune.pk, quarter.start, quarter.end],
        )
        people_guided = cursor.fetchone()[0]
    assert rows["people_guided"].actual == people_guided, (rows["people_guided"].actual, people_guided)
    for code in ("eid_level2", "people_guided"):
        row = rows[code]
        lines.append(
            f"progress {commune.name} 2026 Q3 {code}: actual {row.actual:,}, denominator {row.denominator}, "
            f"rate {row.rate}, target {row.target.value if row.target else None}, achievement {row.achievement}, {row.rating}"
        )
    return "\n".join(["", *lines])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--force", action="store_true", help="drop and rebuild the database if it exists")
    parser.add_argument("--check", action="store_true", help="only check an existing database as the app sees it")
    parser.add_argument(
        "--units-only",
        action="store_true",
        help="only the map, its villages and the staff accounts (bench/unit_picker.py)",
    )
    args = parser.parse_args()
    steps = Steps()
    if args.check:
        setup_django(args.database)
        steps.run("the data through the app", app_check)
        return
    create_database(args.database, args.force)
    setup_django(args.database)
    from django.db import connection, transaction

    steps.run("migrate, 2025 map, indicator catalogue", schema_and_catalogue)
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET work_mem = '256MB'")
        with transaction.atomic():
            steps.run("villages and population figures", villages, cursor)
            if args.units_only:
                steps.run("staff accounts", staff_accounts, cursor)
        if args.units_only:
            steps.run("vacuum analyze", lambda: cursor.execute("VACUUM ANALYZE"))
            print(f"total {time.perf_counter() - steps.started:.0f} s")
            return
        with transaction.atomic():
            steps.run("periods, schedules, province targets", periods_schedules_targets, cursor)
            steps.run("absolute targets split among communes", split_absolute_targets, cursor)
        big = ["teams_person", "teams_membership", "reports_report", "reports_reportvalue"]
        rebuilt = steps.run("drop secondary indexes of the big tables", drop_secondary_indexes, cursor, big)
        cursor.execute("SET session_replication_role = replica")  # no foreign-key triggers during the load
        with transaction.atomic():
            steps.run("teams, people, memberships", teams, cursor)
            steps.run("accounts", accounts, cursor)
            steps.run("reports", report_rows, cursor)
            steps.run("report values", report_values, cursor)
        cursor.execute("SET session_replication_role = DEFAULT")
        steps.run("rebuild indexes and constraints", rebuild, cursor, rebuilt)
        steps.run("vacuum analyze", lambda: cursor.execute("VACUUM ANALYZE"))
        steps.run("check", check, cursor)
    steps.run("the data through the app", app_check)
    print(f"total {time.perf_counter() - steps.started:.0f} s")


if __name__ == "__main__":
    main()
