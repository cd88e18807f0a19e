"""Scheduling an offering and changing it while it is open."""

from database import in_write_transaction
from models import Offering
from queries.offerings import offering_view

from . import audit
from .offering_lock import claim_open
from .schedule import check_instructors, save_instructors, save_sessions


def _snapshot(offering):
    offering_view(offering)
    return audit.snapshot(
        offering, instructor_ids=offering.instructor_ids, sessions=offering.sessions
    )


@in_write_transaction
def create_offering(course, data, actor):
    """Schedule `course` with its sessions and instructors at the host agency."""
    check_instructors(data["instructor_ids"])
    offering = Offering.create(
        course=course, host_agency=data["host_agency_id"], location=data["location"]
    )
    save_sessions(offering, data["sessions"])
    save_instructors(offering, data["instructor_ids"])
    audit.record(
        actor,
        "create",
        "offering",
        offering.id,
        after=_snapshot(offering),
        agency_id=offering.host_agency_id,
    )
    return offering


@in_write_transaction
def update_offering(offering, data, actor):
    """Change location, sessions or instructors of an open offering."""
    if "instructor_ids" in data:
        check_instructors(data["instructor_ids"])
    claim_open(offering)
    before = _snapshot(offering)
    if "location" in data:
        offering.location = data["location"]
        offering.save()
    if "sessions" in data:
        save_sessions(offering, data["sessions"])
    if "instructor_ids" in data:
        save_instructors(offering, data["instructor_ids"])
    audit.record(
        actor,
        "update",
        "offering",
        offering.id,
        before=before,
        after=_snapshot(offering),
        agency_id=offering.host_agency_id,
    )
    return offering
