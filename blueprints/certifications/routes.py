"""/certifications: the catalog of what can be earned."""

from flask.views import MethodView

from api import Blueprint, abort, one_or_404
from auth import current_user
from models import Certification
from operations.certifications import create_certification, update_certification
from policy import certification_kept_by, require_keeper

from .schemas import CertificationQuerySchema, CertificationSchema, CertificationUpdateSchema

blp = Blueprint(
    "certifications",
    __name__,
    url_prefix="/api/v1/certifications",
    description="Certifications a course can award.",
)


@blp.route("")
class Certifications(MethodView):
    @blp.arguments(CertificationQuerySchema, location="query")
    @blp.response(200, CertificationSchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List certifications (any signed-in user)."""
        current_user()
        query = Certification.select().order_by(Certification.name, Certification.id)
        if args.get("q"):
            query = query.where(Certification.name.contains(args["q"]))
        if "agency_id" in args:
            query = query.where(Certification.agency == args["agency_id"])
        return query

    @blp.arguments(CertificationSchema)
    @blp.response(201, CertificationSchema)
    def post(self, data):
        """Add a certification (admin; a coordinator for its agency)."""
        user = current_user("admin", "coordinator")
        if user.role == "coordinator" and data["agency_id"] is None:
            data["agency_id"] = user.agency_id
        require_keeper(user, data["agency_id"])
        return create_certification(data, user)


@blp.route("/<int:certification_id>")
@blp.etag
class CertificationItem(MethodView):
    @blp.response(200, CertificationSchema)
    def get(self, certification_id):
        """Read a certification."""
        current_user()
        return one_or_404(Certification, certification_id, "certification")

    @blp.arguments(CertificationUpdateSchema)
    @blp.response(200, CertificationSchema)
    def patch(self, data, certification_id):
        """Change a certification (its keeper); awards already issued keep their expiry."""
        user = current_user("admin", "coordinator")
        certification = certification_kept_by(user, certification_id)
        blp.check_etag(certification, CertificationSchema)
        if "agency_id" in data and data["agency_id"] != certification.agency_id:
            abort(403, message="A certification's keeper cannot be changed.")
        return update_certification(certification, data, user)
