"""/submissions: outside training submitted for credit, its evidence, and its review."""

import io

from flask import send_file
from flask.views import MethodView
from peewee import fn

import audit
from api import Blueprint, abort, invalid, one_or_404
from auth import current_user
from database import db
from models import Person, Submission
from policy import is_admin, manages_agency, people_query
from rules import clock
from rules.errors import RuleViolation
from rules.submissions import (
    MAX_EVIDENCE_BYTES,
    approve,
    attach_evidence,
    check_submission,
    reject,
    snapshot,
)

from .schemas import (
    ApproveSchema,
    EvidenceSchema,
    RejectSchema,
    SubmissionQuerySchema,
    SubmissionSchema,
)

blp = Blueprint(
    "submissions",
    __name__,
    url_prefix="/api/v1/submissions",
    description="Outside training submitted for credit and its review by the person's home agency.",
)

# every column but the evidence bytes, which only GET .../evidence reads
LISTED = [field for field in Submission._meta.sorted_fields if field is not Submission.evidence]


def submissions_query(user):
    """Submissions the caller may read: a coordinator its agency's people's, others their own."""
    query = Submission.select(
        *LISTED, fn.LENGTH(Submission.evidence).alias("evidence_size"), Person
    ).join(Person, on=(Submission.person == Person.id))
    if is_admin(user):
        return query
    own = Submission.person == (user.person_id or 0)
    if user.role == "coordinator":
        return query.where((Person.agency == user.agency_id) | own)
    return query.where(own)


def get_submission(user, submission_id):
    """The submission if the caller may read it; 404 otherwise (existence is not revealed)."""
    return one_or_404(submissions_query(user), submission_id, "submission")


def submitted_for(user, person_id):
    """The person a submission is for: the caller's own, or one of a person it manages."""
    person_id = person_id or user.person_id
    if person_id is None:
        abort(
            422,
            message="Name the person.",
            errors={"json": {"person_id": ["Required: this user has no person of its own."]}},
        )
    person = people_query(user).where(Person.id == person_id).first()
    if person is None:
        invalid("person_id", "Unknown person.")
    if person.id != user.person_id and not manages_agency(user, person.agency_id):
        abort(
            403,
            message="Only the person, its agency's coordinator or an admin may "
            "submit training for it.",
        )
    if person.merged_into_id:
        abort(
            422,
            message="Merged person.",
            errors={
                "json": {
                    "person_id": [
                        f"Merged into person {person.merged_into_id}; submit for that person."
                    ]
                }
            },
        )
    return person


def require_reviewer(user, submission):
    """Admins and the person's home coordinator review, never their own submission."""
    if not manages_agency(user, submission.person.agency_id):
        abort(
            403,
            message="Only the person's home agency's coordinator or an admin may "
            "review a submission.",
        )
    if user.person_id is not None and user.person_id == submission.person_id:
        abort(
            403, message="Nobody reviews their own submission: ask another coordinator or an admin."
        )


def review(submission_id, decide, comment):
    """Approve or reject (`decide`) a submission the caller may review; the result."""
    user = current_user("admin", "coordinator")
    submission = get_submission(user, submission_id)
    require_reviewer(user, submission)
    with db.atomic():
        decide(submission, submission.person, user, comment)
    return get_submission(user, submission_id)


@blp.route("")
class Submissions(MethodView):
    @blp.arguments(SubmissionQuerySchema, location="query")
    @blp.response(200, SubmissionSchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List submissions, newest first (officer: its own; coordinator: its agency's people)."""
        query = submissions_query(current_user())
        if "status" in args:
            query = query.where(Submission.status == args["status"])
        if "person_id" in args:
            query = query.where(Submission.person == args["person_id"])
        if "agency_id" in args:
            query = query.where(Person.agency == args["agency_id"])
        return query.order_by(Submission.created_at.desc(), Submission.id.desc())

    @blp.arguments(SubmissionSchema)
    @blp.response(201, SubmissionSchema)
    def post(self, data):
        """Submit outside training for review (for oneself; a coordinator for its people)."""
        user = current_user()
        person = submitted_for(user, data.pop("person_id"))
        data = check_submission(data, clock.today(person.agency.timezone))
        with db.atomic():
            submission = Submission.create(person=person, status="pending", **data)
            audit.record(
                "create",
                "submission",
                submission.id,
                after=snapshot(submission),
                agency_id=person.agency_id,
                person_agency_id=person.agency_id,
            )
        return get_submission(user, submission.id)


@blp.route("/<int:submission_id>")
class SubmissionItem(MethodView):
    @blp.response(200, SubmissionSchema)
    def get(self, submission_id):
        """Read a submission (404 outside the caller's scope)."""
        return get_submission(current_user(), submission_id)


@blp.route("/<int:submission_id>/evidence")
class SubmissionEvidence(MethodView):
    @blp.doc(
        responses={
            200: {
                "description": "The evidence file, as an attachment with its name.",
                "content": {
                    media_type: {"schema": {"type": "string", "format": "binary"}}
                    for media_type in ("application/pdf", "image/png", "image/jpeg")
                },
            }
        }
    )
    def get(self, submission_id):
        """Download a submission's evidence file."""
        submission = get_submission(current_user(), submission_id)
        if submission.evidence_size is None:
            abort(404, message=f"Submission {submission_id} has no evidence.")
        content = (
            Submission.select(Submission.evidence).where(Submission.id == submission_id).scalar()
        )
        response = send_file(
            io.BytesIO(bytes(content)),
            mimetype=submission.evidence_type,
            as_attachment=True,
            download_name=submission.evidence_name,
            max_age=0,
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @blp.arguments(EvidenceSchema, location="files")
    @blp.response(200, SubmissionSchema)
    def put(self, files, submission_id):
        """Attach (or replace) the evidence of a pending submission: PDF, PNG or JPEG, 10 MB."""
        user = current_user()
        submission = get_submission(user, submission_id)
        upload = files["file"]
        content = upload.stream.read(MAX_EVIDENCE_BYTES + 1)
        try:
            with db.atomic():
                attach_evidence(submission, upload.filename, content, submission.person.agency_id)
        except RuleViolation as error:  # the file came as multipart, not as JSON
            abort(422, message=error.message, errors={"files": error.errors})
        return get_submission(user, submission_id)


@blp.route("/<int:submission_id>/approve")
class SubmissionApprove(MethodView):
    @blp.arguments(ApproveSchema)
    @blp.response(200, SubmissionSchema)
    def post(self, data, submission_id):
        """Approve a pending submission into an external completion (home coordinator, admin)."""
        return review(submission_id, approve, data["comment"])


@blp.route("/<int:submission_id>/reject")
class SubmissionReject(MethodView):
    @blp.arguments(RejectSchema)
    @blp.response(200, SubmissionSchema)
    def post(self, data, submission_id):
        """Reject a pending submission, saying why (home coordinator, admin)."""
        return review(submission_id, reject, data["comment"])
