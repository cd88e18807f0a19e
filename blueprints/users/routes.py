"""/users: create users with a first token, list them, rotate and revoke tokens."""

from flask import current_app
from flask.views import MethodView

from api import Blueprint
from auth import current_user
from models import User
from operations.users import create_user, issue_token, revoke_tokens, update_user
from policy import assignable_person, user_managed_by, users_query

from .schemas import (
    TokenRequestSchema,
    TokenSchema,
    UserQuerySchema,
    UserSchema,
    UserUpdateSchema,
    UserWithTokenSchema,
)

blp = Blueprint(
    "users", __name__, url_prefix="/api/v1/users", description="API users and their bearer tokens."
)


def token_days(data):
    """The lifetime asked for, else the server's default (TOKEN_DEFAULT_DAYS)."""
    if "expires_in_days" in data:
        return data["expires_in_days"]
    return current_app.config["TOKEN_DEFAULT_DAYS"]


@blp.route("")
class Users(MethodView):
    @blp.arguments(UserQuerySchema, location="query")
    @blp.response(200, UserSchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List users (admin: all; coordinator: its agency's, admins excepted)."""
        query = users_query(current_user("admin", "coordinator")).order_by(User.id)
        if "agency_id" in args:
            query = query.where(User.agency == args["agency_id"])
        if "role" in args:
            query = query.where(User.role == args["role"])
        return query

    @blp.arguments(UserSchema)
    @blp.response(201, UserWithTokenSchema)
    def post(self, data):
        """Create a user and return its first token, shown only this once.

        With `person_id` the agency is the person's (`agency_id` may be left out).
        """
        caller = current_user("admin", "coordinator")
        person = assignable_person(caller, data["role"], data["agency_id"], data["person_id"])
        user, token, row = create_user(data, person, caller, expires_in_days=token_days(data))
        user.token, user.token_expires_at = token, row.expires_at
        return user


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, UserSchema)
    def get(self):
        """The caller's own user."""
        return current_user()


@blp.route("/<int:user_id>")
@blp.etag
class UserItem(MethodView):
    @blp.response(200, UserSchema)
    def get(self, user_id):
        """Read a user (admin, its coordinator, itself)."""
        return user_managed_by(current_user(), user_id)

    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    def patch(self, data, user_id):
        """Change a user's role, person or active flag (admin, its coordinator)."""
        caller = current_user("admin", "coordinator")
        target = user_managed_by(caller, user_id)
        blp.check_etag(target, UserSchema)
        person = assignable_person(
            caller,
            data.get("role", target.role),
            target.agency_id,
            data.get("person_id", target.person_id),
        )
        return update_user(target, data, person, caller)


@blp.route("/<int:user_id>/tokens")
class UserTokens(MethodView):
    @blp.arguments(TokenRequestSchema, location="json", required=False)
    @blp.response(201, TokenSchema)
    def post(self, data, user_id):
        """Issue a new token (the old ones stay valid until revoked or expired)."""
        caller = current_user()
        target = user_managed_by(caller, user_id)
        token, row = issue_token(target, caller, expires_in_days=token_days(data))
        return {"token": token, "expires_at": row.expires_at}

    @blp.response(200, TokenSchema)
    def delete(self, user_id):
        """Revoke every token of the user."""
        caller = current_user()
        target = user_managed_by(caller, user_id)
        return {"revoked": revoke_tokens(target, caller)}
