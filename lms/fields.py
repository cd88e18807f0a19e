"""Column sources: what a mapped CSV or XLSX column may show, read from a RecordRow."""

import functools
from decimal import Decimal

from lms.rows import RecordRow

# Sources read straight from the row under the same name.
DIRECT = (
    "record_kind", "record_id", "source", "provider", "status", "revoked_at", "revoked_reason",
    "issued_at", "changed_at", "person_id", "first_name", "last_name", "email", "employee_id",
    "home_agency_id", "home_agency_name", "home_agency_code", "home_agency_url",
    "host_agency_id", "host_agency_name", "host_agency_code", "host_agency_url",
    "course_id", "course_code", "course_title", "course_kind", "course_hours", "offering_id",
    "started_on", "completed_on", "hours", "passed", "score", "partial", "award_number",
    "certification_name", "certification_code", "issuing_body", "expires_on", "verify_code",
    "verify_url",
)  # fmt: skip

PLAIN = frozenset(DIRECT)

# Computed from several fields; see `value` for how.
DERIVED = (
    "person_ref", "full_name", "course_key", "offering_key", "result", "grade", "instructors",
    "credits", "credit_category", "credit_hours",
)  # fmt: skip

# Prefixed sources name a key inside a dict: `external_ids.tcole_pid`,
# `course_external_ids.capce`, `credits.Firearms` (hours in that category).
PREFIXED = ("external_ids.", "course_external_ids.", "credits.")

HOURS = {"course_hours", "hours", "credit_hours", "credits"}  # rounded by the hours options
UNROUNDED = ("score", "grade")  # decimals shown with the places they were given
PERSON_REFS = ("employee_id", "email", "person_id")  # or `external_ids.<key>`


def is_source(name: str) -> bool:
    if name in DIRECT or name in DERIVED:
        return True
    return any(name.startswith(p) and len(name) > len(p) for p in PREFIXED)


def is_hours(name: str) -> bool:
    return name in HOURS or name.startswith("credits.")


def is_person_ref(name: str) -> bool:
    return name in PERSON_REFS or (name.startswith("external_ids.") and len(name) > 13)


def outcome(partial, passed) -> str:
    if partial:
        return "partial"
    if passed is None:
        return "completed"
    return "passed" if passed else "failed"


def _category_hours(credits, category: str):
    hours = [c["hours"] for c in credits if c["category"] == category]
    return sum(hours, Decimal(0)) if hours else None


def _grades(scores, partials, passes):
    return [
        score if score is not None else outcome(partial, passed)
        for score, partial, passed in zip(scores, partials, passes, strict=True)
    ]


def _keys(ids, hosts):  # None for outside training: no Muster course or class
    return [id and f"{host}-{id}" for id, host in zip(ids, hosts, strict=True)]


def _pairs(pair, firsts, seconds):
    return list(map(pair, firsts, seconds))


# Computed sources: the row fields each reads and its values from theirs, a list each (the
# rows of a chunk). `credit` is the credit of a `row_per_credit` row (None otherwise).
COMPUTED = {
    "full_name": (
        ("first_name", "last_name"),
        lambda firsts, lasts: [
            f"{f} {last}".strip() for f, last in zip(firsts, lasts, strict=True)
        ],
    ),
    "course_key": (("course_code", "host_agency_code"), _keys),
    "offering_key": (("offering_id", "host_agency_code"), _keys),
    "result": (("partial", "passed"), lambda partials, passes: _pairs(outcome, partials, passes)),
    "grade": (("score", "partial", "passed"), _grades),
    "instructors": (
        ("instructors",),
        lambda teachers: ["; ".join(i["name"] for i in people) for people in teachers],
    ),
    "credits": (
        ("credits",),
        lambda credits: [[(c["category"], c["hours"]) for c in each] for each in credits],
    ),
    "credit_category": (
        ("credit",),
        lambda credits: [credit["category"] if credit else None for credit in credits],
    ),
    "credit_hours": (
        ("credit", "hours"),
        lambda credits, hours: [
            c["hours"] if c else h for c, h in zip(credits, hours, strict=True)
        ],
    ),
}


@functools.lru_cache(maxsize=1024)
def column(source: str, ref: str = "employee_id"):
    """`source` of a chunk of rows, read a column at a time: a function of (columns, count)
    to the list of values, decided once per source and ref. `columns` maps each field (and
    `credit`) to its values; a field missing is None for every row."""
    if source in DIRECT:
        return lambda columns, n: columns.get(source) or [None] * n
    if source.startswith("external_ids."):
        key = source[13:]
        return lambda columns, n: [ids.get(key) for ids in columns["external_ids"]]
    if source.startswith("course_external_ids."):
        key = source[20:]
        return lambda columns, n: [ids.get(key) for ids in columns["course_external_ids"]]
    if source.startswith("credits."):
        category = source[8:]
        return lambda columns, n: [_category_hours(c, category) for c in columns["credits"]]
    if source == "person_ref":
        return column(ref, ref)
    try:
        names, compute = COMPUTED[source]
    except KeyError:
        raise KeyError(source) from None
    return lambda columns, n: compute(*(columns.get(f) or [None] * n for f in names))


def reads(source: str, ref: str = "employee_id") -> set[str]:
    """The row fields `value` of `source` reads."""
    if source == "person_ref":
        return reads(ref, ref)
    if source in COMPUTED:
        return set(COMPUTED[source][0]) - {"credit"}
    prefix = next((p for p in PREFIXED if source.startswith(p)), None)
    return {prefix[:-1]} if prefix else {source}


class _Single:
    """One row seen as columns of one value."""

    def __init__(self, row: RecordRow, credit):
        self.row, self.credit = row, credit

    def __getitem__(self, name):
        return [self.credit if name == "credit" else self.row[name]]

    def get(self, name):
        return [self.credit if name == "credit" else self.row.get(name)]


def value(row: RecordRow, source: str, *, ref: str = "employee_id", credit=None):
    """The typed value of `source` for `row`: str, date, datetime, Decimal, bool, None, or
    for `credits` a list of (category, hours)."""
    if source in PLAIN:  # the common case (an xAPI actor's id), read as it is
        return row.get(source)
    return column(source, ref)(_Single(row, credit), 1)[0]
