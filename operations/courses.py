"""Courses: their terms, credit categories and the certifications they award."""

from database import in_write_transaction
from models import Agency, Certification, Course, CourseAward, CourseCredit
from queries.courses import course_view
from rules.courses import check_course

from . import audit


def _snapshot(course):
    """A course with its credits and awards (`course` as course_view loaded it)."""
    return audit.snapshot(course, credits=course.credits, awards=course.awards)


def _check(data, current=None):
    """Check the course as it would be stored, reading what the pure rule needs to know."""
    host_known = "host_agency_id" not in data or (
        Agency.select().where(Agency.id == data["host_agency_id"]).exists()
    )
    wanted = [award["certification_id"] for award in data.get("awards") or ()]
    keepers = dict(
        Certification.select(Certification.id, Certification.agency)
        .where(Certification.id.in_(wanted or [0]))
        .tuples()
    )
    check_course(data, current, host_known=host_known, keepers=keepers)


def _save(course, data):
    """Write a course, replacing its credits and awards when given."""
    data = dict(data)
    credits, awards = data.pop("credits", None), data.pop("awards", None)
    for key, value in data.items():
        setattr(course, key, value)
    course.save()
    for model, rows in ((CourseCredit, credits), (CourseAward, awards)):
        if rows is not None:
            model.delete().where(model.course == course).execute()
            if rows:
                model.insert_many([dict(row, course=course.id) for row in rows]).execute()
    return course_view(course)


@in_write_transaction
def create_course(data, actor):
    """Create a course with its credits and awards; returned as the API shows it."""
    _check(data)
    course = _save(Course(), data)
    audit.record(
        actor,
        "create",
        "course",
        course.id,
        after=_snapshot(course),
        agency_id=course.host_agency_id,
    )
    return course


@in_write_transaction
def update_course(course, data, actor):
    """Change a course; records already issued keep their figures."""
    course = course_view(course)
    _check(data, course)
    before = _snapshot(course)
    course = _save(course, data)
    audit.record(
        actor,
        "update",
        "course",
        course.id,
        before=before,
        after=_snapshot(course),
        agency_id=course.host_agency_id,
    )
    return course
