"""Secrets kept at rest (an LRS password, a signing key) sealed with a key from SECRET_KEY."""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken


class SealError(ValueError):
    """A sealed value cannot be opened: SECRET_KEY changed since, or it was altered."""


def _fernet(secret_key: str, purpose: str) -> Fernet:
    # One derived key per purpose, so a sealed password never opens as a signing key.
    digest = hashlib.sha256(f"muster:{purpose}:{secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(value, secret_key: str, purpose: str) -> str:
    """Any JSON value, encrypted and authenticated (Fernet: AES-128-CBC + HMAC-SHA256)."""
    return _fernet(secret_key, purpose).encrypt(json.dumps(value).encode()).decode()


def unseal(token: str, secret_key: str, purpose: str):
    try:
        return json.loads(_fernet(secret_key, purpose).decrypt(token.encode()))
    except InvalidToken:
        raise SealError(f"The stored {purpose} cannot be opened with this SECRET_KEY.") from None
