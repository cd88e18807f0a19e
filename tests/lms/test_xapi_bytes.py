"""The xAPI export's exact bytes for a varied set of records and options: the digests are
those of the statements as the standard library encoded them, dict by dict, before they were
assembled from pieces, so a faster writer keeps every byte (spacing, key order, digests, ids)."""

import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

import lms
from tests.lms.sample import award, row

BASE = "https://muster.example/"
REVOKED = {
    "status": "revoked",
    "revoked_at": datetime(2026, 4, 2, 15, 0, tzinfo=UTC),
    "revoked_reason": 'Signed in for a colleague "twice" \u2014 é',
}
OUTSIDE = {
    "source": "self-reported",
    "provider": "State Academy \u00e9\u00e8",
    "host_agency_id": None,
    "host_agency_name": None,
    "host_agency_code": None,
    "host_agency_url": None,
    "host_agency_timezone": None,
    "course_id": None,
    "course_code": None,
    "course_title": 'Tactical "medicine" \u2603',
    "course_external_ids": {},
    "offering_id": None,
    "started_on": None,
    "instructors": [],
    "credits": [],
}


def records() -> list[dict]:
    """Completions and awards of every shape a statement takes."""
    two = [{"person_id": 7, "name": "Kim Lee"}, {"person_id": "8", "name": "Al \u00d8"}]
    return [
        row(1),
        row(2, passed=None, score=None, instructors=[]),
        row(3, partial=True, passed=None, score=Decimal("130"), hours=Decimal("2.25")),
        row(4, email=None, employee_id=None, external_ids={}),
        row(5, **REVOKED),
        row(6, passed=False, score=Decimal("-3.456"), hours=Decimal("0.333")),
        row(7, hours=Decimal("7.5"), score=Decimal("92.50"), instructors=two),
        row(8, first_name="Zo\u00eb", last_name="", external_ids={"z": "\u00fc", "a": "1"}),
        row(9, **OUTSIDE),
        row(10, **OUTSIDE, **REVOKED, passed=None, score=None),
        row(11, home_agency_url=None, host_agency_url=None, employee_id=""),
        row(12, course_external_ids={"b": "2", "a": "\u00e9"}, course_code=None),
        row(13, started_on=None, score=Decimal("100"), hours=Decimal("0")),
        row(13, started_on=None, score=Decimal("100.00"), hours=Decimal("0.00")),
        award(14),
        award(15, instructors=two, expires_on=None, award_number=None),
        award(16, certification_name=None, **REVOKED),
        award(17, certification_name="Cert \u00e9", passed=None, score=None, partial=True),
        award(18, **OUTSIDE),
        row(19, credits=[{"category": "\u00c9thique", "hours": Decimal("1.005")}]),
        row(20, person_id="p-20", record_id="r20", completed_on=date(2025, 12, 31)),
    ]


OPTIONS = {
    "default": {},
    "mbox": {"actor": "mbox"},
    "post": {"person_ref": "external_ids.state_post", "account_homepage": "https://post.example"},
    "email-fr": {"person_ref": "email", "language": "fr-CA", "more": "https://m.example/?a=\u00e9"},
    "person-no-revoked": {"person_ref": "person_id", "include_revoked": False},
}

# sha256 of the whole export, written by the dict-by-dict writer
EXPECTED = {
    "default": "6a0c91403cbd06b315348b3ca30128bc369cb3fc42af740551d4e30c6082cb8c",
    "email-fr": "70bfee4342167b262f535ec87f85cf0616d6f7cb5691221688062f0ce153ac1c",
    "mbox": "5e7b5f55785fc6cc56486da45f0dbec34048fe9c74b8502df3ac96f79684fd26",
    "person-no-revoked": "768220c2ed6bdc9a3b9148c0abb7f4802a31976b45169291e7d825e69fbb657d",
    "post": "7c76c0c67abaad2bef063263152132d549b3dd51dd6ed55d8df7c44391c40e59",
}


@pytest.mark.parametrize("name", sorted(OPTIONS))
def test_the_export_keeps_every_byte(name):
    body = b"".join(lms.write("xapi", records(), {"base_url": BASE, **OPTIONS[name]}))
    assert hashlib.sha256(body).hexdigest() == EXPECTED[name]
