"""/people: list, create, read and update the people the caller may see."""

from flask.views import MethodView

from api import Blueprint, MappedQuery
from auth import current_user
from models import Person
from operations.merge import merge_people
from operations.people import create_person, update_person
from policy import (
    door_uses_seen_by,
    filter_by_identifier,
    is_admin,
    people_query,
    require_agency_manager,
    sees_in_full,
    visible_person,
)
from queries.people import Everyone
from rules.people import door_identifiers, normalise_email

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


DOOR_FIELDS = ("id", "agency_id", "first_name", "last_name", "merged_into_id", "voided_at")
FILTERS = ("agency_id", "employee_id", "email")


def as_seen_by(user, people):
    """Each person in full, or for another agency's person met at the caller's door only
    their name, agency and the identifiers the door used (no e-mail or other regulator ids)."""
    outsiders = [person.id for person in people if not sees_in_full(user, person)]
    uses = door_uses_seen_by(user, outsiders) if outsiders else {}
    return [
        person
        if person.id not in uses
        else {
            **{field: getattr(person, field) for field in DOOR_FIELDS},
            **door_identifiers(
                uses[person.id], person.employee_id, person.email, person.external_ids
            ),
        }
        for person in people
    ]


@blp.route("")
class People(MethodView):
    @blp.arguments(PersonQuerySchema, location="query")
    @blp.response(200, PersonSchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List the people the caller may see (its agency for a coordinator).

        An instructor sees the people of other agencies on its rosters as the door needs
        them: name, agency and the identifier used at the door, never their e-mail or other
        regulator ids (absent keys are not shown). Merged and voided records are listed only
        with include_merged.
        """
        user = current_user()
        query = people_query(user).order_by(Person.last_name, Person.first_name, Person.id)
        if not args["include_merged"]:
            query = query.where(Person.merged_into.is_null(), Person.voided_at.is_null())
        if "agency_id" in args:
            query = query.where(Person.agency == args["agency_id"])
        if "employee_id" in args or "email" in args:
            query = filter_by_identifier(user, query)
        if "employee_id" in args:
            query = query.where(Person.employee_id == args["employee_id"])
        if "email" in args:
            query = query.where(Person.email == normalise_email(args["email"]))
        if args.get("q"):
            query = query.where(
                Person.first_name.contains(args["q"]) | Person.last_name.contains(args["q"])
            )
        if is_admin(user) and not any(name in args for name in FILTERS) and not args.get("q"):
            return Everyone(query, lambda people: as_seen_by(user, people), args["include_merged"])
        return MappedQuery(query, lambda people: as_seen_by(user, people))

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
        """Read a person (404 if outside the caller's scope).

        Another agency's person on the caller's roster shows only their name, agency and the
        identifier used at the door.
        """
        user = current_user()
        [person] = as_seen_by(user, [visible_person(user, person_id)])
        return person

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
