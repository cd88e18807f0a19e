"""/offerings/<id>/attendance: minutes per person and session, written in idempotent batches."""

from flask.views import MethodView
from peewee import chunked

import audit
from api import Blueprint, abort
from auth import current_user
from models import Attendance, Person, RosterEntry, Session, utcnow
from operations.offering_lock import writing_open
from policy import offering_run_by
from queries.offerings import roster_query
from rules.attendance import check_batch, session_minutes
from rules.hours import hours_from_minutes

from .schemas import (
    AttendanceQuerySchema,
    AttendanceRowSchema,
    AttendanceSheetSchema,
    AttendanceWriteResultSchema,
)

blp = Blueprint(
    "attendance",
    __name__,
    url_prefix="/api/v1/offerings",
    description="Attendance of an offering's sessions, kept in minutes.",
)

MAX_BATCH = 10000
CHUNK = 500
VALUES = ("minutes", "check_in", "check_out")


def sessions_of(offering):
    return list(
        Session.select()
        .where(Session.offering == offering.id)
        .order_by(Session.starts_at, Session.id)
    )


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
        "sessions": [
            {
                "id": s.id,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "minutes": session_minutes(s.starts_at, s.ends_at),
            }
            for s in sessions
        ],
    }


def audit_batch(offering, checked, before, written):
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


def write_batch(offering, rows):
    """Check the whole batch, then upsert the rows that differ. Call in atomic()."""
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
    now = utcnow()
    for chunk in chunked(written, CHUNK):
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
    if written:
        audit_batch(offering, checked, before, written)
    return {
        "received": len(checked),
        "created": created,
        "updated": len(written) - created,
        "unchanged": len(checked) - len(written),
        "rows": checked,
    }


@blp.route("/<int:offering_id>/attendance")
class OfferingAttendance(MethodView):
    @blp.arguments(AttendanceQuerySchema, location="query")
    @blp.response(200, AttendanceSheetSchema)
    @blp.paginate(pager=None, page_size=1000)
    def get(self, args, offering_id, pagination_parameters):
        """Attendance of everyone on the roster, with each person's total (pages of people).

        Pages hold up to 1000 people by default, so most classes come in one page.
        """
        user = current_user()
        offering = offering_run_by(user, offering_id)
        query = roster_query(offering)
        if "person_id" in args:
            query = query.where(RosterEntry.person == args["person_id"])
        if "roster_status" in args:
            query = query.where(RosterEntry.status == args["roster_status"])
        pagination_parameters.item_count = query.count()
        entries = list(query.paginate(pagination_parameters.page, pagination_parameters.page_size))
        return attendance_sheet(offering, entries)

    @blp.arguments(AttendanceRowSchema(many=True))
    @blp.response(200, AttendanceWriteResultSchema)
    def put(self, rows, offering_id):
        """Record attendance: an idempotent upsert per person and session, all or nothing.

        Each row gives `minutes` (0 up to the session's length), or `check_in` and
        `check_out` (ISO 8601 with an offset), of which the overlap with the session is
        credited in real elapsed minutes. A bad row fails the whole batch; the 422 names
        each bad row by its index and field, e.g. `{"3": {"minutes": ["Longer than the
        session (480 minutes)."]}}`. Rows already recorded as sent are left untouched.
        """
        user = current_user()
        offering = offering_run_by(user, offering_id)
        if len(rows) > MAX_BATCH:
            abort(422, message=f"A batch holds at most {MAX_BATCH} rows; send several.")
        with writing_open(offering):
            return write_batch(offering, rows)
