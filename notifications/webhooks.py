"""The webhook channel: each event to the active endpoints of the agencies it concerns,
as signed JSON (Standard Webhooks), posted without following redirects to an address
checked again at every delivery (DNS can change after registration)."""

import datetime
import http.client
import json
import socket
import ssl
import time

from flask import current_app

from lms.sealing import SealError
from models import EVENT_KINDS, WebhookEndpoint
from operations import webhooks as writes

from . import signing, targets
from .channels import DeliveryFailed, register

PREFIX = "webhook:"
USER_AGENT = "Muster-Webhooks/1"
EXCERPT = 300  # characters of a refusing answer's body kept in the log

# The event types of the API contract, each standing for the kinds it covers; a kind
# without one is delivered under its own name. Endpoints subscribe to either, or to "*".
TYPES = {
    "completion.issued": ("completion.issued",),
    "completion.revoked": ("completion.revoked",),
    "award.issued": ("award.issued",),
    "award.revoked": ("award.revoked",),
    "award.expiring": ("certification.expiring",),
    "registration.changed": tuple(k for k in EVENT_KINDS if k.startswith("registration.")),
    "offering.changed": ("offering.changed",),
    "offering.cancelled": ("offering.cancelled",),
    "submission.reviewed": ("submission.approved", "submission.rejected"),
    "export.push_failed": ("export.push_failed",),
    "webhook.disabled": ("webhook.disabled",),
}
ALL = "*"
SUBSCRIBABLE = tuple(sorted(set(TYPES) | set(EVENT_KINDS))) + (ALL,)


def public_type(kind):
    """The contract's type of an event kind (registration.promoted: registration.changed)."""
    return next((name for name, kinds in TYPES.items() if kind in kinds), kind)


def subscribed(events, kind):
    """Whether an endpoint subscribed to `events` hears of an event of `kind`."""
    return ALL in events or kind in events or any(kind in TYPES.get(e, ()) for e in events)


def _utc(moment):
    return moment.replace(tzinfo=datetime.UTC).isoformat().replace("+00:00", "Z")


def body_of(event):
    """The JSON a receiver gets: the event's id, type (and precise kind), when it
    happened and its facts, compact UTF-8."""
    document = {
        "id": f"evt_{event.id}",
        "type": public_type(event.kind),
        "kind": event.kind,
        "created_at": _utc(event.created_at),
        "data": event.payload or {},
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address that was checked, never to what a second lookup says."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


def tls_context():
    """Certificates checked against the system's trusted authorities, and the host name."""
    return ssl.create_default_context()


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=tls_context())
        self.address = address

    def connect(self):
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def post(url, body, headers, *, timeout, allow_http, allow_private):
    """POST once: (status, first bytes of the answer). The URL and every address it now
    resolves to are checked first (UnsafeTarget); redirects are never followed."""
    scheme, host, port, path, addresses = targets.check(
        url, allow_http=allow_http, allow_private=allow_private
    )
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    connection = kind(host, port, addresses[0], timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(EXCERPT)
    finally:
        connection.close()


def _endpoint_of(recipient):
    if not recipient.startswith(PREFIX) or not recipient[len(PREFIX) :].isdigit():
        return None
    return WebhookEndpoint.get_or_none(WebhookEndpoint.id == int(recipient[len(PREFIX) :]))


def attempt(endpoint, body, headers, config):
    """(status or None, error or None) of one try."""
    try:
        status, answer = post(
            endpoint.url,
            body,
            headers,
            timeout=config["WEBHOOKS_TIMEOUT"],
            allow_http=config["WEBHOOKS_ALLOW_HTTP"],
            allow_private=config["WEBHOOKS_ALLOW_PRIVATE"],
        )
    except targets.UnsafeTarget as error:
        return None, f"Not sent: {error}"
    except TimeoutError:
        return None, f"No answer within {config['WEBHOOKS_TIMEOUT']} seconds."
    except ssl.SSLError as error:
        return None, f"TLS failed: {error}"
    except (OSError, http.client.HTTPException) as error:
        return None, f"Could not deliver: {error.__class__.__name__}: {error}"
    if 200 <= status < 300:
        return status, None
    if 300 <= status < 400:
        return status, f"Answered {status}: redirects are not followed; register the final URL."
    excerpt = answer.decode("utf-8", "replace").strip()
    return status, f"Answered {status}" + (f": {excerpt}" if excerpt else ".")


class WebhookChannel:
    name = "webhook"

    def recipients(self, event):
        """The active endpoints, subscribed to this kind, of the agencies the event
        concerns (the person's home agency, the class's host): no agency hears of others'
        people or classes."""
        agency_ids = [a for a in (event.agency_ids or []) if isinstance(a, int)]
        if not agency_ids:
            return []
        endpoints = (
            WebhookEndpoint.select(WebhookEndpoint.id, WebhookEndpoint.events)
            .where(WebhookEndpoint.agency.in_(agency_ids), WebhookEndpoint.active == True)
            .order_by(WebhookEndpoint.id)
        )
        return [f"{PREFIX}{e.id}" for e in endpoints if subscribed(e.events, event.kind)]

    def send(self, delivery, event):
        """One signed POST; DeliveryFailed (to be retried by the worker) unless it answered
        2xx. An endpoint switched off since is skipped."""
        endpoint = _endpoint_of(delivery.recipient)
        if endpoint is None or not endpoint.active:
            return "skipped"
        config = current_app.config
        body = body_of(event)
        timestamp = int(time.time())  # the receiver's clock, not a test's calendar
        try:
            secrets = writes.signing_secrets(endpoint, config["SECRET_KEY"])
        except SealError as error:  # SECRET_KEY changed: rotating the secret mends it
            raise DeliveryFailed(f"{error} Rotate the webhook's secret.", retry=False) from None
        headers = signing.headers(secrets, f"msg_{delivery.id}", timestamp, body)
        headers.update({"Content-Type": "application/json", "User-Agent": USER_AGENT})
        started = time.monotonic()
        status, error = attempt(endpoint, body, headers, config)
        disabled = writes.record_attempt(
            endpoint.id,
            delivery.id,
            response_code=status,
            error=error,
            duration_ms=round((time.monotonic() - started) * 1000),
            disable_after=config["WEBHOOKS_DISABLE_AFTER"],
        )
        if error is not None:
            raise DeliveryFailed(error, retry=not disabled)
        return None


register(WebhookChannel())
