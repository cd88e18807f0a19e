"""Idempotency-Key: a creating POST sent twice with the same key is answered once."""

import hashlib

from flask import Response, current_app, g, request
from peewee import IntegrityError

from api import abort
from database import db
from models import IdempotencyRecord

HEADER = "Idempotency-Key"


def replay_if_seen():
    """Before a POST: answer with the stored response if this key was used already."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or not key or g.get("user") is None:
        return None
    if len(key) > 200 or not key.isprintable():
        abort(400, message=f"{HEADER} is at most 200 printable characters.")
    seen = IdempotencyRecord.get_or_none(user_id=g.user.id, key=key)
    if seen is None:
        return None
    if seen.path != request.path or seen.fingerprint != fingerprint():
        abort(422, message=f"This {HEADER} was used for another request; use a new key.")
    response = Response(seen.body, status=seen.status_code, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def fingerprint():
    """What makes two POSTs the same request: path and body."""
    return hashlib.sha256(request.path.encode() + b"\0" + request.get_data()).hexdigest()


def remember(response):
    """After a successful POST with a key: store its response for replays."""
    key = request.headers.get(HEADER)
    if (
        request.method == "POST"
        and key
        and g.get("user") is not None
        and 200 <= response.status_code < 300
        and response.is_json
        and "Idempotent-Replayed" not in response.headers
    ):
        body, data = response.get_data(as_text=True), response.get_json()
        if isinstance(data, dict) and "token" in data:  # shown once, stored hashed: replay null
            body = current_app.json.response({**data, "token": None}).get_data(as_text=True)
        try:
            with db.atomic():
                IdempotencyRecord.create(
                    user_id=g.user.id,
                    key=key,
                    method="POST",
                    path=request.path,
                    fingerprint=fingerprint(),
                    status_code=response.status_code,
                    body=body,
                )
        except IntegrityError:
            pass  # a concurrent request with the same key stored it first
    return response
