"""/calendar/<secret>.ics: a calendar feed, read by calendar apps that send no token."""

from flask import Response, current_app
from flask.views import MethodView

from api import Blueprint, abort
from auth import failed_check
from models import utcnow
from operations.calendar_feeds import hash_secret
from policy import feed_contents
from queries.calendar import live_feed, offering_events, personal_events

from .ics import render

blp = Blueprint(
    "calendar",
    __name__,
    url_prefix="/api/v1/calendar",
    description="iCalendar feeds (RFC 5545) for calendar apps, by secret URL.",
)

NAMES = {"agency": "Open joint classes", "personal": "My classes", "host": "Classes we run"}


@blp.route("/<string:secret>.ics")
class CalendarFeedFile(MethodView):
    @blp.doc(
        security=[],
        responses={
            "200": {"description": "The calendar.", "content": {"text/calendar": {}}},
            "404": {"description": "Unknown or revoked feed."},
        },
    )
    def get(self, secret):
        """Read a calendar feed (no token: the URL's secret is the key; read-only).

        One event per session, in the host's timezone, with a stable UID and a SEQUENCE
        bumped on every change; cancelled registrations show STATUS:CANCELLED. A revoked
        feed, or one whose owner may no longer see it, answers 404.
        """
        feed = live_feed(hash_secret(secret)) if len(secret) <= 200 else None
        if feed is None:
            failed_check(404, "No such calendar feed.")  # a guess: counted, limited
        contents = feed_contents(feed)
        if contents is None:
            abort(404, message="No such calendar feed.")
        base_url = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
        now = utcnow()
        kind, value, label = contents
        if kind == "person":
            events = personal_events(value, base_url, now)
        else:
            events = offering_events(value, base_url, now)
        body = render(f"{NAMES[feed.kind]}: {label}", events, now)
        return Response(
            body,
            mimetype="text/calendar",
            headers={"Cache-Control": "private, max-age=300"},
        )
