"""/offerings/<id>/roster: who takes part in an offering, walk-ins of any agency included."""

from flask.views import MethodView

from api import Blueprint
from auth import current_user
from models import Person, RosterEntry
from operations.roster import enroll, enroll_walk_in, withdraw
from policy import offering_run_by, person_addable_by, roster_entry_of
from queries.offerings import roster_query

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


@blp.route("/<int:offering_id>/roster")
class Roster(MethodView):
    @blp.arguments(RosterQuerySchema, location="query")
    @blp.response(200, RosterEntrySchema(many=True))
    @blp.paginate()
    def get(self, args, offering_id):
        """List an offering's roster (its instructors, the host coordinator, admin)."""
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
        return query

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
        then any shared regulator id, then the same email) and created only if nobody
        matches. A walk-in names an agency by `agency_id`, or by `agency {name, kind,
        state}`: matched by code or by name and state, else created unverified, usable at
        once. 201 when the person was added (or re-enrolled), 200 when already enrolled.
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
            "entry": roster_entry_of(offering, entry.id),
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
        return roster_entry_of(offering, entry_id)


@blp.route("/<int:offering_id>/roster/<int:entry_id>/withdraw")
class RosterWithdraw(MethodView):
    @blp.arguments(WithdrawSchema)
    @blp.response(200, RosterEntrySchema)
    def post(self, data, offering_id, entry_id):
        """Withdraw someone from the roster, with a reason; re-adding them re-enrolls."""
        user = current_user()
        offering = offering_run_by(user, offering_id)
        entry = roster_entry_of(offering, entry_id)
        return withdraw(entry, data["reason"], actor=user)
