"""Certificate PDFs: a completion's, an award's, and a whole class's in one file."""

import itertools

from flask import Response, request
from flask.views import MethodView

from api import Blueprint, abort
from auth import current_user
from blueprints.documents import PDF_DOC, pdf_response, public_base_url
from certificates import iter_certificates_pdf, render_certificate
from policy import offering_run_by, readable_award, readable_completion
from queries.certificates import (
    certificate_data,
    etag,
    offering_certificates,
    offering_records,
)

blp = Blueprint(
    "certificates",
    __name__,
    url_prefix="/api/v1",
    description="PDF certificates: one record's, or a whole class's in one file.",
)

CERTIFICATE_DOC = {
    "responses": {
        **PDF_DOC["responses"],
        "304": {"description": "Unchanged since the ETag sent in If-None-Match."},
        "410": {"description": "The record was revoked; the body gives the reason."},
    }
}


def certificate_response(record, noun):
    """The record's certificate, 304 when the caller's copy is current (nothing rendered),
    410 with the reason when it was revoked."""
    if record.revoked_at is not None:
        abort(410, message=f"This {noun} was revoked: {record.revoked_reason}")
    if record.offering_id is None:
        # Outside training, or a card recorded from elsewhere: Muster did not issue it.
        abort(404, message=f"This {noun} came from outside training; its provider issues it.")
    data = certificate_data(record, public_base_url())
    tag = etag(data)
    if request.if_none_match.contains_weak(tag):
        response = Response(status=304)
    else:
        response = pdf_response(render_certificate(data), f"{noun}-{record.id}.pdf")
    response.set_etag(tag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@blp.route("/completions/<int:completion_id>/certificate.pdf")
class CompletionCertificate(MethodView):
    @blp.doc(**CERTIFICATE_DOC)
    def get(self, completion_id):
        """Download a completion's certificate (the person, coordinators, instructors)."""
        completion = readable_completion(current_user(), completion_id, "completion")
        return certificate_response(completion, "completion")


@blp.route("/awards/<int:award_id>/certificate.pdf")
class AwardCertificate(MethodView):
    @blp.doc(**CERTIFICATE_DOC)
    def get(self, award_id):
        """Download an award's certificate (the person, coordinators, instructors)."""
        return certificate_response(readable_award(current_user(), award_id, "award"), "award")


@blp.route("/offerings/<int:offering_id>/certificates.pdf")
class OfferingCertificates(MethodView):
    @blp.doc(**CERTIFICATE_DOC)
    def get(self, offering_id):
        """Download every valid certificate of a class in one PDF, a page each, streamed."""
        offering = offering_run_by(current_user(), offering_id)
        records = offering_records(offering)
        first = next(records, None)
        if first is None:
            abort(404, message="This class has no valid completion or award to print.")
        pages = offering_certificates(
            offering, public_base_url(), itertools.chain([first], records)
        )
        return pdf_response(
            iter_certificates_pdf(pages), f"offering-{offering.id}-certificates.pdf"
        )
