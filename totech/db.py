"""Bulk writes the ORM makes slow: new rows with their ids in one PostgreSQL COPY (bulk_create elsewhere), and
rows in COPY's text format for the roll-ups that load through COPY too."""

import io
from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

WRITE_BATCH = 5000


def is_auto_time(field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def copy_text(value) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)  # int, date, aware datetime: their str() is what PostgreSQL reads


def copy_line(row: tuple) -> str:
    """A row in COPY's text format. Most rows have nothing to escape: they are joined in one pass, and only
    the others value by value."""
    line = "\t".join(["\\N" if value is None else str(value) for value in row])
    if (
        line.count("\\") == row.count(None)
        and line.count("\t") == len(row) - 1
        and "\n" not in line
        and "\r" not in line
    ):
        return line
    return "\t".join(map(copy_text, row))


def insert_rows(model, names: Sequence[str], rows: list[tuple]) -> list[int]:
    """Insert new rows, given as tuples of the fields `names` (attnames), and return their ids in order. The
    other fields take their defaults; created_at and updated_at are now.

    On PostgreSQL the ids are drawn from the table's sequence first and all rows go in through one
    COPY … FROM STDIN, which is several times faster than multi-row INSERTs (no SQL to build or parse per
    row); the table's constraints and foreign keys are checked as for an INSERT. Elsewhere bulk_create()."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = model.objects.bulk_create(
            [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=WRITE_BATCH
        )
        return [obj.pk for obj in objects]
    now = timezone.now()
    others = [field for field in model._meta.concrete_fields if not field.primary_key and field.attname not in names]
    tail = "".join(
        "\t" + copy_text(now if is_auto_time(field) else field.get_db_prep_save(field.get_default(), connection))
        for field in others
    )
    by_name = {field.attname: field for field in model._meta.concrete_fields}
    quote, table = connection.ops.quote_name, model._meta.db_table
    columns = ", ".join(
        quote(column)
        for column in ["id", *(by_name[name].column for name in names), *(field.column for field in others)]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        text = io.StringIO()
        text.writelines(f"{pk}\t{copy_line(row)}{tail}\n" for pk, row in zip(ids, rows, strict=True))
        text.seek(0)
        cursor.cursor.copy_expert(f"COPY {quote(table)} ({columns}) FROM STDIN", text)
    return ids
