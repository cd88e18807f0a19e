"""The audit trail: who changed what, when, before and after, and why."""

import contextlib
import datetime
import decimal
import threading

from playhouse.shortcuts import model_to_dict

from models import AuditEntry, utcnow
from statements import Slot, Statement

from .bulk import insert_rows


def snapshot(instance, **extra):
    """A record as the audit trail keeps it: its own columns, JSON-safe, plus `extra`
    (child rows that belong to it, such as an offering's sessions)."""
    columns = {
        k: plain(v)
        for k, v in model_to_dict(instance, recurse=False).items()
        if not isinstance(v, (bytes, memoryview))
    }
    return {**columns, **plain(extra)}


def plain(value):
    """Dates, decimals and containers of them as JSON-safe values."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


# The columns every entry gives.
AUDITED = tuple(f for f in AuditEntry._meta.sorted_fields if not f.primary_key)


def record(
    actor,
    action,
    entity,
    entity_id,
    *,
    before=None,
    after=None,
    reason=None,
    agency_id=None,
    person_agency_id=None,
):
    """Append one entry; `actor` is the user acting (None for the system itself).

    `agency_id` is the agency whose record it is (a host, say); `person_agency_id` the home
    agency of the person it concerns: each coordinator reads the entries of its agency.
    """
    row = {
        "at": utcnow(),
        "user_id": actor.id if actor else None,
        "user_email": actor.email if actor else None,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "before": plain(before),
        "after": plain(after),
        "reason": reason,
        "agency_id": agency_id,
        "person_agency_id": person_agency_id,
    }
    pending = getattr(_batch, "rows", None)
    if pending is None:
        ENTRY.at_commit(row=row)
    else:
        pending.append(row)


# One entry's INSERT, written once (nearly every write records one).
ENTRY = Statement(lambda: AuditEntry.insert({f: Slot(("row", f.name), field=f) for f in AUDITED}))


_batch = threading.local()


@contextlib.contextmanager
def batched():
    """Entries recorded inside are written together when it ends, in order, a few INSERTs
    in all (closing a class records thousands); nothing is written if it fails. Use inside
    the write transaction; nested, it joins the batch already open."""
    if getattr(_batch, "rows", None) is not None:
        yield
        return
    _batch.rows = []
    try:
        yield
        rows = _batch.rows
    finally:
        _batch.rows = None
    insert_rows(AuditEntry, rows)


def created(
    actor, entity, instance, *, reason=None, agency_id=None, person_agency_id=None, **extra
):
    """Append the entry for a record just created."""
    record(
        actor,
        "create",
        entity,
        instance.id,
        after=snapshot(instance, **extra),
        reason=reason,
        agency_id=agency_id,
        person_agency_id=person_agency_id,
    )


def change(
    actor, action, entity, instance, changes, *, reason=None, agency_id=None, person_agency_id=None
):
    """Apply `changes` to a record, save it, and append before and after."""
    before = snapshot(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.save()
    record(
        actor,
        action,
        entity,
        instance.id,
        before=before,
        after=snapshot(instance),
        reason=reason,
        agency_id=agency_id,
        person_agency_id=person_agency_id,
    )
    return instance
