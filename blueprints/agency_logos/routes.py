"""/agencies/{id}/logo: the image printed on the certificates of the classes it hosts."""

from flask import Response, request
from flask.views import MethodView

from api import Blueprint, abort
from auth import current_user
from operations.agency_logos import MAX_BYTES, replace_logo
from policy import agency_logo_managed_by, get_agency
from queries.certificates import current_logo

from .schemas import AgencyLogoSchema

blp = Blueprint(
    "agency_logos",
    __name__,
    url_prefix="/api/v1/agencies",
    description="The logo an agency prints on the certificates of the classes it hosts.",
)

IMAGE = {"schema": {"type": "string", "format": "binary"}}
PUT_DOC = {
    "requestBody": {
        "required": True,
        "description": "The PNG or JPEG file itself (at most 512 KB, 16 to 2048 pixels a "
        "side); its type is read from its content, whatever the Content-Type says.",
        "content": {"image/png": IMAGE, "image/jpeg": IMAGE},
    }
}
GET_DOC = {
    "responses": {
        "200": {"description": "The logo.", "content": {"image/png": IMAGE, "image/jpeg": IMAGE}},
        "304": {"description": "Unchanged since the ETag sent in If-None-Match."},
    }
}


def _body():
    """The request body, read no further than the limit allows."""
    too_big = f"The logo may be at most {MAX_BYTES:,} bytes (512 KB)."
    if (request.content_length or 0) > MAX_BYTES:
        abort(413, message=too_big, errors={"body": {"logo": [too_big]}})
    content = request.stream.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        abort(413, message=too_big, errors={"body": {"logo": [too_big]}})
    return content


@blp.route("/<int:agency_id>/logo")
class AgencyLogoItem(MethodView):
    @blp.doc(**GET_DOC)
    def get(self, agency_id):
        """Download the agency's logo (any signed-in user)."""
        current_user()
        logo = current_logo(get_agency(agency_id).id)
        if logo is None:
            abort(404, message=f"Agency {agency_id} has no logo.")
        response = Response(bytes(logo.content), mimetype=logo.media_type)
        response.set_etag(logo.sha256)
        response.headers["Cache-Control"] = "private, no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        # Never shown inline as a page of this site: a download, whatever its bytes hold.
        extension = "png" if logo.media_type == "image/png" else "jpg"
        disposition = f'attachment; filename="agency-{agency_id}-logo.{extension}"'
        response.headers["Content-Disposition"] = disposition
        return response.make_conditional(request)

    @blp.doc(**PUT_DOC)
    @blp.response(200, AgencyLogoSchema)
    def put(self, agency_id):
        """Replace the agency's logo (its coordinator, admin); the old one is kept."""
        user = current_user()
        agency = agency_logo_managed_by(user, agency_id)
        return replace_logo(agency, _body(), user)
