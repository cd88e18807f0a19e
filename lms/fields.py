"""Column sources: what a mapped CSV or XLSX column may show, read from a RecordRow."""

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


def value(row: RecordRow, source: str, *, ref: str = "employee_id", credit=None):
    """The typed value of `source` for `row`: str, date, datetime, Decimal, bool, None, or
    for `credits` a list of (category, hours)."""
    if source in DIRECT:
        return row.get(source)
    if source.startswith("external_ids."):
        return row["external_ids"].get(source[13:])
    if source.startswith("course_external_ids."):
        return row["course_external_ids"].get(source[20:])
    if source.startswith("credits."):
        category = source[8:]
        hours = [c["hours"] for c in row["credits"] if c["category"] == category]
        return sum(hours, Decimal(0)) if hours else None
    match source:
        case "person_ref":
            return value(row, ref)
        case "full_name":
            return f"{row['first_name']} {row['last_name']}".strip()
        case "course_key":  # None for outside training: no Muster course
            return row["course_code"] and f"{row['host_agency_code']}-{row['course_code']}"
        case "offering_key":
            return row["offering_id"] and f"{row['host_agency_code']}-{row['offering_id']}"
        case "result":
            return result(row)
        case "grade":
            return row["score"] if row["score"] is not None else result(row)
        case "instructors":
            return "; ".join(i["name"] for i in row["instructors"])
        case "credits":
            return [(c["category"], c["hours"]) for c in row["credits"]]
        case "credit_category":
            return credit["category"] if credit else None
        case "credit_hours":
            return credit["hours"] if credit else row["hours"]
    raise KeyError(source)
