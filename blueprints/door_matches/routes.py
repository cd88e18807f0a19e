"""/agencies/<id>/door-matches and /door-matches/<id>: a home coordinator reviews how other
agencies' doors matched or created its people, and undoes a wrong one."""

from flask.views import MethodView

from api import Blueprint
from auth import current_user
from models import RosterEntry
from operations.door_matches import undo_door_match
from policy import corrected_person_for, door_match_undoable_by, door_matches_query

from .schemas import DoorMatchQuerySchema, DoorMatchSchema, UndoSchema

blp = Blueprint(
    "door_matches",
    __name__,
    url_prefix="/api/v1",
    description="How other agencies' doors matched or created an agency's people.",
)


@blp.route("/agencies/<int:agency_id>/door-matches")
class DoorMatches(MethodView):
    @blp.arguments(DoorMatchQuerySchema, location="query")
    @blp.response(200, DoorMatchSchema(many=True))
    @blp.paginate()
    def get(self, args, agency_id):
        """List the agency's people matched or created at other agencies' doors (coordinator).

        Newest first: who was matched, by which identifier (or by name), by whom and when,
        and whether it was undone. 404 for anyone but the agency's coordinator or an admin.
        """
        query = door_matches_query(current_user(), agency_id)
        if args.get("kind") == "matched":
            query = query.where(RosterEntry.matched_by.is_null(False))
        elif args.get("kind") == "created":
            query = query.where(RosterEntry.created_person)
        if "corrected" in args:
            query = query.where(RosterEntry.corrected_at.is_null(not args["corrected"]))
        return query


@blp.route("/door-matches/<int:entry_id>")
class DoorMatch(MethodView):
    @blp.response(200, DoorMatchSchema)
    def get(self, entry_id):
        """Read one door match of the caller's agency's people (coordinator, admin)."""
        return door_match_undoable_by(current_user(), entry_id)


@blp.route("/door-matches/<int:entry_id>/undo")
class DoorMatchUndo(MethodView):
    @blp.arguments(UndoSchema)
    @blp.response(200, DoorMatchSchema)
    def post(self, data, entry_id):
        """Undo a wrong door match (the person's home coordinator, admin), with a reason.

        With `person_id`, the roster entry (with its attendance, results and check-ins in
        that offering) moves to that person; a person the door created is merged into them,
        losing nothing. Without it, the entry is withdrawn and a person the door created is
        voided; the host adds the walk-in again. Once undone, 409 on a second try; once the
        offering is closed, 409 (its records were issued): the host reopens it first.
        """
        user = current_user()
        entry = door_match_undoable_by(user, entry_id)
        person_id = data.get("person_id")
        right = corrected_person_for(user, person_id) if person_id is not None else None
        undo_door_match(entry, right, data["reason"], actor=user)
        return door_match_undoable_by(user, entry_id)
