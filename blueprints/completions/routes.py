"""/completions: read the completions in the caller's scope; revoke one with a reason."""

from flask.views import MethodView

from api import Blueprint, abort, one_or_404
from auth import current_user
from blueprints.fields import ReasonSchema
from database import db
from models import Completion, to_utc
from policy import manages_agency, records_query
from rules.records import revoke_completion

from .schemas import CompletionQuerySchema, CompletionSchema

blp = Blueprint(
    "completions",
    __name__,
    url_prefix="/api/v1/completions",
    description="Completions of courses and approved outside training.",
)


def filter_records(model, query, args):
    """The filters completions and awards share."""
    for field in ("person_id", "offering_id"):
        if field in args:
            query = query.where(getattr(model, field.removesuffix("_id")) == args[field])
    if args.get("status") == "revoked":
        query = query.where(model.revoked_at.is_null(False))
    elif args.get("status") == "valid":
        query = query.where(model.revoked_at.is_null())
    if "changed_since" in args:
        query = query.where(model.updated_at >= to_utc(args["changed_since"]))
    return query


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
        if not manages_agency(user, completion.issuer_id):
            abort(403, message="Only the issuing agency's coordinator or an admin may revoke.")
        with db.atomic():
            revoke_completion(completion, data["reason"], user)
        return get_completion(user, completion_id)
