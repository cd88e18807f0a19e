"""An offering's attendance as the API shows it: sessions, each person's minutes, open stays."""

from models import Attendance, Person, Session
from rules.attendance import as_local, local_view
from rules.hours import hours_from_minutes

from .offerings import session_view, sessions_of


def attendance_sheet(offering, entries):
    """The offering's sessions, and for each roster entry its attendance and totals; times
    in UTC and where the host agency is."""
    timezone = offering.host_agency.timezone
    sessions = sessions_of(offering)
    order = {s.id: i for i, s in enumerate(sessions)}
    attended = {entry.person_id: [] for entry in entries}
    if attended:
        rows = Attendance.select().where(
            Attendance.offering == offering.id, Attendance.person.in_(list(attended))
        )
        for row in rows:
            attended[row.person_id].append(row)
    people = []
    for entry in entries:
        rows = sorted(attended[entry.person_id], key=lambda row: order[row.session_id])
        total = sum(row.minutes for row in rows)
        people.append(
            {
                "person_id": entry.person_id,
                "person_name": entry.person.full_name,
                "agency_id": entry.person.agency_id,
                "agency_name": entry.person.agency.name,
                "roster_status": entry.status,
                "walk_in": entry.walk_in,
                "total_minutes": total,
                "total_hours": hours_from_minutes(total),
                "sessions": [
                    local_view(
                        {
                            "session_id": row.session_id,
                            "minutes": row.minutes,
                            "check_in": row.check_in,
                            "check_out": row.check_out,
                        },
                        timezone,
                    )
                    for row in rows
                ],
            }
        )
    return {
        "offering_id": offering.id,
        "timezone": timezone,
        "people": people,
        "sessions": [session_view(s) for s in sessions],
    }


def open_stays(offering, pairs=None):
    """The offering's open stays (checked in, never out), by session then name: dicts with
    the person, the session and its times; only those of `pairs` ((person, session)) if given."""
    timezone = offering.host_agency.timezone
    query = (
        Attendance.select(Attendance, Person, Session)
        .join(Person, on=Attendance.person == Person.id)
        .switch(Attendance)
        .join(Session, on=Attendance.session == Session.id)
        .where(
            Attendance.offering == offering.id,
            Attendance.check_in.is_null(False),
            Attendance.check_out.is_null(),
        )
        .order_by(Session.starts_at, Person.last_name, Person.first_name, Person.id)
    )
    stays = []
    for row in query:
        if pairs is not None and (row.person_id, row.session_id) not in pairs:
            continue
        stays.append(
            {
                "person_id": row.person_id,
                "person_name": row.person.full_name,
                "session_id": row.session_id,
                "session_starts_at": row.session.starts_at,
                "session_ends_at": row.session.ends_at,
                "session_starts": as_local(row.session.starts_at, timezone).isoformat(),
                "check_in": row.check_in,
                "check_in_local": as_local(row.check_in, timezone),
            }
        )
    return stays
