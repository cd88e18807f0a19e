"""xAPI 1.0.3 statements, one per completion or award, plus a voiding statement per revocation.

A statement stands for one *version* of a record: its id is UUID v5 (URL namespace) of the
record's URL, `{base_url}/api/v1/completions/7` (or `/awards/7`), + `#` + `version(row)`, a
digest of what the record says (person, class, date, hours, credits, outcome, award terms),
so re-sending an unchanged record sends the same id and an LRS keeps it once, while a
corrected one (hours or outcome changed on re-close, moved by a merge) is a new statement.
Statements are immutable in an LRS, so the version it replaces is voided: every statement
carries `context.registration`, UUID v5 of the record's URL, the same for all its versions, by
which a push finds the versions the LRS holds (`statements(..., earlier=)`). A voiding
statement's id is UUID v5 of the record's URL + `#voided:` + the voided statement's id. The
pull writes an xAPI StatementResult document, `{"statements": [...], "more": "<options.more>"}`;
a revoked record appears as its statement followed by the voiding statement, so a consumer
that missed the first still learns both.

Muster's extension IRIs (`{base_url}/xapi/extensions/<name>`) and what each holds are listed
in README.md, "Exports: what an xAPI statement carries".
"""

import functools
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates

from lms import fields as sources
from lms.known import Known
from lms.rows import RecordRow

VERBS = {
    name: f"http://adlnet.gov/expapi/verbs/{name}"
    for name in ("completed", "passed", "failed", "attended", "voided")
}
FLUSH_AT = 64 * 1024
# json.dumps(..., ensure_ascii=False) and json.dumps(..., sort_keys=True, default=str), with
# the encoder made once instead of once a call.
STATEMENT_JSON = json.JSONEncoder(ensure_ascii=False).encode
VERSION_JSON = json.JSONEncoder(sort_keys=True, default=str).encode
COURSE = "http://adlnet.gov/expapi/activities/course"


class XapiOptions(Schema):
    base_url = fields.Url(
        load_default="http://localhost",
        require_tld=False,
        metadata={"description": "Muster's public address (the server fills it in)."},
    )
    actor = fields.String(load_default="account", validate=validate.OneOf(["account", "mbox"]))
    person_ref = fields.String(
        load_default="employee_id",
        metadata={"description": "Account name: employee_id, email or external_ids.<key>."},
    )
    account_homepage = fields.Url(
        load_default=None,
        require_tld=False,
        metadata={"description": "The home agency's system; default its url, else Muster's."},
    )
    language = fields.String(
        load_default="en-US", validate=validate.Regexp(r"^[A-Za-z]{2,3}(-\w+)*$")
    )
    include_revoked = fields.Boolean(load_default=True)
    more = fields.String(load_default="", metadata={"description": "Set by the server."})
    lrs_endpoint = fields.Url(load_default=None, require_tld=False)
    lrs_username = fields.String(load_default=None)
    lrs_password = fields.String(load_default=None, metadata={"secret": True})

    @validates("person_ref")
    def _ref(self, ref, **_):
        if not sources.is_person_ref(ref):
            raise ValidationError("Use employee_id, email, person_id or external_ids.<key>.")


def iri(options: dict, name: str) -> str:
    return _iri(options["base_url"], name)


@functools.lru_cache(maxsize=256)
def _iri(base_url: str, name: str) -> str:
    return f"{base_url.rstrip('/')}/xapi/extensions/{name}"


URL_NAMESPACE = uuid.NAMESPACE_URL.bytes


def uuid5(name: str) -> str:
    """str(uuid.uuid5(uuid.NAMESPACE_URL, name)), without building a UUID object (two a
    statement were a tenth of its time)."""
    digest = bytearray(hashlib.sha1(URL_NAMESPACE + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def record_url(row: RecordRow, options: dict) -> str:
    return f"{options['base_url'].rstrip('/')}/api/v1/{row['record_kind']}s/{row['record_id']}"


# What a record says; a change to any of these is a new version. Not its status: a revocation
# voids the version it revokes.
VERSIONED = (
    "person_id", "first_name", "last_name", "email", "employee_id", "external_ids",
    "course_id", "offering_id", "started_on", "completed_on", "hours", "credits",
    "passed", "score", "partial", "certification_id", "award_number", "expires_on",
)  # fmt: skip


def version(row: RecordRow) -> str:
    """A digest of what the record says, the same however often it is read."""
    said = dict(zip(VERSIONED, map(row.get, VERSIONED), strict=True))
    said["hours"], said["score"] = number(row["hours"]), number(row["score"])
    said["credits"] = [[c["category"], number(c["hours"])] for c in row["credits"]]
    return hashlib.sha256(VERSION_JSON(said).encode()).hexdigest()[:16]


def registration(row: RecordRow, options: dict) -> str:
    """The record's UUID, shared by all its versions' statements."""
    return uuid5(record_url(row, options))


def statement_id(row: RecordRow, options: dict, said: str | None = None) -> str:
    """The id of the statement of the row's version (`said`: its `version`, if known)."""
    said = said or version(row)
    return uuid5(f"{record_url(row, options)}#{said}")


def voiding_id(row: RecordRow, options: dict, target: str) -> str:
    return uuid5(f"{record_url(row, options)}#voided:{target}")


def number(amount: Decimal | None):
    return None if amount is None else NUMBERS[amount]


# Equal amounts round alike, whatever their scale: each is worked out once.
NUMBERS = Known(lambda amount: float(Decimal(amount).quantize(Decimal("0.01"))))


def duration(hours: Decimal) -> str:
    minutes = int((Decimal(hours) * 60).to_integral_value())
    return f"PT{minutes // 60}H{minutes % 60}M"


def muster_agent(options: dict, key: str, name: str, kind: str = "Agent") -> dict:
    base = options["base_url"].rstrip("/") + "/"
    return {"objectType": kind, "name": name, "account": {"homePage": base, "name": key}}


def actor(row: RecordRow, options: dict) -> dict:
    name = f"{row['first_name']} {row['last_name']}".strip()
    if options["actor"] == "mbox" and row["email"]:
        return {"objectType": "Agent", "name": name, "mbox": f"mailto:{row['email']}"}
    ref = sources.value(row, options["person_ref"])
    if ref in (None, ""):  # without the chosen id, Muster's own person id still identifies
        return muster_agent(options, f"person/{row['person_id']}", name)
    home = options["account_homepage"] or row.get("home_agency_url")
    home = home or f"{options['base_url'].rstrip('/')}/api/v1/agencies/{row['home_agency_id']}"
    return {"objectType": "Agent", "name": name, "account": {"homePage": home, "name": str(ref)}}


def verb(row: RecordRow) -> str:
    if row["partial"]:
        return "attended"
    if row["passed"] is None:
        return "completed"
    return "passed" if row["passed"] else "failed"


def result(row: RecordRow) -> dict:
    out = {"completion": not row["partial"], "duration": duration(row["hours"])}
    if row["passed"] is not None:
        out["success"] = row["passed"]
    if row["score"] is not None:
        raw = number(row["score"])
        out["score"] = {"raw": raw}
        if 0 <= raw <= 100:
            out["score"].update({"min": 0, "max": 100, "scaled": round(raw / 100, 4)})
    return out


def instructors(row: RecordRow, options: dict) -> dict | None:
    people = [
        muster_agent(options, f"person/{i['person_id']}", i["name"]) for i in row["instructors"]
    ]
    if len(people) == 1:
        return people[0]
    if people:
        return {"objectType": "Group", "name": "Instructors", "member": people}
    return None


def record_extension(row: RecordRow, said: str | None = None) -> dict:
    said = said or version(row)
    record = {"kind": row["record_kind"], "id": str(row["record_id"]), "version": said}
    record |= {"verify_code": row["verify_code"], "verify_url": row["verify_url"]}
    if row["record_kind"] == "award":
        record["award_number"] = row.get("award_number")
        record["certification"] = row.get("certification_name")
        expires = row.get("expires_on")
        record["expires_on"] = expires.isoformat() if expires else None
    return record


def context(row: RecordRow, options: dict, said: str | None = None) -> dict:
    base = options["base_url"].rstrip("/")
    out = {
        "registration": registration(row, options),
        "platform": "Muster",
        "language": options["language"],
        "extensions": {
            iri(options, "credit-hours"): number(row["hours"]),
            iri(options, "credits"): [
                {"category": c["category"], "hours": number(c["hours"])} for c in row["credits"]
            ],
            iri(options, "completed-on"): row["completed_on"].isoformat(),
            iri(options, "record"): record_extension(row, said),
            iri(options, "source"): row["source"],
            iri(options, "provider"): row["provider"],
        },
    }
    if row["offering_id"] is not None:
        offering = f"{base}/api/v1/offerings/{row['offering_id']}"
        out["contextActivities"] = {"parent": [{"objectType": "Activity", "id": offering}]}
        out["extensions"][iri(options, "host-agency")] = {
            "id": str(row["host_agency_id"]),
            "name": row["host_agency_name"],
            "code": row["host_agency_code"],
            "url": row.get("host_agency_url"),
        }
    if teacher := instructors(row, options):
        out["instructor"] = teacher
    return out


def activity(row: RecordRow, options: dict) -> dict:
    lang = options["language"]
    name = row["course_title"]
    if row["record_kind"] == "award" and row.get("certification_name"):
        name = f"{row['certification_name']} ({row['course_title']})"
    base = options["base_url"].rstrip("/")
    if row["course_id"] is None:  # outside training: no Muster course to name
        return {
            "objectType": "Activity",
            "id": f"{base}/xapi/activities/outside-training/{row['record_id']}",
            "definition": {"name": {lang: name}, "type": COURSE},
        }
    return {
        "objectType": "Activity",
        "id": f"{base}/api/v1/courses/{row['course_id']}",
        "definition": {
            "name": {lang: name},
            "type": COURSE,
            "extensions": {
                iri(options, "course-code"): row["course_code"],
                iri(options, "course-external-ids"): dict(row["course_external_ids"]),
            },
        },
    }


def statement(row: RecordRow, options: dict) -> dict:
    name = verb(row)
    said = version(row)  # a digest of the whole record: worked out once a statement
    return {
        "id": statement_id(row, options, said),
        "actor": actor(row, options),
        "verb": {"id": VERBS[name], "display": {options["language"]: name}},
        "object": activity(row, options),
        "result": result(row),
        "context": context(row, options, said),
        "timestamp": row["issued_at"].isoformat(),
    }


def voiding(row: RecordRow, options: dict, target: str | None = None) -> dict:
    """The statement voiding `target`, an earlier version of the record replaced by its
    current one; without a target, the current one, revoked. Its actor is the agency that
    issued the record: the host, or the home agency for outside training it approved."""
    issuer = "host" if row["host_agency_id"] is not None else "home"
    host = muster_agent(
        options, f"agency/{row[issuer + '_agency_id']}", row[issuer + "_agency_name"], "Group"
    )
    current = statement_id(row, options)
    if target is None:
        target, at = current, row["revoked_at"] or row["changed_at"]
        why = {"reason": row["revoked_reason"], "revoked_at": at.isoformat()}
        extension = {iri(options, "revocation"): why}
    else:
        at, extension = row["changed_at"], {iri(options, "replaced-by"): current}
    return {
        "id": voiding_id(row, options, target),
        "actor": host,
        "verb": {"id": VERBS["voided"], "display": {options["language"]: "voided"}},
        "object": {"objectType": "StatementRef", "id": target},
        "context": {"extensions": extension},
        "timestamp": at.isoformat(),
    }


def statements(
    records: Iterable[RecordRow],
    options: dict,
    earlier: Callable[[RecordRow, dict], Iterable[str]] | None = None,
) -> Iterator[dict]:
    """The statements for the records, in order: each record's, then the voiding of each
    earlier version `earlier(row, options)` names (ids an LRS holds), then its own voiding if
    revoked."""
    for row in records:
        if row["status"] == "revoked" and not options["include_revoked"]:
            continue
        current = statement(row, options)
        yield current
        for target in earlier(row, options) if earlier else ():
            if target != current["id"]:
                yield voiding(row, options, target)
        if row["status"] == "revoked":
            yield voiding(row, options)


def write(records: Iterable[RecordRow], options: dict) -> Iterator[bytes]:
    buffer = bytearray(b'{"statements": [')
    for n, item in enumerate(statements(records, options)):
        buffer += (b",\n" if n else b"\n") + STATEMENT_JSON(item).encode()
        if len(buffer) >= FLUSH_AT:
            yield bytes(buffer)
            buffer.clear()
    yield bytes(buffer) + b'\n], "more": ' + json.dumps(options["more"]).encode() + b"}\n"
