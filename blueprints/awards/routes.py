"""/awards: read certifications earned in the caller's scope; revoke one with a reason."""

from flask.views import MethodView

from api import Blueprint, abort, one_or_404
from auth import current_user
from blueprints.completions.routes import filter_records
from blueprints.fields import ReasonSchema
from database import db
from models import Award, Certification
from policy import manages_agency, records_query
from rules import clock
from rules.records import revoke_award

from .schemas import AwardQuerySchema, AwardSchema

blp = Blueprint(
    "awards",
    __name__,
    url_prefix="/api/v1/awards",
    description="Certifications earned by people, with expiry and status.",
)


def awards_query(user):
    return (
        records_query(Award, user)
        .select_extend(Certification)
        .join(Certification, on=(Award.certification == Certification.id))
    )


def get_award(user, award_id):
    return one_or_404(awards_query(user), award_id, "award")


@blp.route("")
class Awards(MethodView):
    @blp.arguments(AwardQuerySchema, location="query")
    @blp.response(200, AwardSchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List awards in the caller's scope, soonest expiry first."""
        query = filter_records(Award, awards_query(current_user()), args)
        if "certification_id" in args:
            query = query.where(Award.certification == args["certification_id"])
        if args.get("status") == "valid":
            query = query.where(Award.expires_on.is_null() | (Award.expires_on >= clock.today()))
        elif args.get("status") == "expired":
            query = query.where(Award.revoked_at.is_null(), Award.expires_on < clock.today())
        return query.order_by(Award.expires_on.asc(nulls="last"), Award.id)


@blp.route("/<int:award_id>")
class AwardItem(MethodView):
    @blp.response(200, AwardSchema)
    def get(self, award_id):
        """Read an award."""
        return get_award(current_user(), award_id)


@blp.route("/<int:award_id>/revoke")
class AwardRevoke(MethodView):
    @blp.arguments(ReasonSchema)
    @blp.response(200, AwardSchema)
    def post(self, data, award_id):
        """Revoke an award (the issuing host's coordinator, admin)."""
        user = current_user()
        award = get_award(user, award_id)
        host = award.offering.host_agency_id if award.offering_id else award.person.agency_id
        if not manages_agency(user, host):
            abort(403, message="Only the issuing agency's coordinator or an admin may revoke.")
        with db.atomic():
            revoke_award(award, data["reason"], user)
        return get_award(user, award_id)
