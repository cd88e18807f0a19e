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
import json
import uuid
import zoneinfo
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from peewee import JOIN, PostgresqlDatabase, Value, fn

from database import db
from lms.known import Known, each, typed
from lms.rows import Wanted
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
CHUNK = 2000  # rows handled at a time: memory stays flat whatever the number of records
FIRST = 200  # rows of the first chunk: the first byte leaves before a whole CHUNK is read


def pull_bound(until: datetime.datetime | None, window_seconds: float) -> datetime.datetime:
    """The end (exclusive, naive UTC) of a pull asked to run `until` (aware) or up to now."""
    bound = utcnow() - datetime.timedelta(seconds=window_seconds)
    return min(bound, to_utc(until)) if until is not None else bound


def aware(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(tzinfo=datetime.UTC)


Host = Agency.alias("host")

PERSON_COLUMNS = {
    "person_id": Person.id,
    "first_name": Person.first_name,
    "last_name": Person.last_name,
    "email": Person.email,
    "employee_id": Person.employee_id,
    "external_ids": Person.external_ids.cast("text"),
}
# The same for every record of an export (the agency that pulls), read once.
HOME_COLUMNS = {
    "home_agency_id": Agency.id,
    "home_agency_name": Agency.name,
    "home_agency_code": Agency.code,
}
# The same for every record of a class, read once per class (_ByClass), not joined per row.
CLASS_COLUMNS = {
    "host_agency_id": Host.id,
    "host_agency_name": Host.name,
    "host_agency_code": Host.code,
    "host_agency_timezone": Host.timezone,
    "course_id": Course.id,
    "course_code": Course.code,
    "course_title": Course.title,
    "course_kind": Course.kind,
    "course_hours": Course.hours,
    "course_external_ids": Course.external_ids.cast("text"),
}


def _selected(columns: dict, names):
    """The columns named (all if None; the record's id always), each under its name."""
    return [
        e.alias(n) for n, e in columns.items() if names is None or n in names or n == "record_id"
    ]


def _scoped(columns, model, agency_id, since, bound, extra=()):
    """The agency's people's records changed in [since, bound), each with its class's id
    (None for outside training the home agency approved: no class). `extra` are (table,
    on) pairs joined inner to the record (an award's certification)."""
    # The agency's people are the outer loop (person by agency), each one's records read
    # through the record's person index: an agency's pull reads its own records only, never
    # the state's. CROSS JOIN tells SQLite to keep that order (PostgreSQL plans it as an
    # inner join). A class's host and course are not joined here: the same for all of the
    # class's records, they are read once per class (_ByClass), not once per row.
    query = Person.select(*columns).join(model, JOIN.CROSS)
    for table, on in extra:
        query = query.switch(model).join(table, on[0], on=on[1])
    query = query.where(model.person == Person.id, Person.agency == agency_id)
    query = query.where(model.updated_at < bound)
    return query.where(model.updated_at >= since) if since is not None else query


COMPLETION_COLUMNS = {
    "record_id": Completion.id,
    "revoked_at": Completion.revoked_at,
    "revoked_reason": Completion.revoked_reason,
    "issued_at": Completion.created_at,
    "changed_at": Completion.updated_at,
    "completed_on": Completion.completed_on,
    "hours": Completion.hours,
    "credits": Completion.credits.cast("text"),
    "passed": Completion.passed,
    "score": Completion.score,
    "partial": Completion.partial,
    "verify_code": Completion.verify_code,
    "external": Completion.external,
    "title": Completion.title,
    "provider": Completion.provider,
    "offering_id": Completion.offering,
    **PERSON_COLUMNS,
}


def completions_query(agency_id, since, bound, names=None):
    """The completions' `names` columns (all if None)."""
    columns = _selected(COMPLETION_COLUMNS, names)
    # Outside training approved by the home agency is the person's record too: no class.
    return _scoped(columns, Completion, agency_id, since, bound)


Earned = Completion.alias("earned")
AWARD_COLUMNS = {
    "record_id": Award.id,
    "revoked_at": Award.revoked_at,
    "revoked_reason": Award.revoked_reason,
    "issued_at": Award.created_at,
    "changed_at": Award.updated_at,
    "completed_on": Award.issued_on,
    "expires_on": Award.expires_on,
    "award_number": Award.number,
    "verify_code": Award.verify_code,
    "certification_id": Certification.id,
    "certification_name": Certification.name,
    "certification_code": Certification.code,
    "issuing_body": Certification.issuing_body,
    "hours": Earned.hours,
    "credits": Earned.credits.cast("text"),
    "passed": Earned.passed,
    "score": Earned.score,
    "partial": Earned.partial,
    "offering_id": Award.offering,
    **PERSON_COLUMNS,
}


def awards_query(agency_id, since, bound, names=None):
    """The awards' `names` columns (all if None)."""
    columns = _selected(AWARD_COLUMNS, names)
    extra = (
        (Certification, (JOIN.INNER, Award.certification == Certification.id)),
        (Earned, (JOIN.LEFT_OUTER, Award.completion == Earned.id)),
    )
    # An award of no class (a certification given outright) is not a record of training.
    query = _scoped(columns, Award, agency_id, since, bound, extra=extra)
    return query.where(Award.offering.is_null(False))


def host_agency_ids(agency_id, since, bound) -> set:
    """The agencies that issued any record in the window (whose signing keys a pull needs)."""
    ids = set()
    for model, query_of in ((Completion, completions_query), (Award, awards_query)):
        query = query_of(agency_id, since, bound, ()).switch(model)
        query = query.join(Offering, on=(model.offering == Offering.id))  # outside training:
        # no class, no host, and Muster signs nothing for it
        ids |= {row[0] for row in query.select(Offering.host_agency).distinct().tuples()}
    return ids


def _instructors(offering_ids) -> dict:
    names = {}
    rows = (
        OfferingInstructor.select(
            OfferingInstructor.offering, Person.id, Person.first_name, Person.last_name
        )
        .join(Person, on=(OfferingInstructor.person == Person.id))
        .where(OfferingInstructor.offering.in_(Value(offering_ids, converter=False)))
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
        .where(Session.offering.in_(Value(offering_ids, converter=False)))
        .group_by(Session.offering)
    )
    return {offering_id: start for offering_id, start in db.execute(rows)}


def _local_date(moment, timezone):
    if moment is None:
        return None
    if isinstance(moment, str):  # SQLite hands back an aggregate as text
        moment = datetime.datetime.fromisoformat(moment)
    return aware(moment).astimezone(zoneinfo.ZoneInfo(timezone)).date()


def _hosts_and_courses(offering_ids, names) -> dict:
    """{offering id: its CLASS_COLUMNS `names`, as the driver reads them}."""
    rows = (
        Offering.select(Offering.id, *(CLASS_COLUMNS[name] for name in names))
        .join(Host, on=(Offering.host_agency == Host.id))
        .switch(Offering)
        .join(Course, on=(Offering.course == Course.id))
        .where(Offering.id.in_(Value(list(offering_ids), converter=False)))  # ids as read
    )
    return {row[0]: row[1:] for row in db.execute(rows)}


# Worked out per class from its first session and its instructors, where wanted.
SCHEDULED = ("started_on", "instructors")
CLASSES_KEPT = 20_000  # classes whose columns an export holds at most


class _ByClass:
    """Each record's class's host and course (the CLASS_COLUMNS `names`), first local day
    and instructors (SCHEDULED, where named), read once per class for the classes a chunk
    names that were not read before, converted as the record's own columns are: a class's
    records share them. Bounded, so memory stays flat whatever the number of classes."""

    def __init__(self, names, converters):
        self.dated, self.taught = "started_on" in names, "instructors" in names
        zone = {"host_agency_timezone"} if self.dated else set()
        self.read = [n for n in CLASS_COLUMNS if n in names or n in zone]
        self.names = self.read + [n for n in SCHEDULED if n in names]
        self.converters = [converters.get(name) for name in self.read]
        # outside training: no class, no host, no day, no instructors
        self.none = (None,) * len(self.read) + (None,) * self.dated + ([],) * self.taught
        self.known, self.size = {None: self.none}, CLASSES_KEPT

    def __call__(self, names, rows) -> dict:
        """{name: its values} of the rows (as read, `names` their columns)."""
        at = names.index("offering_id")
        offerings = [row[at] for row in rows]
        missing = set(offerings).difference(self.known)
        if missing:
            if len(self.known) + len(missing) > self.size:  # the chunk's classes, read again
                self.known = {None: self.none}
                missing = set(offerings).difference(self.known)
            self._learn(list(missing))
        found = map(self.known.__getitem__, offerings)
        return dict(zip(self.names, map(list, zip(*found, strict=True)), strict=True))

    def _learn(self, offerings):
        read = _hosts_and_courses(offerings, self.read)
        teachers = _instructors(offerings) if self.taught else {}
        starts = _first_starts(offerings) if self.dated else {}
        for offering in offerings:
            row = read.get(offering, self.none[: len(self.read)])
            values = [
                value if known is None else known[type(value), value]
                for value, known in zip(row, self.converters, strict=True)
            ]
            if self.dated:
                zone = row[self.read.index("host_agency_timezone")]
                values.append(_local_date(starts.get(offering), zone))
            if self.taught:
                values.append(teachers.get(offering, []))
            self.known[offering] = tuple(values)


# The columns a RecordRow field is made of, where they are not the field's own: where a
# record comes from, what it is called and its hours are the person's report for outside
# training (`external`), else the class's.
MADE_OF = {
    "source": ("external",),
    "provider": ("external", "provider", "host_agency_name"),
    "course_title": ("external", "title", "course_title"),
    "course_hours": ("external", "hours", "course_hours"),
    "status": ("revoked_at",),
    "started_on": ("offering_id", "host_agency_timezone"),
    "instructors": ("offering_id", "host_agency_timezone"),
    "verify_url": ("verify_code",),
}


def _columns_of(fields) -> set | None:
    """The columns the RecordRow `fields` are made of (None: all of them)."""
    if fields is None:
        return None
    return set(fields).union(*(MADE_OF.get(name, ()) for name in fields))


def _either(external, reported, muster) -> list:
    """A record's reported value if it is outside training, else Muster's own."""
    return [r if e else m for e, r, m in zip(external, reported, muster, strict=True)]


class _Finish:
    """Makes a chunk's read columns the RecordRow fields of one kind, a column at a time,
    finishing only the `fields` wanted (None: all); the others keep what was read, if
    anything."""

    def __init__(self, kind: str, fields, verify_base: str):
        def wants(*names):
            return fields is None or not fields.isdisjoint(names)

        self.kind = kind
        self.origin = [
            n for n in ("source", "provider", "course_title", "course_hours") if wants(n)
        ]
        self.status, self.hours = wants("status"), wants("hours")
        self.ids = [n for n in ("external_ids", "course_external_ids") if wants(n)]
        self.partial = wants("partial")
        self.credits = Known(typed(_credits, none=[])) if wants("credits") else None
        self.verify = f"{verify_base.rstrip('/')}/api/v1/verify/" if wants("verify_url") else None

    @staticmethod
    def _origin(name, data, external, outside, n) -> list:
        """The record's `name`, one of where it comes from, what it is called and its hours."""
        if name == "source":
            return (
                [("self-reported" if e else "muster") for e in external]
                if outside
                else ["muster"] * n
            )
        if name == "provider":
            muster = data["host_agency_name"]
            return _either(external, data["provider"], muster) if outside else muster
        if not outside:
            return data[name]
        reported = data["title"] if name == "course_title" else data["hours"]
        return _either(external, reported, data[name])

    def __call__(self, data: dict, n: int) -> dict:
        data["record_kind"] = [self.kind] * n
        if self.origin:
            external = data.pop("external", None)  # an award's: never outside training
            outside = bool(external) and any(external)  # what the person reported
            for name in self.origin:
                data[name] = self._origin(name, data, external, outside, n)
            data.pop("title", None)
        if self.status:
            data["status"] = [("revoked" if r else "valid") for r in data["revoked_at"]]
        for name in self.ids:  # none: one empty mapping a chunk, as equal ids share theirs
            empty = {}
            data[name] = [empty if ids is None else ids for ids in data[name]]
        if self.hours:
            data["hours"] = [ZERO if h is None else h for h in data["hours"]]
        if self.credits is not None:
            data["credits"] = each(self.credits, data["credits"])
        if self.partial:
            data["partial"] = [bool(p) for p in data["partial"]]
        if self.verify is not None:
            data["verify_url"] = [self.verify + code for code in data["verify_code"]]
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
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _credits(text):
    """A record's credits from its JSON text (a class's records share it), hours exact."""
    credits = json.loads(text) if isinstance(text, str) else text
    return [{"category": c["category"], "hours": Decimal(str(c["hours"]))} for c in credits or []]


def _json(text):
    return json.loads(text) if isinstance(text, str) else text


ZERO = Decimal(0)


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
    "passed": bool,  # `partial` and `external` are only ever read as true or false
    "external_ids": _json,
    "course_external_ids": _json,
}
# PostgreSQL's driver already hands these back as the models would (dates, decimals,
# booleans): converting them again is a dictionary lookup per value for nothing.
NATIVE_ON_POSTGRES = {"completed_on", "expires_on", "hours", "course_hours", "score", "passed"}


def _converters() -> dict:
    """{column: its converter} for the columns the bound database's driver hands back raw."""
    native = NATIVE_ON_POSTGRES if isinstance(db.obj, PostgresqlDatabase) else ()
    return {name: Known(typed(c)) for name, c in CONVERTED.items() if name not in native}


def _nothing(names, rows) -> dict:
    return {}


def _fetched(query, then=_nothing):
    """(column names, up to CHUNK rows (FIRST the first time), then(names, rows)) at a time,
    read lazily from one statement as the export streams: a server-side cursor on
    PostgreSQL (a chunk a round trip), SQLite's own stepping otherwise. One statement reads
    one snapshot; paging by id (a query per page) cost a scan of the agency's records per
    page."""
    first = min(FIRST, CHUNK)
    if not isinstance(db.obj, PostgresqlDatabase):
        cursor = db.execute(query)
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchmany(first)
        while rows:
            yield names, rows, then(names, rows)
            rows = cursor.fetchmany(CHUNK)
        return
    sql, params = query.sql()
    with db.atomic():  # a named cursor lives in a transaction
        cursor = db.connection().cursor(name=f"export-{uuid.uuid4().hex}", withhold=True)
        try:
            cursor.execute(sql, params)
            rows = cursor.fetchmany(first)  # a named cursor describes its rows once fetched
            names = [column[0] for column in cursor.description]

            def following():
                rows = cursor.fetchmany(CHUNK)
                return rows, then(names, rows) if rows else None

            # The server reads the next chunk while this one is written (the driver lets go
            # of the GIL while it waits): the export costs the longer of the two, not both.
            # `then` runs there too, after its fetch: a query of its own on the connection
            # from the writing thread would wait for the fetch under way. Leaving the block
            # waits for a fetch under way before the cursor closes.
            with ThreadPoolExecutor(1) as ahead:
                try:
                    done = then(names, rows) if rows else None
                    while rows:
                        fetching = ahead.submit(following)
                        yield names, rows, done
                        rows, done = fetching.result()
                finally:
                    # `then`'s queries opened a connection of that thread's own: closed
                    # with it, not left to the collector.
                    ahead.submit(db.close).result()
        finally:
            cursor.close()


def ordered(query, model):
    """Each person's records together, people in the order of the agency's lists (last name,
    first name, id) and a person's records by id: the order the person index by agency and
    name and the record's person index already keep, so SQLite sorts nothing and PostgreSQL
    only a person's few records at a time (an incremental sort): the first row leaves at
    once, whatever the count."""
    return query.order_by(Person.last_name, Person.first_name, Person.id, model.id)


class ChangedRecords:
    """lms RecordRows of the agency's people changed in [since, bound): completions, then
    awards, each in `ordered` order, read lazily a chunk at a time as the export streams.
    Iterated, every field of every record; `chunks(wanted)`, only the kinds, statuses and
    fields a writer shows (lms.rows.Wanted), from only the columns they are made of, a
    column at a time: (count, {field: its values})."""

    def __init__(self, agency_id, since, bound, verify_base):
        self.agency_id, self.since, self.bound = agency_id, since, bound
        self.verify_base = verify_base

    def __iter__(self) -> Iterator[dict]:
        for _, columns in self.chunks(Wanted()):
            names = list(columns)
            for values in zip(*columns.values(), strict=True):
                yield dict(zip(names, values, strict=True))

    def chunks(self, wanted: Wanted) -> Iterator[tuple[int, dict]]:
        names = _columns_of(wanted.fields)
        by_class = [n for n in (*CLASS_COLUMNS, *SCHEDULED) if names is None or n in names]
        read = None if names is None else names | ({"offering_id"} if by_class else set())
        home = _home(self.agency_id, names)
        for kind, model, query_of in (
            ("completion", Completion, completions_query),
            ("award", Award, awards_query),
        ):
            if kind not in wanted.kinds:
                continue
            query = query_of(self.agency_id, self.since, self.bound, read)
            if not wanted.revoked:
                query = query.where(model.revoked_at.is_null())
            finish = _Finish(kind, wanted.fields, self.verify_base)
            converters = _converters()
            classes = _ByClass(by_class, converters) if by_class else _nothing
            for names_read, rows, per_class in _fetched(ordered(query, model), classes):
                n = len(rows)
                columns = dict(zip(names_read, map(list, zip(*rows, strict=True)), strict=True))
                for name in converters.keys() & columns.keys():
                    columns[name] = each(converters[name], columns[name])
                columns.update(per_class)
                columns.update((name, [value] * n) for name, value in home.items())
                yield n, finish(columns, n)


def _home(agency_id, names) -> dict:
    """The HOME_COLUMNS `names` (all if None) of the agency that pulls: every record's."""
    wanted = [n for n in HOME_COLUMNS if names is None or n in names]
    if not wanted:
        return {}
    query = Agency.select(*(HOME_COLUMNS[n] for n in wanted)).where(Agency.id == agency_id)
    return dict(zip(wanted, db.execute(query).fetchone(), strict=True))


def changed_records(agency_id, since, bound, verify_base) -> ChangedRecords:
    """The agency's people's records changed in [since, bound): see ChangedRecords."""
    return ChangedRecords(agency_id, since, bound, verify_base)


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
