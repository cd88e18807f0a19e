"""New rows written many to a statement, the statement's SQL built once per table."""

import functools

from peewee import EnclosedNodeList

from database import db
from statements import wrapped_json

ROWS = 500  # rows per INSERT at most
PARAMETERS = 30_000  # and parameters (SQLite allows 32,766; PostgreSQL 65,535)


def insert_rows(model, rows):
    """Insert `rows`, dicts by field name, as `model.insert_many(rows)` would store them:
    the columns are the first row's fields and those with a default (a value missing from
    a row takes its field's default, else NULL), each value converted by its field.

    peewee's insert_many builds an expression node for every value and compiles them all,
    which costs more than the database's own work: here each value is converted once and
    handed to the driver, under SQL built once per table and columns."""
    if not rows:
        return
    head, row_sql, columns = _shape(type(db.obj), model, tuple(rows[0]))
    size = max(1, min(ROWS, PARAMETERS // len(columns)))
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        params = []
        for row in chunk:
            for name, default, convert in columns:
                if name in row:
                    value = row[name]
                else:
                    value = default() if callable(default) else default
                params.append(convert(value))
        db.execute_sql(head + ", ".join([row_sql] * len(chunk)), params)


@functools.lru_cache(maxsize=128)
def _shape(kind, model, names):
    """(INSERT INTO the table (its columns) VALUES, one row's SQL, (name, default,
    converter) per column) for rows naming `names`, on a database of class `kind`: the
    fields named, then the others with a default, in the table's order."""
    named = set(names)
    unknown = named - set(model._meta.fields)
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(sorted(unknown))}.")
    fields = [
        field
        for field in model._meta.sorted_fields
        if field.name in named or (field.default is not None and not field.primary_key)
    ]
    context = db.get_sql_context()
    with context.scope_values():
        context.literal("INSERT INTO ").sql(model._meta.table).literal(" ")
        context.sql(EnclosedNodeList(fields)).literal(" VALUES ")
    placeholders, columns = [], []
    for field in fields:
        placeholder, convert = _value(field)
        placeholders.append(placeholder)
        columns.append((field.name, field.default, convert))
    return context.query()[0], "(" + ", ".join(placeholders) + ")", tuple(columns)


def _value(field):
    """(a value's SQL, the function giving its parameter) for a field: the parameter,
    converted by the field, unless the database wraps a JSON value in SQL of its own
    (SQLite's json(?)), which then receives the JSON text."""
    wrapped = wrapped_json(field)
    if wrapped is not None:
        return db.get_sql_context().sql(wrapped[0]).query()[0], wrapped[1]
    return db.param, field.db_value
