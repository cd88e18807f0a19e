"""GET /people/{id}/transcript."""

from flask.views import MethodView

from api import Blueprint
from auth import current_user
from models import Award, Certification, Completion
from policy import person_records_readable_by
from queries.attempts import attempts_of
from rules.hours import totals

from .schemas import TranscriptQuerySchema, TranscriptSchema

blp = Blueprint(
    "transcripts",
    __name__,
    url_prefix="/api/v1/people",
    description="Transcripts: a person's completions, awards and hours.",
)


def in_window(query, field, args):
    if "from_" in args:
        query = query.where(field >= args["from_"])
    if "to" in args:
        query = query.where(field <= args["to"])
    return query


@blp.route("/<int:person_id>/transcript")
class Transcript(MethodView):
    @blp.arguments(TranscriptQuerySchema, location="query")
    @blp.response(200, TranscriptSchema)
    def get(self, args, person_id):
        """A person's transcript for an optional window (admin, home coordinator, the officer).

        `attempts` holds what closing each class concluded for the person, credit earned
        or not (`not_completed` with the hours attended and required, and the reasons);
        they are not credit, so `hours_total` counts valid completions only.
        """
        person = person_records_readable_by(current_user(), person_id, "a transcript")
        completions = list(
            in_window(
                Completion.select().where(Completion.person == person),
                Completion.completed_on,
                args,
            ).order_by(Completion.completed_on, Completion.id)
        )
        awards = list(
            in_window(
                Award.select(Award, Certification)
                .join(Certification)
                .where(Award.person == person),
                Award.issued_on,
                args,
            ).order_by(Award.issued_on, Award.id)
        )
        for record in completions + awards:
            record.person = person  # one person: no query per row for person_name
        hours_total, by_category = totals(c for c in completions if not c.revoked_at)
        return {
            "attempts": attempts_of(person, args.get("from_"), args.get("to")),
            "person": person,
            "from_": args.get("from_"),
            "to": args.get("to"),
            "completions": completions,
            "awards": awards,
            "hours_total": hours_total,
            "hours_by_category": by_category,
        }
