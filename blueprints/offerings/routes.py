"""/offerings: schedule a course, name its instructors, keep its sessions."""

from flask.views import MethodView
from peewee import fn

from api import Blueprint, MappedQuery, invalid
from auth import current_user
from blueprints.fields import ReasonSchema
from models import Course, Offering, OfferingInstructor, Session, to_utc
from operations.offerings import cancel_offering, create_offering, update_offering
from policy import (
    get_offering,
    instructors_nameable_by,
    offering_hosted_by,
    require_agency_manager,
)
from queries.offerings import offering_view, offering_views

from .schemas import OfferingQuerySchema, OfferingSchema, OfferingUpdateSchema

blp = Blueprint(
    "offerings",
    __name__,
    url_prefix="/api/v1/offerings",
    description="Offerings of a course: sessions, instructors, host agency.",
)


@blp.route("")
class Offerings(MethodView):
    @blp.arguments(OfferingQuerySchema, location="query")
    @blp.response(200, OfferingSchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List offerings, soonest first (any signed-in user)."""
        user = current_user()
        first_start = Session.select(
            Session.offering, fn.MIN(Session.starts_at).alias("first")
        ).group_by(Session.offering)
        query = (
            Offering.select(Offering)
            .join(first_start, on=(first_start.c.offering_id == Offering.id))
            .order_by(first_start.c.first, Offering.id)
        )
        for field in ("course_id", "host_agency_id", "status"):
            if field in args:
                query = query.where(getattr(Offering, field.removesuffix("_id")) == args[field])
        instructor_id = user.person_id if args.get("mine") else args.get("instructor_id")
        if args.get("mine") or "instructor_id" in args:
            query = query.where(
                Offering.id.in_(
                    OfferingInstructor.select(OfferingInstructor.offering).where(
                        OfferingInstructor.person == instructor_id
                    )
                )
            )
        if "starts_after" in args:
            query = query.where(first_start.c.first >= to_utc(args["starts_after"]))
        if "starts_before" in args:
            query = query.where(first_start.c.first < to_utc(args["starts_before"]))
        return MappedQuery(query, offering_views)

    @blp.arguments(OfferingSchema)
    @blp.response(201, OfferingSchema)
    def post(self, data):
        """Schedule an offering (admin, the host agency's coordinator)."""
        user = current_user("admin", "coordinator")
        course = Course.get_or_none(Course.id == data["course_id"])
        if course is None:
            invalid("course_id", "Unknown course.")
        data.setdefault("host_agency_id", course.host_agency_id)
        require_agency_manager(user, data["host_agency_id"])
        require_agency_manager(user, course.host_agency_id)
        instructors_nameable_by(user, data["instructor_ids"])
        return offering_view(create_offering(course, data, user))


@blp.route("/<int:offering_id>")
@blp.etag
class OfferingItem(MethodView):
    @blp.response(200, OfferingSchema)
    def get(self, offering_id):
        """Read an offering with its sessions and instructors."""
        current_user()
        return offering_view(get_offering(offering_id))

    @blp.arguments(OfferingUpdateSchema)
    @blp.response(200, OfferingSchema)
    def patch(self, data, offering_id):
        """Change location, instructors or sessions while the offering is open (host, admin)."""
        user = current_user("admin", "coordinator")
        offering = offering_view(offering_hosted_by(user, offering_id))
        blp.check_etag(offering, OfferingSchema)
        instructors_nameable_by(user, data.get("instructor_ids"), offering)
        return offering_view(update_offering(offering, data, user))


@blp.route("/<int:offering_id>/cancel")
class OfferingCancel(MethodView):
    @blp.arguments(ReasonSchema)
    @blp.response(200, OfferingSchema)
    def post(self, data, offering_id):
        """Cancel a class that has not closed, with a reason (its host agency's coordinator,
        admin): kept, shown cancelled in calendars, and those in it are told."""
        user = current_user()
        offering = offering_hosted_by(user, offering_id)
        return offering_view(cancel_offering(offering, data["reason"], user))
