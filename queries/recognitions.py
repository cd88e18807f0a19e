"""The recognition feed: awards partners' people earned at joint classes an agency took
part in, for people who share their achievements."""

from models import Agency, Award, Certification, Course, Offering, Person, RosterEntry


def joint_offerings(agency_id):
    """The offerings the agency took part in: hosted, or had its people on the roster."""
    rostered = (
        RosterEntry.select(RosterEntry.offering)
        .join(Person)
        .where(Person.agency == agency_id, RosterEntry.status == "enrolled")
    )
    return Offering.select(Offering.id).where(
        (Offering.host_agency == agency_id) | Offering.id.in_(rostered)
    )


def recognitions_query(agency_id, partner_ids):
    """Valid (unrevoked) awards of people of `partner_ids` who share their achievements,
    earned at the agency's joint classes, newest first; rows as dicts for a page."""
    Host = Agency.alias("host")
    return (
        Award.select(
            Award.id.alias("award_id"),
            Award.issued_on,
            Award.expires_on,
            Certification.id.alias("certification_id"),
            Certification.name.alias("certification_name"),
            Certification.issuing_body,
            Person.first_name,
            Person.last_name,
            Agency.id.alias("agency_id"),
            Agency.name.alias("agency_name"),
            Agency.code.alias("agency_code"),
            Offering.id.alias("offering_id"),
            Course.title.alias("course_title"),
            Host.id.alias("host_agency_id"),
            Host.name.alias("host_agency_name"),
        )
        .join(Person)
        .join(Agency)
        .switch(Award)
        .join(Certification)
        .switch(Award)
        .join(Offering)
        .join(Course)
        .switch(Offering)
        .join(Host, on=(Offering.host_agency == Host.id))
        .where(
            Person.agency.in_(sorted(partner_ids) or [0]),
            Person.share_achievements == True,
            Award.revoked_at.is_null(),
            Award.offering.in_(joint_offerings(agency_id)),
        )
        .order_by(Award.issued_on.desc(), Award.id.desc())
        .dicts()
    )
