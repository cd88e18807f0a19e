"""/offerings: schedule a course, name its instructors, keep its sessions."""

from collections import defaultdict

from flask.views import MethodView
from peewee import fn

import audit
from api import Blueprint, MappedQuery, invalid, one_or_404
from auth import current_user
from database import db
from models import Course, Offering, OfferingInstructor, Session, to_utc
from policy import require_agency_manager
from rules.attendance import session_minutes
from rules.closing import writing_open
from rules.schedule import check_instructors, save_instructors, save_sessions

from .schemas import OfferingQuerySchema, OfferingSchema, OfferingUpdateSchema

blp = Blueprint(
    "offerings",
    __name__,
    url_prefix="/api/v1/offerings",
    description="Offerings of a course: sessions, instructors, host agency.",
)


def get_offering(offering_id):
    """The offering (any signed-in user may read offerings), or 404."""
    return one_or_404(Offering, offering_id, "offering")


def offering_views(offerings):
    """Offerings with their instructors and sessions (two queries for the lot)."""
    ids = [offering.id for offering in offerings]
    instructors, sessions = defaultdict(list), defaultdict(list)
    for row in (
        OfferingInstructor.select()
        .where(OfferingInstructor.offering.in_(ids))
        .order_by(OfferingInstructor.id)
    ):
        instructors[row.offering_id].append(row.person_id)
    for s in Session.select().where(Session.offering.in_(ids)).order_by(Session.starts_at):
        sessions[s.offering_id].append(
            {
                "id": s.id,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "minutes": session_minutes(s.starts_at, s.ends_at),
            }
        )
    for offering in offerings:
        offering.instructor_ids, offering.sessions = instructors[offering.id], sessions[offering.id]
    return offerings


def offering_view(offering):
    return offering_views([offering])[0]


def snapshot(offering):
    after = audit.snapshot(offering)
    after.update(instructor_ids=offering.instructor_ids, sessions=audit.plain(offering.sessions))
    return after


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
        check_instructors(data["instructor_ids"])
        with db.atomic():
            offering = Offering.create(
                course=course, host_agency=data["host_agency_id"], location=data["location"]
            )
            save_sessions(offering, data["sessions"])
            save_instructors(offering, data["instructor_ids"])
            offering_view(offering)
            audit.record(
                "create",
                "offering",
                offering.id,
                after=snapshot(offering),
                agency_id=offering.host_agency_id,
            )
        return offering


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
        offering = offering_view(get_offering(offering_id))
        require_agency_manager(user, offering.host_agency_id)
        blp.check_etag(offering, OfferingSchema)
        if "instructor_ids" in data:
            check_instructors(data["instructor_ids"])
        with writing_open(offering):
            before = snapshot(offering)
            if "location" in data:
                offering.location = data["location"]
                offering.save()
            if "sessions" in data:
                save_sessions(offering, data["sessions"])
            if "instructor_ids" in data:
                save_instructors(offering, data["instructor_ids"])
            offering_view(offering)
            audit.record(
                "update",
                "offering",
                offering.id,
                before=before,
                after=snapshot(offering),
                agency_id=offering.host_agency_id,
            )
        return offering
