"""Recording events in the transaction of the change they describe (the outbox)."""

from database import db
from models import Event, utcnow


def emit(kind, payload, *, agency_ids, person_id=None, offering_id=None, key=None):
    """Record an event in the CURRENT transaction: a change that rolls back takes its event
    with it, and the worker delivers only what was committed. `key` makes an event happen
    once only (a second emit with the same key is ignored). Returns the new event's id when
    no key is given."""
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
    if key is None:
        return Event.insert(row).execute()
    Event.insert(row).on_conflict_ignore().execute()
    return None
