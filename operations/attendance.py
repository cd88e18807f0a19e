"""Recording attendance: idempotent batches and closing open stays, audited once per home
agency in the batch."""

import collections
import datetime

from peewee import JOIN, chunked

from database import in_write_transaction
from models import Attendance, Person, RosterEntry, Session, utcnow
from queries.attendance import open_stays
from rules import clock
from rules.attendance import check_batch, close_at_session_end
from rules.errors import RuleViolation
from statements import Slot, Statement, size_class

from . import audit
from .offering_lock import claim_open

VALUES = ("minutes", "check_in", "check_out")


def _audit_batch(actor, offering, checked, before, written, agencies=None):
    """One entry per home agency in the batch, so each coordinator sees its people's part
    (`agencies`: {person_id: home agency} of the people written, when already read)."""
    if agencies is None:
        agencies = {}
        for people in chunked(list({row["person_id"] for row in written}), FEW):
            agencies.update(HOME_AGENCIES.rows(size_class(len(people)), people=people))

    def of(agency_id, rows):
        return [row for row in rows if agencies.get(row["person_id"]) == agency_id]

    for agency_id in sorted(set(agencies.values())):
        mine, was = of(agency_id, written), of(agency_id, before)
        audit.record(
            actor,
            "update",
            "offering_attendance",
            offering.id,
            before={"rows": audit.plain(was)} if was else None,
            after={
                "rows": audit.plain(mine),
                "created": len(mine) - len(was),
                "updated": len(was),
                "unchanged": len(of(agency_id, checked)) - len(mine),
            },
            agency_id=offering.host_agency_id,
            person_agency_id=agency_id,
        )


# Rows per upsert statement: its SQL is written once for each count up to this.
UPSERT_ROWS = 32
STORED_FIELDS = (
    Attendance.offering,
    Attendance.person,
    Attendance.session,
    *(getattr(Attendance, key) for key in VALUES),
    Attendance.created_at,
    Attendance.updated_at,
)
UPSERT = Statement(
    lambda count: Attendance.insert_many(
        [{f: Slot(("rows", i, f.name), field=f) for f in STORED_FIELDS} for i in range(count)]
    ).on_conflict(
        conflict_target=[Attendance.session, Attendance.person],
        preserve=[*(getattr(Attendance, key) for key in VALUES), Attendance.updated_at],
    )
)


def _upsert(offering, rows):
    now = utcnow()
    for chunk in chunked(rows, UPSERT_ROWS):
        stored = [
            {
                "offering": offering.id,
                "person": row["person_id"],
                "session": row["session_id"],
                **{key: row[key] for key in VALUES},
                "created_at": now,
                "updated_at": now,
            }
            for row in chunk
        ]
        UPSERT.at_commit(len(stored), rows=stored)


def _with_open_check_ins(rows, existing):
    """A check-out sent alone closes the person's open stay: its stored check-in is used."""
    filled = []
    for row in rows:
        stored = existing.get((row["person_id"], row["session_id"]))
        if (
            row.get("check_out") is not None
            and row.get("check_in") is None
            and row.get("minutes") is None
            and stored is not None
            and stored.check_in is not None
            and stored.check_out is None
        ):
            row = {**row, "check_in": stored.check_in.replace(tzinfo=datetime.UTC)}
        filled.append(row)
    return filled


def _write(offering, checked, existing, actor, agencies=None):
    """Upsert the checked rows that differ from what is stored; audit them; the counts."""
    before, written, created = [], [], 0
    for row in checked:
        old = existing.get((row["person_id"], row["session_id"]))
        if old is not None and all(getattr(old, key) == row[key] for key in VALUES):
            continue
        if old is None:
            created += 1
        else:
            before.append(
                {
                    "person_id": old.person_id,
                    "session_id": old.session_id,
                    **{key: getattr(old, key) for key in VALUES},
                }
            )
        written.append(row)
    _upsert(offering, written)
    if written:
        _audit_batch(actor, offering, checked, before, written, agencies)
    return {
        "received": len(checked),
        "created": created,
        "updated": len(written) - created,
        "unchanged": len(checked) - len(written),
        "rows": checked,
    }


# A batch naming at most this many people reads only their rows; a larger one reads its
# sessions' rows whole (one short query either way, never a host-parameter limit).
FEW = 500


def _shape(ids):
    """A statement's shape for a list of ids: its IN list's size, or None (no IN list) past
    FEW ids."""
    return (size_class(len(ids)) if len(ids) <= FEW else None,)


def _of_people(query, person_field, people):
    return query if people is None else query.where(person_field.in_(Slot("people", people)))


# The reads of every batch (one row, most often): their SQL written once a shape.
HOME_AGENCIES = Statement(
    lambda people: (
        Person.select(Person.id, Person.agency)
        .where(Person.id.in_(Slot("people", people)))
        .tuples()
    )
)
# Each person's roster status, and home agency (for the audit entries).
ROSTER = Statement(
    lambda people: _of_people(
        RosterEntry.select(RosterEntry.person, RosterEntry.status, Person.agency)
        .join(Person, on=(RosterEntry.person == Person.id))
        .where(RosterEntry.offering == Slot("offering")),
        RosterEntry.person,
        people,
    ).tuples()
)


# The offering's sessions, each with the stored rows of the batch's people at the batch's
# sessions (LEFT JOIN: a session with none comes once, its row empty).
def _sessions_stored_query(sessions, people):
    joined = (
        (Attendance.session == Session.id)
        & (Attendance.offering == Slot("offering"))
        & Attendance.session.in_(Slot("sessions", sessions))
    )
    if people is not None:
        joined &= Attendance.person.in_(Slot("people", people))
    return (
        Session.select(
            Session.id,
            Session.starts_at,
            Session.ends_at,
            Attendance.person,
            *(getattr(Attendance, key) for key in VALUES),
        )
        .join(Attendance, JOIN.LEFT_OUTER, on=joined)
        .where(Session.offering == Slot("offering"))
        .tuples()
    )


SESSIONS_STORED = Statement(_sessions_stored_query)
Stored = collections.namedtuple("Stored", ("person_id", "session_id", *VALUES))


def _sessions_and_stored(offering, session_ids, person_ids):
    """The offering's sessions, {id: (starts_at, ends_at)}, and the stored rows the batch
    may touch, {(person_id, session_id): row}, in one read (a single-row PUT reads one
    row, not its whole session)."""
    sessions, people = list(session_ids) or [0], list(person_ids) or [0]
    found = SESSIONS_STORED.rows(
        size_class(len(sessions)),
        *_shape(people),
        offering=offering.id,
        sessions=sessions,
        people=people,
    )
    spans, stored = {}, {}
    for session_id, starts_at, ends_at, person_id, *values in found:
        spans[session_id] = (starts_at, ends_at)
        if person_id is not None:
            stored[person_id, session_id] = Stored(person_id, session_id, *values)
    return spans, stored


@in_write_transaction
def record_attendance(offering, rows, actor):
    """Check the whole batch, then upsert the rows that differ from what is stored.

    Times without an offset are read in the host agency's timezone; a check-in alone is
    kept as an open stay, and a check-out alone closes the open stay it follows.
    Returns {received, created, updated, unchanged, rows (as recorded)}; one bad row
    records nothing (RuleViolation naming each bad row by index and field).
    """
    claim_open(offering)
    person_ids = list({row["person_id"] for row in rows})
    sessions, existing = _sessions_and_stored(
        offering, {row["session_id"] for row in rows}, person_ids
    )
    roster, agencies = {}, {}
    if person_ids:
        found = ROSTER.rows(*_shape(person_ids), offering=offering.id, people=person_ids)
        for person_id, status, agency_id in found:
            roster[person_id], agencies[person_id] = status, agency_id
    checked = check_batch(
        _with_open_check_ins(rows, existing),
        sessions,
        roster,
        now=clock.now(),
        timezone=offering.host_agency.timezone,
    )
    # Every row written passed the roster check, so its person's agency was read with it.
    return _write(offering, checked, existing, actor, agencies)


@in_write_transaction
def close_open_stays(offering, stays, actor):
    """Close open stays at their sessions' ends, crediting each to the end: those listed
    (`[{person_id, session_id}]`), or every open stay of the class when `stays` is None.

    RuleViolation naming each listed pair that is not an open stay; Conflict if a
    session has not ended yet. Returns the same counts as a batch.
    """
    claim_open(offering)
    pairs = None if stays is None else [(s["person_id"], s["session_id"]) for s in stays]
    found = open_stays(offering, None if pairs is None else set(pairs))
    if pairs is not None:
        have = {(stay["person_id"], stay["session_id"]) for stay in found}
        errors = {
            index: {"session_id": ["This person has no open stay at this session."]}
            for index, pair in enumerate(pairs)
            if pair not in have
        }
        if errors:
            raise RuleViolation("Only open stays can be closed; nothing was closed.", errors)
    now = clock.now()
    checked = [
        {
            "person_id": stay["person_id"],
            "session_id": stay["session_id"],
            "check_in": stay["check_in"],
            **close_at_session_end(
                stay["check_in"], stay["session_starts_at"], stay["session_ends_at"], now
            ),
        }
        for stay in found
    ]
    _, existing = _sessions_and_stored(
        offering,
        {row["session_id"] for row in checked},
        {row["person_id"] for row in checked},
    )
    return _write(offering, checked, existing, actor)
