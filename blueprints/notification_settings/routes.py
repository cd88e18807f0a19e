"""/users/<id>/notification-settings, /agencies/<id>/notification-settings and the public
unsubscribe link every notice e-mail carries."""

from flask import Response, request
from flask.views import MethodView

from api import Blueprint, abort
from auth import current_user, failed_check
from models import AgencyNotificationSetting, User
from notifications.email import KINDS, read_unsubscribe_token, settings_of, unsubscribe_page
from notifications.expiry import DEFAULT_OFFSETS
from operations.notification_settings import (
    unsubscribe,
    update_agency_notification_settings,
    update_notification_settings,
)
from policy import agency_managed_by, get_agency, user_managed_by

from .schemas import (
    AgencyNotificationSettingsSchema,
    NotificationSettingsSchema,
    UnsubscribedSchema,
)

blp = Blueprint(
    "notification_settings",
    __name__,
    url_prefix="/api/v1",
    description="What each user hears by e-mail; an agency's expiry alert days.",
)


def _view(user):
    email, mode, muted = settings_of(user)
    kinds = [kind for kind in KINDS if kind not in muted]
    return {
        "user_id": user.id,
        "email": email,
        "mode": mode,
        "kinds": kinds,
        "available_kinds": KINDS,
    }


@blp.route("/users/<int:user_id>/notification-settings")
class UserNotificationSettings(MethodView):
    @blp.response(200, NotificationSettingsSchema)
    def get(self, user_id):
        """Read what a user hears by e-mail (the defaults until they change them)."""
        return _view(user_managed_by(current_user(), user_id))

    @blp.arguments(NotificationSettingsSchema)
    @blp.response(200, NotificationSettingsSchema)
    def put(self, data, user_id):
        """Change what a user hears: e-mail on or off, immediate or daily digest, kinds."""
        user = current_user()
        target = user_managed_by(user, user_id)
        update_notification_settings(target, data, actor=user)
        return _view(User.get_by_id(target.id))


def _agency_view(agency):
    row = AgencyNotificationSetting.get_or_none(AgencyNotificationSetting.agency == agency.id)
    offsets = row.expiry_offsets if row and row.expiry_offsets is not None else None
    return {"agency_id": agency.id, "expiry_offsets": offsets or list(DEFAULT_OFFSETS)}


@blp.route("/agencies/<int:agency_id>/notification-settings")
class AgencyNotificationSettings(MethodView):
    @blp.response(200, AgencyNotificationSettingsSchema)
    def get(self, agency_id):
        """Read the days before expiry on which the agency's people are alerted."""
        current_user()
        return _agency_view(get_agency(agency_id))

    @blp.arguments(AgencyNotificationSettingsSchema)
    @blp.response(200, AgencyNotificationSettingsSchema)
    def put(self, data, agency_id):
        """Set the days before expiry on which the agency's people are alerted."""
        user = current_user()
        agency = agency_managed_by(user, agency_id)
        update_agency_notification_settings(agency, data, actor=user)
        return _agency_view(agency)


# The page's token is its secret: no caching, no referrer to other sites; security.py's
# Content-Security-Policy lets it load nothing from elsewhere and post only back here.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def _page(html):
    return Response(html, mimetype="text/html", headers=PAGE_HEADERS)


@blp.route("/notifications/unsubscribe/<string:token>")
class Unsubscribe(MethodView):
    @blp.doc(security=[])
    @blp.response(
        200,
        content_type="text/html",
        description="A page asking to confirm, with a form that POSTs to this URL.",
    )
    def get(self, token):
        """Ask to confirm stopping one kind of notice e-mail (no sign-in; changes nothing).

        Mail scanners and link previews open links, so the link in an e-mail only shows
        this page; its button (or a mail client's one-click POST) unsubscribes.
        """
        _user, kind = _token_owner(token)
        return _page(unsubscribe_page(kind))

    @blp.doc(security=[])
    @blp.response(200, UnsubscribedSchema)
    def post(self, token):
        """Stop one kind of notice e-mail (no sign-in).

        Sent by the confirm page's button, or directly by a mail client's one-click
        unsubscribe (RFC 8058: body `List-Unsubscribe=One-Click`). Answers a page to a
        browser (Accept: text/html), JSON otherwise.
        """
        user, kind = _token_owner(token)
        unsubscribe(user, kind)
        message = f"You will no longer receive {kind} notices by e-mail."
        if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
            return _page(unsubscribe_page(kind, message))
        return {"user_id": user.id, "kind": kind, "message": message}


def _token_owner(token):
    """(user, kind) an unsubscribe token names; 404 for one that is not ours."""
    found = read_unsubscribe_token(token)
    user = User.get_or_none(User.id == found[0]) if found else None
    if found is None:  # not signed by us: a guess, counted and limited
        failed_check(404, "This unsubscribe link is not valid.")
    if user is None:
        abort(404, message="This unsubscribe link is not valid.")
    return user, found[1]
