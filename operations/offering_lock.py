"""The lock every write to an open offering's records takes, serialising it with close."""

from models import Offering, utcnow
from rules.errors import Conflict
from statements import Slot, Statement

# Every write to an offering's records runs it first: its SQL written once.
CLAIM = Statement(
    lambda: Offering.update({Offering.updated_at: Slot("now", field=Offering.updated_at)}).where(
        Offering.id == Slot("id"), Offering.status == "scheduled"
    )
)


def claim_open(offering):
    """Take the offering's row for this transaction; Conflict once it is closed.

    A conditional UPDATE, so a write racing a close waits for it and then sees it closed.
    Call first thing inside the operation's transaction.
    """
    claimed = CLAIM.rowcount(now=utcnow(), id=offering.id)
    if not claimed:
        if Offering.get_by_id(offering.id).status == "cancelled":
            raise Conflict("The offering was cancelled; nothing more is recorded against it.")
        raise Conflict(
            "The offering is closed; its records are locked. Its host agency's coordinator "
            "or an admin may reopen it with a reason."
        )
