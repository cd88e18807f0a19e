"""What a calendar feed shows, as plain events: one per session of each class."""

import datetime

from models import (
    Agency,
    CalendarFeed,
    Course,
    Offering,
    OfferingInstructor,
    Registration,
    Session,
    User,
    utcnow,
)
from rules.seats import CANCELLED, CONFIRMED, DECLINED

# how far back a feed keeps past classes, so a calendar keeps recent history
HISTORY = datetime.timedelta(days=365)
STATUS = {CONFIRMED: "CONFIRMED", CANCELLED: "CANCELLED", DECLINED: "CANCELLED"}


def live_feed(secret_hash):
    """The feed with this secret's hash, unrevoked, of an active user; None otherwise."""
    return (
        CalendarFeed.select(CalendarFeed, User)
        .join(User, on=(CalendarFeed.user == User.id))
        .where(
            CalendarFeed.secret_hash == secret_hash,
            CalendarFeed.revoked_at.is_null(),
            User.active == True,
        )
        .first()
    )


def _sessions(condition, now):
    return (
        Session.select(Session, Offering, Course, Agency)
        .join(Offering, on=(Session.offering == Offering.id))
        .join(Course, on=(Offering.course == Course.id))
        .switch(Offering)
        .join(Agency, on=(Offering.host_agency == Agency.id))
        .where(condition, Session.ends_at > now - HISTORY)
        .order_by(Session.starts_at, Session.id)
    )


def _event(session, base_url, *, uid, status="CONFIRMED", sequence=0, note="", changed=None):
    offering = session.offering
    course = offering.course
    host = offering.host_agency
    return {
        "uid": uid,
        "summary": f"{course.title} ({host.code})",
        "description": "\n".join(
            line for line in (f"{course.code}: {course.title}", f"Host: {host.name}", note) if line
        ),
        "location": offering.location,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "timezone": host.timezone,
        "status": "CANCELLED" if offering.status == "cancelled" else status,
        "sequence": offering.sequence + sequence,
        "updated_at": max(offering.updated_at, changed or offering.updated_at),
        "url": f"{base_url}/api/v1/offerings/{offering.id}",
    }


def offering_events(condition, base_url, now=None):
    """Events of every session of the offerings matching `condition` (a condition on
    Offering): the agency and host feeds."""
    now = now or utcnow()
    return [
        _event(s, base_url, uid=f"session-{s.id}@muster")
        for s in _sessions(condition, now).iterator()
    ]


def personal_events(person_id, base_url, now=None):
    """A person's classes: those they registered for (cancelled and declined ones shown
    cancelled, pending and waitlisted ones tentative) and those they teach."""
    now = now or utcnow()
    latest = {}
    for registration in (
        Registration.select().where(Registration.person == person_id).order_by(Registration.id)
    ):
        latest[registration.offering_id] = registration  # the newest registration counts
    events = {}
    if latest:
        for session in _sessions(Offering.id.in_(list(latest)), now):
            registration = latest[session.offering_id]
            events[session.id] = _event(
                session,
                base_url,
                uid=f"session-{session.id}-person-{person_id}@muster",
                status=STATUS.get(registration.status, "TENTATIVE"),
                sequence=registration.sequence,
                note=f"Registration: {registration.status}",
                changed=registration.updated_at,
            )
    teaching = OfferingInstructor.select(OfferingInstructor.offering).where(
        OfferingInstructor.person == person_id
    )
    for session in _sessions(Offering.id.in_(teaching), now):
        events[session.id] = _event(
            session,
            base_url,
            uid=f"session-{session.id}-person-{person_id}@muster",
            note="You teach this class.",
        )
    return sorted(events.values(), key=lambda e: (e["starts_at"], e["uid"]))
