"""A person's completions and awards in a window, read as plain rows (no model per row)."""

import datetime
import json
from decimal import Decimal
from typing import NamedTuple

from database import db
from models import Award, Certification, Completion


class CompletionRow(NamedTuple):
    id: int
    person_id: int
    offering_id: int | None
    verify_code: str
    revoked_at: datetime.datetime | None
    revoked_reason: str | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    course_id: int | None
    issuer_id: int | None
    title: str
    provider: str | None
    hours: Decimal
    credits: list  # [{"category", "hours"}]
    completed_on: datetime.date
    partial: bool
    external: bool
    passed: bool | None
    score: Decimal | None


class AwardRow(NamedTuple):
    id: int
    person_id: int
    offering_id: int | None
    verify_code: str
    revoked_at: datetime.datetime | None
    revoked_reason: str | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    certification_id: int
    certification_name: str
    completion_id: int | None
    renews_id: int | None
    number: str
    issued_on: datetime.date
    expires_on: datetime.date | None


def completions_of(person_id, first=None, last=None):
    """The person's completions completed from `first` to `last` (either may be None), by
    day then id, as CompletionRows. Rows may share values (a course's credits): read them,
    never change them."""
    query = Completion.select(
        Completion.id,
        Completion.person,
        Completion.offering,
        Completion.verify_code,
        Completion.revoked_at,
        Completion.revoked_reason,
        Completion.created_at,
        Completion.updated_at,
        Completion.course,
        Completion.issuer,
        Completion.title,
        Completion.provider,
        Completion.hours,
        Completion.credits,
        Completion.completed_on,
        Completion.partial,
        Completion.external,
        Completion.passed,
        Completion.score,
    ).where(Completion.person == person_id)
    query = _window(query, Completion.completed_on, first, last)
    return _rows(CompletionRow, query.order_by(Completion.completed_on, Completion.id))


def awards_of(person_id, first=None, last=None):
    """The person's awards issued from `first` to `last` (either may be None), by day then
    id, as AwardRows."""
    query = (
        Award.select(
            Award.id,
            Award.person,
            Award.offering,
            Award.verify_code,
            Award.revoked_at,
            Award.revoked_reason,
            Award.created_at,
            Award.updated_at,
            Award.certification,
            Certification.name,
            Award.completion,
            Award.renews,
            Award.number,
            Award.issued_on,
            Award.expires_on,
        )
        .join(Certification, on=(Award.certification == Certification.id))
        .where(Award.person == person_id)
    )
    query = _window(query, Award.issued_on, first, last)
    return _rows(AwardRow, query.order_by(Award.issued_on, Award.id))


def _window(query, field, first, last):
    if first is not None:
        query = query.where(field >= first)
    if last is not None:
        query = query.where(field <= last)
    return query


def _rows(row_type, query):
    """The query's rows as `row_type`, each value as the model holds it: the driver's own,
    or (SQLite's text times, 0/1, bare numbers, JSON text) converted once per distinct
    value, a column at a time (a call per value was most of the read)."""
    columns = list(zip(*db.execute(query).fetchall(), strict=True)) or [()] * len(row_type._fields)
    for index, name in enumerate(row_type._fields):
        if name in CONVERTED:
            columns[index] = _converted(columns[index], *CONVERTED[name])
    return list(map(row_type._make, zip(*columns, strict=True)))


def _converted(column, kept, convert):
    sample = next((value for value in column if value is not None), None)
    if sample is None or isinstance(sample, kept):
        return column  # the driver's type for the column is the model's
    known = _Known(convert)
    return list(map(known.__getitem__, column))


class _Known(dict):
    """Each value converted once, None kept."""

    def __init__(self, convert):
        super().__init__({None: None})
        self.convert = convert

    def __missing__(self, value):
        found = self[value] = self.convert(value)
        return found


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
