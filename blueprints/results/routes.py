"""/offerings/{id}/results: pass/fail and score per person, upserted in one transaction."""
from flask.views import MethodView

import audit
from api import Blueprint, abort
from auth import current_user
from blueprints.offerings.routes import get_offering, require_open
from database import db
from models import Result, RosterEntry
from policy import require_offering_runner

from .schemas import ResultSchema

blp = Blueprint("results", __name__, url_prefix="/api/v1/offerings",
                description="Pass/fail results of an offering.")


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
        require_open(offering)
        enrolled = {row[0] for row in RosterEntry.select(RosterEntry.person).where(
            RosterEntry.offering == offering, RosterEntry.status == "enrolled").tuples()}
        errors, seen = {}, set()
        for index, row in enumerate(rows):
            if row["person_id"] not in enrolled:
                errors[index] = {"person_id": ["Not on this offering's roster."]}
            elif row["person_id"] in seen:
                errors[index] = {"person_id": ["Listed twice in this batch."]}
            seen.add(row["person_id"])
        if errors:
            abort(422, message="Some results cannot be recorded; nothing was written.",
                  errors={"json": errors})
        with db.atomic():
            existing = {r.person_id: r for r in Result.select().where(
                Result.offering == offering, Result.person.in_(list(seen) or [0]))}
            for row in rows:
                result = existing.get(row["person_id"]) or Result(
                    offering=offering, person=row["person_id"])
                result.passed, result.score = row["passed"], row["score"]
                result.save()
            audit.record("record", "offering_results", offering.id, after=audit.plain(rows),
                         agency_id=offering.host_agency_id)
        return Result.select().where(Result.offering == offering).order_by(Result.person)
