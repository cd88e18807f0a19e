"""Open Badges 3.0 OpenBadgeCredentials, one per award (and per completion when asked), signed."""

import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, validate, validates

from lms import fields as sources
from lms import signing
from lms.rows import RecordRow

FLUSH_AT = 64 * 1024
KeyFor = Callable[[str | int], bytes]  # host agency id -> its Ed25519 seed


class OpenBadgesOptions(Schema):
    base_url = fields.Url(
        load_default="http://localhost",
        require_tld=False,
        metadata={"description": "Muster's public address (the server fills it in)."},
    )
    record_kinds = fields.List(
        fields.String(validate=validate.OneOf(["completion", "award"])),
        load_default=lambda: ["award"],
        validate=validate.Length(min=1),
    )
    person_ref = fields.String(
        load_default="email",
        metadata={"description": "Hashed recipient id: email, employee_id or external_ids.<key>."},
    )

    @validates("person_ref")
    def _ref(self, ref, **_):
        if not sources.is_person_ref(ref):
            raise ValidationError("Use employee_id, email, person_id or external_ids.<key>.")


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _ext(name: str) -> str:
    return "ext:" + re.sub(r"[^A-Za-z0-9._-]", "_", name)


def identity(row: RecordRow, ref: str, seed: bytes) -> dict | None:
    """The recipient as an OB 3.0 IdentityObject with a salted SHA-256 hash."""
    value = sources.value(row, ref)
    if value in (None, ""):
        return None
    value = str(value).strip()
    kind = "emailAddress" if ref == "email" else _ext(ref.removeprefix("external_ids."))
    if ref == "email":
        value = value.lower()
    # Salt from the issuer's key: the same credential comes out on every export, and no one
    # without the key can test guesses of the identity against the hash.
    salt = hmac.new(seed, f"salt:{row['record_kind']}:{row['record_id']}".encode(), "sha256")
    salt = salt.hexdigest()[:32]
    digest = hashlib.sha256((value + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": kind,
        "hashed": True,
        "salt": salt,
    }


def achievement(row: RecordRow, base: str) -> dict:
    course_url = f"{base}/api/v1/courses/{row['course_id']}"
    hours = f"{Decimal(row['hours']):.2f}"
    narrative = (
        f"Completed {row['course_title']} ({row['course_code']}), a {row['course_kind']}"
        f" of {Decimal(row['course_hours']):.2f} hours run by {row['host_agency_name']}."
    )
    if row["passed"] is not None:
        narrative += " Passed the assessment." if row["passed"] else " Did not pass."
    out = {
        "id": course_url,
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": row["course_title"],
        "description": f"{row['course_title']}: {hours} hours credited.",
        "criteria": {"narrative": narrative},
        "humanCode": row["course_code"],
        "creditsAvailable": float(row["course_hours"]),
    }
    if row["record_kind"] == "award":
        cert = row.get("certification_id") or row.get("certification_code") or "certification"
        body = row.get("issuing_body") or row["host_agency_name"]
        out |= {
            "id": f"{base}/api/v1/certifications/{cert}",
            "achievementType": "Certification",
            "name": row.get("certification_name") or row["course_title"],
            "description": f"Certification issued by {body}.",
        }
        if row.get("certification_code"):
            out["humanCode"] = row["certification_code"]
    others = [
        {"type": "IdentifierEntry", "identifier": str(v), "identifierType": _ext(k)}
        for k, v in sorted(row["course_external_ids"].items())
    ]
    others.append(
        {
            "type": "IdentifierEntry",
            "identifier": row["course_code"],
            "identifierType": "ext:course_code",
        }
    )
    out["otherIdentifier"] = others
    if row["credits"]:
        out["resultDescription"] = [
            {
                "id": f"{course_url}#credits-{n}",
                "type": ["ResultDescription"],
                "name": f"{c['category']} hours",
                "resultType": "ext:CreditHours",
            }
            for n, c in enumerate(row["credits"])
        ]
    return out


def subject(row: RecordRow, options: dict, seed: bytes) -> dict:
    base = options["base_url"].rstrip("/")
    course_url = f"{base}/api/v1/courses/{row['course_id']}"
    out = {"type": ["AchievementSubject"], "achievement": achievement(row, base)}
    if who := identity(row, options["person_ref"], seed):
        out["identifier"] = [who]
    out["creditsEarned"] = float(row["hours"])
    if row["credits"]:
        out["result"] = [
            {
                "type": ["Result"],
                "resultDescription": f"{course_url}#credits-{n}",
                "value": f"{Decimal(c['hours']):.2f}",
            }
            for n, c in enumerate(row["credits"])
        ]
    return out


def credential(row: RecordRow, options: dict, seed: bytes) -> dict:
    """The signed OpenBadgeCredential of one record, issued by the host agency's did:key."""
    base = options["base_url"].rstrip("/")
    url = f"{base}/api/v1/{row['record_kind']}s/{row['record_id']}"
    issuer = {"id": signing.did_key(signing.public_key(seed)), "type": ["Profile"]}
    issuer["name"] = row["host_agency_name"]
    if row.get("host_agency_url"):
        issuer["url"] = row["host_agency_url"]
    doc = {
        "@context": [signing.VC_V2, signing.OB_V3],
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url + '#ob3')}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": subject_name(row),
        "issuer": issuer,
        "validFrom": _iso(row["issued_at"]),
        "credentialSubject": subject(row, options, seed),
    }
    if expires := row.get("expires_on"):
        end = datetime.combine(expires, time(23, 59, 59), ZoneInfo(row["host_agency_timezone"]))
        doc["validUntil"] = _iso(end)
    return signing.sign(doc, seed, created=row["issued_at"])


def subject_name(row: RecordRow) -> str:
    if row["record_kind"] == "award" and row.get("certification_name"):
        return row["certification_name"]
    return row["course_title"]


def credentials(records: Iterable[RecordRow], options: dict, key_for: KeyFor) -> Iterator[dict]:
    """Signed credentials of the valid records of the kinds asked for."""
    kinds = set(options["record_kinds"])
    for row in records:
        # Muster signs only what it saw happen: never outside training a person reported.
        if row["record_kind"] in kinds and row["status"] == "valid" and row["source"] == "muster":
            yield credential(row, options, key_for(row["host_agency_id"]))


def write(records: Iterable[RecordRow], options: dict) -> Iterator[bytes]:
    """`{"credentials": [...]}`; options["signing_key"] (from the server) maps agency to key."""
    buffer = bytearray(b'{"credentials": [')
    for n, item in enumerate(credentials(records, options, options["signing_key"])):
        buffer += (b",\n" if n else b"\n") + json.dumps(item, ensure_ascii=False).encode()
        if len(buffer) >= FLUSH_AT:
            yield bytes(buffer)
            buffer.clear()
    yield bytes(buffer) + b"\n]}\n"
