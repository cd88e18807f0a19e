"""Compliance of a person or an agency, and the agency's expiring certifications."""

from flask.views import MethodView

import collector
import paging
from api import Blueprint, MappedQuery
from auth import current_user
from policy import agency_managed_by, person_records_readable_by
from queries.standing import (
    agency_people,
    agency_people_count,
    agency_requirements,
    expiring_awards,
    expiry_view,
    judged,
    people_of_standing,
    people_rows,
    statuses_for,
)
from rules import clock
from rules.compliance import compliant, standing

from . import render
from .schemas import (
    AgencyComplianceQuerySchema,
    ExpiringQuerySchema,
    ExpiringSchema,
    PersonComplianceSchema,
)

blp = Blueprint(
    "compliance",
    __name__,
    url_prefix="/api/v1",
    description="Who meets the agency's requirements, who is short and by when.",
)


def person_report(person, statuses):
    return {
        "person_id": person["id"],
        "person_name": f"{person['first_name']} {person['last_name']}",
        "employee_id": person["employee_id"],
        "status": standing(statuses),
        "compliant": compliant(statuses),
        "requirements": statuses,
    }


@blp.route("/people/<int:person_id>/compliance")
class PersonCompliance(MethodView):
    @blp.response(200, PersonComplianceSchema)
    def get(self, person_id):
        """A person's standing against their home agency's requirements."""
        person = person_records_readable_by(current_user(), person_id, "this")
        on = clock.today(person.agency.timezone)  # the home agency's calendar
        statuses = statuses_for([person.id], agency_requirements(person.agency_id), on)
        return person_report(
            {
                "id": person.id,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "employee_id": person.employee_id,
            },
            statuses[person.id],
        )


@blp.route("/agencies/<int:agency_id>/compliance")
class AgencyCompliance(MethodView):
    @blp.arguments(AgencyComplianceQuerySchema, location="query")
    @blp.response(200, PersonComplianceSchema(many=True))
    @blp.paginate(None)
    def get(self, args, agency_id, pagination_parameters):
        """Every person of the agency against its requirements (admin, its coordinator)."""
        agency = agency_managed_by(current_user(), agency_id)
        wanted = {
            "all": None,
            "short": "not_compliant",
            "compliant": "compliant",
            "not_compliant": "not_compliant",
            "no_requirements": "no_requirements",
        }[args["status"]]
        with collector.paused():  # everyone judged to list a page: built and freed inside
            return _reports_page(agency, wanted, pagination_parameters)


def _reports_page(agency, wanted, page):
    """The page of the agency's reports (only those of standing `wanted`, unless None) as
    the response, setting the page's item count."""
    on = clock.today(agency.timezone)
    requirements = agency_requirements(agency.id)
    if wanted is None:
        # Everyone: a page of people from SQL, judged alone (not the whole agency's).
        page.item_count = agency_people_count(agency.id)
        rows = paging.page_of(agency_people(agency.id), page.page, page.page_size, page.item_count)
        reports = judged(rows, requirements, on)
    else:
        # Everyone judged to filter; only the page's people read.
        listed, statuses_of = people_of_standing(agency.id, requirements, on, wanted)
        page.item_count = len(listed)
        listed = listed[page.first_item : page.last_item + 1]
        people = people_rows(listed)
        reports = [(people[pid], statuses_of(pid)) for pid in listed]
    # Written by render (the schema's dump, by hand) and encoded by orjson; flask-smorest
    # passes the Response through with its X-Pagination header; the schema documents it.
    return render.response(render.person_reports(reports))


@blp.route("/agencies/<int:agency_id>/expiring")
class Expiring(MethodView):
    @blp.arguments(ExpiringQuerySchema, location="query")
    @blp.response(200, ExpiringSchema(many=True))
    @blp.paginate()
    def get(self, args, agency_id):
        """The agency's people whose certifications expire within the window or have expired."""
        agency = agency_managed_by(current_user(), agency_id)
        on = clock.today(agency.timezone)
        query = expiring_awards(agency_id, on, args["within_days"], args["include_expired"])
        return MappedQuery(query, lambda awards: [expiry_view(a, on) for a in awards])
