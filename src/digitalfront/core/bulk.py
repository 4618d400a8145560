"""Bulk writes for loaders (national demo data, imports): rows go straight into the table, by
``executemany`` on SQLite and ``COPY`` on PostgreSQL. The ORM one row at a time is far too slow for
millions of rows. Callers own the consistency of what they write (and check it afterwards)."""

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
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

    On PostgreSQL, ``bulk_create`` sends one multi-row ``INSERT ... VALUES`` whose text changes with the
    number of rows, so psycopg parses it again in Python for every batch size, and adapting dozens of
    columns value by value (or as arrays) costs more Python than the insert costs the server. Here the
    rows go as one JSON document, encoded by the standard library's C encoder, in a statement whose text
    never changes: ``INSERT ... SELECT ... FROM jsonb_populate_recordset(NULL::table, %s) WITH ORDINALITY
    ORDER BY ordinality RETURNING id``; the server turns each value into its column's type, prepares the
    statement once, and returns the keys in the rows' order. Elsewhere this is ``bulk_create``.
    """
    if not objs:
        return objs
    model = type(objs[0])
    if connection.vendor != "postgresql":
        return list(model._default_manager.bulk_create(objs))
    import psycopg

    statement, fields = _json_insert(model)
    rows = [{f.column: f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields} for obj in objs]
    document = json.dumps(rows, default=_json_value, ensure_ascii=False, separators=(",", ":"))
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(statement, (document,), prepare=True)
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) != len(objs):
        raise RuntimeError(f"{len(objs)} rows sent, {len(ids)} keys returned")
    for obj, value in zip(objs, ids, strict=True):
        obj.pk = value
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def _json_value(value: Any) -> Any:
    """A prepared value that JSON has no type for, as the text its column reads back."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    obj = getattr(value, "obj", _MISSING)  # psycopg's Json and Jsonb wrappers (JSON columns)
    if obj is not _MISSING:
        return obj
    raise TypeError(f"no JSON form for {type(value).__name__}")


_MISSING = object()
_STATEMENTS: dict[type, tuple[str, list[Any]]] = {}


def _json_insert(model: type[models.Model]) -> tuple[str, list[Any]]:
    """The statement of :func:`create_objects` for ``model`` and the fields it writes."""
    found = _STATEMENTS.get(model)
    if found is None:
        meta = model._meta
        pk = meta.pk
        assert pk is not None
        fields = [f for f in meta.concrete_fields if f is not pk]
        if any(f.get_internal_type() == "BinaryField" for f in fields):
            raise TypeError(f"{model.__name__}: binary columns have no JSON form")
        quote = connection.ops.quote_name
        table = quote(str(meta.db_table))
        columns = ", ".join(quote(str(f.column)) for f in fields)
        selected = ", ".join(f"r.{quote(str(f.column))}" for f in fields)
        statement = (
            f"INSERT INTO {table} ({columns}) SELECT {selected} "  # noqa: S608 - names from the model
            f"FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb) WITH ORDINALITY AS r "
            f"ORDER BY r.ordinality RETURNING {quote(str(pk.column))}"
        )
        found = _STATEMENTS[model] = (statement, fields)
    return found
