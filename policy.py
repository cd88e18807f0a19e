"""Who may see and change what: role and agency scope, as the contract's table says."""

from api import abort, one_or_404
from models import Offering, OfferingInstructor, Person, RosterEntry


def is_admin(user):
    return user.role == "admin"


def manages_agency(user, agency_id):
    """Admins, and the coordinators of that agency."""
    return is_admin(user) or (user.role == "coordinator" and user.agency_id == agency_id)


def require_agency_manager(user, agency_id):
    """403 unless the caller manages the agency."""
    if not manages_agency(user, agency_id):
        abort(403, message="Only an admin or this agency's coordinator may do this.")


def teaches(user, offering_id):
    """True if the caller is an instructor listed on the offering."""
    return (
        user.role == "instructor"
        and user.person_id is not None
        and OfferingInstructor.select()
        .where(
            OfferingInstructor.offering == offering_id, OfferingInstructor.person == user.person_id
        )
        .exists()
    )


def runs_offering(user, offering):
    """Admins, the host agency's coordinators and the offering's instructors."""
    return manages_agency(user, offering.host_agency_id) or teaches(user, offering.id)


def require_offering_runner(user, offering):
    if not runs_offering(user, offering):
        abort(
            403,
            message="Only the offering's instructors, its host agency's "
            "coordinator or an admin may do this.",
        )


def people_query(user):
    """The people the caller may read, as a query."""
    query = Person.select()
    if is_admin(user):
        return query
    if user.role == "coordinator":
        return query.where(Person.agency == user.agency_id)
    if user.role == "instructor":
        taught = (
            RosterEntry.select(RosterEntry.person)
            .join(OfferingInstructor, on=(OfferingInstructor.offering == RosterEntry.offering))
            .where(OfferingInstructor.person == user.person_id, RosterEntry.status == "enrolled")
        )
        return query.where((Person.id.in_(taught)) | (Person.id == user.person_id))
    return query.where(Person.id == user.person_id)


def visible_person(user, person_id):
    """The person if the caller may read them; 404 otherwise (existence is not revealed)."""
    return one_or_404(people_query(user), person_id, "person")


def reads_person_records(user, person):
    """Admins, the person's home coordinator, and the officer themself."""
    return manages_agency(user, person.agency_id) or (
        user.person_id is not None and user.person_id == person.id
    )


def records_query(model, user):
    """Completions or awards the caller may read: its people's, its hosted offerings', its own."""
    query = model.select(model, Person).join(Person, on=(model.person == Person.id))
    if is_admin(user):
        return query
    own = model.person == (user.person_id or 0)
    if user.role == "coordinator":
        hosted = model.offering.in_(
            Offering.select(Offering.id).where(Offering.host_agency == user.agency_id)
        )
        return query.where((Person.agency == user.agency_id) | hosted | own)
    if user.role == "instructor":
        taught = model.offering.in_(
            OfferingInstructor.select(OfferingInstructor.offering).where(
                OfferingInstructor.person == user.person_id
            )
        )
        return query.where(taught | own)
    return query.where(own)
