"""Outside training submitted for credit: what may be submitted, and its review.

A submission is held to the same figures as any record of hours: more than 0 and at
most 1000 hours, each credit category once and within the hours, a date that is not in
the future where the person's agency is. Evidence is a PDF, PNG or JPEG of at most
10 MB, recognised by its content, not by its name. Only a pending submission is
reviewed; a rejection says why. (operations/submissions.py writes and issues.)
"""

import unicodedata

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


def check_review(decision, comment):
    """The comment a review keeps (None if blank); a rejection must say why."""
    if decision not in ("approve", "reject"):
        raise RuleViolation("Unknown decision.", {"decision": ["Must be approve or reject."]})
    comment = (comment or "").strip() or None
    if decision == "reject" and comment is None:
        raise RuleViolation(
            "A rejection must say why.", {"comment": ["Say why the submission is rejected."]}
        )
    return comment


def reviewed_status(decision):
    return {"approve": "approved", "reject": "rejected"}[decision]


def not_pending(submission_id, status):
    """The conflict of changing or reviewing a submission no longer pending."""
    return Conflict(
        f"Submission {submission_id} is {status}; only a pending "
        "submission can be changed or reviewed."
    )
