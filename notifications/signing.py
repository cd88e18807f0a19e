"""Webhook signatures by the Standard Webhooks scheme: HMAC-SHA256 of "{id}.{timestamp}.{body}"."""

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
# Standard Webhooks names, and the same values under Muster's own names (the API contract).
HEADER_NAMES = {
    "id": ("webhook-id", "Muster-Webhook-Id"),
    "timestamp": ("webhook-timestamp", "Muster-Webhook-Timestamp"),
    "signature": ("webhook-signature", "Muster-Webhook-Signature"),
}


def new_secret():
    """A fresh signing secret: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def key_of(secret):
    """The HMAC key a secret stands for: the bytes its base64 part encodes."""
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret, message_id, timestamp, body: bytes):
    """`v1,` and the base64 HMAC-SHA256 of "{id}.{timestamp}.{body}" under the secret."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key_of(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(signing_secrets, message_id, timestamp, body: bytes):
    """The headers of one delivery: its id, its timestamp (Unix seconds) and one signature
    per secret (two during a rotation's grace period), space-separated."""
    values = {
        "id": message_id,
        "timestamp": str(timestamp),
        "signature": " ".join(signature(s, message_id, timestamp, body) for s in signing_secrets),
    }
    return {name: values[part] for part, names in HEADER_NAMES.items() for name in names}
