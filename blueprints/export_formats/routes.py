"""/export-formats: what the server can write, each format's options and presets."""

from flask.views import MethodView

import lms
from api import Blueprint
from auth import current_user
from lms.describe import describe

from .schemas import ExportFormatSchema

blp = Blueprint(
    "export_formats",
    __name__,
    url_prefix="/api/v1/export-formats",
    description="The export formats, their options (as JSON Schema) and presets.",
)


@blp.route("")
class ExportFormats(MethodView):
    @blp.response(200, ExportFormatSchema(many=True))
    def get(self):
        """List the export formats with their options schemas and presets (any signed-in user)."""
        current_user()
        return [describe(fmt) for fmt in lms.formats()]
