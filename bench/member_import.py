"""Benchmark: importing a 50,000-row member file, end to end (read, validate, write) on PostgreSQL, against a
plain django-import-export ModelResource reading the same file.

    .venv/bin/python bench/member_import.py [--rows 50000] [--plain-rows 2000]
        [--database postgres://postgres@127.0.0.1:5432/totech_bench]

Each measurement runs in its own process (so peak RSS is its own) on emptied tables. The plain resource is
slow (~100-200 rows/s), so it imports the first --plain-rows rows of the same file and its 50,000-row time is
extrapolated from its rate.
"""

import argparse
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VILLAGES = 500
HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số điện thoại",
    "Chức vụ trong Tổ",
    "Thành phần / Đơn vị công tác",
    "Thôn/Tổ dân phố",
    "Ghi chú",
]


def setup_django(database_url, pages=False):
    """Django on `database_url`; `pages`: to serve pages through the test client as in production (DEBUG off,
    no collectstatic needed)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "totech.settings")
    if pages:
        os.environ.setdefault("STATIC_MANIFEST", "False")
        os.environ["DEBUG"] = "False"
        os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()


def ensure_database(database_url):
    import psycopg2

    name = database_url.rsplit("/", 1)[1]
    connection = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def commune():
    from units.choices import DivisionType, Edition, Level
    from units.models import Unit
    from units.services import village_create

    province, _ = Unit.objects.get_or_create(
        edition=Edition.REFORMED,
        level=Level.PROVINCE,
        code="98",
        defaults={"name": "Tỉnh Bench", "division_type": DivisionType.PROVINCE},
    )
    commune, _ = Unit.objects.get_or_create(
        edition=Edition.REFORMED,
        level=Level.COMMUNE,
        code="98001",
        defaults={"name": "Xã Bench", "division_type": DivisionType.COMMUNE, "parent": province},
    )
    existing = set(commune.children.values_list("name", flat=True))
    for number in range(1, VILLAGES + 1):
        if f"Thôn {number}" not in existing:
            village_create(commune=commune, name=f"Thôn {number}", division_type=DivisionType.VILLAGE)
    return commune


def generate(path, rows):
    from openpyxl import Workbook

    from teams.spreadsheets.samples import AFFILIATIONS, person_name

    rng = random.Random(50_000)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(HEADER)
    per_village = -(-rows // VILLAGES)
    for index in range(rows):
        position = index % per_village
        gender = rng.choice(["male", "female"])
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 15000))
        role = "Tổ trưởng" if position == 0 else ("Tổ phó thường trực" if position == 1 else "Thành viên")
        sheet.append(
            [
                index + 1,
                f"{person_name(rng, gender)} {index}",
                birth,
                "Nam" if gender == "male" else "Nữ",
                f"09{index:08d}",
                role,
                rng.choice(AFFILIATIONS),
                f"Thôn {index // per_village + 1}",
                None,
            ]
        )
    workbook.save(path)


def empty_tables():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE teams_membership, teams_historicalmembership, teams_person, teams_historicalperson, "
            "teams_team, teams_historicalteam, teams_training_attendees, teams_membershiprequest CASCADE"
        )


def backend_cpu_seconds(pid):
    """CPU time used so far by a PostgreSQL backend on this host (utime + stime in /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_pid():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def run_ours(path):
    from teams.spreadsheets.members import import_members

    empty_tables()
    unit = commune()
    backend = backend_pid()
    started, cpu_started, backend_started = time.perf_counter(), time.process_time(), backend_cpu_seconds(backend)
    with open(path, "rb") as file:
        result = import_members(file, commune=unit, file_name="bench.xlsx")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    backend_cpu = backend_cpu_seconds(backend) - backend_started
    assert result.ok and result.created == result.total_rows, [str(error) for error in result.errors[:5]]
    return {"rows": result.total_rows, "seconds": elapsed, "cpu_seconds": cpu, "backend_cpu_seconds": backend_cpu}


def run_plain(path, rows):
    import tablib
    from import_export import fields, resources

    from teams.models import Person

    class PlainPersonResource(resources.ModelResource):
        """Default options; only the column names (the file's Vietnamese headers) and the natural key are set."""

        full_name = fields.Field(attribute="full_name", column_name="Họ và tên")
        birth_date = fields.Field(
            attribute="birth_date", column_name="Ngày sinh", widget=resources.widgets.DateWidget()
        )
        gender = fields.Field(attribute="gender", column_name="Giới tính")
        phone = fields.Field(attribute="phone", column_name="Số điện thoại")
        commune = fields.Field(attribute="commune_id", column_name="commune")

        class Meta:
            model = Person
            fields = ("full_name", "birth_date", "gender", "phone", "commune")
            import_id_fields = ("full_name", "birth_date")

    empty_tables()
    unit = commune()
    backend = backend_pid()
    started, cpu_started = time.perf_counter(), time.process_time()
    with open(path, "rb") as file:
        dataset = tablib.Dataset().load(file.read(), format="xlsx")
    loaded, cpu_loaded, backend_loaded = time.perf_counter(), time.process_time(), backend_cpu_seconds(backend)
    subset = tablib.Dataset(*dataset[:rows], headers=dataset.headers)
    subset.append_col([unit.pk] * len(subset), header="commune")
    result = PlainPersonResource().import_data(subset, dry_run=False)
    imported = time.perf_counter()
    import_cpu = time.process_time() - cpu_loaded + backend_cpu_seconds(backend) - backend_loaded
    assert not result.has_errors() and not result.has_validation_errors()
    return {
        "rows": len(subset),
        "all_rows": len(dataset),
        "load_seconds": loaded - started,
        "import_seconds": imported - loaded,
        "load_cpu_seconds": cpu_loaded - cpu_started,
        "import_cpu_seconds": import_cpu,
    }


def child(args):
    setup_django(args.database)
    figures = run_ours(args.file) if args.child == "ours" else run_plain(args.file, args.plain_rows)
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def measure(kind, args, path):
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--file",
        str(path),
        "--database",
        args.database,
        "--plain-rows",
        str(args.plain_rows),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--plain-rows", type=int, default=2_000)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/totech_bench")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=["ours", "plain"])
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.child:
        return child(args)
    print(f"load average before the run: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")

    ensure_database(args.database)
    setup_django(args.database)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    commune()
    path = ROOT / "var" / f"bench-members-{args.rows}.xlsx"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        generate(path, args.rows)
    print(f"file: {path} ({path.stat().st_size / 1024 / 1024:.1f} MB, {args.rows:,} rows)")
    runs = sorted((measure("ours", args, path) for _ in range(args.repeat)), key=lambda run: run["seconds"])
    ours = runs[len(runs) // 2]
    for run in runs:
        print(
            f"totech import run:    {run['rows']:,} rows in {run['seconds']:.1f} s = {run['rows'] / run['seconds']:,.0f} rows/s "
            f"(CPU: Python {run['cpu_seconds']:.1f} s + PostgreSQL backend {run['backend_cpu_seconds']:.1f} s), peak RSS {run['peak_rss_mb']:.0f} MB"
        )
    plain = measure("plain", args, path)
    plain_seconds = plain["load_seconds"] + plain["import_seconds"] * plain["all_rows"] / plain["rows"]
    ours_rate, plain_rate = ours["rows"] / ours["seconds"], plain["all_rows"] / plain_seconds
    print(
        f"totech import (median of {len(runs)}): {ours_rate:,.0f} rows/s end to end, peak RSS {ours['peak_rss_mb']:.0f} MB"
    )
    print(
        f"plain ModelResource: read {plain['all_rows']:,} rows in {plain['load_seconds']:.1f} s, imported {plain['rows']:,} in "
        f"{plain['import_seconds']:.1f} s ({plain['rows'] / plain['import_seconds']:,.0f} rows/s); {plain['all_rows']:,} rows extrapolated: "
        f"{plain_seconds:,.0f} s = {plain_rate:,.0f} rows/s; peak RSS {plain['peak_rss_mb']:.0f} MB"
    )
    print(f"speed-up: {ours_rate / plain_rate:.0f}x")
    # Load-independent view: CPU seconds of the Python process and its PostgreSQL backend together.
    ours_cpu = ours["cpu_seconds"] + ours["backend_cpu_seconds"]
    plain_cpu = plain["load_cpu_seconds"] + plain["import_cpu_seconds"] * plain["all_rows"] / plain["rows"]
    print(
        f"CPU (Python + PostgreSQL): totech {ours_cpu:.1f} s = {ours['rows'] / ours_cpu:,.0f} rows per CPU second; plain "
        f"{plain_cpu:,.0f} s (extrapolated) = {plain['all_rows'] / plain_cpu:,.0f} rows per CPU second; ratio {plain_cpu / ours_cpu:.0f}x"
    )


if __name__ == "__main__":
    main()
