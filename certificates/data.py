"""The plain facts a certificate or a sign-in sheet prints: built from the records by the caller."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class CertificateData:
    """One person's certificate of completion or award, exactly as the records say.

    Dates are the host agency's local dates. `hours` is printed with two places;
    `credits` are (category, hours) pairs in printing order; `external_numbers` maps a label
    ("State course number", "CAPCE", "FEMA") to its value, in printing order.
    """

    kind: str  # "completion" or "award"
    title: str  # "Certificate of Completion", "Hazmat Operations Certification"...
    host_agency: str
    person_name: str
    course_code: str
    course_title: str
    first_date: date  # first session, or the completion date
    last_date: date  # last session, or the completion date; equal for a one-day class
    hours: Decimal
    verify_code: str  # canonical, ungrouped: printed grouped for reading aloud
    verify_url: str  # what the QR code carries
    issued_on: date  # the PDF's creation date, so a re-render is byte-identical
    credits: tuple[tuple[str, Decimal], ...] = ()
    external_numbers: dict[str, str] = field(default_factory=dict)
    instructors: tuple[str, ...] = ()
    award_number: str | None = None
    certification: str | None = None
    expires_on: date | None = None
    logo: bytes | None = None  # PNG or JPEG, already checked for type and size
    page_size: str = "letter"  # or "a4"
    status: str = "valid"  # printed when not "valid", e.g. "revoked" or "expired"


@dataclass(frozen=True)
class SignInRow:
    """One rostered person: the regulator id is the one the host chose to print."""

    name: str
    agency: str
    regulator_id_label: str = ""  # "State POST", "NREMT"...
    regulator_id: str = ""


@dataclass(frozen=True)
class SignInSession:
    """One session of the class, in the host agency's local time."""

    starts_at: datetime
    ends_at: datetime
    location: str = ""


@dataclass(frozen=True)
class SignInSheetData:
    """The printable roster a state board asks the host to keep, with a self check-in QR."""

    course_code: str
    course_title: str
    host_agency: str
    sessions: tuple[SignInSession, ...]
    rows: tuple[SignInRow, ...]
    check_in_url: str
    external_number: str = ""  # e.g. "IL-POST 2026-0142"
    location: str = ""
    instructors: tuple[str, ...] = ()
    blank_rows: int = 5  # for walk-ins
    page_size: str = "letter"  # or "a4"
