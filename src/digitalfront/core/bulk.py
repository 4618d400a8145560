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

    On PostgreSQL, ``bulk_create`` sends one multi-row ``INSERT ... VALUES`` whose text changes with the
    number of rows, so psycopg parses it again in Python for every batch size (a wide table times dozens
    of rows: parsing cost more than the insert), and pipelined single-row INSERTs spend their time in
    psycopg's pipeline loop. Here every column goes as one array parameter of a statement whose text
    never changes, ``INSERT ... SELECT ... FROM unnest(%s::type[], ...) WITH ORDINALITY ORDER BY``:
    prepared once by the server, one round trip per batch, the keys returned in the rows' order.
    Elsewhere this is ``bulk_create``.
    """
    if not objs:
        return objs
    model = type(objs[0])
    if connection.vendor != "postgresql":
        return list(model._default_manager.bulk_create(objs))
    import psycopg

    statement, fields = _unnest_insert(model)
    columns = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs] for f in fields]
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(statement, columns, prepare=True)
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) != len(objs):
        raise RuntimeError(f"{len(objs)} rows sent, {len(ids)} keys returned")
    for obj, value in zip(objs, ids, strict=True):
        obj.pk = value
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


_STATEMENTS: dict[type, tuple[str, list[Any]]] = {}


def _unnest_insert(model: type[models.Model]) -> tuple[str, list[Any]]:
    """The statement of :func:`create_objects` for ``model`` and the fields in its parameters' order."""
    found = _STATEMENTS.get(model)
    if found is None:
        meta = model._meta
        pk = meta.pk
        assert pk is not None
        fields = [f for f in meta.concrete_fields if f is not pk]
        quote = connection.ops.quote_name
        names = [f"c{i}" for i in range(len(fields))]
        arrays = ", ".join(f"%s::{_array_type(f)}" for f in fields)
        statement = (
            f"INSERT INTO {quote(str(meta.db_table))} ({', '.join(quote(str(f.column)) for f in fields)}) "  # noqa: S608
            f"SELECT {', '.join(names)} FROM unnest({arrays}) WITH ORDINALITY AS u({', '.join(names)}, n) "
            f"ORDER BY n RETURNING {quote(str(pk.column))}"
        )
        found = _STATEMENTS[model] = (statement, fields)
    return found


def _array_type(field: Any) -> str:
    """``type[]`` of a column for the array cast (a foreign key's ``db_type`` is its target's)."""
    db_type = field.db_type(connection)
    if db_type is None:
        raise TypeError(f"{field!r} has no column type")
    return f"{db_type}[]"
