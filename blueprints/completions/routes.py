"""/completions: read the completions in the caller's scope; revoke one with a reason."""

from flask.views import MethodView

from api import Blueprint, one_or_404
from auth import current_user
from blueprints.fields import ReasonSchema
from models import Completion
from operations.records import revoke
from policy import records_query, require_issuer
from queries.records import filter_records

from .schemas import CompletionQuerySchema, CompletionSchema

blp = Blueprint(
    "completions",
    __name__,
    url_prefix="/api/v1/completions",
    description="Completions of courses and approved outside training.",
)


def get_completion(user, completion_id):
    return one_or_404(records_query(Completion, user), completion_id, "completion")


@blp.route("")
class Completions(MethodView):
    @blp.arguments(CompletionQuerySchema, location="query")
    @blp.response(200, CompletionSchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List completions in the caller's scope, newest first."""
        query = records_query(Completion, current_user())
        return filter_records(Completion, query, args).order_by(
            Completion.completed_on.desc(), Completion.id.desc()
        )


@blp.route("/<int:completion_id>")
class CompletionItem(MethodView):
    @blp.response(200, CompletionSchema)
    def get(self, completion_id):
        """Read a completion."""
        return get_completion(current_user(), completion_id)


@blp.route("/<int:completion_id>/revoke")
class CompletionRevoke(MethodView):
    @blp.arguments(ReasonSchema)
    @blp.response(200, CompletionSchema)
    def post(self, data, completion_id):
        """Revoke a completion and the awards it earned (issuing agency's coordinator, admin)."""
        user = current_user()
        completion = get_completion(user, completion_id)
        require_issuer(user, completion.issuer_id)
        revoke(completion, data["reason"], user)
        return get_completion(user, completion_id)
