"""/catalog: upcoming open classes the caller's agency may join, with its seats left."""

from flask.views import MethodView

from api import Blueprint, MappedQuery, abort
from auth import current_user
from models import Offering, to_utc
from policy import catalog_agency, catalog_condition
from queries.catalog import catalog_query, catalog_views
from rules import clock

from .schemas import CatalogEntrySchema, CatalogQuerySchema

blp = Blueprint(
    "catalog",
    __name__,
    url_prefix="/api/v1/catalog",
    description="Open classes of every host, as the caller's agency may join them.",
)


def _window(args):
    return {
        **args,
        **{k: to_utc(args[k]) for k in ("starts_after", "starts_before") if k in args},
    }


@blp.route("")
class Catalog(MethodView):
    @blp.arguments(CatalogQuerySchema, location="query")
    @blp.response(200, CatalogEntrySchema(many=True))
    @blp.paginate()
    def get(self, args):
        """List upcoming offerings the caller's agency may join, soonest first.

        Each shows its host, course (kind, hours, credit categories, what it awards),
        sessions in the host's timezone, location and the seats left for the caller's
        agency (its reserved seats left, then the general seats left).
        """
        user = current_user()
        agency_id = catalog_agency(user, args.get("agency_id"))
        now = clock.now()  # the clock registrations count seats by
        query = catalog_query(catalog_condition(user, agency_id), now, _window(args))
        return MappedQuery(query, lambda page: catalog_views(page, agency_id, now))


@blp.route("/<int:offering_id>")
class CatalogItem(MethodView):
    @blp.response(200, CatalogEntrySchema)
    def get(self, offering_id):
        """Read one upcoming offering of the caller's catalog (404 if not open to it)."""
        user = current_user()
        agency_id = catalog_agency(user)
        now = clock.now()  # the clock registrations count seats by
        query = catalog_query(catalog_condition(user, agency_id), now, {})
        offering = query.where(Offering.id == offering_id).first()
        if offering is None:
            abort(404, message=f"No offering {offering_id} in this catalog.")
        return catalog_views([offering], agency_id, now)[0]
