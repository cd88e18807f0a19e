"""/awards: read certifications earned in the caller's scope; revoke one with a reason."""

from flask.views import MethodView

from api import Blueprint, one_or_404
from auth import current_user
from blueprints.fields import ReasonSchema
from models import Award
from operations.records import revoke
from policy import awards_query, require_issuer
from queries.records import filter_records
from rules import clock

from .schemas import AwardQuerySchema, AwardSchema

blp = Blueprint(
    "awards",
    __name__,
    url_prefix="/api/v1/awards",
    description="Certifications earned by people, with expiry and status.",
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
        require_issuer(user, host)
        revoke(award, data["reason"], user)
        return get_award(user, award_id)
