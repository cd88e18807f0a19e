"""GET /offerings/{id}/sign-in-sheet.pdf: the printable roster a state board asks the host
to keep, with a QR code for self check-in."""

import io

from flask.views import MethodView

from api import Blueprint
from auth import current_user
from blueprints.documents import PDF_DOC, pdf_response, public_base_url
from certificates import write_sign_in_sheet
from operations.check_ins import make_check_in_code
from policy import offering_run_by
from queries.sign_in_sheets import sign_in_sheet_data

from .schemas import SignInSheetQuerySchema

blp = Blueprint(
    "sign_in_sheets",
    __name__,
    url_prefix="/api/v1/offerings",
    description="The printable sign-in sheet of a class, with a self check-in QR code.",
)


@blp.route("/<int:offering_id>/sign-in-sheet.pdf")
class SignInSheet(MethodView):
    @blp.arguments(SignInSheetQuerySchema, location="query")
    @blp.doc(**PDF_DOC)
    def get(self, args, offering_id):
        """The sign-in sheet (instructors, host coordinator, admin): course, numbers, sessions
        in the host's time, location, instructors, a row per enrolled person with their agency
        and the regulator id `id_scheme` names, blank rows for walk-ins, and a QR code
        carrying the class's check-in code."""
        user = current_user()
        offering = offering_run_by(user, offering_id)
        code = make_check_in_code(offering, actor=user)
        data = sign_in_sheet_data(
            offering, code, public_base_url(), args.get("id_scheme"), args["blank_rows"]
        )
        out = io.BytesIO()
        write_sign_in_sheet(data, out)
        return pdf_response(
            out.getvalue(), f"sign-in-sheet-{offering.id}.pdf", cache_control="private, no-store"
        )
