"""Extended statistics on the report values' unit columns (PostgreSQL only).

A value's commune fixes its district and province, but the planner multiplies their distinct counts: it
expected a million (period, indicator, province, district, commune) groups in a national quarter where there
are 100,000, judged the roll-up's hashed GROUPING SETS too big for memory and sorted 2.9 million rows to disk
instead (3.9 s against 3.4 s, bench/README.md)."""

from django.db import migrations

STATISTICS = "reports_reportvalue_units"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (ndistinct, dependencies) "
            "ON province_id, district_id, commune_id FROM reports_reportvalue"
        )
        schema_editor.execute("ANALYZE reports_reportvalue")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_reportvalue_province_period")]

    operations = [migrations.RunPython(create, drop)]
