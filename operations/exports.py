"""Exports that write: export profiles, Open Badges signing keys, and pushes to an LRS."""

import secrets
import urllib.parse
from datetime import timedelta

from marshmallow import ValidationError

import lms
from database import in_write_transaction
from lms import signing, xapi
from lms.lrs_client import LRSClient
from lms.sealing import SealError, seal, unseal
from models import Agency, ExportProfile, ExportPush, SigningKey, utcnow
from queries.exports import (
    MASK,
    SECRETS,
    aware,
    changed_records,
    profile_options,
    profile_view,
    pull_bound,
)
from rules.errors import Conflict, RuleViolation

from . import audit
from .events import emit

SEEDS = "signing-key"  # sealing purpose
LOST = object()  # a stored secret that cannot be opened
# A push that has held its claim this long died with its worker: another may take over (it
# re-sends from the same cursor, and the LRS keeps each statement id once).
STALE_CLAIM = timedelta(hours=1)
BATCH = 100


def _check_options(fmt, preset, options):
    """422 naming each bad option, as `options.<name>`."""
    if preset:
        fmt.preset(preset)  # a ValidationError naming `preset`
    server_set = [name for name in lms.SERVER_SET if name in options]
    if server_set:
        raise RuleViolation(
            f"Set by the server on every export: {', '.join(server_set)}.",
            {"options": {name: ["Set by the server; leave it out."] for name in server_set}},
        )
    try:
        fmt.options(options, preset)
    except ValidationError as error:
        named = ", ".join(map(str, error.messages)) if isinstance(error.messages, dict) else ""
        raise RuleViolation(
            f"Invalid export options: {named or 'see errors'}.", {"options": error.messages}
        ) from None


@in_write_transaction
def put_export_profile(agency, data, actor, *, secret_key):
    """Set the format an agency imports and its options. A secret option (the LRS password)
    left out, or sent back as MASK, keeps the stored one while the format stays the same;
    null clears it. Secrets are stored sealed and audited only as set or not."""
    fmt = lms.get(data["format"])
    preset = data.get("preset")
    given = dict(data.get("options") or {})
    current = ExportProfile.get_or_none(ExportProfile.agency == agency.id)
    try:
        kept = (
            profile_options(current, secret_key) if current and current.format == fmt.name else {}
        )
    except Conflict:  # sealed under another SECRET_KEY: each must be given again
        kept = {name: LOST for name in profile_view(current)["secrets_set"]}
    sealed = {}
    for name in fmt.secret_names():
        value = given.pop(name, MASK)
        if value == MASK:
            value = kept.get(name)
        if value is LOST:
            raise RuleViolation(
                f"The stored {name} was sealed with another SECRET_KEY: give it again.",
                {"options": {name: ["Sealed with another SECRET_KEY; give it again."]}},
            )
        if value is not None:
            sealed[name] = value
    _check_options(fmt, preset, {**given, **sealed})
    fields = {
        "format": fmt.name,
        "preset": preset,
        "options": {**given, **{name: MASK for name in sealed}},
        "sealed_secrets": seal(sealed, secret_key, SECRETS) if sealed else None,
    }
    before = profile_view(current) if current else None
    if current is None:
        profile = ExportProfile.create(agency=agency.id, **fields)
    else:
        profile = current
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.save()
    Agency.update(export_profile={"format": fmt.name, "preset": preset}, updated_at=utcnow()).where(
        Agency.id == agency.id
    ).execute()
    audit.record(
        actor,
        "update" if current else "create",
        "export_profile",
        agency.id,  # a profile is addressed by its agency: /agencies/{id}/export-profile
        before=before,
        after=profile_view(profile),
        agency_id=agency.id,
    )
    return profile


# --- Open Badges signing keys -----------------------------------------------------------


@in_write_transaction
def _create_signing_keys(agency_ids, actor, secret_key):
    for agency_id in sorted(agency_ids):
        seed = signing.new_signing_key()
        did = signing.did_key(signing.public_key(seed))
        SigningKey.insert(
            agency=agency_id, did=did, sealed_seed=seal(seed.hex(), secret_key, SEEDS)
        ).on_conflict_ignore().execute()
        key = SigningKey.get(SigningKey.agency == agency_id)
        if key.did == did:  # ours, not one a racing request stored first
            audit.record(
                actor,
                "create",
                "signing_key",
                key.id,
                after={"agency_id": agency_id, "did": did},
                reason="Generated on first use to sign Open Badges credentials.",
                agency_id=agency_id,
            )


@in_write_transaction
def _replace_signing_key(key, actor, secret_key):
    """A new key for an agency whose stored one cannot be opened (SECRET_KEY changed).

    The old key is retired, not lost to anyone checking a credential: a did:key is its public
    key, so what it signed still verifies; the audit entry names it. Only the row still
    holding the unreadable seed is replaced, so two requests never both rotate it.
    """
    seed = signing.new_signing_key()
    did = signing.did_key(signing.public_key(seed))
    replaced = (
        SigningKey.update(
            did=did, sealed_seed=seal(seed.hex(), secret_key, SEEDS), updated_at=utcnow()
        )
        .where(SigningKey.id == key.id, SigningKey.sealed_seed == key.sealed_seed)
        .execute()
    )
    if replaced:
        audit.record(
            actor,
            "rotate",
            "signing_key",
            key.id,
            before={"agency_id": key.agency_id, "did": key.did},
            after={"agency_id": key.agency_id, "did": did},
            reason="The stored key was sealed with another SECRET_KEY and cannot be opened; "
            "a new one signs from now on and the old one is retired (what it signed still "
            "verifies by its did:key).",
            agency_id=key.agency_id,
        )


def signing_seeds(agency_ids, actor, *, secret_key) -> dict:
    """{agency id: its Ed25519 seed}, generating and storing (sealed) a key on first use, and
    replacing one sealed under another SECRET_KEY."""
    agency_ids = set(agency_ids)

    def stored():
        query = SigningKey.select().where(SigningKey.agency.in_(agency_ids or [0]))
        return {key.agency_id: key for key in query}

    def opened(keys):
        seeds, lost = {}, []
        for agency_id, key in keys.items():
            try:
                seeds[agency_id] = bytes.fromhex(unseal(key.sealed_seed, secret_key, SEEDS))
            except SealError:
                lost.append(key)
        return seeds, lost

    keys = stored()
    if agency_ids - set(keys):
        _create_signing_keys(agency_ids - set(keys), actor, secret_key)
        keys = stored()
    seeds, lost = opened(keys)
    if lost:
        for key in lost:
            _replace_signing_key(key, actor, secret_key)
        seeds, _ = opened(stored())
    return seeds


# --- pushes to an LRS -------------------------------------------------------------------


@in_write_transaction
def claim_push(agency, actor):
    """Take the agency's push claim (a row every worker sees); Conflict while one runs."""
    now = utcnow()
    ExportPush.insert(agency=agency.id).on_conflict_ignore().execute()
    token = secrets.token_hex(16)
    free = ExportPush.claimed_at.is_null() | (ExportPush.claimed_at < now - STALE_CLAIM)
    taken = (
        ExportPush.update(claimed_at=now, claim=token, updated_at=now)
        .where(ExportPush.agency == agency.id, free)
        .execute()
    )
    if not taken:
        raise Conflict("A push of this agency's records to its LRS is running; try again after.")
    return token, ExportPush.get(ExportPush.agency == agency.id).cursor


@in_write_transaction
def finish_push(agency, token, cursor, outcome, actor):
    """Move the cursor past what the LRS accepted and give the claim back."""
    push = ExportPush.get(ExportPush.agency == agency.id)
    before = {"cursor": push.cursor, "pushes": push.pushes}
    updated = (
        ExportPush.update(
            cursor=cursor,
            claimed_at=None,
            claim=None,
            pushes=ExportPush.pushes + 1,
            last_result=audit.plain(outcome),
            updated_at=utcnow(),
        )
        .where(ExportPush.id == push.id, ExportPush.claim == token)
        .execute()
    )
    if not updated:
        raise Conflict("This push ran past its claim and another took over; it changed nothing.")
    audit.record(
        actor,
        "push",
        "export_push",
        push.id,
        before=before,
        after={"cursor": cursor, "pushes": push.pushes + 1, **outcome},
        agency_id=agency.id,
    )


@in_write_transaction
def release_push(agency, token, error, actor, target=None):
    """Give the claim back after a failed push; the cursor stays, so nothing is lost."""
    push = ExportPush.get(ExportPush.agency == agency.id)
    ExportPush.update(
        claimed_at=None, claim=None, last_result={"error": error}, updated_at=utcnow()
    ).where(ExportPush.id == push.id, ExportPush.claim == token).execute()
    audit.record(
        actor,
        "push_failed",
        "export_push",
        push.id,
        after={"cursor": push.cursor, "error": error},
        agency_id=agency.id,
    )
    emit("export.push_failed", {"target": target, "error": error}, agency_ids=[agency.id])


def push_to_lrs(agency, actor, *, secret_key, base_url, verify_base, window_seconds):
    """Send the xAPI statements of what changed since the last good push to the profile's LRS.

    Deliberately not one transaction: the claim commits first (so a second push sees it and
    gets a 409), the records are sent with no transaction held over the network, and the
    cursor moves only once the LRS has taken every batch. A failure leaves the cursor where
    it was, so the next push re-sends; statement ids are stable, so the LRS keeps each once.
    A corrected record is a new statement, and the earlier versions the LRS holds are voided.
    """
    profile = ExportProfile.get_or_none(ExportProfile.agency == agency.id)
    if profile is None or profile.format != "xapi":
        raise Conflict("A push needs an export profile of format xapi with an lrs_endpoint.")
    options = profile_options(profile, secret_key)
    options = lms.validate_options("xapi", {**options, "base_url": base_url}, profile.preset)
    if not options["lrs_endpoint"]:
        raise Conflict("The export profile names no lrs_endpoint to push to.")
    token, since = claim_push(agency, actor)
    try:
        bound = pull_bound(None, window_seconds)
        bound = max(bound, since) if since else bound
        counts = {"records": 0, "revocations": 0, "replaced": 0}

        def rows():
            for row in changed_records(agency.id, since, bound, verify_base):
                counts["records"] += 1
                counts["revocations"] += row["status"] == "revoked"
                yield row

        client = LRSClient(
            options["lrs_endpoint"], options["lrs_username"], options["lrs_password"]
        )

        def earlier(row, options):
            # Only a record changed since it was issued can have had another version; the
            # LRS itself says which it holds, so a push that failed half-way is covered too.
            if row["changed_at"] <= row["issued_at"]:
                return ()
            current = xapi.statement_id(row, options)
            ids = [i for i in client.registered(xapi.registration(row, options)) if i != current]
            counts["replaced"] += len(ids)
            return ids

        statements = xapi.statements(rows(), options, earlier)
        result = client.push(statements, batch_size=BATCH)
    except Exception as error:
        target = urllib.parse.urlsplit(options["lrs_endpoint"]).netloc
        release_push(agency, token, str(error)[:500], actor, target)
        raise
    outcome = {
        **counts,
        "statements": result.sent + result.already_stored + len(result.conflicts),
        "sent": result.sent,
        "already_stored": result.already_stored,
        "conflicts": result.conflicts,
        "batches": result.batches,
        "since": aware(since).isoformat() if since else None,
        "next_since": aware(bound).isoformat(),
    }
    finish_push(agency, token, bound, outcome, actor)
    return outcome
