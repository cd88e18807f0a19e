"""An offering's self check-ins as the instructor sees them: who, which session, whether
they are on the roster yet."""

from models import Agency, CheckIn, Person, RosterEntry, Session
from rules.attendance import ENROLLED, as_local


def check_ins_query(offering, status=None):
    """The offering's check-ins with each person and agency, by session then time."""
    query = (
        CheckIn.select(CheckIn, Person, Agency)
        .join(Person, on=(CheckIn.person == Person.id))
        .join(Agency, on=(Person.agency == Agency.id))
        .switch(CheckIn)
        .join(Session, on=(CheckIn.session == Session.id))
        .where(CheckIn.offering == offering.id)
        .order_by(Session.starts_at, CheckIn.checked_in_at, CheckIn.id)
    )
    return query if status is None else query.where(CheckIn.status == status)


def check_in_views(offering, check_ins):
    """Check-ins as the API shows them, with times also where the host agency is."""
    timezone = offering.host_agency.timezone
    enrolled = {
        person_id
        for (person_id,) in RosterEntry.select(RosterEntry.person)
        .where(
            RosterEntry.offering == offering.id,
            RosterEntry.status == ENROLLED,
            RosterEntry.person.in_([c.person_id for c in check_ins]),
        )
        .tuples()
    }
    return [
        {
            "id": c.id,
            "offering_id": c.offering_id,
            "session_id": c.session_id,
            "person_id": c.person_id,
            "person_name": c.person.full_name,
            "agency_name": c.person.agency.name,
            "on_roster": c.person_id in enrolled,
            "status": c.status,
            "checked_in_at": c.checked_in_at,
            "checked_out_at": c.checked_out_at,
            "checked_in_local": as_local(c.checked_in_at, timezone),
            "checked_out_local": as_local(c.checked_out_at, timezone),
            "decided_by_id": c.decided_by_id,
            "decided_at": c.decided_at,
            "reason": c.reason,
        }
        for c in check_ins
    ]


def check_in_view(offering, check_in):
    return check_in_views(offering, [check_in])[0]
