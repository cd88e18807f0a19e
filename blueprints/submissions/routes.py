"""/submissions: outside training submitted for credit, its evidence, and its review."""

import io

from flask import send_file
from flask.views import MethodView

from api import Blueprint, abort
from auth import current_user
from models import Person, Submission
from operations.submissions import attach_evidence, create_submission, review_submission
from policy import (
    get_submission,
    person_submittable_by,
    submission_reviewable_by,
    submissions_query,
)
from rules.errors import RuleViolation
from rules.submissions import MAX_EVIDENCE_BYTES

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


def review(submission_id, decision, comment):
    """Approve or reject a submission the caller may review; the result."""
    user = current_user("admin", "coordinator")
    submission = submission_reviewable_by(user, submission_id)
    review_submission(submission, decision, comment, user)
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
        person = person_submittable_by(user, data.pop("person_id"))
        submission = create_submission(person, data, user)
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
            attach_evidence(submission, upload.filename, content, user)
        except RuleViolation as error:  # the file came as multipart, not as JSON
            abort(422, message=error.message, errors={"files": error.errors})
        return get_submission(user, submission_id)


@blp.route("/<int:submission_id>/approve")
class SubmissionApprove(MethodView):
    @blp.arguments(ApproveSchema)
    @blp.response(200, SubmissionSchema)
    def post(self, data, submission_id):
        """Approve a pending submission into an external completion (home coordinator, admin)."""
        return review(submission_id, "approve", data["comment"])


@blp.route("/<int:submission_id>/reject")
class SubmissionReject(MethodView):
    @blp.arguments(RejectSchema)
    @blp.response(200, SubmissionSchema)
    def post(self, data, submission_id):
        """Reject a pending submission, saying why (home coordinator, admin)."""
        return review(submission_id, "reject", data["comment"])
