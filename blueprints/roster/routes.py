"""/offerings/<id>/roster: who takes part in an offering, walk-ins of any agency included."""

from flask.views import MethodView

import audit
from api import Blueprint, abort
from auth import current_user
from models import Agency, Person, RosterEntry
from operations.offering_lock import writing_open
from policy import offering_run_by, people_query
from rules.attendance import enroll, withdraw
from rules.errors import RuleViolation
from rules.people import follow_merges, resolve_walk_in

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


def roster_query(offering):
    """The offering's entries with each person and agency, alphabetical by last name."""
    return (
        RosterEntry.select(RosterEntry, Person, Agency)
        .join(Person)
        .join(Agency)
        .where(RosterEntry.offering == offering.id)
        .order_by(Person.last_name, Person.first_name, RosterEntry.id)
    )


def get_entry(offering, entry_id):
    entry = roster_query(offering).where(RosterEntry.id == entry_id).first()
    if entry is None:
        abort(404, message=f"No roster entry {entry_id} in offering {offering.id}.")
    return entry


def known_person(user, person_id):
    """A person the caller may already see (or whom they were merged into); others are
    added by walk-in matching, so no id reveals a stranger. 422 naming person_id."""
    person = people_query(user).where(Person.id == person_id).first()
    if person is None:
        raise RuleViolation(
            "Unknown person.",
            {
                "person_id": [
                    "Unknown person; add someone from another agency by their details "
                    "(person: {first_name, last_name, agency_id, employee_id, ...})."
                ]
            },
        )
    return follow_merges(person)


def walk_in(offering, data):
    """Match or create the walk-in; errors are named under `person`. Call in atomic()."""
    try:
        return resolve_walk_in(data, default_timezone=offering.host_agency.timezone)
    except RuleViolation as violation:
        raise RuleViolation(violation.message, {"person": violation.errors}) from None


def audit_entry(action, entry, offering, person, before=None, reason=None, **extra):
    after = audit.snapshot(entry)
    after.update(extra)
    audit.record(
        action,
        "roster_entry",
        entry.id,
        before=before,
        after=after,
        reason=reason,
        agency_id=offering.host_agency_id,
        person_agency_id=person.agency_id,
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
        with writing_open(offering):
            if "person_id" in data:
                person = known_person(user, data["person_id"])
                found = None
            else:
                found = walk_in(offering, data["person"])
                person = found.person
                if found.created_agency:
                    agency = found.created_agency
                    audit.record(
                        "create",
                        "agency",
                        agency.id,
                        after=audit.snapshot(agency),
                        reason=f"Walk-in at offering {offering.id}; not yet verified.",
                        agency_id=agency.id,
                    )
                if found.created_person:
                    audit.record(
                        "create",
                        "person",
                        person.id,
                        after=audit.snapshot(person),
                        reason=f"Walk-in at offering {offering.id}.",
                        agency_id=person.agency_id,
                        person_agency_id=person.agency_id,
                    )
            entry, outcome = enroll(offering.id, person.id, walk_in=found is not None)
            matched_by = found.matched_by if found else None
            if outcome == "added":
                audit_entry("create", entry, offering, person, matched_by=matched_by)
            elif outcome == "re-enrolled":
                audit_entry(
                    "update",
                    entry,
                    offering,
                    person,
                    matched_by=matched_by,
                    before={"status": "withdrawn"},
                    reason="Added again.",
                )
        result = {
            "entry": get_entry(offering, entry.id),
            "person_id": person.id,
            "agency_id": person.agency_id,
            "matched_by": matched_by,
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
        return get_entry(offering, entry_id)


@blp.route("/<int:offering_id>/roster/<int:entry_id>/withdraw")
class RosterWithdraw(MethodView):
    @blp.arguments(WithdrawSchema)
    @blp.response(200, RosterEntrySchema)
    def post(self, data, offering_id, entry_id):
        """Withdraw someone from the roster, with a reason; re-adding them re-enrolls."""
        user = current_user()
        offering = offering_run_by(user, offering_id)
        entry = get_entry(offering, entry_id)
        with writing_open(offering):
            before = audit.snapshot(entry)
            withdraw(entry, data["reason"])
            audit_entry(
                "withdraw", entry, offering, entry.person, before=before, reason=data["reason"]
            )
        return entry
