"""Issued records: awards numbered on creation, and one path for revoking either kind."""

from database import in_write_transaction
from models import Award, Completion, utcnow
from rules.codes import award_number, new_verify_code
from rules.errors import Conflict

from . import audit
from .events import record_event


def create_award(certification, issued_on, **fields):
    """Store an award with its verify code and its number (which needs the award's id)."""
    award = Award.create(
        certification=certification,
        issued_on=issued_on,
        verify_code=new_verify_code(),
        number=new_verify_code(20),
        **fields,
    )
    award.number = award_number(certification.code or certification.name, issued_on, award.id)
    award.save()
    return award


def issuing_agency_id(record):
    """The agency that issued a completion or an award (its class's host, else its keeper)."""
    if isinstance(record, Completion):
        return record.issuer_id
    return record.offering.host_agency_id if record.offering_id else None


@in_write_transaction
def revoke(record, reason, actor, *, on_close=False, with_awards=True):
    """Revoke a completion or an award with a reason; it stays on record, shown as revoked.

    A completion's awards are revoked with it (unless `with_awards` is false: a re-close
    hands them to the completion that supersedes it). `on_close`: revoked by re-closing the
    offering, not by a person's decision, which a re-close must respect and never undo.
    """
    entity = "completion" if isinstance(record, Completion) else "award"
    if record.revoked_at:
        label = record.number if entity == "award" else record.id
        raise Conflict(f"{entity.capitalize()} {label} is already revoked.")
    audit.change(
        actor,
        "revoke",
        entity,
        record,
        {"revoked_at": utcnow(), "revoked_reason": reason, "revoked_on_close": on_close},
        reason=reason,
        agency_id=issuing_agency_id(record),
        person_agency_id=record.person.agency_id,
    )
    record_event(f"{entity}.revoked", record)
    if entity == "completion" and with_awards:
        for award in record.awards.where(Award.revoked_at.is_null()):
            revoke(award, reason, actor, on_close=on_close)
    return record


def valid_completion(offering_id, person_id):
    return (
        Completion.select()
        .where(
            Completion.offering == offering_id,
            Completion.person == person_id,
            Completion.revoked_at.is_null(),
        )
        .first()
    )
