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


def create_objects(objs: list[Any]) -> list[Any]:
    """Insert a few dozen new model instances of one model and set their primary keys: ``bulk_create``
    for a hot path (intake's group commit).

    On PostgreSQL, ``bulk_create`` sends one multi-row INSERT whose text is rebuilt and re-parsed by the
    driver for every batch size (a wide table times dozens of rows is never in psycopg's statement
    cache, and parsing it in Python cost more than the insert). Here one single-row INSERT is sent for
    every row with ``executemany`` on a server-side binding cursor: psycopg pipelines the rows in one
    round trip and prepares the statement once. Elsewhere this is ``bulk_create``.
    """
    if not objs:
        return objs
    model = type(objs[0])
    if connection.vendor != "postgresql":
        return list(model._default_manager.bulk_create(objs))
    import psycopg

    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if f is not pk]
    table = connection.ops.quote_name(str(meta.db_table))
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608 - names from the model
           f"RETURNING {connection.ops.quote_name(str(pk.column))}")
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.executemany(sql, rows, returning=True)
        ids = []
        while True:
            row = cursor.fetchone()
            assert row is not None
            ids.append(row[0])
            if not cursor.nextset():
                break
    for obj, value in zip(objs, ids, strict=True):
        obj.pk = value
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
