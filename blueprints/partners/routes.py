"""/agencies/{id}/partners: the agencies an agency lists as partners (one-way)."""

from flask.views import MethodView

from api import Blueprint
from auth import current_user
from operations.partners import partner_links, set_partners
from policy import partners_managed_by

from .schemas import PartnerListInSchema, PartnerListSchema

blp = Blueprint(
    "partners",
    __name__,
    url_prefix="/api/v1/agencies",
    description="Partner agencies (mutual-aid neighbours). Partnership is one-way: when "
    "agency A lists B, A's classes of visibility `partners` are open to B; B lists A "
    "separately for the reverse.",
)


def listed(agency, links):
    return {
        "agency_id": agency.id,
        "partner_ids": [link.partner_id for link in links],
        "partners": links,
    }


@blp.route("/<int:agency_id>/partners")
class Partners(MethodView):
    @blp.response(200, PartnerListSchema)
    def get(self, agency_id):
        """Read the agencies this agency lists as partners (its coordinator, admin)."""
        agency = partners_managed_by(current_user(), agency_id)
        return listed(agency, partner_links(agency.id))

    @blp.arguments(PartnerListInSchema)
    @blp.response(200, PartnerListSchema)
    def put(self, data, agency_id):
        """Replace the agency's partner list (its coordinator, admin); audited."""
        user = current_user()
        agency = partners_managed_by(user, agency_id)
        links = set_partners(agency, data["partner_ids"], user, field=data["field"])
        return listed(agency, links)
