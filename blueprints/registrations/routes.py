"""/offerings/<id>/registrations and /registrations: people put forward by their home
agency for open classes; seats, the waitlist, approval and cancellation."""

from flask.views import MethodView

from api import Blueprint, MappedQuery
from auth import current_user
from models import Person, Registration
from operations.registrations import approve, cancel, decline, register
from policy import (
    get_registration,
    offering_joinable_by,
    offering_registrations_of,
    person_registrable_by,
    registration_cancellable_by,
    registration_decidable_by,
    registrations_query,
)
from queries.registrations import registration_view, registration_views

from .schemas import (
    RegistrationApproveSchema,
    RegistrationCancelSchema,
    RegistrationCreateSchema,
    RegistrationDeclineSchema,
    RegistrationQuerySchema,
    RegistrationSchema,
    RegistrationsQuerySchema,
)

blp = Blueprint(
    "registrations",
    __name__,
    url_prefix="/api/v1",
    description="Registrations for open classes by the home agency: seats, waitlists.",
)


def _filtered(query, args, user):
    if "status" in args:
        query = query.where(Registration.status == args["status"])
    if "person_id" in args:
        query = query.where(Registration.person == args["person_id"])
    if "agency_id" in args:
        query = query.where(Person.agency == args["agency_id"])
    if "offering_id" in args:
        query = query.where(Registration.offering == args["offering_id"])
    if args.get("mine"):
        query = query.where(Registration.person == (user.person_id or 0))
    return query.order_by(Registration.id)


def _reloaded(user, registration):
    return registration_view(get_registration(user, registration.id))


@blp.route("/offerings/<int:offering_id>/registrations")
class OfferingRegistrations(MethodView):
    @blp.arguments(RegistrationQuerySchema, location="query")
    @blp.response(200, RegistrationSchema(many=True))
    @blp.paginate()
    def get(self, args, offering_id):
        """List an offering's registrations the caller may see.

        The host's coordinator sees all, a home coordinator its own people's, an
        instructor those of a class it teaches, an officer its own.
        """
        user = current_user()
        _, query = offering_registrations_of(user, offering_id)
        return MappedQuery(_filtered(query, args, user), registration_views)

    @blp.arguments(RegistrationCreateSchema)
    @blp.response(201, RegistrationSchema)
    def post(self, data, offering_id):
        """Register a person (their home coordinator, an admin, or the officer themself).

        By the home coordinator it is approved at once: it takes a seat (the agency's
        reserved seats first, then general seats) or joins the waitlist. By the officer it
        waits, `pending`, for the home coordinator's approval.
        """
        user = current_user()
        offering = offering_joinable_by(user, offering_id)
        person, approved = person_registrable_by(user, offering, data["person_id"])
        registration = register(offering, person, user, approved=approved)
        return _reloaded(user, registration)


@blp.route("/registrations")
class Registrations(MethodView):
    @blp.arguments(RegistrationsQuerySchema, location="query")
    @blp.response(200, RegistrationSchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List the registrations the caller may see (`mine=true`: its own)."""
        user = current_user()
        query = _filtered(registrations_query(user), args, user)
        return MappedQuery(query, registration_views)


@blp.route("/registrations/<int:registration_id>")
class RegistrationItem(MethodView):
    @blp.response(200, RegistrationSchema)
    def get(self, registration_id):
        """Read a registration."""
        user = current_user()
        return registration_view(get_registration(user, registration_id))


@blp.route("/registrations/<int:registration_id>/approve")
class ApproveRegistration(MethodView):
    @blp.arguments(RegistrationApproveSchema)
    @blp.response(200, RegistrationSchema)
    def post(self, data, registration_id):
        """Approve a pending registration (the home coordinator): a seat or the waitlist."""
        user = current_user()
        registration = registration_decidable_by(user, registration_id)
        return _reloaded(user, approve(registration, data["comment"], user))


@blp.route("/registrations/<int:registration_id>/decline")
class DeclineRegistration(MethodView):
    @blp.arguments(RegistrationDeclineSchema)
    @blp.response(200, RegistrationSchema)
    def post(self, data, registration_id):
        """Decline a pending registration with a comment (the home coordinator)."""
        user = current_user()
        registration = registration_decidable_by(user, registration_id)
        return _reloaded(user, decline(registration, data["comment"], user))


@blp.route("/registrations/<int:registration_id>/cancel")
class CancelRegistration(MethodView):
    @blp.arguments(RegistrationCancelSchema)
    @blp.response(200, RegistrationSchema)
    def post(self, data, registration_id):
        """Cancel a registration with a reason (the person, their coordinator, the host).

        A seat it held goes at once to the first on the waitlist who may take it.
        """
        user = current_user()
        registration = registration_cancellable_by(user, registration_id)
        return _reloaded(user, cancel(registration, data["reason"], user))
