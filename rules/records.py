"""Issued records: their status at read time, and revocation with a reason."""

import audit
from models import Award, Completion, utcnow

from . import clock
from .codes import award_number, new_verify_code
from .errors import Conflict
from .expiry import award_status


def completion_status(completion):
    return "revoked" if completion.revoked_at else "valid"


def current_award_status(award, on=None):
    return award_status(award.revoked_at is not None, award.expires_on, on or clock.today())


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


def _audit_revocation(entity, record, before, reason, actor, agency_id):
    audit.record(
        "revoke",
        entity,
        record.id,
        before=before,
        after=audit.snapshot(record),
        reason=reason,
        agency_id=agency_id,
        person_agency_id=record.person.agency_id,
        user=actor,
    )


def revoke_award(award, reason, actor=None, on_close=False):
    """Revoke one award; a revoked award stays on record and shows as revoked.

    `on_close`: revoked by re-closing its offering, not by a person's decision (which a
    re-close must respect and never undo).
    """
    if award.revoked_at:
        raise Conflict(f"Award {award.number} is already revoked.")
    before = audit.snapshot(award)
    award.revoked_at, award.revoked_reason = utcnow(), reason
    award.revoked_on_close = on_close
    award.save()
    issuer = award.offering.host_agency_id if award.offering_id else None
    _audit_revocation("award", award, before, reason, actor, issuer)


def revoke_completion(completion, reason, actor=None, with_awards=True, on_close=False):
    """Revoke a completion and, with the same reason, the awards it earned."""
    if completion.revoked_at:
        raise Conflict(f"Completion {completion.id} is already revoked.")
    before = audit.snapshot(completion)
    completion.revoked_at, completion.revoked_reason = utcnow(), reason
    completion.revoked_on_close = on_close
    completion.save()
    _audit_revocation("completion", completion, before, reason, actor, completion.issuer_id)
    if with_awards:
        for award in completion.awards.where(Award.revoked_at.is_null()):
            revoke_award(award, reason, actor, on_close)


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
