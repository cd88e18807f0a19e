"""/requirements: an agency's compliance rules; changed or deactivated, never deleted."""

from flask.views import MethodView

import audit
from api import Blueprint, invalid, one_or_404
from auth import current_user
from database import db
from models import Agency, Requirement
from policy import is_admin, require_agency_manager
from rules.requirements import check_requirement

from .schemas import RequirementQuerySchema, RequirementSchema, RequirementUpdateSchema

blp = Blueprint(
    "requirements",
    __name__,
    url_prefix="/api/v1/requirements",
    description="An agency's compliance requirements: hours per period (and per "
    "category), certifications that must stay valid.",
)

TERMS = (
    "kind",
    "hours",
    "period_months",
    "cycle_start",
    "category",
    "category_hours",
    "certification_id",
)


def requirements_query(user):
    """Requirements the caller may read: an admin all, anyone else its own agency's."""
    query = Requirement.select()
    if is_admin(user):
        return query
    return query.where(Requirement.agency == (user.agency_id or 0))


def get_requirement(user, requirement_id):
    return one_or_404(requirements_query(user), requirement_id, "requirement")


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
        require_agency_manager(current_user("admin", "coordinator"), data["agency_id"])
        if not Agency.select().where(Agency.id == data["agency_id"]).exists():
            invalid("agency_id", "Unknown agency.")
        data = check_requirement(data)
        with db.atomic():
            requirement = Requirement.create(
                agency=data.pop("agency_id"), certification=data.pop("certification_id"), **data
            )
            audit.record(
                "create",
                "requirement",
                requirement.id,
                after=audit.snapshot(requirement),
                agency_id=requirement.agency_id,
            )
        return requirement


@blp.route("/<int:requirement_id>")
@blp.etag
class RequirementItem(MethodView):
    @blp.response(200, RequirementSchema)
    def get(self, requirement_id):
        """Read a requirement (404 outside the caller's agency)."""
        return get_requirement(current_user(), requirement_id)

    @blp.arguments(RequirementUpdateSchema)
    @blp.response(200, RequirementSchema)
    def patch(self, data, requirement_id):
        """Change or deactivate (active=false) a requirement (admin, the agency's coordinator)."""
        user = current_user()
        requirement = get_requirement(user, requirement_id)
        require_agency_manager(user, requirement.agency_id)
        blp.check_etag(requirement, RequirementSchema)
        terms = {name: getattr(requirement, name) for name in TERMS}
        terms.update((name, value) for name, value in data.items() if name in TERMS)
        terms = check_requirement(terms)
        changes = {name: data[name] for name in ("name", "active") if name in data}
        changes.update((name, terms[name]) for name in TERMS[1:-1])
        with db.atomic():
            return audit.change(
                "update", "requirement", requirement, changes, agency_id=requirement.agency_id
            )
