"""/attempts: every rostered person's outcome of a closed class, for their home agency."""

from flask.views import MethodView

from api import Blueprint, one_or_404
from auth import current_user
from models import Attempt
from policy import records_query
from queries.records import filter_records

from .schemas import AttemptQuerySchema, AttemptSchema

blp = Blueprint(
    "attempts",
    __name__,
    url_prefix="/api/v1/attempts",
    description="What closing a class concluded for each person on its roster, credit or not.",
)


@blp.route("")
class Attempts(MethodView):
    @blp.arguments(AttemptQuerySchema, location="query")
    @blp.response(200, AttemptSchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List outcomes in the caller's scope (a home coordinator: its people's), newest first.

        Pull with `changed_since` to get what a close or re-close concluded since the last
        pull, including classes that earned no credit (`not_completed`, with the hours
        attended and required and the reasons). `changed_since` takes `Z`, an offset, a
        plain date (its 00:00 UTC), or an offset whose `+` a URL turned into a space.

        This is the outcomes half of a home agency's pull: `/completions` stays the
        credit itself (each record verifiable, `valid` or `revoked`), so a coordinator
        pulls both with the same `changed_since`; an attempt that earned credit names its
        `completion_id`. Attempts are never credit and never count toward hours.
        """
        query = filter_records(Attempt, records_query(Attempt, current_user()), args)
        if "outcome" in args:
            query = query.where(Attempt.outcome == args["outcome"])
        return query.order_by(Attempt.updated_at.desc(), Attempt.id.desc())


@blp.route("/<int:attempt_id>")
class AttemptItem(MethodView):
    @blp.response(200, AttemptSchema)
    def get(self, attempt_id):
        """Read one outcome."""
        return one_or_404(records_query(Attempt, current_user()), attempt_id, "attempt")
