"""Unit.search_name: the accent-free name the unit picker searches (fold(name)), filled for every unit, with a
trigram index on PostgreSQL so that `search_name LIKE '%word%'` is an index lookup over the 73,000 units of
the map (SQLite keeps the column without the index: the extension and the index are PostgreSQL only); and an
index on (level, path), from which the search reads each level's first matches in map order."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from totech.text import fold

INDEX = "units_unit_search_name_trgm"


def fill(apps, schema_editor):
    Unit = apps.get_model("units", "Unit")
    units = list(Unit.objects.only("id", "name"))
    for unit in units:
        unit.search_name = fold(unit.name)
    Unit.objects.bulk_update(units, ["search_name"], batch_size=2000)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON units_unit USING gin (search_name gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]

    operations = [
        TrigramExtension(),  # CREATE EXTENSION pg_trgm, on PostgreSQL only
        migrations.AddField(
            model_name="unit",
            name="search_name",
            field=models.CharField(default="", editable=False, max_length=150),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
        migrations.AddIndex(model_name="unit", index=models.Index(fields=["level", "path"], name="unit_level_path_idx")),
    ]
