"""/offerings/{id}/close and /reopen: lock the records and issue them, or unlock them."""

from flask.views import MethodView

import audit
from api import Blueprint, abort
from auth import current_user
from blueprints.fields import ReasonSchema
from blueprints.offerings.routes import get_offering, offering_view
from blueprints.offerings.schemas import OfferingSchema
from database import db
from policy import require_offering_runner
from rules.closing import close_offering

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
        offering = get_offering(offering_id)
        require_offering_runner(user, offering)
        with db.atomic():
            outcomes = close_offering(offering, user)
        return {"offering": offering_view(offering), "outcomes": outcomes}


@blp.route("/<int:offering_id>/reopen")
class Reopen(MethodView):
    @blp.arguments(ReasonSchema)
    @blp.response(200, OfferingSchema)
    def post(self, data, offering_id):
        """Unlock a closed offering for correction (admin, with a reason)."""
        current_user("admin")
        offering = get_offering(offering_id)
        if offering.status != "closed":
            abort(409, message="The offering is not closed.")
        with db.atomic():
            audit.change(
                "reopen",
                "offering",
                offering,
                {"status": "scheduled", "closed_at": None},
                reason=data["reason"],
                agency_id=offering.host_agency_id,
            )
        return offering_view(offering)
