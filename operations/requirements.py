"""An agency's compliance requirements: added, changed or deactivated, never deleted."""

from database import in_write_transaction
from models import Agency, Certification, Requirement
from rules.errors import RuleViolation
from rules.requirements import check_requirement

from . import audit

TERMS = (
    "kind",
    "hours",
    "period_months",
    "cycle_start",
    "category",
    "category_hours",
    "certification_id",
)


def _certification_known(terms):
    certification_id = terms.get("certification_id")
    return (
        certification_id is not None
        and Certification.select().where(Certification.id == certification_id).exists()
    )


@in_write_transaction
def create_requirement(data, actor):
    """Add a requirement for `data["agency_id"]`."""
    if not Agency.select().where(Agency.id == data["agency_id"]).exists():
        raise RuleViolation("Unknown agency.", {"agency_id": ["Unknown agency."]})
    data = check_requirement(data, _certification_known(data))
    requirement = Requirement.create(
        agency=data.pop("agency_id"), certification=data.pop("certification_id"), **data
    )
    audit.created(actor, "requirement", requirement, agency_id=requirement.agency_id)
    return requirement


@in_write_transaction
def update_requirement(requirement, data, actor):
    """Change a requirement's name, terms or active flag (its agency, kind and
    certification stay)."""
    terms = {name: getattr(requirement, name) for name in TERMS}
    terms.update((name, value) for name, value in data.items() if name in TERMS)
    terms = check_requirement(terms, _certification_known(terms))
    changes = {name: data[name] for name in ("name", "active") if name in data}
    changes.update((name, terms[name]) for name in TERMS[1:-1])
    return audit.change(
        actor, "update", "requirement", requirement, changes, agency_id=requirement.agency_id
    )
