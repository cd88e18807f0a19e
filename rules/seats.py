"""Seats of an open class: who may join, how many seats each agency has left, who gets one.

An offering has `capacity` seats (None: unlimited). Some may be reserved for named
agencies until the reservations are released; the rest are general seats, open to every
agency that may join. An agency's confirmed registrations fill its reserved seats first,
then general seats. Once released, every seat is general. (operations/registrations.py
counts and writes; this module decides.)
"""

from .errors import Conflict, RuleViolation

VISIBILITIES = ("host", "partners", "all")
PENDING, CONFIRMED, WAITLISTED, DECLINED, CANCELLED = (
    "pending",
    "confirmed",
    "waitlisted",
    "declined",
    "cancelled",
)
ACTIVE = (PENDING, CONFIRMED, WAITLISTED)  # a person holds at most one of these per offering
MAX_CAPACITY = 100_000
DOOR = "door"  # the seat of a registration confirmed at the door when none was left


def may_join(visibility, host_id, agency_id, partner_ids):
    """True if people of `agency_id` may join an offering the host `host_id` opened to
    `visibility` (`partner_ids`: the agencies the host lists as partners)."""
    if agency_id == host_id:
        return True
    if visibility == "all":
        return True
    return visibility == "partners" and agency_id in partner_ids


def check_seats(capacity, reserved, known_agency_ids, *, taken=0):
    """Capacity and reservations ({agency_id: seats}) that hold together: reservations only
    with a capacity, for known agencies, at least one seat each, summing to at most the
    capacity; a capacity no lower than the `taken` seats. RuleViolation naming the field."""
    errors = {}
    if capacity is not None and not 0 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = [f"Must be between 0 and {MAX_CAPACITY}, or null for unlimited."]
    elif capacity is not None and capacity < taken:
        errors["capacity"] = [
            f"{taken} seats are already taken; lower the capacity only to {taken} or more."
        ]
    problems = {}
    for index, (agency_id, seats) in enumerate(reserved.items()):
        if agency_id not in known_agency_ids:
            problems[index] = {"agency_id": ["Unknown agency."]}
        elif seats < 1:
            problems[index] = {"seats": ["Must be at least 1."]}
    if problems:
        errors["reserved_seats"] = problems
    elif reserved and capacity is None:
        errors["reserved_seats"] = ["Seats can only be reserved when the capacity is set."]
    elif reserved and capacity is not None and sum(reserved.values()) > capacity:
        errors["reserved_seats"] = [
            f"{sum(reserved.values())} seats reserved, more than the capacity of {capacity}."
        ]
    if errors:
        raise RuleViolation("Invalid seats.", errors)


def check_visibility_reservations(visibility, host_id, reserved, partner_ids):
    """Seats are reserved only for agencies that may join the offering."""
    for index, agency_id in enumerate(reserved):
        if not may_join(visibility, host_id, agency_id, partner_ids):
            raise RuleViolation(
                "Invalid seats.",
                {
                    "reserved_seats": {
                        index: {
                            "agency_id": [
                                f"Agency {agency_id} may not join this offering "
                                f"(visibility {visibility})."
                            ]
                        }
                    }
                },
            )


def held(reserved, released):
    """The reservations still holding seats ({} once released)."""
    return {} if released else {a: s for a, s in reserved.items() if s > 0}


def general_left(capacity, reserved, taken, released):
    """General seats left: capacity less the held reservations, less every seat taken
    beyond an agency's reservation. `taken`: {agency_id: confirmed seats}."""
    holding = held(reserved, released)
    general = capacity - sum(holding.values())
    used = sum(max(0, count - holding.get(agency, 0)) for agency, count in taken.items())
    return max(0, general - used)


def reserved_left(reserved, taken, released, agency_id):
    """The agency's own reserved seats left."""
    holding = held(reserved, released).get(agency_id, 0)
    return max(0, holding - taken.get(agency_id, 0))


def seats_left(capacity, reserved, taken, released, agency_id):
    """Seats an agency may still take: its reservation left plus the general seats left;
    None when the capacity is unlimited."""
    if capacity is None:
        return None
    return reserved_left(reserved, taken, released, agency_id) + general_left(
        capacity, reserved, taken, released
    )


def seat_for(capacity, reserved, taken, released, agency_id):
    """The seat the agency's next confirmed registration takes: 'reserved', 'general', or
    None when it has none left (unlimited: always 'general')."""
    if capacity is None:
        return "general"
    if reserved_left(reserved, taken, released, agency_id):
        return "reserved"
    if general_left(capacity, reserved, taken, released):
        return "general"
    return None


def door_seat(capacity, reserved, taken, released, agency_id):
    """The seat of someone the instructor admits at the door who had registered: a seat
    their agency has left, else 'door' (beyond the seats: the room decided, and the count
    of confirmed registrations keeps every later seat honest)."""
    return seat_for(capacity, reserved, taken, released, agency_id) or DOOR


def check_registrable(status, registration_open, already_registered):
    """A registration may be made: the offering open, registration not closed, the person
    not already registered. Conflict (409) otherwise."""
    if status != "scheduled":
        raise Conflict(f"The offering is {status}; it takes no registrations.")
    if not registration_open:
        raise Conflict("Registration for this offering has closed.")
    if already_registered:
        raise Conflict("This person is already registered for this offering.")


def check_no_seat_no_waitlist(seat, waitlist):
    """A full offering without a waitlist refuses the registration (409)."""
    if seat is None and not waitlist:
        raise Conflict("The offering is full and keeps no waitlist.")


def check_decidable(status):
    """Only a pending registration is approved or declined."""
    if status != PENDING:
        raise Conflict(f"The registration is {status}; only a pending one is approved or declined.")


def check_cancellable(status):
    """Pending, confirmed and waitlisted registrations may be cancelled."""
    if status not in ACTIVE:
        raise Conflict(f"The registration is already {status}.")
