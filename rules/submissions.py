"""Outside training submitted for credit: what may be submitted, and its review.

A submission is held to the same figures as any record of hours: more than 0 and at
most 1000 hours, each credit category once and within the hours, a date that is not in
the future where the person's agency is. Evidence is a PDF, PNG or JPEG of at most
10 MB, recognised by its content, not by its name. Only a pending submission is
reviewed; approving it issues, in the same transaction, an external completion in the
person's name with the person's home agency as issuer.
"""

import hashlib
import unicodedata

import audit
from models import Completion, Submission, utcnow

from .codes import new_verify_code
from .errors import Conflict, RuleViolation
from .hours import as_hours, stored_credits

STATUSES = ("pending", "approved", "rejected")
MAX_HOURS = as_hours(1000)
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# leading bytes of each accepted file type, and the extension a nameless file gets
EVIDENCE_SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
MAX_NAME_LENGTH = 255


def check_submission(data, today):
    """The submission's fields, cleaned (credit hours as "4.00"); RuleViolation naming fields."""
    errors = {}
    cleaned = dict(data)
    for name in ("title", "provider"):
        cleaned[name] = (data.get(name) or "").strip()
        if not cleaned[name]:
            errors[name] = ["Must not be blank."]
    if data["completed_on"] > today:
        errors["completed_on"] = [f"Cannot be in the future (today is {today.isoformat()})."]
    hours = as_hours(data["hours"])
    if not 0 < hours <= MAX_HOURS:
        errors["hours"] = [f"Must be more than 0 and at most {MAX_HOURS}."]
    cleaned["hours"] = hours
    categories = [credit["category"] for credit in data.get("credits") or ()]
    credit_errors = {}
    for index, credit in enumerate(data.get("credits") or ()):
        problems = {}
        if credit["category"] in categories[:index]:
            problems["category"] = ["Listed twice."]
        credit_hours = as_hours(credit["hours"])
        if credit_hours <= 0:
            problems["hours"] = ["Must be more than 0."]
        elif credit_hours > hours:
            problems["hours"] = ["More than the submission's hours."]
        if problems:
            credit_errors[index] = problems
    if credit_errors:
        errors["credits"] = credit_errors
    if errors:
        raise RuleViolation("The submission is invalid.", errors)
    cleaned["credits"] = stored_credits(data.get("credits"))
    return cleaned


def check_evidence(filename, content):
    """(media type, file name) of acceptable evidence; RuleViolation naming `file` if not."""
    if not content:
        raise RuleViolation("The evidence file is empty.", {"file": ["The file is empty."]})
    if len(content) > MAX_EVIDENCE_BYTES:
        raise RuleViolation("The evidence file is too large.", {"file": ["Larger than 10 MB."]})
    for signature, media_type, extension in EVIDENCE_SIGNATURES:
        if content.startswith(signature):
            return media_type, clean_file_name(filename, extension)
    raise RuleViolation(
        "The evidence must be a PDF, PNG or JPEG file.",
        {"file": ["Must be a PDF, PNG or JPEG file."]},
    )


def clean_file_name(filename, extension):
    """The base name a client sent, without folders or control characters, at most 255."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if not name:
        return "evidence" + extension
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        keep = ("." + ext) if dot and len(ext) <= 10 else ""
        name = name[: MAX_NAME_LENGTH - len(keep)] + keep
    return name


def evidence_facts(submission, size=None, digest=None):
    """What the audit trail keeps of a submission's evidence (never its bytes)."""
    return {
        "evidence_name": submission.evidence_name,
        "evidence_type": submission.evidence_type,
        "evidence_size": size,
        "evidence_sha256": digest,
    }


def snapshot(submission):
    after = audit.snapshot(submission)
    after.pop("evidence", None)  # a partially loaded row shows None; the bytes never go in
    return after


def attach_evidence(submission, filename, content, person_agency_id):
    """Store evidence on a pending submission (replacing any); call inside db.atomic()."""
    media_type, name = check_evidence(filename, content)
    before = snapshot(submission)
    _change_pending(submission, evidence=content, evidence_name=name, evidence_type=media_type)
    after = dict(
        snapshot(submission),
        **evidence_facts(submission, len(content), hashlib.sha256(content).hexdigest()),
    )
    audit.record(
        "update",
        "submission",
        submission.id,
        before=before,
        after=after,
        agency_id=person_agency_id,
        person_agency_id=person_agency_id,
    )
    return submission


def approve(submission, person, reviewer, comment=None):
    """Approve a pending submission and issue its external completion; call in db.atomic()."""
    comment = (comment or "").strip() or None
    before = snapshot(submission)
    now = utcnow()
    _change_pending(
        submission, status="approved", comment=comment, reviewed_by=reviewer, reviewed_at=now
    )
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
    audit.record(
        "create",
        "completion",
        completion.id,
        after=audit.snapshot(completion),
        reason=f"Approved outside training (submission {submission.id}).",
        agency_id=person.agency_id,
        person_agency_id=person.agency_id,
        user=reviewer,
    )
    audit.record(
        "approve",
        "submission",
        submission.id,
        before=before,
        after=snapshot(submission),
        reason=comment,
        agency_id=person.agency_id,
        person_agency_id=person.agency_id,
        user=reviewer,
    )
    return completion


def reject(submission, person, reviewer, comment):
    """Reject a pending submission, saying why; call inside db.atomic()."""
    comment = (comment or "").strip()
    if not comment:
        raise RuleViolation(
            "A rejection must say why.", {"comment": ["Say why the submission is rejected."]}
        )
    before = snapshot(submission)
    now = utcnow()
    _change_pending(
        submission, status="rejected", comment=comment, reviewed_by=reviewer, reviewed_at=now
    )
    audit.record(
        "reject",
        "submission",
        submission.id,
        before=before,
        after=snapshot(submission),
        reason=comment,
        agency_id=person.agency_id,
        person_agency_id=person.agency_id,
        user=reviewer,
    )


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
        raise Conflict(
            f"Submission {submission.id} is {status}; only a pending "
            "submission can be changed or reviewed."
        )
    for name, value in values.items():
        setattr(submission, name, value)
