"""GET /people/{id}/transcript."""

import orjson
from flask import current_app
from flask.views import MethodView

import collector
from api import Blueprint
from auth import current_user
from policy import person_records_readable_by
from queries.attempts import attempts_of
from queries.transcript import agency_name, awards_of, completions_of, valid_hours
from rules import clock
from rules.hours import summed_kinds

from . import render
from .schemas import TranscriptQuerySchema, TranscriptSchema

blp = Blueprint(
    "transcripts",
    __name__,
    url_prefix="/api/v1/people",
    description="Transcripts: a person's completions, awards and hours.",
)


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
        # Written by render (TranscriptSchema's dump, by hand, keys in order) and encoded by
        # orjson: Flask's encoder took as long as the rest of the request. flask-smorest
        # passes a Response through; the schema still documents it.
        with collector.paused():  # its records are built and freed inside: none collected
            text = _transcript_json(person, args.get("from_"), args.get("to"))
        return current_app.response_class(text, mimetype="application/json")


def _transcript_json(person, first, last):
    """The person's transcript as JSON text (its rows and dicts freed on return)."""
    completions = completions_of(person.id, first, last)
    body = render.transcript(
        person,
        agency_name(person.agency_id),
        first,
        last,
        completions,
        awards_of(person.id, first, last),
        attempts_of(person, first, last),
        summed_kinds(valid_hours(completions)),
        clock.today(),
    )
    return orjson.dumps(body, option=orjson.OPT_APPEND_NEWLINE)  # no copy to add it
