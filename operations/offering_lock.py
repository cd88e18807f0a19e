"""The lock every write to an open offering's records takes, serialising it with close."""

from models import Offering, utcnow
from rules.errors import Conflict


def claim_open(offering):
    """Take the offering's row for this transaction; Conflict once it is closed.

    A conditional UPDATE, so a write racing a close waits for it and then sees it closed.
    Call first thing inside the operation's transaction.
    """
    claimed = (
        Offering.update(updated_at=utcnow())
        .where(Offering.id == offering.id, Offering.status == "scheduled")
        .execute()
    )
    if not claimed:
        if Offering.get_by_id(offering.id).status == "cancelled":
            raise Conflict("The offering was cancelled; nothing more is recorded against it.")
        raise Conflict(
            "The offering is closed; its records are locked. Its host agency's coordinator "
            "or an admin may reopen it with a reason."
        )
