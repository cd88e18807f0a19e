"""/agencies/{id}/webhooks: the URLs an agency's systems receive signed events on."""

from flask import current_app
from flask.views import MethodView

from api import Blueprint, MappedQuery
from auth import current_user
from operations.webhooks import (
    create_webhook,
    deactivate_webhook,
    redeliver,
    rotate_secret,
    update_webhook,
)
from policy import webhook_delivery_of, webhook_of, webhooks_managed_by
from queries.webhooks import deliveries_query, delivery_view, delivery_views, webhooks_query

from .schemas import (
    WebhookCreateSchema,
    WebhookDeliveryQuerySchema,
    WebhookDeliverySchema,
    WebhookSchema,
    WebhookSecretSchema,
    WebhookUpdateSchema,
)

DELIVERY_FORMAT = """
Each event is POSTed as JSON (`Content-Type: application/json`, UTF-8):
`{"id": "evt_12", "type": "award.revoked", "kind": "award.revoked",
"created_at": "2026-07-01T14:03:00Z", "data": {...}}`: `type` is the event type
subscribed to (`registration.changed` covers `registration.promoted`...), `kind` the
precise kind, `created_at` when it happened, `data` its facts (ids and what the agency may
see).

Signed by the [Standard Webhooks](https://www.standardwebhooks.com/) scheme. Headers:
`webhook-id` (`msg_<delivery id>`, the same on every retry: use it to drop repeats),
`webhook-timestamp` (Unix seconds when sent) and `webhook-signature`: `v1,` and the
base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{raw body}`, keyed with the
base64-decoded part of the secret after `whsec_`. The same values are also sent as
`Muster-Webhook-Id`, `Muster-Webhook-Timestamp` and `Muster-Webhook-Signature`. For 24
hours after a rotation the header carries two signatures separated by a space (new and old
secret); accept the request if any matches, compare in constant time, and refuse a
timestamp more than 5 minutes from your clock.

Any 2xx answer within 10 seconds is success. Anything else (redirects are not followed) is
tried again with exponential backoff; after 10 failures in a row the endpoint is disabled
and the agency's coordinators get a `webhook.disabled` notice. URLs must be `https` on a
host resolving only to public addresses, checked at registration and again before every
delivery.
"""

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/api/v1/agencies",
    description="An agency's webhook endpoints: signed JSON events, retried, with a log.\n"
    + DELIVERY_FORMAT,
)


@blp.route("/<int:agency_id>/webhooks")
class Webhooks(MethodView):
    @blp.response(200, WebhookSchema(many=True))
    @blp.paginate()
    def get(self, agency_id):
        """List an agency's webhook endpoints, inactive ones too (never their secrets)."""
        agency = webhooks_managed_by(current_user(), agency_id)
        return webhooks_query(agency)

    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, WebhookSecretSchema)
    @blp.doc(description=DELIVERY_FORMAT)
    def post(self, data, agency_id):
        """Register a webhook endpoint (its signing secret is shown this once)."""
        user = current_user()
        agency = webhooks_managed_by(user, agency_id)
        endpoint, secret = create_webhook(agency, data, actor=user, config=current_app.config)
        endpoint.secret = secret
        return endpoint


@blp.route("/<int:agency_id>/webhooks/<int:webhook_id>")
class WebhookItem(MethodView):
    @blp.etag
    @blp.response(200, WebhookSchema)
    def get(self, agency_id, webhook_id):
        """Read one of an agency's webhook endpoints (without its secret)."""
        return webhook_of(webhooks_managed_by(current_user(), agency_id), webhook_id)

    @blp.etag
    @blp.arguments(WebhookUpdateSchema)
    @blp.response(200, WebhookSchema)
    def patch(self, data, agency_id, webhook_id):
        """Change a webhook's URL, event types, description, or turn it off or on."""
        user = current_user()
        endpoint = webhook_of(webhooks_managed_by(user, agency_id), webhook_id)
        blp.check_etag(endpoint, WebhookSchema)
        return update_webhook(endpoint, data, actor=user, config=current_app.config)

    @blp.response(200, WebhookSchema)
    def delete(self, agency_id, webhook_id):
        """Deactivate a webhook: no more deliveries (the record and its log are kept)."""
        user = current_user()
        endpoint = webhook_of(webhooks_managed_by(user, agency_id), webhook_id)
        return deactivate_webhook(endpoint, actor=user)


@blp.route("/<int:agency_id>/webhooks/<int:webhook_id>/rotate-secret")
class WebhookSecret(MethodView):
    @blp.response(200, WebhookSecretSchema)
    def post(self, agency_id, webhook_id):
        """Replace a webhook's signing secret (the new one is shown this once; the old one
        still signs beside it for 24 hours)."""
        user = current_user()
        endpoint = webhook_of(webhooks_managed_by(user, agency_id), webhook_id)
        endpoint, secret = rotate_secret(
            endpoint, actor=user, secret_key=current_app.config["SECRET_KEY"]
        )
        endpoint.secret = secret
        return endpoint


@blp.route("/<int:agency_id>/webhooks/<int:webhook_id>/deliveries")
class WebhookDeliveries(MethodView):
    @blp.arguments(WebhookDeliveryQuerySchema, location="query")
    @blp.response(200, WebhookDeliverySchema(many=True))
    @blp.paginate()
    def get(self, args, agency_id, webhook_id):
        """The delivery log of a webhook, newest first: status, tries and their answers."""
        endpoint = webhook_of(webhooks_managed_by(current_user(), agency_id), webhook_id)
        return MappedQuery(deliveries_query(endpoint, args.get("status")), delivery_views)


@blp.route("/<int:agency_id>/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver")
class WebhookRedelivery(MethodView):
    @blp.response(202, WebhookDeliverySchema)
    def post(self, agency_id, webhook_id, delivery_id):
        """Send a delivery again at the worker's next round (its tries so far stay logged)."""
        user = current_user()
        endpoint = webhook_of(webhooks_managed_by(user, agency_id), webhook_id)
        delivery = webhook_delivery_of(endpoint, delivery_id)
        redeliver(endpoint, delivery, actor=user)
        return delivery_view(endpoint, delivery.id)
