"""/agencies/{id}/export-profile: the format a home agency imports, and its options."""

from flask import current_app
from flask.views import MethodView

from api import Blueprint, abort
from auth import current_user
from operations.exports import put_export_profile
from policy import agency_exports_of
from queries.exports import profile_of, profile_view

from .schemas import ExportProfileSchema

blp = Blueprint(
    "export_profiles",
    __name__,
    url_prefix="/api/v1/agencies",
    description="The export format each home agency accepts, with its options.",
)


@blp.route("/<int:agency_id>/export-profile")
class ExportProfileItem(MethodView):
    @blp.response(200, ExportProfileSchema)
    def get(self, agency_id):
        """Read the agency's export profile, secrets masked (its coordinator, admin)."""
        agency = agency_exports_of(current_user(), agency_id)
        profile = profile_of(agency.id)
        if profile is None:
            abort(404, message=f"Agency {agency.id} has no export profile yet.")
        return profile_view(profile)

    @blp.arguments(ExportProfileSchema)
    @blp.response(200, ExportProfileSchema)
    def put(self, data, agency_id):
        """Set the agency's export format and options (its coordinator, admin)."""
        user = current_user()
        agency = agency_exports_of(user, agency_id)
        secret_key = current_app.config["SECRET_KEY"]
        return profile_view(put_export_profile(agency, data, user, secret_key=secret_key))
