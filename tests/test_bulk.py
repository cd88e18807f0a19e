"""Rows written by operations.bulk.insert_rows: the same rows and the same stored values
(JSON text included) as peewee's insert_many of the same dicts."""

import datetime

import pytest

import operations.bulk
from database import db
from models import AuditEntry, Event
from operations.bulk import insert_rows


def audit_rows(count, tag):
    return [
        {
            "user_id": n,
            "user_email": None if n % 2 else f"u{n}@example.org",
            "action": "create",
            "entity": tag,
            "entity_id": str(n),
            "agency_id": n % 3 or None,
            "before": None if n % 2 else {"hours": "7.50", "credits": [{"category": "post"}]},
            "after": {"n": n, "ok": True, "list": [1, "two", None], "nested": {"a": []}},
            "reason": "Re-closed: no longer earned." if n % 3 else None,
        }
        for n in range(count)
    ]


def stored(entity):
    """The entries of `entity` as read back, in order, without their ids and entity."""
    found = AuditEntry.select().where(AuditEntry.entity == entity).order_by(AuditEntry.id)
    return [{**row, "id": None, "entity": None} for row in found.dicts()]


def test_audit_entries_are_stored_as_insert_many_stores_them(app, monkeypatch):
    monkeypatch.setattr(operations.bulk, "ROWS", 4)  # several statements, one shorter
    at = datetime.datetime(2026, 3, 4, 5, 6, 7)
    with db.atomic():
        insert_rows(AuditEntry, [dict(row, at=at) for row in audit_rows(10, "mine")])
        AuditEntry.insert_many([dict(row, at=at) for row in audit_rows(10, "theirs")]).execute()
    assert len(stored("mine")) == 10
    assert stored("mine") == stored("theirs")
    raw = 'SELECT "before", "after", "user_email", "reason" FROM "audit_entry" ORDER BY "id"'
    rows = db.execute_sql(raw).fetchall()
    assert rows[:10] == rows[10:]


def test_a_value_missing_from_a_row_takes_its_default_or_null(app):
    before = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
    with db.atomic():
        insert_rows(Event, [{"kind": "one.thing", "key": None}, {"kind": "two", "key": "k2"}])
        insert_rows(AuditEntry, [{"action": "a", "entity": "e", "entity_id": "1"}])
    events = list(Event.select().order_by(Event.id))
    assert [(e.kind, e.payload, e.agency_ids, e.key, e.person_id) for e in events] == [
        ("one.thing", {}, [], None, None),
        ("two", {}, [], "k2", None),
    ]
    assert all(e.created_at >= before for e in events)
    entry = AuditEntry.get()
    assert entry.at >= before and entry.before is None and entry.agency_id is None


def test_a_name_that_is_not_a_field_is_refused_not_left_out(app):
    with db.atomic(), pytest.raises(ValueError, match="person_id"):
        insert_rows(Event, [{"kind": "one.thing", "person_id": 1}])
