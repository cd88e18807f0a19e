"""When an agency created at the door may be merged into the agency it really is."""

from .errors import Conflict


def check_merge(duplicate, survivor):
    """Conflict unless `survivor` is another agency and neither was merged already."""
    if duplicate.id == survivor.id or duplicate.merged_into_id or survivor.merged_into_id:
        raise Conflict("into_id must be another agency, and neither may be merged already.")


def check_no_shared_employee_ids(clashing):
    """Conflict naming the employee ids people of both agencies hold."""
    if clashing:
        raise Conflict(
            f"People of both agencies share employee ids {sorted(clashing)}: "
            "merge those people first."
        )


def check_verifiable(agency):
    """A merged agency is a tombstone: it cannot be verified."""
    if agency.merged_into_id:
        raise Conflict("This agency was merged into another and cannot be verified.")
