"""Recording attendance: idempotent batches, audited once per home agency in the batch."""

from peewee import chunked

from database import in_write_transaction
from models import Attendance, Person, RosterEntry, utcnow
from queries.offerings import sessions_of
from rules.attendance import check_batch

from . import audit
from .offering_lock import claim_open

CHUNK = 500
VALUES = ("minutes", "check_in", "check_out")


def _audit_batch(actor, offering, checked, before, written):
    """One entry per home agency in the batch, so each coordinator sees its people's part."""
    agencies = dict(
        Person.select(Person.id, Person.agency)
        .where(Person.id.in_({row["person_id"] for row in written}))
        .tuples()
    )

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


def _upsert(offering, rows):
    now = utcnow()
    for chunk in chunked(rows, CHUNK):
        (
            Attendance.insert_many(
                [
                    {
                        "offering": offering.id,
                        "person": row["person_id"],
                        "session": row["session_id"],
                        "minutes": row["minutes"],
                        "check_in": row["check_in"],
                        "check_out": row["check_out"],
                        "created_at": now,
                        "updated_at": now,
                    }
                    for row in chunk
                ]
            )
            .on_conflict(
                conflict_target=[Attendance.session, Attendance.person],
                preserve=[
                    Attendance.minutes,
                    Attendance.check_in,
                    Attendance.check_out,
                    Attendance.updated_at,
                ],
            )
            .execute()
        )


@in_write_transaction
def record_attendance(offering, rows, actor):
    """Check the whole batch, then upsert the rows that differ from what is stored.

    Returns {received, created, updated, unchanged, rows (as recorded)}; one bad row
    records nothing (RuleViolation naming each bad row by index and field).
    """
    claim_open(offering)
    sessions = {s.id: (s.starts_at, s.ends_at) for s in sessions_of(offering)}
    roster = dict(
        RosterEntry.select(RosterEntry.person, RosterEntry.status)
        .where(RosterEntry.offering == offering.id)
        .tuples()
    )
    checked = check_batch(rows, sessions, roster)
    existing = {
        (row.person_id, row.session_id): row
        for row in Attendance.select().where(
            Attendance.offering == offering.id,
            Attendance.session.in_({row["session_id"] for row in checked}),
        )
    }
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
        _audit_batch(actor, offering, checked, before, written)
    return {
        "received": len(checked),
        "created": created,
        "updated": len(written) - created,
        "unchanged": len(checked) - len(written),
        "rows": checked,
    }
