"""/agencies: list, create, read, update, verify and merge."""

from flask.views import MethodView

import audit
from api import Blueprint, abort, one_or_404
from auth import current_user
from database import db
from models import Agency
from policy import require_agency_manager
from rules.agencies import merge_agency

from .schemas import AgencyMergeSchema, AgencyQuerySchema, AgencySchema, AgencyUpdateSchema

blp = Blueprint(
    "agencies",
    __name__,
    url_prefix="/api/v1/agencies",
    description="Agencies that host training or send people to it.",
)


def get_agency(agency_id):
    return one_or_404(Agency, agency_id, "agency")


@blp.route("")
class Agencies(MethodView):
    @blp.arguments(AgencyQuerySchema, location="query")
    @blp.response(200, AgencySchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List agencies (any signed-in user: instructors pick walk-ins' agencies here)."""
        current_user()
        query = Agency.select().order_by(Agency.name, Agency.id)
        for field in ("kind", "state", "verified"):
            if field in args:
                query = query.where(getattr(Agency, field) == args[field])
        if args.get("q"):
            query = query.where(Agency.name.contains(args["q"]) | Agency.code.contains(args["q"]))
        return query

    @blp.arguments(AgencySchema)
    @blp.response(201, AgencySchema)
    def post(self, data):
        """Create a verified agency (admin)."""
        current_user("admin")
        with db.atomic():
            agency = Agency.create(**data)
            audit.record(
                "create", "agency", agency.id, after=audit.snapshot(agency), agency_id=agency.id
            )
        return agency


@blp.route("/<int:agency_id>")
@blp.etag
class AgencyItem(MethodView):
    @blp.response(200, AgencySchema)
    def get(self, agency_id):
        """Read an agency."""
        current_user()
        return get_agency(agency_id)

    @blp.arguments(AgencyUpdateSchema)
    @blp.response(200, AgencySchema)
    def patch(self, data, agency_id):
        """Change an agency's name, kind, state or timezone (admin, its coordinator)."""
        user = current_user()
        agency = get_agency(agency_id)
        require_agency_manager(user, agency.id)
        blp.check_etag(agency, AgencySchema)
        if "code" in data and user.role != "admin":
            abort(403, message="Only an admin may change an agency's code.")
        with db.atomic():
            return audit.change("update", "agency", agency, data, agency_id=agency.id)


@blp.route("/<int:agency_id>/verify")
class AgencyVerify(MethodView):
    @blp.response(200, AgencySchema)
    def post(self, agency_id):
        """Mark an agency created at the door as verified (admin)."""
        current_user("admin")
        agency = get_agency(agency_id)
        if agency.merged_into_id:
            abort(409, message="This agency was merged into another and cannot be verified.")
        with db.atomic():
            return audit.change("verify", "agency", agency, {"verified": True}, agency_id=agency.id)


@blp.route("/<int:agency_id>/merge")
class AgencyMerge(MethodView):
    @blp.arguments(AgencyMergeSchema)
    @blp.response(200, AgencySchema)
    def post(self, data, agency_id):
        """Merge an unverified agency into the one it really is (admin); moves its people."""
        current_user("admin")
        duplicate, survivor = get_agency(agency_id), get_agency(data["into_id"])
        if duplicate.id == survivor.id or duplicate.merged_into_id or survivor.merged_into_id:
            abort(409, message="into_id must be another agency, and neither may be merged already.")
        with db.atomic():
            moved = merge_agency(duplicate, survivor)
            audit.record(
                "merge",
                "agency",
                duplicate.id,
                after={"merged_into": survivor.id, "moved": moved},
                reason=data["reason"],
                agency_id=survivor.id,
            )
        return Agency.get_by_id(survivor.id)
