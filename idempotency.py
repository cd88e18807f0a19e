"""Idempotency-Key: a creating POST sent twice with the same key is answered once.

The key is claimed (a row inserted, unique per user and key) before the request is
worked on, so two overlapping retries cannot both do the work: the second waits for the
first's answer and replays it. A request that fails releases its claim, so a corrected
retry may use the key again.
"""

import datetime
import hashlib
import time

from flask import Response, current_app, g, request
from peewee import IntegrityError

from api import abort
from database import db, in_write_transaction
from models import IdempotencyRecord, utcnow

HEADER = "Idempotency-Key"
WAIT_SECONDS = 30  # how long a retry waits for the first request's answer
ABANDONED = datetime.timedelta(minutes=5)  # a claim this old lost its worker: take it over


def _key():
    key = request.headers.get(HEADER)
    if request.method != "POST" or not key or g.get("user") is None:
        return None
    # ASCII only: a server reads header bytes as latin-1, so any other byte is mojibake.
    if len(key) > 200 or not key.isascii() or not key.isprintable():
        message = f"{HEADER} is at most 200 printable characters."
        abort(400, message=message, errors={"headers": {HEADER: [message]}})
    return key


def fingerprint():
    """What makes two POSTs the same request: path and body."""
    return hashlib.sha256(request.path.encode() + b"\0" + request.get_data()).hexdigest()


@in_write_transaction
def _claim(key, print_):
    """Our claim on the key, or the record that holds it already."""
    seen = IdempotencyRecord.get_or_none(user_id=g.user.id, key=key)
    if seen is not None and seen.status_code is None and utcnow() - seen.created_at > ABANDONED:
        seen.delete_instance()
        seen = None
    if seen is not None:
        return None, seen
    try:
        with db.atomic():
            claim = IdempotencyRecord.create(
                user_id=g.user.id,
                key=key,
                method="POST",
                path=request.path,
                fingerprint=print_,
            )
    except IntegrityError:
        return None, IdempotencyRecord.get_or_none(user_id=g.user.id, key=key)
    return claim, None


def claim_or_replay():
    """Before a POST with a key: claim it, or answer with the response already given."""
    key = _key()
    if key is None:
        return None
    print_ = fingerprint()
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        claim, seen = _claim(key, print_)
        if claim is not None:
            g.idempotency_claim = claim.id
            return None
        if seen is not None:
            if seen.path != request.path or seen.fingerprint != print_:
                abort(422, message=f"This {HEADER} was used for another request; use a new key.")
            if seen.status_code is not None:
                response = Response(seen.body, status=seen.status_code, mimetype="application/json")
                response.headers["Idempotent-Replayed"] = "true"
                return response
        if time.monotonic() > deadline:
            abort(
                409, message=f"A request with this {HEADER} is still being answered; retry later."
            )
        time.sleep(0.05)


@in_write_transaction
def _settle(claim_id, status_code, body):
    query = IdempotencyRecord.id == claim_id
    if body is None:
        IdempotencyRecord.delete().where(query).execute()
    else:
        IdempotencyRecord.update(status_code=status_code, body=body).where(query).execute()


# Fields a response shows once (a token, a signing secret): a replay answers them null.
SHOWN_ONCE = {"token", "secret"}


def shown_once(*fields):
    """Mark more fields of this response as shown once, so a replay never holds them."""
    g.shown_once = (*g.get("shown_once", ()), *fields)


def remember(response):
    """After the claiming request: keep a successful response for replays, or release the
    key when the request failed."""
    claim_id = g.pop("idempotency_claim", None)
    if claim_id is None:
        return response
    body = None
    if 200 <= response.status_code < 300 and response.is_json:
        body, data = response.get_data(as_text=True), response.get_json()
        hidden = SHOWN_ONCE | set(g.pop("shown_once", ()))
        if isinstance(data, dict) and hidden & data.keys():  # stored hashed or sealed: replay null
            data = {**data, **dict.fromkeys(hidden & data.keys())}
            body = current_app.json.response(data).get_data(as_text=True)
    _settle(claim_id, response.status_code, body)
    return response
