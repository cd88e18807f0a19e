"""What makes a course's terms sound: credits within its hours, awards it may give."""

from models import Agency, Certification, CourseAward, CourseCredit

from .errors import RuleViolation
from .hours import as_hours


def check_course(sent, current=None):
    """Check a course as it would be stored: `current` (a viewed course) changed by `sent`.

    Errors name what was sent: an unknown host agency; an award of a certification that
    is unknown or kept by another agency (a course awards shared ones or its host's);
    a credit above the course's hours.
    """

    def term(name):
        return sent[name] if name in sent else getattr(current, name)

    errors = {}
    host_agency_id = term("host_agency_id")
    if "host_agency_id" in sent and not Agency.select().where(Agency.id == host_agency_id).exists():
        errors["host_agency_id"] = ["Unknown agency."]
    for index, award in enumerate(sent.get("awards") or ()):
        certification = Certification.get_or_none(Certification.id == award["certification_id"])
        if certification is None:
            problem = "Unknown certification."
        elif certification.agency_id not in (None, host_agency_id):
            problem = (
                "Kept by another agency: a course may award only shared "
                "certifications or its host's."
            )
        else:
            continue
        errors.setdefault("awards", {})[str(index)] = {"certification_id": [problem]}
    hours = as_hours(term("hours"))
    for index, credit in enumerate(term("credits")):
        if as_hours(credit["hours"]) <= hours:
            continue
        if "credits" in sent:
            errors.setdefault("credits", {})[str(index)] = {
                "hours": ["More than the course's hours."]
            }
        else:
            errors.setdefault("hours", []).append(
                f"Less than the {as_hours(credit['hours'])} hours of {credit['category']}."
            )
    if errors:
        raise RuleViolation("The course's terms are invalid.", errors)


def save_course(course, data):
    """Write a course, replacing its credits and awards when given; call in atomic()."""
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
    return course
