"""Recording pass/fail and scores for an open offering."""

from database import in_write_transaction
from models import Result, RosterEntry
from rules.errors import RuleViolation

from . import audit
from .offering_lock import claim_open


@in_write_transaction
def record_results(offering, rows, actor):
    """Upsert pass/fail and score per enrolled person; one bad row writes nothing."""
    claim_open(offering)
    enrolled = {
        row[0]
        for row in RosterEntry.select(RosterEntry.person)
        .where(RosterEntry.offering == offering, RosterEntry.status == "enrolled")
        .tuples()
    }
    errors, seen = {}, set()
    for index, row in enumerate(rows):
        if row["person_id"] not in enrolled:
            errors[str(index)] = {"person_id": ["Not on this offering's roster."]}
        elif row["person_id"] in seen:
            errors[str(index)] = {"person_id": ["Listed twice in this batch."]}
        seen.add(row["person_id"])
    if errors:
        raise RuleViolation("Some results cannot be recorded; nothing was written.", errors)
    existing = {
        r.person_id: r
        for r in Result.select().where(Result.offering == offering, Result.person.in_(seen or {0}))
    }
    for row in rows:
        result = existing.get(row["person_id"]) or Result(
            offering=offering, person=row["person_id"]
        )
        result.passed, result.score = row["passed"], row["score"]
        result.save()
    audit.record(
        actor,
        "record",
        "offering_results",
        offering.id,
        after=rows,
        agency_id=offering.host_agency_id,
    )
