"""/offerings/{id}/close and /reopen: lock the records and issue them, or unlock them."""

from flask.views import MethodView

from api import Blueprint
from auth import current_user
from blueprints.fields import ReasonSchema
from blueprints.offerings.schemas import OfferingSchema
from operations.closing import close_offering, reopen_offering
from policy import offering_hosted_by, offering_run_by
from queries.offerings import offering_view

from .schemas import CloseResultSchema

blp = Blueprint(
    "closing",
    __name__,
    url_prefix="/api/v1/offerings",
    description="Close an offering to issue its completions and awards.",
)


@blp.route("/<int:offering_id>/close")
class Close(MethodView):
    @blp.response(200, CloseResultSchema)
    def post(self, offering_id):
        """Lock the offering and issue every rostered person's completion and awards."""
        user = current_user()
        offering = offering_run_by(user, offering_id)
        outcomes = close_offering(offering, user)
        return {"offering": offering_view(offering), "outcomes": outcomes}


@blp.route("/<int:offering_id>/reopen")
class Reopen(MethodView):
    @blp.arguments(ReasonSchema)
    @blp.response(200, OfferingSchema)
    def post(self, data, offering_id):
        """Unlock a closed offering for correction, with a reason (its host agency's
        coordinator, admin)."""
        user = current_user()
        offering = offering_hosted_by(user, offering_id)
        return offering_view(reopen_offering(offering, data["reason"], user))
