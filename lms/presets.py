"""Mapped-table presets for layouts agencies really import (facts: shared/export-formats.md)."""


def col(header: str, source: str | None = None, *, value: str | None = None, **extra) -> dict:
    column = {"header": header, **extra}
    column.update({"source": source} if value is None else {"value": value})
    return column


TOTARA_COURSE = {
    "name": "totara-course",
    "title": "Totara Learn: course completion upload",
    "description": (
        "CSV for Totara's Upload Completion Records, course import; header and order exactly"
        " username,courseshortname,courseidnumber,completiondate,grade; dates YYYY-MM-DD"
        " (Totara's default); UTF-8 without BOM, since a BOM would make Totara refuse the"
        " first column as unknown. username is the person id the profile picks (employee_id by"
        " default) and must equal an existing Totara user. A joint class Totara does not know"
        " is kept as evidence in the record of learning: courseshortname carries the course"
        " title, courseidnumber the host agency's code and course code. grade is the score, or"
        " passed/failed/completed/partial where no score was kept. Valid completions only:"
        " Totara's file has no revocation, so revocations must be withdrawn in Totara by hand."
    ),
    "options": {
        "columns": [
            col("username", "person_ref"),
            col("courseshortname", "course_title"),
            col("courseidnumber", "course_key"),
            col("completiondate", "completed_on"),
            col("grade", "grade"),
        ],
        "date_format": "YYYY-MM-DD",
        "record_kinds": ["completion"],
        "include_revoked": False,
        "bom": False,
    },
}

TOTARA_CERTIFICATION = {
    "name": "totara-certification",
    "title": "Totara Learn: certification completion upload",
    "description": (
        "CSV for Totara's Upload Completion Records, certification import; header and order"
        " exactly username,certificationshortname,certificationidnumber,completiondate,duedate;"
        " dates YYYY-MM-DD; UTF-8 without BOM. One row per valid award: the certification's"
        " name and code, the date it was earned, and its expiry as duedate (empty when it never"
        " expires). Certifications without a code leave certificationidnumber empty; Totara"
        " then matches by short name. No revocations in the file (Totara has none)."
    ),
    "options": {
        "columns": [
            col("username", "person_ref"),
            col("certificationshortname", "certification_name"),
            col("certificationidnumber", "certification_code"),
            col("completiondate", "completed_on"),
            col("duedate", "expires_on"),
        ],
        "date_format": "YYYY-MM-DD",
        "record_kinds": ["award"],
        "include_revoked": False,
        "bom": False,
    },
}

CEBROKER_UNKNOWN = (
    " CE Broker's help articles ask for an .xls workbook; no maintained Python writer of .xls"
    " exists, so Muster writes .xlsx (use the xlsx format), and whether CE Broker accepts"
    " .xlsx was not found: check with CE Broker before relying on it. Whether a header row is"
    " allowed was not found either: the columns go by position, so the preset writes none"
    " (turn `header` on if CE Broker confirms it reads one). The provider tracking number"
    " (column A, without the 50- prefix) must be set in the profile. Column B takes the"
    " course's external id `cebroker` (without the 20- prefix) when the course has one, C the"
    " course code. Column G defaults to the documented example State=FL: set your state. The"
    " full list of profession codes was not found: keep each person's code in external_ids"
    " `cebroker_profession` (shown as Profession=<code>) or make column H a fixed value. The"
    " license number is external_ids `license`. How a posted completion is withdrawn was not"
    " found, so revocations are left out."
)

CEBROKER_FULL_COLUMNS = [
    col("Provider tracking number", value=""),
    col("CE Broker course tracking number", "course_external_ids.cebroker"),
    col("Provider course id", "course_code"),
    col("CE Broker publishing number", value=""),
    col("License number", "person_ref"),
    col("Completion date", "completed_on"),
    col("Licensee state", value="State=FL"),
    col("Licensee profession", "external_ids.cebroker_profession", prefix="Profession="),
]

CEBROKER_FULL = {
    "name": "cebroker-roster",
    "title": "CE Broker: roster upload, full course credit",
    "description": (
        "CE Broker's Excel roster layout for full credit: columns A-H by position (provider"
        " tracking number, course tracking number, provider course id, publishing number,"
        " license number, completion date as an Excel date shown like 12/3/2008, State=, "
        "Profession=)." + CEBROKER_UNKNOWN
    ),
    "options": {
        "columns": CEBROKER_FULL_COLUMNS,
        "header": False,
        "person_ref": "external_ids.license",
        "date_format": "M/D/YYYY",
        "record_kinds": ["completion"],
        "include_revoked": False,
    },
}

CEBROKER_PARTIAL = {
    "name": "cebroker-roster-partial",
    "title": "CE Broker: roster upload, partial credit",
    "description": (
        "CE Broker's Excel roster layout for partial credit: columns A-H as for full credit,"
        " then I the subject area code and J the hours earned, one row per credit category of"
        " the completion (a category must be a CE Broker subject-area code)." + CEBROKER_UNKNOWN
    ),
    "options": {
        "columns": [
            *CEBROKER_FULL_COLUMNS,
            col("Subject area code", "credit_category"),
            col("Hours earned", "credit_hours"),
        ],
        "header": False,
        "person_ref": "external_ids.license",
        "date_format": "M/D/YYYY",
        "record_kinds": ["completion"],
        "include_revoked": False,
        "row_per_credit": True,
    },
}

CANVAS_ENROLLMENTS = {
    "name": "canvas-enrollments",
    "title": "Canvas LMS: SIS import, enrollments.csv",
    "description": (
        "Canvas SIS enrollments.csv with the documented sample header"
        " course_id,user_id,role,section_id,status. Canvas SIS CSV cannot carry a completion"
        " date, hours or a grade: this mirrors joint classes into Canvas as enrollments only."
        " course_id is the host agency's code and course code, section_id the host code and"
        " offering id (both must exist in Canvas, e.g. from courses.csv and sections.csv),"
        " user_id the person id the profile picks. A valid record is status completed, a"
        " revoked one deleted, so revocations are included."
    ),
    "options": {
        "columns": [
            col("course_id", "course_key"),
            col("user_id", "person_ref"),
            col("role", value="student"),
            col("section_id", "offering_key"),
            col("status", "status", map={"valid": "completed", "revoked": "deleted"}),
        ],
        "record_kinds": ["completion"],
        "include_revoked": True,
    },
}

STATE_ROSTER = {
    "name": "state-roster",
    "title": "State POST board: generic roster",
    "description": (
        "No state board publishes an upload layout (TCOLE, Oregon DPSST and Utah POST were"
        " checked), so this is a generic roster to adapt: name, the regulator id the profile"
        " picks (person_ref, e.g. external_ids.tcole_pid or external_ids.dpsst; state_post by"
        " default), course title, the state's course number (course external id"
        " `state_course_number`), start and end dates, total hours, hours per credit category"
        " and the outcome. Date format and column order are not prescribed by any board:"
        " YYYY-MM-DD is a choice, change it in the profile. Add a column per category with"
        " source credits.<category> for one number per column. Valid completions only."
    ),
    "options": {
        "columns": [
            col("Last name", "last_name"),
            col("First name", "first_name"),
            col("Regulator id", "person_ref"),
            col("Course title", "course_title"),
            col("State course number", "course_external_ids.state_course_number"),
            col("Start date", "started_on"),
            col("End date", "completed_on"),
            col("Hours", "hours"),
            col("Hours by category", "credits"),
            col("Outcome", "result"),
        ],
        "person_ref": "external_ids.state_post",
        "date_format": "YYYY-MM-DD",
        "record_kinds": ["completion"],
        "include_revoked": False,
    },
}

PRESETS = [
    TOTARA_COURSE,
    TOTARA_CERTIFICATION,
    CEBROKER_FULL,
    CEBROKER_PARTIAL,
    CANVAS_ENROLLMENTS,
    STATE_ROSTER,
]
CSV_ONLY = {"bom"}


def for_format(name: str) -> list[dict]:
    """The presets as the csv or xlsx format takes them (CSV-only options dropped for xlsx)."""
    if name == "csv":
        return PRESETS
    return [
        {**p, "options": {k: v for k, v in p["options"].items() if k not in CSV_ONLY}}
        for p in PRESETS
    ]
