"""/offerings/<id>/roster: who takes part in an offering, walk-ins of any agency included."""

from flask.views import MethodView

from api import Blueprint, MappedQuery
from auth import current_user
from models import Person, RosterEntry
from operations.roster import enroll, enroll_walk_in, withdraw
from policy import offering_run_by, person_addable_by, roster_entry_of, sees_in_full
from queries.offerings import roster_query
from rules.people import door_identifiers, door_uses

from .schemas import (
    RosterAddResultSchema,
    RosterAddSchema,
    RosterEntrySchema,
    RosterQuerySchema,
    WithdrawSchema,
)

blp = Blueprint(
    "roster",
    __name__,
    url_prefix="/api/v1/offerings",
    description="An offering's roster: people of any agency, walk-ins included.",
)


ENTRY_FIELDS = ("id", "offering_id", "person_id", "walk_in", "status", "reason", "matched_by")


def entry_view(user, entry):
    """A roster entry as the caller sees it: a person of another agency with only their name,
    agency and the identifier the door used; in full (employee id) otherwise."""
    person = entry.person
    seen = {
        "id": person.id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "agency_id": person.agency_id,
        "agency_name": person.agency.name,
    }
    if sees_in_full(user, person):
        seen["employee_id"] = person.employee_id
    else:
        used = [door_uses(entry.matched_by, entry.created_person)]
        seen.update(door_identifiers(used, person.employee_id, person.email, person.external_ids))
    return {
        **{field: getattr(entry, field) for field in ENTRY_FIELDS},
        "person": seen,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
    }


@blp.route("/<int:offering_id>/roster")
class Roster(MethodView):
    @blp.arguments(RosterQuerySchema, location="query")
    @blp.response(200, RosterEntrySchema(many=True))
    @blp.paginate()
    def get(self, args, offering_id):
        """List an offering's roster (its instructors, the host coordinator, admin).

        People of other agencies show their name, agency and the identifier used at the
        door only (never their e-mail or other regulator ids).
        """
        user = current_user()
        offering = offering_run_by(user, offering_id)
        query = roster_query(offering)
        if "status" in args:
            query = query.where(RosterEntry.status == args["status"])
        if "walk_in" in args:
            query = query.where(RosterEntry.walk_in == args["walk_in"])
        if "agency_id" in args:
            query = query.where(Person.agency == args["agency_id"])
        if args.get("q"):
            query = query.where(
                Person.first_name.contains(args["q"]) | Person.last_name.contains(args["q"])
            )
        return MappedQuery(query, lambda entries: [entry_view(user, e) for e in entries])

    @blp.arguments(RosterAddSchema)
    @blp.response(
        201,
        RosterAddResultSchema,
        description="The person was added (or re-enrolled after a withdrawal).",
    )
    @blp.alt_response(
        200,
        schema=RosterAddResultSchema,
        description="The person was already on the roster; nothing changed.",
    )
    def post(self, data, offering_id):
        """Add a person by id, or a walk-in of any agency (instructors, host coordinator, admin).

        A walk-in is matched to an existing person first (same agency and employee id,
        then any shared regulator id, then the same email), and the name given must agree
        with theirs (case, accents, spacing, hyphens, apostrophes, a first-name initial or a
        missing middle name aside): otherwise 409 naming the identifier, never the name on
        file, and nobody is enrolled. With no identifier matching, the one active person of
        the agency with that name is the walk-in (`matched_by: "name"`); several are a 409
        asking for an identifier; only when nobody matches is a person created. A walk-in
        names an agency by `agency_id`, or by `agency {name, kind, state}`: matched by code or
        by name and state (across PD/FD/SO/EMS-style abbreviations and state names or postal
        codes), else created unverified, usable at once. 201 when the person was added (or
        re-enrolled), 200 when already enrolled.
        """
        user = current_user()
        offering = offering_run_by(user, offering_id)
        if "person_id" in data:
            person = person_addable_by(user, data["person_id"])
            entry, outcome = enroll(offering, person, actor=user)
            found = None
        else:
            found, entry, outcome = enroll_walk_in(offering, data["person"], actor=user)
            person = found.person
        result = {
            "entry": entry_view(user, roster_entry_of(offering, entry.id)),
            "person_id": person.id,
            "agency_id": person.agency_id,
            "matched_by": found.matched_by if found else None,
            "created_person": bool(found and found.created_person),
            "created_agency": bool(found and found.created_agency),
        }
        return result, (201 if outcome else 200)


@blp.route("/<int:offering_id>/roster/<int:entry_id>")
class RosterItem(MethodView):
    @blp.response(200, RosterEntrySchema)
    def get(self, offering_id, entry_id):
        """Read one roster entry (its instructors, the host coordinator, admin)."""
        user = current_user()
        offering = offering_run_by(user, offering_id)
        return entry_view(user, roster_entry_of(offering, entry_id))


@blp.route("/<int:offering_id>/roster/<int:entry_id>/withdraw")
class RosterWithdraw(MethodView):
    @blp.arguments(WithdrawSchema)
    @blp.response(200, RosterEntrySchema)
    def post(self, data, offering_id, entry_id):
        """Withdraw someone from the roster, with a reason; re-adding them re-enrolls."""
        user = current_user()
        offering = offering_run_by(user, offering_id)
        entry = roster_entry_of(offering, entry_id)
        return entry_view(user, withdraw(entry, data["reason"], actor=user))
