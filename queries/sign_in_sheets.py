"""The plain facts of a class's sign-in sheet, gathered from the records by one function."""

from certificates import SignInRow, SignInSession, SignInSheetData
from models import RosterEntry
from rules.attendance import ENROLLED, as_local
from rules.check_ins import check_in_url

from .certificates import EXTERNAL_NUMBER_LABELS
from .offerings import instructor_names, roster_query, sessions_of

# How the regulators' ids are printed; any other scheme is printed from its name.
SCHEME_LABELS = {
    "state_post": "State POST",
    "nremt": "NREMT",
    "state_ems": "State EMS",
    "state_fire": "State Fire",
    "tcole_pid": "TCOLE PID",
    "dpsst": "DPSST",
}


def scheme_label(scheme):
    """state_post -> State POST; an unknown one_two -> One two."""
    return SCHEME_LABELS.get(scheme) or scheme.replace("_", " ").capitalize()


def external_number(course):
    """The course's numbers a regulator knows it by, labelled, in the course's order."""
    return " · ".join(
        f"{EXTERNAL_NUMBER_LABELS.get(key, key.replace('_', ' ').capitalize())} {value}"
        for key, value in (course.external_ids or {}).items()
    )


def sign_in_sheet_data(offering, code, base_url, id_scheme=None, blank_rows=5):
    """The sheet as the renderer takes it: enrolled people by name with their agency and
    the regulator id of `id_scheme` (blank when they have none), sessions in the host's
    local time, and a QR carrying the class's check-in `code`."""
    host = offering.host_agency
    course = offering.course
    label = scheme_label(id_scheme) if id_scheme else ""
    rows = tuple(
        SignInRow(
            name=entry.person.full_name,
            agency=entry.person.agency.name,
            regulator_id_label=label,
            regulator_id=str((entry.person.external_ids or {}).get(id_scheme, ""))
            if id_scheme
            else "",
        )
        for entry in roster_query(offering).where(RosterEntry.status == ENROLLED).iterator()
    )
    return SignInSheetData(
        course_code=course.code,
        course_title=course.title,
        host_agency=host.name,
        sessions=tuple(
            SignInSession(
                starts_at=as_local(session.starts_at, host.timezone),
                ends_at=as_local(session.ends_at, host.timezone),
            )
            for session in sessions_of(offering)
        ),
        rows=rows,
        check_in_url=check_in_url(base_url, offering.id, code),
        external_number=external_number(course),
        location=offering.location or "",
        instructors=instructor_names(offering),
        blank_rows=blank_rows,
        page_size=getattr(host, "paper_size", None) or "letter",
    )
