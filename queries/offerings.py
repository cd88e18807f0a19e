"""An offering as the API shows it: its sessions, instructors and roster."""

from models import Agency, OfferingInstructor, Person, RosterEntry, Session
from rules.attendance import session_minutes
from statements import Slot, Statement

from .children import attach_children


def session_view(session):
    return {
        "id": session.id,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "minutes": session_minutes(session.starts_at, session.ends_at),
    }


def offering_views(offerings):
    """Offerings with their instructors and sessions (two queries for the lot)."""
    attach_children(
        offerings,
        "instructor_ids",
        OfferingInstructor,
        OfferingInstructor.offering,
        lambda row: row.person_id,
    )
    return attach_children(
        offerings,
        "sessions",
        Session,
        Session.offering,
        session_view,
        order_by=[Session.starts_at, Session.id],
    )


def offering_view(offering):
    return offering_views([offering])[0]


def sessions_of(offering):
    return list(
        Session.select()
        .where(Session.offering == offering.id)
        .order_by(Session.starts_at, Session.id)
    )


# Read by every certificate download: SQL written once.
INSTRUCTOR_NAMES = Statement(
    lambda: (
        Person.select(Person.first_name, Person.last_name)
        .join(OfferingInstructor, on=(OfferingInstructor.person == Person.id))
        .where(OfferingInstructor.offering == Slot("offering"))
        .order_by(OfferingInstructor.id)
        .tuples()
    )
)


def instructor_names(offering):
    """The full names of the offering's instructors, in the order they were listed."""
    return tuple(
        f"{first} {last}"  # Person.full_name, from the two columns alone
        for first, last in INSTRUCTOR_NAMES.rows(offering=offering.id)
    )


def roster_query(offering):
    """The offering's entries with each person and agency, alphabetical by last name."""
    return (
        RosterEntry.select(RosterEntry, Person, Agency)
        .join(Person)
        .join(Agency)
        .where(RosterEntry.offering == offering.id)
        .order_by(Person.last_name, Person.first_name, RosterEntry.id)
    )
