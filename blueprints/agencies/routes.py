"""/agencies: list, create, read, update, verify and merge."""

from flask.views import MethodView

from api import Blueprint
from auth import current_user
from models import Agency
from operations.agencies import create_agency, merge_agency, update_agency, verify_agency
from policy import agency_managed_by, get_agency, require_admin

from .schemas import AgencyMergeSchema, AgencyQuerySchema, AgencySchema, AgencyUpdateSchema

blp = Blueprint(
    "agencies",
    __name__,
    url_prefix="/api/v1/agencies",
    description="Agencies that host training or send people to it.",
)


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
        user = current_user("admin")
        return create_agency(data, user)


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
        agency = agency_managed_by(user, agency_id)
        blp.check_etag(agency, AgencySchema)
        if "code" in data:
            require_admin(user)
        return update_agency(agency, data, user)


@blp.route("/<int:agency_id>/verify")
class AgencyVerify(MethodView):
    @blp.response(200, AgencySchema)
    def post(self, agency_id):
        """Mark an agency created at the door as verified (admin)."""
        user = current_user("admin")
        return verify_agency(get_agency(agency_id), user)


@blp.route("/<int:agency_id>/merge")
class AgencyMerge(MethodView):
    @blp.arguments(AgencyMergeSchema)
    @blp.response(200, AgencySchema)
    def post(self, data, agency_id):
        """Merge an unverified agency into the one it really is (admin); moves its people."""
        user = current_user("admin")
        duplicate, survivor = get_agency(agency_id), get_agency(data["into_id"])
        return merge_agency(duplicate, survivor, data["reason"], user)
