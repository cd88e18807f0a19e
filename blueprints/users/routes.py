"""/users: create users with a first token, list them, rotate and revoke tokens."""

from flask.views import MethodView

import audit
from api import Blueprint, abort, invalid
from auth import current_user, issue_token, revoke_tokens
from database import db
from models import Agency, Person, User
from policy import is_admin, require_agency_manager

from .schemas import TokenSchema, UserQuerySchema, UserSchema, UserUpdateSchema, UserWithTokenSchema

blp = Blueprint(
    "users", __name__, url_prefix="/api/v1/users", description="API users and their bearer tokens."
)


def users_query(user):
    query = User.select()
    if is_admin(user):
        return query
    return query.where(User.agency == user.agency_id, User.role != "admin")


def get_user(caller, user_id):
    """A user the caller may manage, or themself; 404 otherwise."""
    if caller.id == user_id:
        return caller
    if caller.role not in ("admin", "coordinator"):
        abort(403, message="Only admins and coordinators manage users.")
    target = users_query(caller).where(User.id == user_id).first()
    if target is None:
        abort(404, message=f"No user {user_id}.")
    return target


def check_assignment(caller, role, agency_id, person_id):
    """The role, agency and person a caller may give a user."""
    if role == "admin" and not is_admin(caller):
        abort(403, message="Only an admin may create admins.")
    if role != "admin":
        if agency_id is None:
            abort(
                422,
                message="A non-admin user belongs to an agency.",
                errors={"json": {"agency_id": ["Required for this role."]}},
            )
        require_agency_manager(caller, agency_id)
        if not Agency.select().where(Agency.id == agency_id).exists():
            invalid("agency_id", "Unknown agency.")
    if role in ("officer", "instructor") and person_id is None:
        abort(
            422,
            message=f"An {role} is a person.",
            errors={"json": {"person_id": ["Required for this role."]}},
        )
    if person_id is not None:
        person = Person.get_or_none(Person.id == person_id)
        if person is None or (not is_admin(caller) and person.agency_id != caller.agency_id):
            invalid("person_id", "Unknown person.")
        if role == "officer" and person.agency_id != agency_id:
            abort(
                422,
                message="An officer's user belongs to the officer's agency.",
                errors={"json": {"agency_id": ["Must be the person's agency."]}},
            )


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
        """Create a user and return its first token, shown only this once."""
        caller = current_user("admin", "coordinator")
        data["email"] = data["email"].strip().lower()
        check_assignment(caller, data["role"], data["agency_id"], data["person_id"])
        with db.atomic():
            user = User.create(**data)
            token = issue_token(user)
            audit.record(
                "create", "user", user.id, after=audit.snapshot(user), agency_id=user.agency_id
            )
        user.token = token
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
        return get_user(current_user(), user_id)

    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    def patch(self, data, user_id):
        """Change a user's role, person or active flag (admin, its coordinator)."""
        caller = current_user("admin", "coordinator")
        target = get_user(caller, user_id)
        blp.check_etag(target, UserSchema)
        check_assignment(
            caller,
            data.get("role", target.role),
            target.agency_id,
            data.get("person_id", target.person_id),
        )
        with db.atomic():
            return audit.change("update", "user", target, data, agency_id=target.agency_id)


@blp.route("/<int:user_id>/tokens")
class UserTokens(MethodView):
    @blp.response(201, TokenSchema)
    def post(self, user_id):
        """Issue a new token (the old ones stay valid until revoked)."""
        target = get_user(current_user(), user_id)
        with db.atomic():
            token = issue_token(target)
            audit.record("issue_token", "user", target.id, agency_id=target.agency_id)
        return {"token": token}

    @blp.response(200, TokenSchema)
    def delete(self, user_id):
        """Revoke every token of the user."""
        target = get_user(current_user(), user_id)
        with db.atomic():
            revoked = revoke_tokens(target)
            audit.record(
                "revoke_tokens",
                "user",
                target.id,
                agency_id=target.agency_id,
                after={"revoked": revoked},
            )
        return {"revoked": revoked}
