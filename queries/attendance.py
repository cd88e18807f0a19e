"""An offering's attendance as the API shows it: sessions, and each person's minutes."""

from models import Attendance
from rules.hours import hours_from_minutes

from .offerings import session_view, sessions_of


def attendance_sheet(offering, entries):
    """The offering's sessions, and for each roster entry its attendance and totals."""
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
                    {
                        "session_id": row.session_id,
                        "minutes": row.minutes,
                        "check_in": row.check_in,
                        "check_out": row.check_out,
                    }
                    for row in rows
                ],
            }
        )
    return {
        "offering_id": offering.id,
        "people": people,
        "sessions": [session_view(s) for s in sessions],
    }
