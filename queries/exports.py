"""What a home agency exports: its people's completions and awards changed in a window, read
as plain rows (dicts with `.iterator()`-style chunks, never model instances).

The cursor: a safety window, not a change sequence.
A pull selects the records whose `updated_at` (set by every issue, revocation, correction
and merge move) falls in [since, bound) and hands back `bound` as the next `since`, where
bound = min(until, now - window). The intervals of successive pulls touch and never overlap,
so each change is returned by exactly one pull, provided it is *visible* when that pull
reads. The danger is a transaction that took its timestamp before `bound` and commits after
the pull read (timestamps from concurrent transactions commit out of order on PostgreSQL;
on SQLite a write waits its turn the same way): the next pull starts at `bound` and would
skip it for good. Trailing `now` by a window longer than any record-writing transaction
lasts (they take well under a second; the default window is 5 minutes) means every change
stamped before `bound` committed before the pull began. A change sequence read against a
snapshot bound (xmin of pg_current_snapshot) would be exact but exists on PostgreSQL only;
the window works the same on SQLite and PostgreSQL, and clock skew between app servers is
covered by the same margin. The price: a pull sees changes only once they are `window` old.
"""

import datetime
import itertools
import json
import uuid
import zoneinfo
from collections.abc import Iterator
from decimal import Decimal

from peewee import JOIN, PostgresqlDatabase, fn

from database import db
from lms.sealing import SealError, unseal
from models import (
    Agency,
    Award,
    Certification,
    Completion,
    Course,
    ExportProfile,
    Offering,
    OfferingInstructor,
    Person,
    Session,
    to_utc,
    utcnow,
)
from rules.errors import Conflict

DEFAULT_WINDOW_SECONDS = 300
MASK = "********"  # what a stored secret option shows instead of its value
SECRETS = "export-secrets"  # sealing purpose of the secret options
CHUNK = 500  # rows handled at a time: memory stays flat whatever the number of records
FETCH = 500  # rows per round trip of PostgreSQL's server-side cursor


def pull_bound(until: datetime.datetime | None, window_seconds: float) -> datetime.datetime:
    """The end (exclusive, naive UTC) of a pull asked to run `until` (aware) or up to now."""
    bound = utcnow() - datetime.timedelta(seconds=window_seconds)
    return min(bound, to_utc(until)) if until is not None else bound


def aware(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(tzinfo=datetime.UTC)


Home = Agency.alias("home")
Host = Agency.alias("host")

PERSON_COLUMNS = (
    Person.id.alias("person_id"),
    Person.first_name,
    Person.last_name,
    Person.email,
    Person.employee_id,
    Person.external_ids.cast("text").alias("external_ids"),
    Home.id.alias("home_agency_id"),
    Home.name.alias("home_agency_name"),
    Home.code.alias("home_agency_code"),
    Host.id.alias("host_agency_id"),
    Host.name.alias("host_agency_name"),
    Host.code.alias("host_agency_code"),
    Host.timezone.alias("host_agency_timezone"),
    Course.id.alias("course_id"),
    Course.code.alias("course_code"),
    Course.title.alias("course_title"),
    Course.kind.alias("course_kind"),
    Course.hours.alias("course_hours"),
    Course.external_ids.cast("text").alias("course_external_ids"),
    Offering.id.alias("offering_id"),
)


def _scoped(columns, model, agency_id, since, bound, join=JOIN.INNER, extra=()):
    """The agency's people's records changed in [since, bound): of Muster classes, and with
    `join` LEFT OUTER those of no class too (outside training the home agency approved).
    `extra` are (table, on) pairs joined inner to the record (an award's certification)."""
    # The agency's people are the outer loop (person by agency), each one's records read
    # through the record's person index: an agency's pull reads its own records only, never
    # the state's. CROSS JOIN tells SQLite to keep that order (PostgreSQL plans it as an
    # inner join).
    query = (
        Person.select(*columns)
        .join(Home, on=(Person.agency == Home.id))
        .switch(Person)
        .join(model, JOIN.CROSS)
    )
    for table, on in extra:
        query = query.switch(model).join(table, on[0], on=on[1])
    query = (
        query.switch(model)
        .join(Offering, join, on=(model.offering == Offering.id))
        .join(Host, join, on=(Offering.host_agency == Host.id))
        .switch(Offering)
        .join(Course, join, on=(Offering.course == Course.id))
        .where(model.person == Person.id, Person.agency == agency_id, model.updated_at < bound)
    )
    return query.where(model.updated_at >= since) if since is not None else query


def completions_query(agency_id, since, bound):
    columns = (
        Completion.id.alias("record_id"),
        Completion.revoked_at,
        Completion.revoked_reason,
        Completion.created_at.alias("issued_at"),
        Completion.updated_at.alias("changed_at"),
        Completion.completed_on,
        Completion.hours,
        Completion.credits.cast("text").alias("credits"),
        Completion.passed,
        Completion.score,
        Completion.partial,
        Completion.verify_code,
        Completion.external,
        Completion.title,
        Completion.provider,
        *PERSON_COLUMNS,
    )
    # Outside training approved by the home agency is the person's record too: no class.
    return _scoped(columns, Completion, agency_id, since, bound, JOIN.LEFT_OUTER)


Earned = Completion.alias("earned")


def awards_query(agency_id, since, bound):
    columns = (
        Award.id.alias("record_id"),
        Award.revoked_at,
        Award.revoked_reason,
        Award.created_at.alias("issued_at"),
        Award.updated_at.alias("changed_at"),
        Award.issued_on.alias("completed_on"),
        Award.expires_on,
        Award.number.alias("award_number"),
        Award.verify_code,
        Certification.id.alias("certification_id"),
        Certification.name.alias("certification_name"),
        Certification.code.alias("certification_code"),
        Certification.issuing_body,
        Earned.hours,
        Earned.credits.cast("text").alias("credits"),
        Earned.passed,
        Earned.score,
        Earned.partial,
        *PERSON_COLUMNS,
    )
    extra = (
        (Certification, (JOIN.INNER, Award.certification == Certification.id)),
        (Earned, (JOIN.LEFT_OUTER, Award.completion == Earned.id)),
    )
    return _scoped(columns, Award, agency_id, since, bound, extra=extra)


def host_agency_ids(agency_id, since, bound) -> set:
    """The agencies that issued any record in the window (whose signing keys a pull needs)."""
    ids = set()
    for query in (
        completions_query(agency_id, since, bound),
        awards_query(agency_id, since, bound),
    ):
        ids |= {row[0] for row in query.select(Host.id).distinct().tuples()}
    return ids - {None}  # outside training: no host, and Muster signs nothing for it


def _instructors(offering_ids) -> dict:
    names = {}
    rows = (
        OfferingInstructor.select(
            OfferingInstructor.offering, Person.id, Person.first_name, Person.last_name
        )
        .join(Person, on=(OfferingInstructor.person == Person.id))
        .where(OfferingInstructor.offering.in_(offering_ids))
        .order_by(OfferingInstructor.id)
    )
    for offering_id, person_id, first, last in db.execute(rows):  # raw: four plain columns
        names.setdefault(offering_id, []).append(
            {"person_id": person_id, "name": f"{first} {last}".strip()}
        )
    return names


def _first_starts(offering_ids) -> dict:
    rows = (
        Session.select(Session.offering, fn.MIN(Session.starts_at))
        .where(Session.offering.in_(offering_ids))
        .group_by(Session.offering)
    )
    return {offering_id: start for offering_id, start in db.execute(rows)}


def _local_date(moment, timezone):
    if moment is None:
        return None
    if isinstance(moment, str):  # SQLite hands back an aggregate as text
        moment = datetime.datetime.fromisoformat(moment)
    return aware(moment).astimezone(zoneinfo.ZoneInfo(timezone)).date()


class _Classes:
    """Each class's instructors and first local day, read for the classes a chunk names that
    were not read before: a person's records name classes the previous people's did too.
    Bounded, so memory stays flat whatever the number of classes."""

    def __init__(self, size=20_000):
        self.known, self.size = {}, size

    def read(self, rows):
        wanted = {row["offering_id"]: row["host_agency_timezone"] for row in rows}
        wanted.pop(None, None)  # outside training: no class
        missing = [o for o in wanted if o not in self.known]
        if not missing:
            return
        if len(self.known) + len(missing) > self.size:
            self.known.clear()
        teachers, starts = _instructors(missing), _first_starts(missing)
        for offering in missing:
            started = _local_date(starts.get(offering), wanted[offering])
            self.known[offering] = (teachers.get(offering, []), started)

    def __getitem__(self, offering):
        return self.known.get(offering, ([], None))


def _row(data: dict, kind: str, instructors, started_on, verify_base: str) -> dict:
    data["record_kind"] = kind
    if data.pop("external", False):  # outside training: what the person reported, approved
        data["source"], data["provider"] = "self-reported", data.pop("provider")
        data["course_title"] = data.pop("title")
        data["course_hours"] = data["hours"]
    else:
        data["source"], data["provider"] = "muster", data["host_agency_name"]
        data.pop("title", None)
    data["status"] = "revoked" if data["revoked_at"] else "valid"
    data["external_ids"] = data["external_ids"] or {}
    data["course_external_ids"] = data["course_external_ids"] or {}
    data["hours"] = Decimal(data["hours"] if data["hours"] is not None else 0)
    data["credits"] = [
        {"category": c["category"], "hours": Decimal(str(c["hours"]))}
        for c in data["credits"] or []
    ]
    data["partial"] = bool(data["partial"])
    data["started_on"] = started_on
    data["instructors"] = instructors
    data["verify_url"] = f"{verify_base.rstrip('/')}/api/v1/verify/{data['verify_code']}"
    return data


def _timestamp(value):
    """A stored naive UTC timestamp (text on SQLite) as an aware one."""
    if not value:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return aware(value)


def _date(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _decimal(value):
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _bool(value):
    return None if value is None else bool(value)


class _Memo:
    """`convert` of each distinct value, kept while few are distinct: the records of a class
    share their timestamps and dates, so most rows find theirs already converted."""

    def __init__(self, convert, size=1024):
        self.convert, self.seen, self.size = convert, {}, size

    def __call__(self, value):
        found = self.seen.get(value, self)
        if found is self:
            if len(self.seen) >= self.size:
                self.seen.clear()
            found = self.seen[value] = self.convert(value)
        return found


class _Json:
    """JSON read as text (PostgreSQL's driver would parse every row's), parsed once per
    distinct text: a course's credits and ids repeat on every record of it."""

    def __init__(self, size=4096):
        self.seen, self.size = {}, size

    def __call__(self, value):
        if not isinstance(value, str):
            return value
        found = self.seen.get(value)
        if found is None:
            if len(self.seen) >= self.size:
                self.seen.clear()
            found = self.seen[value] = json.loads(value)
        return found


# Columns read raw from the driver and converted as the models would (peewee's row wrapper
# converting every column of every row was most of an export's time).
CONVERTED = {
    "revoked_at": _timestamp,
    "issued_at": _timestamp,
    "changed_at": _timestamp,
    "completed_on": _date,
    "expires_on": _date,
    "hours": _decimal,
    "course_hours": _decimal,
    "score": _decimal,
    "passed": _bool,
    "partial": _bool,
    "external": _bool,
}
JSON_COLUMNS = ("credits", "external_ids", "course_external_ids")
# Converted once per distinct value (a decimal's scale is kept whatever an equal one's was).
MEMO = ("revoked_at", "issued_at", "changed_at", "completed_on", "expires_on")


def _streamed(query):
    """The query's rows as dicts, read lazily from one statement as the export streams: a
    server-side cursor on PostgreSQL (FETCH rows a round trip), SQLite's own stepping
    otherwise. One statement reads one snapshot; paging by id (a query per page) cost a scan
    of the agency's records per page."""
    if not isinstance(db.obj, PostgresqlDatabase):
        cursor = db.execute(query)
        yield from _dicts(cursor.description, cursor)
        return
    sql, params = query.sql()
    with db.atomic():  # a named cursor lives in a transaction
        cursor = db.connection().cursor(name=f"export-{uuid.uuid4().hex}", withhold=True)
        cursor.itersize = FETCH
        try:
            cursor.execute(sql, params)
            first = cursor.fetchmany(FETCH)  # a named cursor describes its rows once fetched
            yield from _dicts(cursor.description, itertools.chain(first, cursor))
        finally:
            cursor.close()


def _dicts(description, rows):
    names = [column[0] for column in description]
    converters = [
        (n, _Memo(CONVERTED[n]) if n in MEMO else CONVERTED[n]) for n in names if n in CONVERTED
    ]
    converters += [(n, _Json()) for n in names if n in JSON_COLUMNS]
    for values in rows:
        row = dict(zip(names, values, strict=True))
        for name, convert in converters:
            row[name] = convert(row[name])
        yield row


def ordered(query, model):
    """Each person's records together, people in the order of the agency's lists (last name,
    first name, id) and a person's records by id: the order the person index by agency and
    name and the record's person index already keep, so SQLite sorts nothing and PostgreSQL
    only a person's few records at a time (an incremental sort): the first row leaves at
    once, whatever the count."""
    return query.order_by(Person.last_name, Person.first_name, Person.id, model.id)


def _chunks(query, model):
    """The query's rows in `ordered` order, CHUNK at a time."""
    rows = _streamed(ordered(query, model))
    while chunk := list(itertools.islice(rows, CHUNK)):
        yield chunk


def changed_records(agency_id, since, bound, verify_base) -> Iterator[dict]:
    """lms RecordRows of the agency's people changed in [since, bound): completions, then
    awards, each in `ordered` order. Read lazily a chunk at a time, as the export streams."""
    for kind, model, query in (
        ("completion", Completion, completions_query(agency_id, since, bound)),
        ("award", Award, awards_query(agency_id, since, bound)),
    ):
        classes = _Classes()
        for rows in _chunks(query, model):
            classes.read(rows)
            for row in rows:
                teachers, started_on = classes[row["offering_id"]]
                yield _row(row, kind, teachers, started_on, verify_base)


# --- export profiles ---------------------------------------------------------------------


def profile_of(agency_id):
    """The agency's export profile, or None."""
    return ExportProfile.get_or_none(ExportProfile.agency == agency_id)


def profile_view(profile) -> dict:
    """The profile as anyone allowed may read it: secrets shown as MASK, never their value."""
    return {
        "agency_id": profile.agency_id,
        "format": profile.format,
        "preset": profile.preset,
        "options": dict(profile.options),
        "secrets_set": sorted(n for n, v in profile.options.items() if v == MASK),
        "created_at": profile.created_at,
        "updated_at": profile.updated_at,
    }


def profile_options(profile, secret_key=None) -> dict:
    """The profile's options as given; with `secret_key`, its secrets unsealed too (only a
    push needs them: a pull never reads the LRS password).

    Conflict (409) naming what to do if they were sealed under another SECRET_KEY.
    """
    options = {k: v for k, v in profile.options.items() if v != MASK}
    if profile.sealed_secrets and secret_key is not None:
        try:
            options |= unseal(profile.sealed_secrets, secret_key, SECRETS)
        except SealError:
            names = " and ".join(profile_view(profile)["secrets_set"]) or "secret options"
            raise Conflict(
                f"The export profile's {names} was sealed with another SECRET_KEY and cannot "
                f"be read; set it again with PUT /agencies/{profile.agency_id}/export-profile."
            ) from None
    return options
