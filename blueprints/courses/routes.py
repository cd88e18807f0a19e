"""/courses: what a host agency teaches, for how many hours, toward what."""

from flask.views import MethodView

from api import Blueprint, MappedQuery, one_or_404
from auth import current_user
from models import Course
from operations.courses import create_course, update_course
from policy import course_hosted_by, require_agency_manager
from queries.courses import course_view, course_views

from .schemas import CourseQuerySchema, CourseSchema, CourseUpdateSchema

blp = Blueprint(
    "courses",
    __name__,
    url_prefix="/api/v1/courses",
    description="Courses, their credit categories and the certifications they award.",
)


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
        user = current_user("admin", "coordinator")
        require_agency_manager(user, data["host_agency_id"])
        return create_course(data, user)


@blp.route("/<int:course_id>")
@blp.etag
class CourseItem(MethodView):
    @blp.response(200, CourseSchema)
    def get(self, course_id):
        """Read a course with its credits and awards."""
        current_user()
        return course_view(one_or_404(Course, course_id, "course"))

    @blp.arguments(CourseUpdateSchema)
    @blp.response(200, CourseSchema)
    def patch(self, data, course_id):
        """Change a course (admin, host coordinator); records already issued keep their figures."""
        user = current_user("admin", "coordinator")
        course = course_view(course_hosted_by(user, course_id))
        blp.check_etag(course, CourseSchema)
        if "host_agency_id" in data:
            require_agency_manager(user, data["host_agency_id"])
        return update_course(course, data, user)
