"""Query rows as named tuples of the values the models hold, without a model per row."""

import datetime
import json
from decimal import Decimal

from database import db
from memo import Memo


def plain_rows(row_type, query):
    """The rows of a query (or the cursor of one run, a Statement's) as `row_type`, each
    value as the model holds it: the driver's own, or (SQLite's text times, 0/1, bare
    numbers, JSON text) converted once per distinct value, a column at a time (a call per
    value was most of the read)."""
    return list(map(row_type._make, zip(*plain_columns(row_type, query), strict=True)))


def plain_columns(row_type, query):
    """plain_rows' values a column at a time: a `row_type` whose every field is the list
    (or tuple) of that column's values, for a reader that works down columns."""
    cursor = query if hasattr(query, "fetchall") else db.execute(query)
    columns = list(zip(*cursor.fetchall(), strict=True)) or [()] * len(row_type._fields)
    for index, name in enumerate(row_type._fields):
        if name in CONVERTED:
            columns[index] = _converted(columns[index], *CONVERTED[name])
    return row_type._make(columns)


def _converted(column, kept, convert):
    sample = next((value for value in column if value is not None), None)
    if sample is None or isinstance(sample, kept):
        return column  # the driver's type for the column is the model's
    if len(set(column)) * 2 > len(column):  # mostly distinct (days): a memo adds a call each
        return [None if value is None else convert(value) for value in column]
    known = Memo(convert)
    return list(map(known.__getitem__, column))


def _decimal(value):
    return Decimal(str(value))


CONVERTED = {  # name: (the model's type, the conversion of any other)
    "revoked_at": (datetime.datetime, datetime.datetime.fromisoformat),
    "created_at": (datetime.datetime, datetime.datetime.fromisoformat),
    "updated_at": (datetime.datetime, datetime.datetime.fromisoformat),
    "completed_on": (datetime.date, datetime.date.fromisoformat),
    "issued_on": (datetime.date, datetime.date.fromisoformat),
    "expires_on": (datetime.date, datetime.date.fromisoformat),
    "hours": (Decimal, _decimal),
    "score": (Decimal, _decimal),
    "partial": (bool, bool),
    "external": (bool, bool),
    "passed": (bool, bool),
    "credits": (list, json.loads),
}
