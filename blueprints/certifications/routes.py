"""/certifications: the catalog of what can be earned."""

from flask.views import MethodView

import audit
from api import Blueprint, abort, one_or_404
from auth import current_user
from database import db
from models import Certification
from policy import require_agency_manager

from .schemas import CertificationQuerySchema, CertificationSchema, CertificationUpdateSchema

blp = Blueprint(
    "certifications",
    __name__,
    url_prefix="/api/v1/certifications",
    description="Certifications a course can award.",
)


def get_certification(certification_id):
    return one_or_404(Certification, certification_id, "certification")


def require_keeper(user, agency_id):
    """Admins keep shared certifications; coordinators their own agency's."""
    if agency_id is None:
        if user.role != "admin":
            abort(403, message="Only an admin keeps certifications with no agency.")
    else:
        require_agency_manager(user, agency_id)


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
        with db.atomic():
            certification = Certification.create(**data)
            audit.record(
                "create",
                "certification",
                certification.id,
                after=audit.snapshot(certification),
                agency_id=data["agency_id"],
            )
        return certification


@blp.route("/<int:certification_id>")
@blp.etag
class CertificationItem(MethodView):
    @blp.response(200, CertificationSchema)
    def get(self, certification_id):
        """Read a certification."""
        current_user()
        return get_certification(certification_id)

    @blp.arguments(CertificationUpdateSchema)
    @blp.response(200, CertificationSchema)
    def patch(self, data, certification_id):
        """Change a certification (its keeper); awards already issued keep their expiry."""
        user = current_user("admin", "coordinator")
        certification = get_certification(certification_id)
        require_keeper(user, certification.agency_id)
        blp.check_etag(certification, CertificationSchema)
        if "agency_id" in data and data["agency_id"] != certification.agency_id:
            abort(403, message="A certification's keeper cannot be changed.")
        with db.atomic():
            audit.change(
                "update", "certification", certification, data, agency_id=certification.agency_id
            )
        return certification
