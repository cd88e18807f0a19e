"""/requirements: an agency's compliance rules; changed or deactivated, never deleted."""

from flask.views import MethodView

from api import Blueprint, one_or_404
from auth import current_user
from models import Requirement
from operations.requirements import create_requirement, update_requirement
from policy import require_agency_manager, requirement_managed_by, requirements_query

from .schemas import RequirementQuerySchema, RequirementSchema, RequirementUpdateSchema

blp = Blueprint(
    "requirements",
    __name__,
    url_prefix="/api/v1/requirements",
    description="An agency's compliance requirements: hours per period (and per "
    "category), certifications that must stay valid.",
)


@blp.route("")
class Requirements(MethodView):
    @blp.arguments(RequirementQuerySchema, location="query")
    @blp.response(200, RequirementSchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List requirements (admin: all; anyone else: its own agency's)."""
        query = requirements_query(current_user()).order_by(Requirement.name, Requirement.id)
        if "agency_id" in args:
            query = query.where(Requirement.agency == args["agency_id"])
        if "kind" in args:
            query = query.where(Requirement.kind == args["kind"])
        if "active" in args:
            query = query.where(Requirement.active == args["active"])
        return query

    @blp.arguments(RequirementSchema)
    @blp.response(201, RequirementSchema)
    def post(self, data):
        """Add a requirement for an agency (admin, the agency's coordinator)."""
        user = current_user("admin", "coordinator")
        require_agency_manager(user, data["agency_id"])
        return create_requirement(data, user)


@blp.route("/<int:requirement_id>")
@blp.etag
class RequirementItem(MethodView):
    @blp.response(200, RequirementSchema)
    def get(self, requirement_id):
        """Read a requirement (404 outside the caller's agency)."""
        return one_or_404(requirements_query(current_user()), requirement_id, "requirement")

    @blp.arguments(RequirementUpdateSchema)
    @blp.response(200, RequirementSchema)
    def patch(self, data, requirement_id):
        """Change or deactivate (active=false) a requirement (admin, the agency's coordinator)."""
        user = current_user()
        requirement = requirement_managed_by(user, requirement_id)
        blp.check_etag(requirement, RequirementSchema)
        return update_requirement(requirement, data, user)
