"""GET /verify/{code}: anyone may check a certificate."""

from flask.views import MethodView

from api import Blueprint, abort
from models import Award, Completion
from rules.codes import ALPHABET
from rules.records import completion_status, current_award_status

from .schemas import VerificationSchema

blp = Blueprint(
    "verify",
    __name__,
    url_prefix="/api/v1/verify",
    description="Public check of a certificate's verification code.",
)


def _issuer_name(offering, fallback_agency):
    agency = offering.host_agency if offering is not None else fallback_agency
    return agency.name if agency is not None else None


@blp.route("/<string:code>")
class Verify(MethodView):
    @blp.doc(security=[])
    @blp.response(200, VerificationSchema)
    def get(self, code):
        """Check a certificate: its status, holder's name, title, dates and hours."""
        code = code.strip().upper()
        if not code or any(ch not in ALPHABET for ch in code):
            abort(404, message="No certificate has this code.")
        award = Award.get_or_none(Award.verify_code == code)
        if award is not None:
            return {
                "status": current_award_status(award),
                "kind": "award",
                "person_name": award.person.full_name,
                "title": award.certification.name,
                "number": award.number,
                "issued_on": award.issued_on,
                "expires_on": award.expires_on,
                "hours": award.completion.hours if award.completion_id else None,
                "issuer": _issuer_name(award.offering, None),
            }
        completion = Completion.get_or_none(Completion.verify_code == code)
        if completion is None:
            abort(404, message="No certificate has this code.")
        issuer = (
            completion.provider
            if completion.external
            else _issuer_name(completion.offering, completion.issuer)
        )
        return {
            "status": completion_status(completion),
            "kind": "completion",
            "person_name": completion.person.full_name,
            "title": completion.title,
            "number": None,
            "issued_on": completion.completed_on,
            "expires_on": None,
            "hours": completion.hours,
            "issuer": issuer,
        }
