"""/docs-assets/swagger-ui/<file>: the docs page's scripts and styles, with no CDN, so
/api/v1/docs works on networks with no way out."""

import flask
from flask import send_from_directory
from swagger_ui_bundle import swagger_ui_path

from api import Blueprint

blp = Blueprint("docs_assets", __name__, url_prefix="/docs-assets")


def swagger_ui_asset(filename):
    """One file of the Swagger UI distribution (404 outside it)."""
    return send_from_directory(swagger_ui_path, filename, max_age=86400)


# Plain Flask routing: static files are not API operations, so not in the OpenAPI document.
flask.Blueprint.add_url_rule(
    blp, "/swagger-ui/<path:filename>", "swagger_ui", swagger_ui_asset, methods=["GET"]
)
