"""/offerings/{id}/results: pass/fail and score per person, upserted in one transaction."""

from flask.views import MethodView

import audit
from api import Blueprint
from auth import current_user
from blueprints.offerings.routes import get_offering
from models import Result
from policy import require_offering_runner
from rules.closing import writing_open
from rules.schedule import record_results

from .schemas import ResultSchema

blp = Blueprint(
    "results",
    __name__,
    url_prefix="/api/v1/offerings",
    description="Pass/fail results of an offering.",
)


@blp.route("/<int:offering_id>/results")
class Results(MethodView):
    @blp.response(200, ResultSchema(many=True))
    def get(self, offering_id):
        """List the offering's results (its instructors, host coordinator, admin)."""
        offering = get_offering(offering_id)
        require_offering_runner(current_user(), offering)
        return Result.select().where(Result.offering == offering).order_by(Result.person)

    @blp.arguments(ResultSchema(many=True))
    @blp.response(200, ResultSchema(many=True))
    def put(self, rows, offering_id):
        """Record results; the same batch twice gives the same state; one bad row writes nothing."""
        offering = get_offering(offering_id)
        require_offering_runner(current_user(), offering)
        with writing_open(offering):
            record_results(offering, rows)
            audit.record(
                "record",
                "offering_results",
                offering.id,
                after=audit.plain(rows),
                agency_id=offering.host_agency_id,
            )
        return Result.select().where(Result.offering == offering).order_by(Result.person)
