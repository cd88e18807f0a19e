"""GET /audit: who changed what, when, and why."""

from flask.views import MethodView

from api import Blueprint
from auth import current_user
from models import AuditEntry, to_utc

from .schemas import AuditEntrySchema, AuditQuerySchema

blp = Blueprint(
    "audit", __name__, url_prefix="/api/v1/audit", description="The append-only audit trail."
)


@blp.route("")
class Audit(MethodView):
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditEntrySchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List audit entries, oldest first (admin; coordinators: their agency's records)."""
        user = current_user("admin", "coordinator")
        query = AuditEntry.select().order_by(AuditEntry.id)
        if user.role == "coordinator":
            query = query.where(
                (AuditEntry.agency_id == user.agency_id)
                | (AuditEntry.person_agency_id == user.agency_id)
            )
        for field in ("entity", "entity_id", "agency_id", "user_id"):
            if field in args:
                query = query.where(getattr(AuditEntry, field) == args[field])
        if "since" in args:
            query = query.where(AuditEntry.at >= to_utc(args["since"]))
        return query
