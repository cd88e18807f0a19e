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
from itertools import repeat
from json.encoder import encode_basestring as encode_text

from marshmallow import Schema, ValidationError, fields, validate, validates

from lms import fields as sources
from lms.known import Known, each
from lms.rows import RecordRow, Wanted
from lms.tabular import in_columns

VERBS = {
    name: f"http://adlnet.gov/expapi/verbs/{name}"
    for name in ("completed", "passed", "failed", "attended", "voided")
}
SLICE = 128  # statements written at a time (~230 kB of text)
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
# The RFC 4122 variant's hex digit for each hex digit of the digest in its place.
VARIANT = {f"{n:x}": f"{(n & 0x3) | 0x8:x}" for n in range(16)}


def uuid_of(digest) -> str:
    """str(uuid.uuid5(...)) of a SHA-1 of the namespace and the name, from its hex digest."""
    text = digest.hexdigest()
    return f"{text[:8]}-{text[8:12]}-5{text[13:16]}-{VARIANT[text[16]]}{text[17:20]}-{text[20:32]}"


def uuid5(name: str) -> str:
    """str(uuid.uuid5(uuid.NAMESPACE_URL, name)), without building a UUID object (two a
    statement were a tenth of its time)."""
    return uuid_of(hashlib.sha1(URL_NAMESPACE + name.encode()))


def record_url(row: RecordRow, options: dict) -> str:
    return f"{options['base_url'].rstrip('/')}/api/v1/{row['record_kind']}s/{row['record_id']}"


# What a record says; a change to any of these is a new version. Not its status: a revocation
# voids the version it revokes.
VERSIONED = (
    "person_id", "first_name", "last_name", "email", "employee_id", "external_ids",
    "course_id", "offering_id", "started_on", "completed_on", "hours", "credits",
    "passed", "score", "partial", "certification_id", "award_number", "expires_on",
)  # fmt: skip


class Template:
    """JSON text with \\0 marking its fields, filled a column of values a field at a time:
    the text between the fields is joined to each row's values as it is (str.format parsed
    a statement's template again for every row, ~4x the cost). Encoded as UTF-8, filled with
    bytes: joining bytes copies them, where text with one character beyond Latin-1 (a name)
    is widened whole, and then encoded whole."""

    def __init__(self, text: str):
        self.parts = text.encode().split(b"\0")

    def __call__(self, *columns) -> Iterator[bytes]:
        mixed = [repeat(self.parts[0])]
        for column, after in zip(columns, self.parts[1:], strict=True):
            mixed += [column, repeat(after)]
        return map(b"".join, zip(*mixed, strict=False))  # as long as the columns


# The digested text: what VERSION_JSON writes of the VERSIONED values (keys sorted), each
# value encoded on its own.
SAID = Template("{" + ", ".join(f'"{name}": \0' for name in sorted(VERSIONED)) + "}")


def version(row: RecordRow) -> str:
    """A digest of what the record says, the same however often it is read."""
    return Versions()(_one(row))[0]


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


def actor(options: dict, first, last, email, ref, person_id, home_url, home_id) -> dict:
    """The person as an Agent: by mailbox, or by their account (`ref`: the options'
    person_ref) at their home agency's system."""
    name = f"{first} {last}".strip()
    if options["actor"] == "mbox" and email:
        return {"objectType": "Agent", "name": name, "mbox": f"mailto:{email}"}
    if ref in (None, ""):  # without the chosen id, Muster's own person id still identifies
        return muster_agent(options, f"person/{person_id}", name)
    home = options["account_homepage"] or home_url
    home = home or f"{options['base_url'].rstrip('/')}/api/v1/agencies/{home_id}"
    return {"objectType": "Agent", "name": name, "account": {"homePage": home, "name": str(ref)}}


def verb(partial, passed) -> str:
    if partial:
        return "attended"
    if passed is None:
        return "completed"
    return "passed" if passed else "failed"


def result(partial, hours, passed, score) -> dict:
    out = {"completion": not partial, "duration": duration(hours)}
    if passed is not None:
        out["success"] = passed
    if score is not None:
        raw = number(score)
        out["score"] = {"raw": raw}
        if 0 <= raw <= 100:
            out["score"].update({"min": 0, "max": 100, "scaled": round(raw / 100, 4)})
    return out


def instructors(options: dict, people) -> dict | None:
    """The class's instructors, (person id, name) pairs, as an Agent or a Group."""
    agents = [muster_agent(options, f"person/{person}", name) for person, name in people]
    if len(agents) == 1:
        return agents[0]
    if agents:
        return {"objectType": "Group", "name": "Instructors", "member": agents}
    return None


def award_terms(number_, certification, expires) -> dict:
    """What an award's record extension adds to a completion's."""
    expires = expires.isoformat() if expires else None
    return {"award_number": number_, "certification": certification, "expires_on": expires}


def class_context(options: dict, source, provider, offering, host, teachers) -> tuple:
    """The context's extensions that name where the record comes from, and its members
    after its extensions: the class and its host (`host`: id, name, code, url), the
    instructors."""
    extensions = {iri(options, "source"): source, iri(options, "provider"): provider}
    after = {}
    if offering is not None:
        base = options["base_url"].rstrip("/")
        offering = f"{base}/api/v1/offerings/{offering}"
        after["contextActivities"] = {"parent": [{"objectType": "Activity", "id": offering}]}
        host_id, name, code, url = host
        extensions[iri(options, "host-agency")] = {
            "id": str(host_id), "name": name, "code": code, "url": url
        }  # fmt: skip
    if teacher := instructors(options, teachers):
        after["instructor"] = teacher
    return extensions, after


def activity(options: dict, kind, certification, title, course, code, course_ids, record):
    """The course (an award's: its certification's name first), or outside training, as an
    Activity; `course_ids`: the course's external ids, (key, value) pairs."""
    lang = options["language"]
    name = title
    if kind == "award" and certification:
        name = f"{certification} ({title})"
    base = options["base_url"].rstrip("/")
    if course is None:  # outside training: no Muster course to name
        return {
            "objectType": "Activity",
            "id": f"{base}/xapi/activities/outside-training/{record}",
            "definition": {"name": {lang: name}, "type": COURSE},
        }
    return {
        "objectType": "Activity",
        "id": f"{base}/api/v1/courses/{course}",
        "definition": {
            "name": {lang: name},
            "type": COURSE,
            "extensions": {
                iri(options, "course-code"): code,
                iri(options, "course-external-ids"): dict(course_ids),
            },
        },
    }


# What each cache of pieces keeps at most: a person's records come together. Memory stays
# flat whatever the count.
KEPT = 512
# What each cache of a class's (or a day's) pieces keeps at most: a class's people are spread
# over the agency's list (by name), so an agency's classes, up to this many, are each encoded
# once, not once per person (a few hundred bytes each).
CLASSES_KEPT = 4096


class ByObject:
    """`work(value)` of each value of a column whose rows share values as one object (a
    class's credits, its instructors, a person's ids), worked out once per object. Each
    object is held while its result is known, so no other has its id. Emptied when `size`
    are known."""

    def __init__(self, work, size=None):
        self.work, self.size = work, size or KEPT
        self.held, self.known, self.empty = {}, {}, {}

    def __call__(self, column: list) -> list:
        found = list(map(self.known.get, map(id, column)))
        if None in found:  # results are never None
            for index, value in enumerate(column):
                if found[index] is None:
                    found[index] = self.learn(value)
        return found

    def learn(self, value):
        found = self.known.get(id(value))
        if found is not None:  # met earlier in the same column
            return found
        if not value:  # empty, and new each row ({} for no ids): alike whatever the object
            found = self.empty.get(type(value))
            if found is None:
                found = self.empty[type(value)] = self.work(value)
            return found
        if len(self.known) >= self.size:
            self.held.clear()
            self.known.clear()
        found = self.known[id(value)] = self.work(value)
        self.held[id(value)] = value
        return found


def _members(document: dict) -> str:
    """The members of a JSON object as STATEMENT_JSON writes them, without its braces."""
    return STATEMENT_JSON(document)[1:-1]


def _encoded(encode, value) -> bytes:
    """`encode(value)` (a JSON encoder) as UTF-8."""
    return encode(value).encode()


def _terms(*award) -> bytes:
    """An award's record extension members after a completion's (award_terms)."""
    return (", " + _members(award_terms(*award))).encode()


def _json_bytes(value) -> bytes:
    """A value as STATEMENT_JSON writes it, as UTF-8 (a text at C speed)."""
    return (encode_text(value) if value.__class__ is str else STATEMENT_JSON(value)).encode()


def _json_column(values: list) -> list[bytes]:
    """_json_bytes of each value: a column of texts without a call of Python's each."""
    try:
        return list(map(str.encode, map(encode_text, values)))
    except TypeError:  # not all text (a code left empty)
        return list(map(_json_bytes, values))


# Read for a statement and the voiding of its record.
FIELDS = (
    "record_kind", "record_id", "status", "revoked_at", "revoked_reason", "issued_at",
    "changed_at", "person_id", "first_name", "last_name", "email", "employee_id",
    "external_ids", "home_agency_id", "home_agency_name", "home_agency_url",
    "host_agency_id", "host_agency_name", "host_agency_code", "host_agency_url", "course_id",
    "course_code", "course_title", "course_external_ids", "offering_id", "started_on",
    "completed_on", "hours", "credits", "passed", "score", "partial", "certification_id",
    "award_number", "certification_name", "expires_on", "instructors", "verify_code",
    "verify_url", "source", "provider",
)  # fmt: skip


def _one(row: RecordRow) -> dict:
    return {name: [row.get(name)] for name in FIELDS}


class Versions:
    """Each row's `version`, a chunk of rows at a time: the digest of the text VERSION_JSON
    writes of what it says, from the texts of its person's, class's, outcome's and award's
    values, each group encoded once and reused by the rows that share it."""

    # The groups of VERSIONED values encoded together, each a key of the values' texts.
    GROUPS = {
        "people": ("email", "employee_id", "external_ids", "first_name", "last_name", "person_id"),
        "classes": ("course_id", "offering_id", "started_on"),
        "outcomes": ("hours", "partial", "passed", "score"),
        "awards": ("award_number", "certification_id", "expires_on"),
    }

    def __init__(self):
        def texts(key):
            return tuple(_encoded(VERSION_JSON, value) for value in key)

        self.people = Known(lambda key: (*texts(key[:2]), key[2], *texts(key[3:])), KEPT)
        self.classes, self.awards = Known(texts, CLASSES_KEPT), Known(texts, KEPT)
        self.outcomes = Known(lambda key: texts((number(key[0]), *key[1:3], number(key[3]))))
        self.dates = Known(lambda key: _encoded(VERSION_JSON, key[1]), CLASSES_KEPT)
        self.credits = ByObject(
            lambda credits: _encoded(
                VERSION_JSON, [[c["category"], number(c["hours"])] for c in credits]
            )
        )
        self.ids = ByObject(functools.partial(_encoded, VERSION_JSON))

    def __call__(self, columns: dict) -> list[str]:
        said = {
            "completed_on": each(self.dates, columns["completed_on"]),
            "credits": self.credits(columns["credits"]),
        }
        values = dict(columns, external_ids=self.ids(columns["external_ids"]))
        for group, names in self.GROUPS.items():
            keys = zip(*map(values.__getitem__, names), strict=True)
            found = map(getattr(self, group).__getitem__, keys)
            said.update(zip(names, zip(*found, strict=True), strict=True))
        texts = SAID(*map(said.__getitem__, sorted(VERSIONED)))
        return [hashlib.sha256(text).hexdigest()[:16] for text in texts]


class Pieces:
    """Statements as JSON text, a chunk of rows (a list per field) at a time, assembled from
    pieces: the person's actor, the course's activity, the outcome's verb and result, the
    class's context, each encoded once and reused by the rows that share it; only each
    record's own values (its ids, version, dates, verification) are encoded per row. The
    text is what STATEMENT_JSON writes of the statement as a dict, byte for byte."""

    def __init__(self, options: dict):
        self.options = options
        lang, base = options["language"], options["base_url"].rstrip("/")

        def encoded(build):
            return Known(lambda key: _json_bytes(build(options, *key)), KEPT)

        self.actors = encoded(actor)
        self.activities = encoded(activity)
        self.classes = Known(
            lambda key: _class_text(class_context(options, *key)).encode(), CLASSES_KEPT
        )
        self.verbs = Known(
            lambda key: _json_bytes({"id": VERBS[name := verb(*key)], "display": {lang: name}})
        )
        self.results = Known(lambda key: _json_bytes(result(*key)))
        self.numbers = Known(lambda key: _json_bytes(number(key[1])))
        self.dates = Known(lambda key: _json_bytes(key[1].isoformat()), CLASSES_KEPT)
        self.stamps = Known(lambda moment: moment.isoformat().encode(), KEPT)
        self.kinds = Known(lambda key: _json_bytes(key[1]))
        self.credits = ByObject(
            lambda credits: _json_bytes(
                [{"category": c["category"], "hours": number(c["hours"])} for c in credits]
            )
        )
        self.course_ids = ByObject(lambda ids: tuple(ids.items()) if ids else ())
        self.teachers = ByObject(
            lambda people: tuple((i["person_id"], i["name"]) for i in people or ())
        )
        self.urls = Known(
            lambda kind: hashlib.sha1(URL_NAMESPACE + f"{base}/api/v1/{kind}s/".encode())
        )
        self.versions = Versions()
        self.ref = sources.column(options["person_ref"], options["person_ref"])
        extension = [STATEMENT_JSON(iri(options, name)) for name in EXTENSIONS]
        self.template = Template(
            '{"id": "\0", "actor": \0, "verb": \0, "object": \0, "result": \0, "context": '
            '{"registration": "\0", "platform": "Muster", "language": '
            + STATEMENT_JSON(lang)
            + ', "extensions": {'
            + "".join(f"{name}: \0, " for name in extension)
            + '\0}, "timestamp": "\0"}'
        )
        self.record = Template(
            '{"kind": \0, "id": \0, "version": "\0", "verify_code": \0, "verify_url": \0\0}'
        )

    def texts(self, columns: dict, n: int) -> tuple[list[bytes], list[str]]:
        """The rows' statements as JSON text (UTF-8), and their ids."""
        c = {name: columns.get(name) or [None] * n for name in FIELDS}
        said = self.versions(c)
        ids, registrations = [], []
        for kind, record, version_ in zip(c["record_kind"], c["record_id"], said, strict=True):
            digest = self.urls[kind].copy()
            digest.update(str(record).encode())
            registrations.append(uuid_of(digest).encode())
            digest.update(b"#" + version_.encode())
            ids.append(uuid_of(digest))
        firsts, lasts, partial, passed = c["first_name"], c["last_name"], c["partial"], c["passed"]
        people = zip(
            firsts, lasts, c["email"], self.ref(c, n), c["person_id"], c["home_agency_url"],
            c["home_agency_id"], strict=True,
        )  # fmt: skip
        outside = [
            r if co is None else None for r, co in zip(c["record_id"], c["course_id"], strict=True)
        ]
        courses = zip(
            c["record_kind"], c["certification_name"], c["course_title"], c["course_id"],
            c["course_code"], self.course_ids(c["course_external_ids"]), outside,
            strict=True,
        )  # fmt: skip
        hosts = zip(
            c["host_agency_id"], c["host_agency_name"], c["host_agency_code"],
            c["host_agency_url"], strict=True,
        )  # fmt: skip
        classes = zip(
            c["source"], c["provider"], c["offering_id"], hosts,
            self.teachers(c["instructors"]), strict=True,
        )  # fmt: skip
        outcomes = zip(partial, c["hours"], passed, c["score"], strict=True)
        kinds = c["record_kind"]
        terms = [
            b"" if kind != "award" else _terms(number_, name, expires)
            for kind, number_, name, expires in zip(
                kinds, c["award_number"], c["certification_name"], c["expires_on"], strict=True
            )
        ]
        records = self.record(
            each(self.kinds, kinds),
            _json_column(list(map(str, c["record_id"]))),
            map(str.encode, said),
            _json_column(c["verify_code"]),
            _json_column(c["verify_url"]),
            terms,
        )
        texts = self.template(
            map(str.encode, ids),
            map(self.actors.__getitem__, people),
            map(self.verbs.__getitem__, zip(partial, passed, strict=True)),
            map(self.activities.__getitem__, courses),
            map(self.results.__getitem__, outcomes),
            registrations,
            each(self.numbers, c["hours"]),
            self.credits(c["credits"]),
            each(self.dates, c["completed_on"]),
            records,
            map(self.classes.__getitem__, classes),
            map(self.stamps.__getitem__, c["issued_at"]),
        )
        return list(texts), ids


# The context's extensions each statement carries, in their order, before the class's.
EXTENSIONS = ("credit-hours", "credits", "completed-on", "record")


def _class_text(parts: tuple) -> str:
    """The class's extensions, closing the extensions, then the context's members after."""
    extensions, after = parts
    return _members(extensions) + "}" + (", " + _members(after) if after else "")


def statement(row: RecordRow, options: dict) -> dict:
    """The row's statement as a dict: what `write` writes of it."""
    return json.loads(Pieces(options).texts(_one(row), 1)[0][0])


def voiding(
    row: RecordRow, options: dict, target: str | None = None, current: str | None = None
) -> dict:
    """The statement voiding `target`, an earlier version of the record replaced by its
    current one (`current`: its id, if known); without a target, the current one, revoked.
    Its actor is the agency that issued the record: the host, or the home agency for
    outside training it approved."""
    issuer = "host" if row["host_agency_id"] is not None else "home"
    host = muster_agent(
        options, f"agency/{row[issuer + '_agency_id']}", row[issuer + "_agency_name"], "Group"
    )
    current = current or statement_id(row, options)
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


def _written(records: Iterable[RecordRow], options: dict) -> Iterator[tuple]:
    """(statements as JSON text, their ids, the rows' columns) of the records the options
    keep, a chunk at a time: records that select themselves (a `chunks(wanted)` method, the
    endpoint's) are read for only what a statement says."""
    keep = options["include_revoked"]
    read = getattr(records, "chunks", None)
    if read:
        found = read(Wanted(revoked=keep, fields=frozenset(FIELDS)))
    else:
        kept = (r for r in records if keep or r["status"] != "revoked")
        found = in_columns(kept, FIELDS)
    pieces = Pieces(options)
    for n, columns in found:
        for start in range(0, n, SLICE):  # a slice at a time: little text held at once
            part = {name: values[start : start + SLICE] for name, values in columns.items()}
            count = min(SLICE, n - start)
            yield *pieces.texts(part, count), part


def _row(columns: dict, index: int) -> RecordRow:
    return {name: columns[name][index] for name in FIELDS if name in columns}


def statements(
    records: Iterable[RecordRow],
    options: dict,
    earlier: Callable[[RecordRow, dict], Iterable[str]] | None = None,
) -> Iterator[dict]:
    """The statements for the records, in order: each record's, then the voiding of each
    earlier version `earlier(row, options)` names (ids an LRS holds), then its own voiding if
    revoked."""
    for texts, ids, columns in _written(records, options):
        for index, (text, current) in enumerate(zip(texts, ids, strict=True)):
            yield json.loads(text)
            row = _row(columns, index)
            for target in earlier(row, options) if earlier else ():
                if target != current:
                    yield voiding(row, options, target, current)
            if row["status"] == "revoked":
                yield voiding(row, options, current=current)


def _revoked(texts: list, ids: list, columns: dict, options: dict) -> Iterator[bytes]:
    """The statements, each revoked record's followed by its voiding."""
    for index, (text, current, status) in enumerate(
        zip(texts, ids, columns["status"], strict=True)
    ):
        yield text
        if status == "revoked":
            yield _json_bytes(voiding(_row(columns, index), options, current=current))


def write(records: Iterable[RecordRow], options: dict) -> Iterator[bytes]:
    head = b'{"statements": [\n'
    for texts, ids, columns in _written(records, options):
        if "revoked" in columns["status"]:
            texts = _revoked(texts, ids, columns, options)
        yield head + b",\n".join(texts)
        head = b",\n"
    if head != b",\n":  # nothing written yet
        yield head[:-1]
    yield b'\n], "more": ' + json.dumps(options["more"]).encode() + b"}\n"
