"""/offerings/{id}/results: pass/fail and score per person, upserted in one transaction."""

from flask.views import MethodView

from api import Blueprint, within_batch
from auth import current_user
from models import Result
from operations.results import record_results
from policy import offering_run_by

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
        return results_of(offering_run_by(current_user(), offering_id))

    @blp.arguments(ResultSchema(many=True))
    @blp.response(200, ResultSchema(many=True))
    def put(self, rows, offering_id):
        """Record results; the same batch twice gives the same state; one bad row writes nothing."""
        user = current_user()
        offering = offering_run_by(user, offering_id)
        record_results(offering, within_batch(rows), user)
        return results_of(offering)


def results_of(offering):
    """The offering's results, by person."""
    return Result.select().where(Result.offering == offering).order_by(Result.person)
