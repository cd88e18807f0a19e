"""An offering's schedule: its sessions and instructors, kept within what attendance allows."""

from peewee import fn

from models import Attendance, OfferingInstructor, Person, Session
from rules.attendance import session_minutes
from rules.errors import Conflict, RuleViolation


def check_instructors(person_ids):
    """Instructors are known people, each listed once."""
    found = {p.id for p in Person.select(Person.id).where(Person.id.in_(person_ids))}
    unknown = {str(i): ["Unknown person."] for i, pid in enumerate(person_ids) if pid not in found}
    if unknown:
        raise RuleViolation("Instructors must be known people.", {"instructor_ids": unknown})
    if len(set(person_ids)) != len(person_ids):
        raise RuleViolation("An instructor is listed twice.", {"instructor_ids": ["Listed twice."]})


def save_instructors(offering, person_ids):
    OfferingInstructor.delete().where(OfferingInstructor.offering == offering).execute()
    if person_ids:
        OfferingInstructor.insert_many(
            [{"offering": offering.id, "person": pid} for pid in person_ids]
        ).execute()


def save_sessions(offering, sessions):
    """Replace an offering's sessions; those given with an id are kept and changed.

    A session with attendance cannot be dropped, nor made shorter than attendance already
    recorded for it: that would silently change people's hours. Call in atomic().
    """
    existing = {s.id: s for s in offering.session_rows}
    keep = set()
    for index, data in enumerate(sessions):
        if "id" not in data:
            Session.create(offering=offering, starts_at=data["starts_at"], ends_at=data["ends_at"])
            continue
        session = existing.get(data["id"])
        if session is None:
            raise RuleViolation(
                "Unknown session.",
                {"sessions": {str(index): {"id": ["Not a session of this offering."]}}},
            )
        session.starts_at, session.ends_at = data["starts_at"], data["ends_at"]
        session.save()
        keep.add(session.id)
    dropped = set(existing) - keep
    attended = sorted(
        row[0]
        for row in Attendance.select(Attendance.session)
        .distinct()
        .where(Attendance.session.in_(dropped or {0}))
        .tuples()
    )
    if attended:
        raise Conflict(f"Sessions with attendance cannot be removed: {attended}.")
    if dropped:
        Session.delete().where(Session.id.in_(dropped)).execute()
    longest = dict(
        Attendance.select(Attendance.session, fn.MAX(Attendance.minutes))
        .where(Attendance.session.in_(keep or {0}))
        .group_by(Attendance.session)
        .tuples()
    )
    for session_id, minutes in longest.items():
        session = existing[session_id]
        if minutes > session_minutes(session.starts_at, session.ends_at):
            raise Conflict(
                f"Session {session_id} would be shorter than the {minutes} "
                "minutes already recorded for it."
            )
