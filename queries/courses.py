"""A course as the API shows it: its credit categories and the certifications it awards."""

from models import CourseAward, CourseCredit

from .children import attach_children


def course_views(courses):
    """Courses with their credits and awards, as the schema dumps them (two queries)."""
    attach_children(
        courses,
        "credits",
        CourseCredit,
        CourseCredit.course,
        lambda c: {"category": c.category, "hours": c.hours},
    )
    return attach_children(
        courses,
        "awards",
        CourseAward,
        CourseAward.course,
        lambda a: {
            "certification_id": a.certification_id,
            "min_hours": a.min_hours,
            "requires_pass": a.requires_pass,
        },
    )


def course_view(course):
    return course_views([course])[0]
