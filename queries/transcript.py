"""A person's completions and awards in a window, read as plain values (no model per row)."""

import datetime
import json
from collections import Counter
from operator import itemgetter
from typing import NamedTuple

from peewee import PostgresqlDatabase

from database import db
from memo import Memo
from models import Agency, Award, Certification, Completion
from statements import Slot, Statement

from .rows import plain_rows


class CompletionRow(NamedTuple):
    """The columns of a row of completions_of, in order, as the driver reads them (days,
    times and numbers as text on PostgreSQL; on SQLite days and times are ISO text, numbers
    int or float, flags 0 and 1; credits as JSON text). The person's id is not read: it is
    the one asked for."""

    id: int
    offering_id: int | None
    verify_code: str
    revoked_at: str | None
    revoked_reason: str | None
    created_at: str
    updated_at: str
    course_id: int | None
    issuer_id: int | None
    title: str
    provider: str | None
    hours: str | float | int
    credits: str  # JSON: [{"category", "hours"}]
    completed_on: str
    partial: bool | int
    external: bool | int
    passed: bool | int | None
    score: str | float | int | None


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
    day then id, as the driver's tuples of CompletionRow's columns: a transcript's writer
    unpacks each, converting each distinct value once (converting every value to the
    model's type first cost as much as the read; turning the rows into columns and back
    cost ~0.4-0.7 ms more a thousand records than unpacking them)."""
    cursor = COMPLETIONS.cursor(*_bounds(first, last), person=person_id, first=first, last=last)
    return cursor.fetchall()


def valid_hours(completions):
    """(hours, credits, how many) of each kind of valid (unrevoked) completion among
    completions_of's rows, each distinct credits text parsed once: what
    rules.hours.summed_kinds adds up."""
    kinds = Counter(map(_HOURS_CREDITS_REVOKED, completions))  # records repeat their hours
    credits = Memo(json.loads)
    return [
        (hours, credits[text], count)
        for (hours, text, revoked_at), count in kinds.items()
        if not revoked_at
    ]


_HOURS_CREDITS_REVOKED = itemgetter(
    *(CompletionRow._fields.index(name) for name in ("hours", "credits", "revoked_at"))
)


def awards_of(person_id, first=None, last=None):
    """The person's awards issued from `first` to `last` (either may be None), by day then
    id, as AwardRows."""
    cursor = AWARDS.cursor(*_bounds(first, last), person=person_id, first=first, last=last)
    return plain_rows(AwardRow, cursor)


def agency_name(agency_id):
    """The name of the agency with this id."""
    return AGENCY_NAME.rows(agency=agency_id)[0][0]


def _bounds(first, last):
    """A window's shape: whether it has a first day, and a last."""
    return first is not None, last is not None


def _window(query, field, from_first, to_last):
    if from_first:
        query = query.where(field >= Slot("first"))
    if to_last:
        query = query.where(field <= Slot("last"))
    return query


AGENCY_NAME = Statement(
    lambda: Agency.select(Agency.name).where(Agency.id == Slot("agency")).tuples()
)
# Written once per window shape (a transcript's SQL cost as much as reading its rows).
COMPLETIONS = Statement(
    lambda from_first, to_last: _window(
        Completion.select(  # CompletionRow's columns
            Completion.id,
            Completion.offering,
            Completion.verify_code,
            _as_text(Completion.revoked_at),
            Completion.revoked_reason,
            _as_text(Completion.created_at),
            _as_text(Completion.updated_at),
            Completion.course,
            Completion.issuer,
            Completion.title,
            Completion.provider,
            _as_text(Completion.hours),
            Completion.credits.cast("text"),  # parsed once per distinct text, not per record
            _as_text(Completion.completed_on),
            Completion.partial,
            Completion.external,
            Completion.passed,
            _as_text(Completion.score),
        ).where(Completion.person == Slot("person")),
        Completion.completed_on,
        from_first,
        to_last,
    ).order_by(Completion.completed_on, Completion.id)
)


def _as_text(column):
    """A time, day or number as PostgreSQL's text of it (its ISO DateStyle, which psycopg2
    requires too), as SQLite keeps times and days: the writer converts each distinct value
    once, where psycopg2 made an object of every value (half the read's CPU)."""
    return column.cast("text") if isinstance(db.obj, PostgresqlDatabase) else column


AWARDS = Statement(
    lambda from_first, to_last: _window(
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
        .where(Award.person == Slot("person")),
        Award.issued_on,
        from_first,
        to_last,
    ).order_by(Award.issued_on, Award.id)
)
