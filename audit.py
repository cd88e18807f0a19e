"""Writing the audit trail: who changed what, when, before and after, and why."""

import datetime
import decimal

from flask import g, has_request_context
from playhouse.shortcuts import model_to_dict

from models import AuditEntry


def snapshot(instance):
    """A JSON-safe dict of a model's own columns."""
    return {
        k: plain(v)
        for k, v in model_to_dict(instance, recurse=False).items()
        if not isinstance(v, (bytes, memoryview))
    }


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


def record(
    action,
    entity,
    entity_id,
    *,
    before=None,
    after=None,
    reason=None,
    agency_id=None,
    person_agency_id=None,
    user=None,
):
    """Append one audit entry; `user` defaults to the caller of the current request."""
    if user is None and has_request_context():
        user = g.get("user")
    AuditEntry.create(
        user_id=user.id if user else None,
        user_email=user.email if user else None,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=before,
        after=after,
        reason=reason,
        agency_id=agency_id,
        person_agency_id=person_agency_id,
    )


def change(
    action, entity, instance, changes, *, reason=None, agency_id=None, person_agency_id=None
):
    """Apply `changes` to a record, save it, and append before and after; in atomic()."""
    before = snapshot(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.save()
    record(
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
