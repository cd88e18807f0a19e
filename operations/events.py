"""Recording events in the transaction of the change they describe (the outbox)."""

import contextlib
import datetime
import threading

from database import db
from models import Award, Event, Registration, Session, utcnow
from queries.offerings import sessions_of

from .bulk import insert_rows


def emit(kind, payload, *, agency_ids, person_id=None, offering_id=None, key=None):
    """Record an event in the CURRENT transaction: a change that rolls back takes its event
    with it, and the worker delivers only what was committed. `key` makes an event happen
    once only (a second emit with the same key is ignored). Returns the new event's id when
    no key is given, unless inside `batched()`."""
    if not db.in_transaction():
        raise RuntimeError("emit() belongs inside the write transaction of its change.")
    row = {
        "kind": kind,
        "payload": payload,
        "agency_ids": sorted({a for a in agency_ids if a}),
        "person": person_id,
        "offering": offering_id,
        "key": key,
        "created_at": utcnow(),
    }
    pending = getattr(_batch, "rows", None)
    if key is None and pending is not None:
        pending.append(row)
        return None
    if key is None:
        return Event.insert(row).execute()
    Event.insert(row).on_conflict_ignore().execute()
    return None


_batch = threading.local()


@contextlib.contextmanager
def batched():
    """Events emitted inside (without a key) are written together when it ends, in order
    (emit returns no id for them); nothing is written if it fails. Nested, it joins the
    batch already open."""
    if getattr(_batch, "rows", None) is not None:
        yield
        return
    _batch.rows = []
    try:
        yield
        rows = _batch.rows
    finally:
        _batch.rows = None
    insert_rows(Event, rows)


# --- the events of the operations that make these changes, with the facts they carry ---


def _iso(value):
    return value.isoformat() if value is not None else None


def _first_session(offering_id):
    """The first meeting, in UTC (mails show it in the recipient's time)."""
    first = (
        Session.select(Session.starts_at)
        .where(Session.offering == offering_id)
        .order_by(Session.starts_at)
        .first()
    )
    return _iso(first.starts_at) if first else None


def record_event(kind, record, reason=None):
    """A completion or an award issued or revoked (`kind` 'award.issued' ...)."""
    person = record.person
    facts = {"person_id": person.id, "person_name": person.full_name}
    if isinstance(record, Award):
        host = record.offering.host_agency_id if record.offering_id else None
        facts.update(
            award_id=record.id,
            number=record.number,
            certification=record.certification.name,
            issued_on=_iso(record.issued_on),
            expires_on=_iso(record.expires_on),
        )
    else:
        host = record.issuer_id
        facts.update(
            completion_id=record.id,
            title=record.title,
            hours=str(record.hours),
            completed_on=_iso(record.completed_on),
            partial=record.partial,
        )
    if reason or record.revoked_reason:
        facts["reason"] = reason or record.revoked_reason
    facts["offering_id"] = record.offering_id
    emit(
        kind,
        facts,
        agency_ids=[person.agency_id, host],
        person_id=person.id,
        offering_id=record.offering_id,
    )


def registration_event(registration, action):
    """A registration's move: 'promote' is a promotion, anything else its new status."""
    offering, person = registration.offering, registration.person
    kind = "registration.promoted" if action == "promote" else f"registration.{registration.status}"
    emit(
        kind,
        {
            "registration_id": registration.id,
            "status": registration.status,
            "offering_id": offering.id,
            "course": offering.course.title,
            "location": offering.location,
            "starts_at": _first_session(offering.id),
            "person_id": person.id,
            "person_name": person.full_name,
            "comment": registration.comment if registration.status == "declined" else None,
            "reason": registration.reason if registration.status == "cancelled" else None,
        },
        agency_ids=[registration.agency_id, offering.host_agency_id],
        person_id=person.id,
        offering_id=offering.id,
    )


def offering_changed(offering, before):
    """The class's place or times changed (not its seats or instructors): tell those in it."""
    sessions = [
        {"starts_at": _iso(s.starts_at), "ends_at": _iso(s.ends_at)} for s in sessions_of(offering)
    ]
    old = [
        {"starts_at": _iso(_moment(s["starts_at"])), "ends_at": _iso(_moment(s["ends_at"]))}
        for s in before.get("sessions") or []
    ]
    changed = [name for name in ("location",) if before.get(name) != getattr(offering, name)]
    if old != sessions:
        changed.append("sessions")
    if not changed:
        return
    _offering_event(
        "offering.changed",
        offering,
        {"changed": changed, "location": offering.location, "sessions": sessions},
    )


def offering_cancelled(offering, reason):
    """The host called the class off: tell everyone registered for it or on its roster."""
    _offering_event("offering.cancelled", offering, {"reason": reason})


def _offering_event(kind, offering, facts):
    """An event about a class, heard by its host and the home agencies of those registered."""
    homes = {
        agency
        for (agency,) in Registration.select(Registration.agency)
        .where(Registration.offering == offering.id)
        .distinct()
        .tuples()
    }
    emit(
        kind,
        {"offering_id": offering.id, "course": offering.course.title, **facts},
        agency_ids=[offering.host_agency_id, *homes],
        offering_id=offering.id,
    )


def _moment(value):
    """A session time as the audit snapshot keeps it (ISO text or a datetime), naive UTC."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value is not None and value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value


def submission_event(submission, decision):
    """Outside training approved or rejected by the home coordinator."""
    person = submission.person
    emit(
        "submission.approved" if decision == "approve" else "submission.rejected",
        {
            "submission_id": submission.id,
            "title": submission.title,
            "provider": submission.provider,
            "hours": str(submission.hours),
            "completed_on": _iso(submission.completed_on),
            "completion_id": submission.completion_id,
            "comment": submission.comment,
            "person_id": person.id,
            "person_name": person.full_name,
        },
        agency_ids=[person.agency_id],
        person_id=person.id,
    )
