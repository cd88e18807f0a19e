"""/users/<id>/calendar-feeds: the secret URLs a user's calendar app subscribes to."""

from flask import current_app
from flask.views import MethodView

from api import Blueprint
from auth import current_user
from idempotency import shown_once
from models import CalendarFeed
from operations.calendar_feeds import create_feed, revoke_feed
from policy import calendar_feed_of, feed_agency, feed_owner

from .schemas import CalendarFeedCreatedSchema, CalendarFeedCreateSchema, CalendarFeedSchema

blp = Blueprint(
    "calendar_feeds",
    __name__,
    url_prefix="/api/v1/users",
    description="A user's calendar feed URLs (iCalendar), each with its own secret.",
)


@blp.route("/<int:user_id>/calendar-feeds")
class CalendarFeeds(MethodView):
    @blp.response(200, CalendarFeedSchema(many=True))
    @blp.paginate()
    def get(self, user_id):
        """List a user's calendar feeds, revoked ones too (never their secrets)."""
        owner = feed_owner(current_user(), user_id)
        return CalendarFeed.select().where(CalendarFeed.user == owner.id).order_by(CalendarFeed.id)

    @blp.arguments(CalendarFeedCreateSchema)
    @blp.response(201, CalendarFeedCreatedSchema)
    def post(self, data, user_id):
        """Create a calendar feed URL for oneself (its secret is shown this once)."""
        user = current_user()
        owner = feed_owner(user, user_id, write=True)
        agency = feed_agency(owner, data["kind"], data.get("agency_id"))
        feed, secret = create_feed(owner, data["kind"], agency, actor=user)
        base_url = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
        feed.url = f"{base_url}/api/v1/calendar/{secret}.ics"
        shown_once("url")
        return feed


@blp.route("/<int:user_id>/calendar-feeds/<int:feed_id>")
class CalendarFeedItem(MethodView):
    @blp.response(200, CalendarFeedSchema)
    def get(self, user_id, feed_id):
        """Read one of a user's calendar feeds (without its secret)."""
        owner = feed_owner(current_user(), user_id)
        return calendar_feed_of(owner, feed_id)

    @blp.response(200, CalendarFeedSchema)
    def delete(self, user_id, feed_id):
        """Revoke a calendar feed: its URL answers 404 from now on (the record is kept)."""
        user = current_user()
        feed = calendar_feed_of(feed_owner(user, user_id), feed_id)
        return revoke_feed(feed, actor=user)
