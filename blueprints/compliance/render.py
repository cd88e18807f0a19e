"""Compliance reports as JSON, written by hand to the letter of PersonComplianceSchema's dump.

marshmallow spent about 4 ms walking the fields of a page of 50 reports, as long as the
rest of the request. These functions write the same values the schemas do
(tests/api/test_compliance.py holds the answers to the letter); the schemas still
document them.
"""

import orjson
from flask import current_app

from blueprints.fields import hours_text
from memo import Memo
from rules.compliance import compliant, standing


def response(reports, status=200):
    """The reports as Flask's JSON answer (keys sorted, as Flask sorts them), for
    flask-smorest to pass through with its X-Pagination header."""
    body = orjson.dumps(reports, option=orjson.OPT_SORT_KEYS) + b"\n"
    return current_app.response_class(body, status=status, mimetype="application/json")


def person_report(person, statuses):
    """A person's report (as blueprints.compliance.routes.person_report) as the schema
    dumps it; `person` has id, first_name, last_name and employee_id."""
    write = _Writer()
    return write.report(person, statuses)


def person_reports(rows):
    """[(person, [RequirementStatus])] as dumped reports; one writer for the page, so each
    distinct number and day is written once."""
    write = _Writer()
    return [write.report(person, statuses) for person, statuses in rows]


class _Writer:
    def __init__(self):
        self.hours = Memo(hours_text)
        self.day = Memo(lambda day: day.isoformat())

    def report(self, person, statuses):
        employee_id = person["employee_id"]
        return {
            "compliant": compliant(statuses),
            "employee_id": None if employee_id is None else str(employee_id),
            "person_id": person["id"],
            "person_name": f"{person['first_name']} {person['last_name']}",
            "requirements": [self.requirement(status) for status in statuses],
            "status": standing(statuses),
        }

    def requirement(self, status):
        """A RequirementStatus as RequirementStatusSchema dumps it."""
        return {
            "by_category": [self.category(row) for row in status.by_category],
            "certification_id": status.certification_id,
            "compliant": bool(status.compliant),
            "due_by": self.day[status.due_by],
            "earned": self.hours[status.earned],
            "expires_on": self.day[status.expires_on],
            "kind": _text(status.kind),
            "name": _text(status.name),
            "period_end": self.day[status.period_end],
            "period_start": self.day[status.period_start],
            "required": self.hours[status.required],
            "requirement_id": status.requirement_id,
            "short_by": self.hours[status.short_by],
            "status": _text(status.status),
        }

    def category(self, row):
        """A by_category row as CategoryStatusSchema dumps it."""
        return {
            "category": _text(row["category"]),
            "earned": self.hours[row["earned"]],
            "required": self.hours[row["required"]],
            "short_by": self.hours[row["short_by"]],
        }


def _text(value):
    return None if value is None else str(value)
