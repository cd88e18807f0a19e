"""Outside training submitted for credit: created, evidenced, and reviewed by one path.

Approving issues, in the same transaction, an external completion in the person's name
with the person's home agency as issuer; rejecting says why.
"""

import hashlib

from database import in_write_transaction
from models import Completion, Submission, utcnow
from rules import clock
from rules.codes import new_verify_code
from rules.errors import RuleViolation
from rules.hours import as_hours
from rules.submissions import (
    check_evidence,
    check_review,
    check_submission,
    not_pending,
    reviewed_status,
)

from . import audit
from .events import submission_event


def snapshot(submission, **extra):
    """A submission as the audit trail keeps it: never its evidence bytes."""
    after = audit.snapshot(submission, **extra)
    after.pop("evidence", None)  # a partially loaded row shows None; the bytes never go in
    return after


def evidence_facts(submission, size, digest):
    """What the audit trail keeps of a submission's evidence (never its bytes)."""
    return {
        "evidence_name": submission.evidence_name,
        "evidence_type": submission.evidence_type,
        "evidence_size": size,
        "evidence_sha256": digest,
    }


def _change_pending(submission, **values):
    """Update the row only while it is still pending, so two reviewers cannot both win."""
    values["updated_at"] = utcnow()
    changed = (
        Submission.update(**values)
        .where(Submission.id == submission.id, Submission.status == "pending")
        .execute()
    )
    if not changed:
        status = Submission.select(Submission.status).where(Submission.id == submission.id).scalar()
        raise not_pending(submission.id, status)
    for name, value in values.items():
        setattr(submission, name, value)


@in_write_transaction
def create_submission(person, data, actor):
    """Submit outside training for `person`, pending review by their home agency."""
    if person.merged_into_id:
        raise RuleViolation(
            "Merged person.",
            {"person_id": [f"Merged into person {person.merged_into_id}; submit for that person."]},
        )
    data = check_submission(data, clock.today(person.agency.timezone))
    submission = Submission.create(person=person, status="pending", **data)
    audit.record(
        actor,
        "create",
        "submission",
        submission.id,
        after=snapshot(submission),
        agency_id=person.agency_id,
        person_agency_id=person.agency_id,
    )
    return submission


@in_write_transaction
def attach_evidence(submission, filename, content, actor):
    """Store evidence on a pending submission (replacing any): PDF, PNG or JPEG, 10 MB."""
    media_type, name = check_evidence(filename, content)
    before = snapshot(submission)
    _change_pending(submission, evidence=content, evidence_name=name, evidence_type=media_type)
    after = snapshot(
        submission,
        **evidence_facts(submission, len(content), hashlib.sha256(content).hexdigest()),
    )
    agency_id = submission.person.agency_id
    audit.record(
        actor,
        "update",
        "submission",
        submission.id,
        before=before,
        after=after,
        agency_id=agency_id,
        person_agency_id=agency_id,
    )
    return submission


def _issue_external_completion(submission, person, actor):
    completion = Completion.create(
        person=person.id,
        offering=None,
        course=None,
        issuer=person.agency_id,
        title=submission.title,
        provider=submission.provider,
        hours=as_hours(submission.hours),
        credits=submission.credits,  # stored as check_submission cleaned them
        completed_on=submission.completed_on,
        external=True,
        partial=False,
        verify_code=new_verify_code(),
    )
    Submission.update(completion=completion).where(Submission.id == submission.id).execute()
    submission.completion = completion
    audit.created(
        actor,
        "completion",
        completion,
        reason=f"Approved outside training (submission {submission.id}).",
        agency_id=person.agency_id,
        person_agency_id=person.agency_id,
    )
    return completion


@in_write_transaction
def review_submission(submission, decision, comment, actor):
    """Approve (issuing its external completion) or reject (saying why) a pending
    submission; the one path for both decisions."""
    comment = check_review(decision, comment)
    person = submission.person
    before = snapshot(submission)
    _change_pending(
        submission,
        status=reviewed_status(decision),
        comment=comment,
        reviewed_by=actor,
        reviewed_at=utcnow(),
    )
    if decision == "approve":
        _issue_external_completion(submission, person, actor)
    audit.record(
        actor,
        decision,
        "submission",
        submission.id,
        before=before,
        after=snapshot(submission),
        reason=comment,
        agency_id=person.agency_id,
        person_agency_id=person.agency_id,
    )
    submission_event(submission, decision)
    return submission
