"""/offerings/{id}/check-in-code and /check-ins: people check themselves in by scanning the
class's code; the instructor confirms or rejects each check-in."""

from flask.views import MethodView

from api import Blueprint, abort, one_or_404
from auth import current_user
from blueprints.documents import public_base_url
from blueprints.fields import ReasonSchema
from operations.check_ins import (
    check_out_check_in,
    confirm_check_in,
    make_check_in_code,
    reject_check_in,
    scan_check_in,
)
from policy import get_offering, offering_run_by
from queries.check_ins import check_in_view, check_in_views, check_ins_query
from rules.check_ins import check_in_url
from rules.codes import group_code

from .schemas import (
    CheckInCodeSchema,
    CheckInQuerySchema,
    CheckInSchema,
    CheckOutSchema,
    ScanResultSchema,
    ScanSchema,
)

blp = Blueprint(
    "check_ins",
    __name__,
    url_prefix="/api/v1/offerings",
    description="Self check-in: people scan the class's code, the instructor confirms.",
)


@blp.route("/<int:offering_id>/check-in-code")
class OfferingCheckInCode(MethodView):
    @blp.response(200, CheckInCodeSchema)
    def get(self, offering_id):
        """The class's check-in code, to show on a screen (instructors, host coordinator,
        admin); made at random the first time it is asked for."""
        user = current_user()
        offering = offering_run_by(user, offering_id)
        code = make_check_in_code(offering, actor=user)
        return {
            "offering_id": offering.id,
            "code": code,
            "code_grouped": group_code(code),
            "check_in_url": check_in_url(public_base_url(), offering.id, code),
        }


@blp.route("/<int:offering_id>/check-ins")
class OfferingCheckIns(MethodView):
    @blp.arguments(CheckInQuerySchema, location="query")
    @blp.response(200, CheckInSchema(many=True))
    def get(self, args, offering_id):
        """The class's check-ins, pending ones to confirm or reject (`?status=`)."""
        offering = offering_run_by(current_user(), offering_id)
        return check_in_views(offering, list(check_ins_query(offering, args.get("status"))))

    @blp.arguments(ScanSchema)
    @blp.response(201, ScanResultSchema)
    @blp.alt_response(200, schema=ScanResultSchema, description="A later scan: the check-out.")
    def post(self, data, offering_id):
        """Check yourself in with the class's code during a session (15 minutes of grace
        either side): pending until the instructor confirms it. Scanning again later in
        the same session checks you out."""
        user = current_user()
        if user.person_id is None:
            abort(403, message="Only a user who is a person on file can check in.")
        offering = get_offering(offering_id)
        check_in, outcome = scan_check_in(offering, data["code"], user.person, actor=user)
        status = 201 if outcome == "checked_in" else 200
        return {**check_in_view(offering, check_in), "outcome": outcome}, status


def _check_in_of(user, offering_id, check_in_id):
    offering = offering_run_by(user, offering_id)
    query = check_ins_query(offering)
    return offering, one_or_404(query, check_in_id, "check-in")


@blp.route("/<int:offering_id>/check-ins/<int:check_in_id>/confirm")
class ConfirmCheckIn(MethodView):
    @blp.response(200, CheckInSchema)
    def post(self, offering_id, check_in_id):
        """Confirm a pending check-in: it becomes attendance (a walk-in is added to the
        roster)."""
        user = current_user()
        offering, check_in = _check_in_of(user, offering_id, check_in_id)
        return check_in_view(offering, confirm_check_in(check_in, actor=user))


@blp.route("/<int:offering_id>/check-ins/<int:check_in_id>/reject")
class RejectCheckIn(MethodView):
    @blp.arguments(ReasonSchema)
    @blp.response(200, CheckInSchema)
    def post(self, data, offering_id, check_in_id):
        """Reject a pending check-in with a reason; it never counts as attendance."""
        user = current_user()
        offering, check_in = _check_in_of(user, offering_id, check_in_id)
        return check_in_view(offering, reject_check_in(check_in, data["reason"], actor=user))


@blp.route("/<int:offering_id>/check-ins/<int:check_in_id>/check-out")
class CheckOutCheckIn(MethodView):
    @blp.arguments(CheckOutSchema)
    @blp.response(200, CheckInSchema)
    def post(self, data, offering_id, check_in_id):
        """Give a check-in its check-out (now unless `at` says otherwise); a confirmed one's
        attendance is credited the time it covers."""
        user = current_user()
        offering, check_in = _check_in_of(user, offering_id, check_in_id)
        return check_in_view(offering, check_out_check_in(check_in, data.get("at"), actor=user))
