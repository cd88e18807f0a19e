"""Setting an agency's partner list: links kept when removed, the change audited."""

from database import in_write_transaction
from models import Agency, AgencyPartner, utcnow
from rules.partners import check_partner_list

from . import audit


def partner_links(agency_id):
    """The agency's current partner links (removed ones excluded) with each partner
    agency loaded, by partner id."""
    return list(
        AgencyPartner.select(AgencyPartner, Agency)
        .join(Agency, on=AgencyPartner.partner)
        .where(AgencyPartner.agency == agency_id, AgencyPartner.removed_at.is_null())
        .order_by(AgencyPartner.partner)
    )


@in_write_transaction
def set_partners(agency, partner_ids, actor, *, field="partner_ids"):
    """Replace the agency's partner list with `partner_ids`; returns the current links.

    Removed partners keep their row (removed_at set); listing one again revives it. The
    audit entry holds the lists before and after; an unchanged list writes nothing.
    """
    found = {
        agency_id: merged_into
        for agency_id, merged_into in Agency.select(Agency.id, Agency.merged_into)
        .where(Agency.id.in_(list(set(partner_ids)) or [0]))
        .tuples()
    }
    merged = {i: m for i, m in found.items() if m is not None}
    wanted = check_partner_list(agency.id, partner_ids, set(found), merged, field)
    links = {
        link.partner_id: link
        for link in AgencyPartner.select().where(AgencyPartner.agency == agency.id)
    }
    before = sorted(p for p, link in links.items() if link.removed_at is None)
    now = utcnow()
    for partner_id, link in links.items():
        if link.removed_at is None and partner_id not in wanted:
            link.removed_at = now
            link.save()
    for partner_id in wanted:
        link = links.get(partner_id)
        if link is None:
            AgencyPartner.create(agency=agency.id, partner=partner_id)
        elif link.removed_at is not None:
            link.removed_at = None
            link.save()
    after = sorted(wanted)
    if after != before:
        audit.record(
            actor,
            "set_partners",
            "agency_partners",
            agency.id,
            before={"partner_ids": before},
            after={"partner_ids": after},
            agency_id=agency.id,
        )
    return partner_links(agency.id)
