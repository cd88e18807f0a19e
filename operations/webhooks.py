"""Webhook endpoints that write: registered, changed, deactivated, secrets rotated, each try
recorded, disabled after too many failures in a row, deliveries queued again."""

import datetime

from database import in_write_transaction
from lms.sealing import SealError, seal, unseal
from models import Delivery, WebhookAttempt, WebhookEndpoint, utcnow
from notifications import signing, targets
from rules import clock
from rules.errors import Conflict, RuleViolation

from . import audit
from .events import emit

SEALING = "webhook-secret"  # sealing purpose: a key of its own, derived from SECRET_KEY
ROTATION_GRACE = datetime.timedelta(hours=24)  # the old secret still signs this long
EDITABLE = ("url", "events", "description", "active")


def _view(endpoint):
    """An endpoint as the audit trail keeps it: never its secret, sealed or not."""
    snapshot = audit.snapshot(endpoint)
    snapshot.pop("sealed_secret", None)
    return snapshot


def signing_secrets(endpoint, secret_key, now=None):
    """The secrets that sign a delivery now: the current one, and the previous one during
    the grace period after a rotation (receivers accept either while they switch)."""
    kept = unseal(endpoint.sealed_secret, secret_key, SEALING)
    now = now or utcnow()
    secrets = [kept["current"]]
    until = kept.get("previous_until")
    if kept.get("previous") and until and datetime.datetime.fromisoformat(until) > now:
        secrets.append(kept["previous"])
    return secrets


def check_url(url, config):
    """The URL if the server may call it (https, public addresses, unless configured
    otherwise); a 422 naming `url` if not."""
    try:
        targets.check(
            url,
            allow_http=config["WEBHOOKS_ALLOW_HTTP"],
            allow_private=config["WEBHOOKS_ALLOW_PRIVATE"],
        )
    except targets.UnsafeTarget as error:
        raise RuleViolation(str(error), {"url": [str(error)]}) from None
    return url.strip()


def create_webhook(agency, data, actor, *, config):
    """Register an endpoint of `agency`; returns (endpoint, secret), the secret in clear
    this once. The URL is checked (DNS included) before the write transaction opens."""
    url = check_url(data["url"], config)
    return _create_webhook(agency, {**data, "url": url}, actor, config["SECRET_KEY"])


@in_write_transaction
def _create_webhook(agency, data, actor, secret_key):
    secret = signing.new_secret()
    endpoint = WebhookEndpoint.create(
        agency=agency.id,
        url=data["url"],
        events=list(dict.fromkeys(data["events"])),
        description=data.get("description"),
        sealed_secret=seal({"current": secret}, secret_key, SEALING),
        created_by=actor.id if actor else None,
    )
    audit.record(
        actor, "create", "webhook", endpoint.id, after=_view(endpoint), agency_id=agency.id
    )
    return endpoint, secret


def update_webhook(endpoint, data, actor, *, config):
    """Change an endpoint's URL, kinds, description or whether it is active; turning it
    back on clears its failure count. A new URL is checked before the transaction."""
    data = {k: v for k, v in data.items() if k in EDITABLE}
    if "url" in data:
        data["url"] = check_url(data["url"], config)
    if "events" in data:
        data["events"] = list(dict.fromkeys(data["events"]))
    return _update_webhook(endpoint.id, data, actor)


@in_write_transaction
def _update_webhook(endpoint_id, data, actor):
    endpoint = WebhookEndpoint.get_by_id(endpoint_id)
    changes = {k: v for k, v in data.items() if getattr(endpoint, k) != v}
    if not changes:
        return endpoint
    if changes.get("active") is True:
        changes.update(consecutive_failures=0, disabled_at=None, disabled_reason=None)
    action = {True: "activate", False: "deactivate"}.get(changes.get("active"), "update")
    before = _view(endpoint)
    for name, value in changes.items():
        setattr(endpoint, name, value)
    endpoint.save()
    audit.record(
        actor,
        action,
        "webhook",
        endpoint.id,
        before=before,
        after=_view(endpoint),
        agency_id=endpoint.agency_id,
    )
    return endpoint


@in_write_transaction
def deactivate_webhook(endpoint, actor):
    """Stop deliveries to an endpoint (the record and its log are kept; PATCH
    active=true turns it back on)."""
    endpoint = WebhookEndpoint.get_by_id(endpoint.id)
    if not endpoint.active:
        raise Conflict("This webhook is already inactive.")
    return _update_webhook(endpoint.id, {"active": False}, actor)


@in_write_transaction
def rotate_secret(endpoint, actor, *, secret_key):
    """A new signing secret, returned in clear this once; the old one keeps signing beside
    it for ROTATION_GRACE so receivers can switch without losing deliveries."""
    endpoint = WebhookEndpoint.get_by_id(endpoint.id)
    secret, now = signing.new_secret(), utcnow()
    sealed = {"current": secret}
    try:
        previous = unseal(endpoint.sealed_secret, secret_key, SEALING)["current"]
        sealed.update(previous=previous, previous_until=(now + ROTATION_GRACE).isoformat())
    except SealError:  # sealed under another SECRET_KEY: the new secret alone signs
        pass
    before = _view(endpoint)
    endpoint.sealed_secret = seal(sealed, secret_key, SEALING)
    endpoint.secret_rotated_at = now
    endpoint.save()
    audit.record(
        actor,
        "rotate_secret",
        "webhook",
        endpoint.id,
        before=before,
        after=_view(endpoint),
        reason=f"The previous secret signs beside the new one until {sealed['previous_until']}."
        if "previous" in sealed
        else "The previous secret could not be opened (SECRET_KEY changed); it signs no more.",
        agency_id=endpoint.agency_id,
    )
    return endpoint, secret


@in_write_transaction
def record_attempt(endpoint_id, delivery_id, *, response_code, error, duration_ms, disable_after):
    """Keep one try in the endpoint's log and count failures in a row; at `disable_after`
    the endpoint is disabled (audited as the system) and its agency's coordinators are
    told by a "webhook.disabled" event. Returns True if this try disabled it."""
    succeeded = error is None
    WebhookAttempt.create(
        delivery=delivery_id,
        endpoint=endpoint_id,
        succeeded=succeeded,
        response_code=response_code,
        error=error[:2000] if error else None,
        duration_ms=duration_ms,
    )
    if succeeded:
        WebhookEndpoint.update(consecutive_failures=0, last_success_at=utcnow()).where(
            WebhookEndpoint.id == endpoint_id
        ).execute()
        return False
    WebhookEndpoint.update(consecutive_failures=WebhookEndpoint.consecutive_failures + 1).where(
        WebhookEndpoint.id == endpoint_id
    ).execute()
    endpoint = WebhookEndpoint.get_by_id(endpoint_id)
    if not endpoint.active or endpoint.consecutive_failures < disable_after:
        return False
    before = _view(endpoint)
    reason = (
        f"Disabled after {endpoint.consecutive_failures} failed deliveries in a row; "
        f"the last: {error}"
    )[:2000]
    endpoint.active, endpoint.disabled_at, endpoint.disabled_reason = False, utcnow(), reason
    endpoint.save()
    audit.record(
        None,
        "disable",
        "webhook",
        endpoint.id,
        before=before,
        after=_view(endpoint),
        reason=reason,
        agency_id=endpoint.agency_id,
    )
    emit(
        "webhook.disabled",
        {
            "webhook_id": endpoint.id,
            "url": endpoint.url,
            "failures": endpoint.consecutive_failures,
            "last_error": error[:500],
        },
        agency_ids=[endpoint.agency_id],
    )
    return True


@in_write_transaction
def redeliver(endpoint, delivery, actor):
    """Queue a delivery to be sent again at the worker's next round (whatever became of
    it before); every try stays in the log."""
    endpoint = WebhookEndpoint.get_by_id(endpoint.id)
    if not endpoint.active:
        raise Conflict("This webhook is inactive; turn it back on (active: true) first.")
    delivery = Delivery.get_by_id(delivery.id)
    if delivery.status == "pending":
        raise Conflict("This delivery is already waiting to be sent.")
    before = {"status": delivery.status, "attempts": delivery.attempts}
    Delivery.update(
        status="pending", next_attempt_at=clock.now(), claimed_by=None, claimed_until=None
    ).where(Delivery.id == delivery.id).execute()
    audit.record(
        actor,
        "redeliver",
        "webhook_delivery",
        delivery.id,
        before=before,
        after={"status": "pending", "attempts": delivery.attempts, "webhook_id": endpoint.id},
        agency_id=endpoint.agency_id,
    )
    return Delivery.get_by_id(delivery.id)
