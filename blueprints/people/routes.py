"""/people: list, create, read and update the people the caller may see."""

from flask.views import MethodView

from api import Blueprint
from auth import current_user
from models import Person
from operations.merge import merge_people
from operations.people import create_person, update_person
from policy import people_query, require_agency_manager, visible_person
from rules.people import normalise_email

from .schemas import (
    MergeResultSchema,
    MergeSchema,
    PersonQuerySchema,
    PersonSchema,
    PersonUpdateSchema,
)

blp = Blueprint(
    "people", __name__, url_prefix="/api/v1/people", description="People of any agency."
)


@blp.route("")
class People(MethodView):
    @blp.arguments(PersonQuerySchema, location="query")
    @blp.response(200, PersonSchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List the people the caller may see (its agency for a coordinator)."""
        query = people_query(current_user()).order_by(
            Person.last_name, Person.first_name, Person.id
        )
        if not args["include_merged"]:
            query = query.where(Person.merged_into.is_null())
        if "agency_id" in args:
            query = query.where(Person.agency == args["agency_id"])
        if "employee_id" in args:
            query = query.where(Person.employee_id == args["employee_id"])
        if "email" in args:
            query = query.where(Person.email == normalise_email(args["email"]))
        if args.get("q"):
            query = query.where(
                Person.first_name.contains(args["q"]) | Person.last_name.contains(args["q"])
            )
        return query

    @blp.arguments(PersonSchema)
    @blp.response(201, PersonSchema)
    def post(self, data):
        """Add a person to an agency (admin, the agency's coordinator)."""
        user = current_user("admin", "coordinator")
        require_agency_manager(user, data["agency_id"])
        return create_person(data, actor=user)


@blp.route("/<int:person_id>")
@blp.etag
class PersonItem(MethodView):
    @blp.response(200, PersonSchema)
    def get(self, person_id):
        """Read a person (404 if outside the caller's scope)."""
        return visible_person(current_user(), person_id)

    @blp.arguments(PersonUpdateSchema)
    @blp.response(200, PersonSchema)
    def patch(self, data, person_id):
        """Correct a person's name, email, employee id or regulator ids (admin, coordinator)."""
        user = current_user()
        person = visible_person(user, person_id)
        require_agency_manager(user, person.agency_id)
        blp.check_etag(person, PersonSchema)
        if "agency_id" in data and data["agency_id"] != person.agency_id:
            require_agency_manager(user, data["agency_id"])
        return update_person(person, data, actor=user)


@blp.route("/<int:person_id>/merge")
class PersonMerge(MethodView):
    @blp.arguments(MergeSchema)
    @blp.response(200, MergeResultSchema)
    def post(self, data, person_id):
        """Merge a duplicate record into this person, losing nothing (admin, their coordinator)."""
        user = current_user("admin", "coordinator")
        survivor = visible_person(user, person_id)
        duplicate = visible_person(user, data["duplicate_id"])
        require_agency_manager(user, survivor.agency_id)
        require_agency_manager(user, duplicate.agency_id)
        survivor, records = merge_people(survivor, duplicate, data["reason"], actor=user)
        return {"person": survivor, "duplicate_id": duplicate.id, "records": records}
