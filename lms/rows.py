"""The one row shape every export writer reads: a person's completion or award, as plain data."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal, NamedTuple, NotRequired, TypedDict


class Credit(TypedDict):
    category: str
    hours: Decimal


class Instructor(TypedDict):
    person_id: str | int
    name: str


class RecordRow(TypedDict):
    """One completion or award of one person, as the endpoint reads it with `.dicts().iterator()`.

    Dates are the host agency's local dates; timestamps are timezone-aware. A key marked
    NotRequired may be left out; every other key must be present (value None where allowed).
    For an award, the course and offering fields describe the class that earned it and
    `completed_on` is the date it was earned. Outside training the person reported and the
    home agency approved (`source` "self-reported") has no class: the host agency, course
    and offering fields are None but for `course_title` (the training's title) and
    `course_hours`; `provider` names who gave it (for a Muster class, the host agency).
    """

    record_kind: Literal["completion", "award"]
    source: Literal["muster", "self-reported"]
    provider: str | None
    record_id: str | int
    status: Literal["valid", "revoked"]
    revoked_at: datetime | None
    revoked_reason: str | None
    issued_at: datetime
    changed_at: datetime

    person_id: str | int
    first_name: str
    last_name: str
    email: str | None
    employee_id: str | None
    external_ids: dict[str, str]

    home_agency_id: str | int
    home_agency_name: str
    home_agency_code: str
    home_agency_url: NotRequired[str | None]

    host_agency_id: str | int | None
    host_agency_name: str | None
    host_agency_code: str | None
    host_agency_url: NotRequired[str | None]
    host_agency_timezone: str | None

    course_id: str | int | None
    course_code: str | None
    course_title: str
    course_kind: str | None
    course_hours: Decimal
    course_external_ids: dict[str, str]

    offering_id: str | int | None
    started_on: date | None
    completed_on: date
    hours: Decimal
    credits: list[Credit]
    passed: bool | None
    score: Decimal | None
    partial: bool

    certification_id: NotRequired[str | int | None]
    award_number: NotRequired[str | None]
    certification_name: NotRequired[str | None]
    certification_code: NotRequired[str | None]
    issuing_body: NotRequired[str | None]
    expires_on: NotRequired[date | None]

    instructors: list[Instructor]
    verify_code: str
    verify_url: str


class Wanted(NamedTuple):
    """What a writer reads of the records: their kinds, whether revoked ones, and which
    fields (None: all). Records with a `read(wanted)` method (the endpoint's) hand back only
    those rows with at least those fields, read from only the columns they are made of; a
    writer filters plain iterables of full rows itself."""

    kinds: frozenset = frozenset(("completion", "award"))
    revoked: bool = True
    fields: frozenset | None = None
