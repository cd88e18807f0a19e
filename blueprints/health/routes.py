"""GET /health: public."""

from flask.views import MethodView

from api import Blueprint
from database import schema_version

from .schemas import HealthSchema

blp = Blueprint(
    "health",
    __name__,
    url_prefix="/api/v1/health",
    description="Liveness of the API and its database.",
)


@blp.route("")
class Health(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    def get(self):
        """Report that the API and its database answer."""
        return {"status": "ok", "schema_version": schema_version()}
