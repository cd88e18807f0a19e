"""The certification catalog, and certifications held before Muster kept the records."""

from database import in_write_transaction
from models import Certification
from rules.expiry import expires_on

from . import audit
from .records import create_award


@in_write_transaction
def create_certification(data, actor, *, reason=None):
    """Add a certification to the catalog (kept by `data["agency_id"]`, None: shared)."""
    certification = Certification.create(**data)
    audit.created(
        actor, "certification", certification, agency_id=certification.agency_id, reason=reason
    )
    return certification


@in_write_transaction
def update_certification(certification, data, actor):
    """Change a certification; awards already issued keep their expiry."""
    return audit.change(
        actor, "update", "certification", certification, data, agency_id=certification.agency_id
    )


@in_write_transaction
def record_prior_award(person, certification, issued_on, issuer_agency_id, actor, *, reason=None):
    """Record a certification a person earned outside a Muster class (a card issued
    earlier), numbered and verifiable like any award; it expires by the catalog's term."""
    award = create_award(
        certification,
        issued_on,
        person=person,
        expires_on=expires_on(issued_on, certification.validity_months),
    )
    audit.created(
        actor,
        "award",
        award,
        reason=reason,
        agency_id=issuer_agency_id,
        person_agency_id=person.agency_id,
    )
    return award
