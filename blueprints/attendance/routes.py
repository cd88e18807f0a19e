"""/offerings/<id>/attendance: minutes per person and session, written in idempotent batches."""

from flask.views import MethodView

from api import Blueprint, within_batch
from auth import current_user
from models import RosterEntry
from operations.attendance import close_open_stays, record_attendance
from policy import offering_run_by
from queries.attendance import attendance_sheet, open_stays
from queries.offerings import roster_query
from rules.attendance import local_view

from .schemas import (
    AttendanceQuerySchema,
    AttendanceRowSchema,
    AttendanceSheetSchema,
    AttendanceWriteResultSchema,
    CloseStaysSchema,
    OpenStaySchema,
)

blp = Blueprint(
    "attendance",
    __name__,
    url_prefix="/api/v1/offerings",
    description="Attendance of an offering's sessions, kept in minutes.",
)


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
        `check_out` (ISO 8601; without an offset, the host agency's local time), of which
        the overlap with the session is credited in real elapsed minutes. A `check_in`
        alone is an open stay, credited nothing until a `check_out` (sent alone or with
        it) or `POST .../attendance/open-stays/close` closes it; a class with open stays
        cannot close. Nothing is credited for a session that has not started, nor for
        time still to come. A bad row fails the whole batch; the 422 names each bad row by
        its index and field, e.g. `{"3": {"minutes": ["Longer than the session (480
        minutes)."]}}`. Rows already recorded as sent are left untouched. The answer
        shows each time as stored (UTC) and where the host agency is.
        """
        user = current_user()
        offering = offering_run_by(user, offering_id)
        return shown(offering, record_attendance(offering, within_batch(rows), actor=user))


def shown(offering, result):
    """A write's answer with each row's times also where the host agency is."""
    timezone = offering.host_agency.timezone
    return {**result, "rows": [local_view(row, timezone) for row in result["rows"]]}


@blp.route("/<int:offering_id>/attendance/open-stays")
class OpenStays(MethodView):
    @blp.response(200, OpenStaySchema(many=True))
    def get(self, offering_id):
        """The class's open stays: checked in, never checked out, credited nothing yet.

        A class cannot close while any is open.
        """
        return open_stays(offering_run_by(current_user(), offering_id))


@blp.route("/<int:offering_id>/attendance/open-stays/close")
class CloseOpenStays(MethodView):
    @blp.arguments(CloseStaysSchema)
    @blp.response(200, AttendanceWriteResultSchema)
    def post(self, data, offering_id):
        """Close open stays at their sessions' ends, crediting each up to the end.

        The stays listed, or every open stay of the class when `stays` is left out. Only
        for sessions that have ended (409 otherwise); a listed pair that is not an open
        stay is a 422 naming it, and nothing is closed.
        """
        user = current_user()
        offering = offering_run_by(user, offering_id)
        return shown(offering, close_open_stays(offering, data.get("stays"), actor=user))
