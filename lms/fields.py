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

# Computed from several fields; see `value` for how.
DERIVED = (
    "person_ref", "full_name", "course_key", "offering_key", "result", "grade", "instructors",
    "credits", "credit_category", "credit_hours",
)  # fmt: skip

# Prefixed sources name a key inside a dict: `external_ids.tcole_pid`,
# `course_external_ids.capce`, `credits.Firearms` (hours in that category).
PREFIXED = ("external_ids.", "course_external_ids.", "credits.")

HOURS = {"course_hours", "hours", "credit_hours", "credits"}  # rounded by the hours options
PERSON_REFS = ("employee_id", "email", "person_id")  # or `external_ids.<key>`


def is_source(name: str) -> bool:
    if name in DIRECT or name in DERIVED:
        return True
    return any(name.startswith(p) and len(name) > len(p) for p in PREFIXED)


def is_hours(name: str) -> bool:
    return name in HOURS or name.startswith("credits.")


def is_person_ref(name: str) -> bool:
    return name in PERSON_REFS or (name.startswith("external_ids.") and len(name) > 13)


def result(row: RecordRow) -> str:
    if row["partial"]:
        return "partial"
    if row["passed"] is None:
        return "completed"
    return "passed" if row["passed"] else "failed"


def _category_hours(row: RecordRow, category: str):
    hours = [c["hours"] for c in row["credits"] if c["category"] == category]
    return sum(hours, Decimal(0)) if hours else None


def _course_key(row: RecordRow, credit):  # None for outside training: no Muster course
    return row["course_code"] and f"{row['host_agency_code']}-{row['course_code']}"


def _offering_key(row: RecordRow, credit):
    return row["offering_id"] and f"{row['host_agency_code']}-{row['offering_id']}"


def _grade(row: RecordRow, credit):
    return row["score"] if row["score"] is not None else result(row)


COMPUTED = {
    "full_name": lambda row, credit: f"{row['first_name']} {row['last_name']}".strip(),
    "course_key": _course_key,
    "offering_key": _offering_key,
    "result": lambda row, credit: result(row),
    "grade": _grade,
    "instructors": lambda row, credit: "; ".join(i["name"] for i in row["instructors"]),
    "credits": lambda row, credit: [(c["category"], c["hours"]) for c in row["credits"]],
    "credit_category": lambda row, credit: credit["category"] if credit else None,
    "credit_hours": lambda row, credit: credit["hours"] if credit else row["hours"],
}
# The row fields each computed source reads (a credit of `row_per_credit` comes on its own).
READS = {
    "full_name": ("first_name", "last_name"),
    "course_key": ("course_code", "host_agency_code"),
    "offering_key": ("offering_id", "host_agency_code"),
    "result": ("partial", "passed"),
    "grade": ("score", "partial", "passed"),
    "instructors": ("instructors",),
    "credits": ("credits",),
    "credit_category": (),
    "credit_hours": ("hours",),
}


@functools.lru_cache(maxsize=1024)
def getter(source: str, ref: str = "employee_id"):
    """`value` of `source` as a function of (row, credit), decided once per source and ref:
    an export asks each of its rows."""
    if source in DIRECT:
        return lambda row, credit: row.get(source)
    if source.startswith("external_ids."):
        key = source[13:]
        return lambda row, credit: row["external_ids"].get(key)
    if source.startswith("course_external_ids."):
        key = source[20:]
        return lambda row, credit: row["course_external_ids"].get(key)
    if source.startswith("credits."):
        category = source[8:]
        return lambda row, credit: _category_hours(row, category)
    if source == "person_ref":
        return getter(ref, ref)
    try:
        return COMPUTED[source]
    except KeyError:
        raise KeyError(source) from None


def reads(source: str, ref: str = "employee_id") -> set[str]:
    """The row fields `value` of `source` reads."""
    if source == "person_ref":
        return reads(ref, ref)
    if source in READS:
        return set(READS[source])
    prefix = next((p for p in PREFIXED if source.startswith(p)), None)
    return {prefix[:-1]} if prefix else {source}


def value(row: RecordRow, source: str, *, ref: str = "employee_id", credit=None):
    """The typed value of `source` for `row`: str, date, datetime, Decimal, bool, None, or
    for `credits` a list of (category, hours)."""
    return getter(source, ref)(row, credit)
