"""/courses: what a host agency teaches, for how many hours, toward what."""

from collections import defaultdict

from flask.views import MethodView

import audit
from api import Blueprint, MappedQuery, one_or_404
from auth import current_user
from database import db
from models import Course, CourseAward, CourseCredit
from policy import require_agency_manager
from rules.courses import check_course, save_course

from .schemas import CourseQuerySchema, CourseSchema, CourseUpdateSchema

blp = Blueprint(
    "courses",
    __name__,
    url_prefix="/api/v1/courses",
    description="Courses, their credit categories and the certifications they award.",
)


def get_course(course_id):
    return one_or_404(Course, course_id, "course")


def course_views(courses):
    """Courses with their credits and awards, as the schema dumps them (two queries)."""
    ids = [course.id for course in courses]
    credits, awards = defaultdict(list), defaultdict(list)
    for c in CourseCredit.select().where(CourseCredit.course.in_(ids)).order_by(CourseCredit.id):
        credits[c.course_id].append({"category": c.category, "hours": c.hours})
    for a in CourseAward.select().where(CourseAward.course.in_(ids)).order_by(CourseAward.id):
        awards[a.course_id].append(
            {
                "certification_id": a.certification_id,
                "min_hours": a.min_hours,
                "requires_pass": a.requires_pass,
            }
        )
    for course in courses:
        course.credits, course.awards = credits[course.id], awards[course.id]
    return courses


def course_view(course):
    return course_views([course])[0]


def audit_course(action, course, before=None):
    after = audit.snapshot(course)
    after.update(credits=audit.plain(course.credits), awards=audit.plain(course.awards))
    audit.record(
        action, "course", course.id, before=before, after=after, agency_id=course.host_agency_id
    )
    return after


@blp.route("")
class Courses(MethodView):
    @blp.arguments(CourseQuerySchema, location="query")
    @blp.response(200, CourseSchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List courses (any signed-in user)."""
        current_user()
        query = Course.select().order_by(Course.code, Course.id)
        if "host_agency_id" in args:
            query = query.where(Course.host_agency == args["host_agency_id"])
        if "kind" in args:
            query = query.where(Course.kind == args["kind"])
        if args.get("q"):
            query = query.where(Course.code.contains(args["q"]) | Course.title.contains(args["q"]))
        return MappedQuery(query, course_views)

    @blp.arguments(CourseSchema)
    @blp.response(201, CourseSchema)
    def post(self, data):
        """Create a course (admin, the host agency's coordinator)."""
        require_agency_manager(current_user("admin", "coordinator"), data["host_agency_id"])
        check_course(data)
        with db.atomic():
            course = course_view(save_course(Course(), data))
            audit_course("create", course)
        return course


@blp.route("/<int:course_id>")
@blp.etag
class CourseItem(MethodView):
    @blp.response(200, CourseSchema)
    def get(self, course_id):
        """Read a course with its credits and awards."""
        current_user()
        return course_view(get_course(course_id))

    @blp.arguments(CourseUpdateSchema)
    @blp.response(200, CourseSchema)
    def patch(self, data, course_id):
        """Change a course (admin, host coordinator); records already issued keep their figures."""
        user = current_user("admin", "coordinator")
        course = course_view(get_course(course_id))
        require_agency_manager(user, course.host_agency_id)
        blp.check_etag(course, CourseSchema)
        if "host_agency_id" in data:
            require_agency_manager(user, data["host_agency_id"])
        check_course(data, course)
        with db.atomic():
            before = audit.snapshot(course)
            before.update(credits=audit.plain(course.credits), awards=audit.plain(course.awards))
            course = course_view(save_course(course, data))
            audit_course("update", course, before)
        return course
