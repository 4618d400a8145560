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

from django.conf import settings
from django.db import connection, models
from django.db.models import signals
from django.db.models.base import ModelState


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


def new_object(model: type[models.Model], **values: Any) -> Any:
    """``model(**values)`` for a row about to be inserted, built in a fraction of the time: the fields'
    defaults are worked out once per model, then ``values`` are set as ``__init__`` sets them (through the
    fields' descriptors: ``unit=`` sets ``unit_id`` and keeps the unit). ``Model.__init__`` with keywords
    looks each of the model's fields up in them (seventy for a case). A model with ``pre_init`` or
    ``post_init`` receivers is built by ``__init__``."""
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return model(**values)
    found = _DEFAULTS.get(model)
    if found is None:
        constants, computed = {}, []
        for field in model._meta.concrete_fields:
            if field.has_default() and callable(field.default):
                computed.append((field.attname, field))
            else:
                constants[field.attname] = field.get_default()
        found = _DEFAULTS[model] = (constants, computed)
    constants, computed = found
    obj = model.__new__(model)
    obj._state = ModelState()
    attributes = obj.__dict__
    attributes.update(constants)
    for attname, field in computed:
        attributes[attname] = field.get_default()
    for name, value in values.items():
        setattr(obj, name, value)
    return obj


_DEFAULTS: dict[type, tuple[dict[str, Any], list[tuple[str, Any]]]] = {}


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
    rows = [_row(obj, fields) for obj in objs]
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


# Fields whose database value is the Python value itself when that value is one of _JSON_SCALARS (the
# value ``get_db_prep_save`` would return, without its ten calls per field): exact classes only, since a
# subclass may prepare differently.
_PLAIN_FIELDS = frozenset({
    models.CharField, models.TextField, models.SlugField, models.EmailField, models.BooleanField,
    models.IntegerField, models.SmallIntegerField, models.BigIntegerField, models.PositiveIntegerField,
    models.PositiveSmallIntegerField, models.PositiveBigIntegerField, models.FloatField, models.ForeignKey,
})
_JSON_SCALARS = frozenset({str, int, bool, float, type(None)})
_PLAIN, _DATETIME, _UUID, _JSON, _OTHER, _FULL = range(6)


def _row(obj: Any, fields: list[tuple[str, str, int, Any]]) -> dict[str, Any]:
    """One row of :func:`create_objects`: column -> the value ``get_db_prep_save`` gives, taken directly
    from the instance where that is the same value (plain scalars, aware datetimes), else by the field."""
    values = obj.__dict__
    row: dict[str, Any] = {}
    for column, attname, kind, field in fields:
        value = values.get(attname, _MISSING)
        if kind == _FULL:
            row[column] = field.get_db_prep_save(field.pre_save(obj, True), connection)
        elif value is None or (kind == _PLAIN and type(value) in _JSON_SCALARS):
            row[column] = value
        elif kind == _DATETIME and type(value) is dt.datetime and value.tzinfo is not None:
            row[column] = value.isoformat()
        elif kind == _UUID and type(value) is uuid.UUID:
            row[column] = str(value)
        elif kind == _JSON and type(value) in (dict, list):
            row[column] = value
        else:
            row[column] = field.get_db_prep_save(field.pre_save(obj, True), connection)
    return row


def _kind(field: Any) -> int:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return _FULL  # pre_save sets the value
    if type(field) in _PLAIN_FIELDS and (
            not field.is_relation or type(field.target_field) in _PLAIN_FIELDS | _AUTO_FIELDS):
        return _PLAIN
    if type(field) is models.DateTimeField:
        return _DATETIME if getattr(settings, "USE_TZ", True) else _FULL
    if type(field) is models.UUIDField:
        return _UUID
    if type(field) is models.JSONField and field.encoder is None:
        return _JSON
    if type(field) is models.DecimalField:
        return _OTHER  # None as it is, a number through the field
    return _FULL  # anything else goes through the field, None included (a subclass may store None otherwise)


_AUTO_FIELDS = frozenset({models.AutoField, models.BigAutoField, models.SmallAutoField})


def create_pairs(parents: list[Any], children: list[Any], *, link: str, match: str) -> None:
    """Insert new ``parents`` and their ``children`` (``children[i]`` belongs to ``parents[i]`` through its
    foreign key ``link``) and set every primary key: on PostgreSQL in one statement, two inserts chained
    by ``WITH`` (one round trip for both tables instead of two); elsewhere :func:`create_objects` twice.
    ``match`` names a unique text column of the parents by which the new keys are matched to the rows
    (``RETURNING`` promises no order)."""
    if not parents:
        return
    if len(parents) != len(children):
        raise ValueError("one child per parent")
    if connection.vendor != "postgresql":
        create_objects(parents)
        for parent, child in zip(parents, children, strict=True):
            setattr(child, link, parent)
        create_objects(children)
        return
    import psycopg

    parent_model, child_model = type(parents[0]), type(children[0])
    statement, parent_fields, child_fields = _pairs_insert(parent_model, child_model, link, match)
    match_attname = parent_model._meta.get_field(match).attname
    values = [getattr(parent, match_attname) for parent in parents]
    if len(set(values)) != len(values):
        raise ValueError(f"{match} must differ between the parents")
    documents = [json.dumps([_row(obj, fields) for obj in objs], default=_json_value, ensure_ascii=False,
                            separators=(",", ":"))
                 for objs, fields in ((parents, parent_fields), (children, child_fields))]
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(statement, (*documents, json.dumps(values, ensure_ascii=False)), prepare=True)
        keys = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    if len(keys) != len(parents):
        raise RuntimeError(f"{len(parents)} pairs sent, {len(keys)} returned")
    link_attname = child_model._meta.get_field(link).attname
    for parent, child, value in zip(parents, children, values, strict=True):
        parent.pk, child.pk = keys[value]
        setattr(child, link_attname, parent.pk)
        setattr(child, link, parent)
        for obj in (parent, child):
            obj._state.adding = False
            obj._state.db = connection.alias


_PAIRS: dict[tuple[Any, ...], tuple[str, list[Any], list[Any]]] = {}


def _pairs_insert(parent_model: type[models.Model], child_model: type[models.Model], link: str,
                  match: str) -> tuple[str, list[Any], list[Any]]:
    """The statement of :func:`create_pairs` and the fields of each row."""
    key = (parent_model, child_model, link, match)
    found = _PAIRS.get(key)
    if found is None:
        quote = connection.ops.quote_name
        _statement, parent_fields = _json_insert(parent_model)
        _statement, child_fields = _json_insert(child_model)
        parent_pk, child_pk = quote(str(parent_model._meta.pk.column)), quote(str(child_model._meta.pk.column))
        match_column = quote(str(getattr(parent_model._meta.get_field(match), "column", match)))
        link_column = str(getattr(child_model._meta.get_field(link), "column", link))
        parent_table, child_table = quote(str(parent_model._meta.db_table)), quote(str(child_model._meta.db_table))
        parent_columns = ", ".join(quote(column) for column, *_rest in parent_fields)
        child_columns = ", ".join(quote(column) for column, *_rest in child_fields)
        child_values = ", ".join(f"p.{parent_pk}" if column == link_column else f"r.{quote(column)}"
                                 for column, *_rest in child_fields)
        statement = (
            f"WITH p AS (INSERT INTO {parent_table} ({parent_columns}) "  # noqa: S608 - names from the models
            f"SELECT {', '.join(f'r.{quote(c)}' for c, *_rest in parent_fields)} "
            f"FROM jsonb_populate_recordset(NULL::{parent_table}, %s::jsonb) WITH ORDINALITY AS r "
            f"ORDER BY r.ordinality RETURNING {parent_pk}, {match_column}), "
            f"c AS (INSERT INTO {child_table} ({child_columns}) SELECT {child_values} "
            f"FROM jsonb_populate_recordset(NULL::{child_table}, %s::jsonb) WITH ORDINALITY AS r "
            f"JOIN jsonb_array_elements_text(%s::jsonb) WITH ORDINALITY AS m(value, n) ON m.n = r.ordinality "
            f"JOIN p ON p.{match_column} = m.value ORDER BY r.ordinality "
            f"RETURNING {child_pk}, {quote(link_column)}) "
            f"SELECT p.{match_column}, p.{parent_pk}, c.{child_pk} "
            f"FROM p JOIN c ON c.{quote(link_column)} = p.{parent_pk}"
        )
        found = _PAIRS[key] = (statement, parent_fields, child_fields)
    return found


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
_STATEMENTS: dict[type, tuple[str, list[tuple[str, str, int, Any]]]] = {}


def _json_insert(model: type[models.Model]) -> tuple[str, list[tuple[str, str, int, Any]]]:
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
        found = _STATEMENTS[model] = (statement, [(str(f.column), f.attname, _kind(f), f) for f in fields])
    return found
