"""Bulk writes for loaders (national demo data, imports): rows go straight into the table, by
``executemany`` on SQLite and ``COPY`` on PostgreSQL. The ORM one row at a time is far too slow for
millions of rows. Callers own the consistency of what they write (and check it afterwards)."""

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models


def analyze(*tables: str) -> None:
    """Refresh the planner's statistics after a bulk load, so that it picks the right indexes at once
    (PostgreSQL's autovacuum would do it a minute later; SQLite never does it by itself)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=2000")  # sampled statistics: a second, not a full scan
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]],
                *, batch: int = 20000) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``, model field names) into ``model``'s table."""
    meta = model._meta
    columns = [str(getattr(meta.get_field(name), "column", name)) for name in fields]
    table = connection.ops.quote_name(str(meta.db_table))
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in iterator:
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"  # noqa: S608 - names from the model
        while True:
            chunk = list(islice(iterator, batch))
            if not chunk:
                break
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count
