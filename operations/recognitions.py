"""A person's consent to be congratulated by partner agencies, audited."""

from database import in_write_transaction

from . import audit


@in_write_transaction
def set_sharing(person, share_achievements, actor):
    """Set whether the person's awards appear in partner agencies' recognition feeds."""
    if person.share_achievements == share_achievements:
        return person
    return audit.change(
        actor,
        "set_sharing",
        "person",
        person,
        {"share_achievements": share_achievements},
        agency_id=person.agency_id,
        person_agency_id=person.agency_id,
    )
