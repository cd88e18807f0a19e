"""Who may see and change what: role and agency scope, and the lookups that apply it.

Every "the X this caller may see" query and every role check lives here; a blueprint
asks policy for an item and gets it, or a 404 (not visible) or 403 (visible, not allowed).
Sections go by resource: a new lookup joins its resource's section.
"""

from types import SimpleNamespace

from peewee import JOIN, fn

from api import abort, invalid, one_or_404
from models import (
    Agency,
    AgencyPartner,
    Award,
    CalendarFeed,
    Certification,
    Completion,
    Course,
    Delivery,
    Offering,
    OfferingInstructor,
    Person,
    Registration,
    Requirement,
    RosterEntry,
    Submission,
    User,
    WebhookEndpoint,
)
from queries.certificates import with_its_class
from queries.offerings import roster_query
from rules.people import door_uses
from rules.seats import may_join
from statements import Slot, Statement

# --- roles ------------------------------------------------------------------------------


def is_admin(user):
    return user.role == "admin"


def manages_agency(user, agency_id):
    """Admins, and the coordinators of that agency."""
    return is_admin(user) or (user.role == "coordinator" and user.agency_id == agency_id)


def require_agency_manager(user, agency_id):
    """403 unless the caller manages the agency."""
    if not manages_agency(user, agency_id):
        abort(403, message="Only an admin or this agency's coordinator may do this.")


def require_admin(user):
    if not is_admin(user):
        abort(403, message=f"The {user.role} role may not do this.")


# --- agencies and their own settings (exports, partners, logo) --------------------------


# Read by every request about an agency: SQL written once.
AGENCY_BY_ID = Statement(lambda: Agency.select().where(Agency.id == Slot("id")).limit(1))


def get_agency(agency_id):
    """The agency (any signed-in user may read agencies), or 404."""
    agency = AGENCY_BY_ID.first(id=agency_id)
    if agency is None:
        abort(404, message=f"No agency {agency_id}.")
    return agency


def agency_managed_by(user, agency_id):
    """The agency if the caller manages it: 404 if unknown, 403 if not theirs."""
    agency = get_agency(agency_id)
    require_agency_manager(user, agency.id)
    return agency


def agency_kept_by(user, agency_id, what):
    """The agency whose own settings or records (`what`: "exports", "partner list",
    "logo", "webhooks") the caller may use: its coordinator or an admin. Anyone outside
    the agency gets a 404, as for an agency they cannot see into; its own officers and
    instructors a 403."""
    agency = get_agency(agency_id)
    if manages_agency(user, agency.id):
        return agency
    if user.agency_id != agency.id:
        abort(404, message=f"No {what} of agency {agency_id} for this caller.")
    abort(403, message=f"Only this agency's coordinator or an admin may use its {what}.")


def agency_exports_of(user, agency_id):
    """The agency whose export profile and records the caller may use."""
    return agency_kept_by(user, agency_id, "exports")


def partners_of(agency_id):
    """The ids of the agencies `agency_id` lists as partners (one-way: the agencies it
    opens its `partners` offerings to), as a set; empty for an unknown agency."""
    return {
        partner_id
        for (partner_id,) in AgencyPartner.select(AgencyPartner.partner)
        .where(AgencyPartner.agency == agency_id, AgencyPartner.removed_at.is_null())
        .tuples()
    }


def partners_managed_by(user, agency_id):
    """The agency whose partner list the caller may read and set."""
    return agency_kept_by(user, agency_id, "partner list")


def agency_logo_managed_by(user, agency_id):
    """The agency whose logo the caller may replace."""
    return agency_kept_by(user, agency_id, "logo")


# --- offerings --------------------------------------------------------------------------


# Read by every request about an offering, with its host agency (its timezone, its name),
# so the agency is not read again: SQL written once.
OFFERING_BY_ID = Statement(
    lambda: (
        Offering.select(Offering, Agency)
        .join(Agency, on=(Offering.host_agency == Agency.id), attr="host_agency")
        .where(Offering.id == Slot("id"))
        .limit(1)
    )
)


def get_offering(offering_id):
    """The offering (any signed-in user may read offerings), or 404."""
    offering = OFFERING_BY_ID.first(id=offering_id)
    if offering is None:
        abort(404, message=f"No offering {offering_id}.")
    return offering


def teaches(user, offering_id):
    """True if the caller is an instructor listed on the offering."""
    return (
        user.role == "instructor"
        and user.person_id is not None
        and OfferingInstructor.select()
        .where(
            OfferingInstructor.offering == offering_id,
            OfferingInstructor.person == user.person_id,
        )
        .exists()
    )


def _taught(user):
    """The ids of the offerings the caller is listed on as an instructor, as a subquery."""
    return OfferingInstructor.select(OfferingInstructor.offering).where(
        OfferingInstructor.person == (user.person_id or 0)
    )


def runs_offering(user, offering):
    """Admins, the host agency's coordinators and the offering's instructors."""
    return manages_agency(user, offering.host_agency_id) or teaches(user, offering.id)


def offering_run_by(user, offering_id):
    """The offering if the caller runs it (instructor, host coordinator, admin); else 404/403."""
    offering = get_offering(offering_id)
    if not runs_offering(user, offering):
        abort(
            403,
            message="Only the offering's instructors, its host agency's "
            "coordinator or an admin may do this.",
        )
    return offering


def offering_hosted_by(user, offering_id):
    """The offering if the caller manages its host agency (coordinator, admin); else 404/403."""
    offering = get_offering(offering_id)
    require_agency_manager(user, offering.host_agency_id)
    return offering


def instructors_nameable_by(user, person_ids, offering=None):
    """The instructor ids a caller may name on an offering: people it sees, people of any
    agency who teach (an active instructor user), and those the offering already lists.
    Any other id is refused as an unknown one (422 naming its place in instructor_ids), so
    the list is no probe for who exists and no sign-in sheet prints a stranger's name."""
    if is_admin(user) or not person_ids:
        return person_ids
    ids = list(person_ids)
    seen = people_query(user).select(Person.id).where(Person.id.in_(ids))
    teaching = User.select(User.person).where(
        User.person.in_(ids), User.role == "instructor", User.active == True
    )
    nameable = {pid for (pid,) in seen.tuples()} | {pid for (pid,) in teaching.tuples()}
    if offering is not None:
        listed = OfferingInstructor.select(OfferingInstructor.person).where(
            OfferingInstructor.offering == offering.id
        )
        nameable |= {pid for (pid,) in listed.tuples()}
    unknown = {str(i): ["Unknown person."] for i, pid in enumerate(ids) if pid not in nameable}
    if unknown:
        abort(
            422,
            message="Instructors must be known people.",
            errors={"json": {"instructor_ids": unknown}},
        )
    return person_ids


# --- open classes: who may join what ----------------------------------------------------


def joinable_by_agency(agency_id):
    """A condition on Offering: the offerings people of `agency_id` may join (its own, those
    open to all, and those of hosts that list it as a partner)."""
    listing_it = AgencyPartner.select(AgencyPartner.agency).where(
        AgencyPartner.partner == agency_id, AgencyPartner.removed_at.is_null()
    )
    return (
        (Offering.host_agency == agency_id)
        | (Offering.visibility == "all")
        | ((Offering.visibility == "partners") & Offering.host_agency.in_(listing_it))
    )


def catalog_agency(user, agency_id=None):
    """The agency whose catalog the caller reads: its own; an admin any (None: every
    offering, general seats). 403 for another agency's."""
    if agency_id is not None and agency_id != user.agency_id:
        if not is_admin(user):
            abort(403, message="Only an admin reads another agency's catalog.")
        get_agency(agency_id)
        return agency_id
    return agency_id if agency_id is not None else user.agency_id


def catalog_condition(user, agency_id):
    """The condition on Offering of the catalog `agency_id` sees (all for an admin's None)."""
    if agency_id is None:
        return Offering.id.is_null(False)
    return joinable_by_agency(agency_id)


def agency_may_join(offering, agency_id):
    """Whether people of `agency_id` may join the offering (rules.seats.may_join)."""
    return may_join(
        offering.visibility,
        offering.host_agency_id,
        agency_id,
        partners_of(offering.host_agency_id),
    )


def offering_joinable_by(user, offering_id):
    """An offering the caller's agency may join (an admin: any); 404 otherwise, so a class
    not opened to an agency is not revealed to it."""
    offering = get_offering(offering_id)
    if not is_admin(user) and not agency_may_join(offering, user.agency_id):
        abort(404, message=f"No offering {offering_id}.")
    return offering


# --- people -----------------------------------------------------------------------------


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


# Read by every request about a person (a transcript, a record, a merge): SQL written once
# a role.
VISIBLE_PERSON = Statement(
    lambda *shape: people_query(stand_in(*shape)).where(Person.id == Slot("id")).limit(1)
)


def visible_person(user, person_id):
    """The person if the caller may read them; 404 otherwise (existence is not revealed)."""
    shape, values = scope_of(user)
    person = VISIBLE_PERSON.first(*shape, id=person_id, **values)
    if person is None:
        abort(404, message=f"No person {person_id}.")
    return person


def person_managed_by(user, person_id):
    """A person the caller may read and manage (their agency's coordinator, admin)."""
    person = visible_person(user, person_id)
    require_agency_manager(user, person.agency_id)
    return person


def reads_person_records(user, person):
    """Admins, the person's home coordinator, and the officer themself."""
    return manages_agency(user, person.agency_id) or (
        user.person_id is not None and user.person_id == person.id
    )


def _person_or_home_manager(user, person_id, doing):
    """The person, if the caller is them, their home coordinator or an admin; 404 if not
    visible, else a 403 saying who may be `doing` this."""
    person = visible_person(user, person_id)
    if not reads_person_records(user, person):
        abort(403, message=f"Only the person, their home coordinator or an admin may {doing}.")
    return person


def person_records_readable_by(user, person_id, what="records"):
    """A person whose records (transcript, compliance) the caller may read; else 404/403."""
    return _person_or_home_manager(user, person_id, f"read {what}")


def sees_in_full(user, person):
    """Whether the caller sees every identifier of a person: admins, the person's home
    coordinator, anyone of the person's agency and the person themself. Those running
    another agency's person's class see only what the door used (rules.people.door_identifiers)."""
    return (
        manages_agency(user, person.agency_id)
        or (user.agency_id is not None and user.agency_id == person.agency_id)
        or (user.person_id is not None and user.person_id == person.id)
    )


def filter_by_identifier(user, query):
    """A people query about to be filtered by e-mail or employee id, narrowed to the people
    whose identifiers the caller sees in full: the filter must be no probe for hidden ones."""
    if is_admin(user) or user.role == "coordinator":
        return query
    return query.where(
        (Person.agency == (user.agency_id or 0)) | (Person.id == (user.person_id or 0))
    )


def _surviving(person):
    """The person a merged-away record now lives on (the person itself if never merged)."""
    while person.merged_into_id:
        person = Person.get_by_id(person.merged_into_id)
    return person


def _named_person(user, person_id, message="Unknown person."):
    """The person a request body names by id, if the caller sees them; a 422 naming
    person_id otherwise, the same for a hidden id as for an unknown one."""
    person = people_query(user).where(Person.id == person_id).first()
    if person is None:
        abort(422, message="Unknown person.", errors={"json": {"person_id": [message]}})
    return person


# --- rosters and the door ---------------------------------------------------------------


def roster_entry_of(offering, entry_id):
    """One entry of the offering's roster (with its person and agency), or 404."""
    entry = roster_query(offering).where(RosterEntry.id == entry_id).first()
    if entry is None:
        abort(404, message=f"No roster entry {entry_id} in offering {offering.id}.")
    return entry


def person_addable_by(user, person_id):
    """A person the caller may add by id: one they already see (or whom that one was merged
    into). Anyone else is added by their details at the door, so no id reveals a stranger:
    a 422 naming person_id, the same for a hidden id as for an unknown one."""
    return _surviving(
        _named_person(
            user,
            person_id,
            "Unknown person; add someone from another agency by their details "
            "(person: {first_name, last_name, agency_id, employee_id, ...}).",
        )
    )


def door_uses_seen_by(user, person_ids):
    """{person_id: {how the door found them}} on the rosters of the offerings the caller
    teaches or whose host it coordinates (rules.people.door_uses per entry)."""
    offerings = RosterEntry.offering.in_(_taught(user))
    if user.role == "coordinator":
        hosted = Offering.select(Offering.id).where(Offering.host_agency == user.agency_id)
        offerings = offerings | RosterEntry.offering.in_(hosted)
    uses = {person_id: set() for person_id in person_ids}
    rows = RosterEntry.select(
        RosterEntry.person, RosterEntry.matched_by, RosterEntry.created_person
    ).where(RosterEntry.person.in_(list(person_ids)), offerings)
    for person_id, matched_by, created in rows.tuples():
        uses[person_id].add(door_uses(matched_by, created))
    return uses


def door_matches_query(user, agency_id):
    """The roster entries where another agency's door matched or created one of this
    agency's people, for its coordinator or an admin; 404 for anyone else."""
    agency = get_agency(agency_id)
    if not manages_agency(user, agency.id):
        abort(404, message=f"No door matches of agency {agency_id} for this caller.")
    return _door_matches().where(Person.agency == agency.id)


def _door_matches():
    host = Agency.alias()
    return (
        RosterEntry.select(RosterEntry, Person, Offering, host, Course, User)
        .join(Person, on=(RosterEntry.person == Person.id))
        .switch(RosterEntry)
        .join(Offering, on=(RosterEntry.offering == Offering.id))
        .join(host, on=(Offering.host_agency == host.id))
        .switch(Offering)
        .join(Course, on=(Offering.course == Course.id))
        .switch(RosterEntry)
        .join(User, JOIN.LEFT_OUTER, on=(RosterEntry.matched_by_user == User.id))
        .where(
            RosterEntry.walk_in,
            RosterEntry.matched_by.is_null(False) | RosterEntry.created_person,
            Offering.host_agency != Person.agency,
        )
        .order_by(RosterEntry.matched_at.desc(), RosterEntry.id.desc())
    )


def door_match_undoable_by(user, entry_id):
    """A door match of one of the caller's agency's people (any for an admin); else 404."""
    query = _door_matches()
    if not is_admin(user):
        query = query.where(Person.agency == (user.agency_id if user.role == "coordinator" else 0))
    return one_or_404(query, entry_id, "door match")


def corrected_person_for(user, person_id):
    """The person a door match is corrected to: one the caller manages (404/403 otherwise)."""
    return person_managed_by(user, person_id)


# --- registrations ----------------------------------------------------------------------


def person_registrable_by(user, offering, person_id):
    """(person, approved): the person the caller may register for `offering`; approved at
    once when the caller manages the person's agency, pending when it is the officer
    themself. 422 naming person_id for a person outside the caller's scope or whose agency
    may not join; 403 for one it sees but does not manage."""
    person = _surviving(_named_person(user, person_id))
    if manages_agency(user, person.agency_id):
        approved = True
    elif user.person_id is not None and user.person_id == person.id:
        approved = False
    else:
        abort(
            403,
            message="Only the person's home agency's coordinator, an admin, or the person "
            "themself may register them.",
        )
    if not agency_may_join(offering, person.agency_id):
        invalid("person_id", "This offering is not open to this person's agency.")
    return person, approved


def registrations_query(user):
    """Registrations the caller may read: the host's coordinator all of its offerings', a
    home coordinator its people's, an instructor those of what it teaches, everyone its own."""
    query = (
        Registration.select(Registration, Person, Offering)
        .join(Person, on=(Registration.person == Person.id))
        .switch(Registration)
        .join(Offering, on=(Registration.offering == Offering.id))
    )
    if is_admin(user):
        return query
    own = Registration.person == (user.person_id or 0)
    if user.role == "coordinator":
        return query.where(
            (Offering.host_agency == user.agency_id) | (Person.agency == user.agency_id) | own
        )
    if user.role == "instructor":
        return query.where(Registration.offering.in_(_taught(user)) | own)
    return query.where(own)


def offering_registrations_of(user, offering_id):
    """The offering and the registrations of it the caller may read; 404 for an offering
    the caller's agency neither hosts, may join, nor teaches."""
    offering = get_offering(offering_id)
    if not (
        is_admin(user) or agency_may_join(offering, user.agency_id) or teaches(user, offering.id)
    ):
        abort(404, message=f"No offering {offering_id}.")
    return offering, registrations_query(user).where(Registration.offering == offering.id)


def get_registration(user, registration_id):
    """A registration the caller may read; 404 otherwise."""
    return one_or_404(registrations_query(user), registration_id, "registration")


def registration_decidable_by(user, registration_id):
    """A registration the caller may approve or decline: the person's home coordinator or an
    admin, never for their own person."""
    registration = get_registration(user, registration_id)
    if not manages_agency(user, registration.person.agency_id):
        abort(
            403,
            message="Only the person's home agency's coordinator or an admin may approve "
            "or decline a registration.",
        )
    if user.person_id is not None and user.person_id == registration.person_id:
        abort(403, message="Nobody approves their own registration: ask another coordinator.")
    return registration


def registration_cancellable_by(user, registration_id):
    """A registration the caller may cancel: the person, their home coordinator, the host's
    coordinator, an admin."""
    registration = get_registration(user, registration_id)
    if not (
        manages_agency(user, registration.person.agency_id)
        or manages_agency(user, registration.offering.host_agency_id)
        or (user.person_id is not None and user.person_id == registration.person_id)
    ):
        abort(
            403,
            message="Only the person, their home coordinator, the host's coordinator or an "
            "admin may cancel a registration.",
        )
    return registration


# --- issued records (completions, awards) -----------------------------------------------


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
        return query.where(model.offering.in_(_taught(user)) | own)
    return query.where(own)


def stand_in(role, agency_unknown, person_unknown):
    """A caller of `role` whose agency and person ids are Slots ("agency_id", "person_id";
    None when unknown, as a query written for that caller says), so a query scoped by
    records_query or awards_query is written once a role (a Statement's shape)."""
    return SimpleNamespace(
        role=role,
        agency_id=None if agency_unknown else Slot("agency_id"),
        person_id=None if person_unknown else Slot("person_id"),
    )


def scope_of(user):
    """The stand_in shape and the Slots' values of the caller."""
    shape = (user.role, user.agency_id is None, user.person_id is None)
    return shape, {"agency_id": user.agency_id, "person_id": user.person_id}


def awards_query(user):
    """Awards the caller may read, with their certification."""
    return (
        records_query(Award, user)
        .select_extend(Certification)
        .join(Certification, on=(Award.certification == Certification.id))
    )


def _readable(model, scoped):
    """The record of `model` with this id the caller may read, with its class: its SQL
    written once a role (every download runs it)."""
    statement = Statement(
        lambda *shape: (
            with_its_class(scoped(stand_in(*shape)), model).where(model.id == Slot("id")).limit(1)
        )
    )

    def find(user, record_id, noun):
        shape, values = scope_of(user)
        record = statement.first(*shape, id=record_id, **values)
        if record is None:
            abort(404, message=f"No {noun} {record_id}.")
        return record

    return find


readable_completion = _readable(Completion, lambda caller: records_query(Completion, caller))
readable_award = _readable(Award, awards_query)


def require_issuer(user, agency_id):
    """Only the issuing agency's coordinator or an admin revokes what it issued."""
    if not manages_agency(user, agency_id):
        abort(403, message="Only the issuing agency's coordinator or an admin may revoke.")


# --- users ------------------------------------------------------------------------------


def users_query(user):
    """The users a caller manages: all for an admin, its agency's non-admins otherwise."""
    query = User.select()
    if is_admin(user):
        return query
    return query.where(User.agency == user.agency_id, User.role != "admin")


def user_managed_by(caller, user_id):
    """A user the caller may manage, or themself; 404 otherwise."""
    if caller.id == user_id:
        return caller
    if caller.role not in ("admin", "coordinator"):
        abort(403, message="Only admins and coordinators manage users.")
    return one_or_404(users_query(caller), user_id, "user")


def assignable_person(caller, role, agency_id, person_id):
    """The person a caller may give a user of `role` (None if none named); 403 for a role
    or agency the caller may not assign, 422 for a person outside its scope."""
    if role == "admin" and not is_admin(caller):
        abort(403, message="Only an admin may create admins.")
    if role != "admin" and agency_id is not None:
        require_agency_manager(caller, agency_id)
    if person_id is None:
        return None
    query = Person.select()
    if not is_admin(caller):
        query = query.where(Person.agency == caller.agency_id)
    person = query.where(Person.id == person_id).first()
    if person is None:
        invalid("person_id", "Unknown person.")
    return person


# --- certifications, courses and requirements -------------------------------------------


def require_keeper(user, agency_id):
    """Admins keep shared certifications; coordinators their own agency's."""
    if agency_id is None:
        if not is_admin(user):
            abort(403, message="Only an admin keeps certifications with no agency.")
    else:
        require_agency_manager(user, agency_id)


def certification_kept_by(user, certification_id):
    """A certification the caller keeps (its agency's coordinator, admin); else 404/403."""
    certification = one_or_404(Certification, certification_id, "certification")
    require_keeper(user, certification.agency_id)
    return certification


def course_hosted_by(user, course_id):
    """A course the caller may change (its host agency's coordinator, admin); else 404/403."""
    course = one_or_404(Course, course_id, "course")
    require_agency_manager(user, course.host_agency_id)
    return course


def requirements_query(user):
    """Requirements the caller may read: an admin all, anyone else its own agency's."""
    query = Requirement.select()
    if is_admin(user):
        return query
    return query.where(Requirement.agency == (user.agency_id or 0))


def requirement_managed_by(user, requirement_id):
    """A requirement the caller may change (its agency's coordinator, admin); else 404/403."""
    requirement = one_or_404(requirements_query(user), requirement_id, "requirement")
    require_agency_manager(user, requirement.agency_id)
    return requirement


# --- submissions ------------------------------------------------------------------------

# every column but the evidence bytes, which only GET .../evidence reads
LISTED_SUBMISSION_FIELDS = [
    field for field in Submission._meta.sorted_fields if field is not Submission.evidence
]


def submissions_query(user):
    """Submissions the caller may read: a coordinator its agency's people's, others their own."""
    query = Submission.select(
        *LISTED_SUBMISSION_FIELDS, fn.LENGTH(Submission.evidence).alias("evidence_size"), Person
    ).join(Person, on=(Submission.person == Person.id))
    if is_admin(user):
        return query
    own = Submission.person == (user.person_id or 0)
    if user.role == "coordinator":
        return query.where((Person.agency == user.agency_id) | own)
    return query.where(own)


def require_reviewer(user, submission):
    """Admins and the person's home coordinator review, never their own submission."""
    if not manages_agency(user, submission.person.agency_id):
        abort(
            403,
            message="Only the person's home agency's coordinator or an admin may "
            "review a submission.",
        )
    if user.person_id is not None and user.person_id == submission.person_id:
        abort(
            403, message="Nobody reviews their own submission: ask another coordinator or an admin."
        )


def get_submission(user, submission_id):
    """The submission if the caller may read it; 404 otherwise (existence is not revealed)."""
    return one_or_404(submissions_query(user), submission_id, "submission")


def submission_reviewable_by(user, submission_id):
    """A submission the caller may review (home coordinator, admin; never its own)."""
    submission = get_submission(user, submission_id)
    require_reviewer(user, submission)
    return submission


def person_submittable_by(user, person_id):
    """The person a submission is for: the caller's own, or one of a person it manages."""
    person_id = person_id or user.person_id
    if person_id is None:
        invalid("person_id", "Required: this user has no person of its own.")
    person = _named_person(user, person_id)
    if person.id != user.person_id and not manages_agency(user, person.agency_id):
        abort(
            403,
            message="Only the person, its agency's coordinator or an admin may "
            "submit training for it.",
        )
    return person


# --- calendar feeds ---------------------------------------------------------------------


def feed_owner(caller, user_id, *, write=False):
    """The user whose calendar feeds the caller keeps: itself; an admin reads and revokes
    anyone's (creating one is the owner's own act, its secret shown only to them)."""
    if caller.id == user_id:
        return caller
    if is_admin(caller) and not write:
        return one_or_404(User, user_id, "user")
    if not is_admin(caller):
        abort(404, message=f"No user {user_id}.")
    abort(403, message="Only the user themself creates their calendar feeds.")


def feed_agency(user, kind, agency_id):
    """The agency an `agency` or `host` feed shows: the user's own (an admin names any);
    None for a `personal` feed (422 if the user has no person of its own)."""
    if kind == "personal":
        if user.person_id is None:
            invalid("kind", "This user has no person of its own, so no classes of its own.")
        return None
    agency_id = agency_id if agency_id is not None else user.agency_id
    if agency_id is None:
        invalid("agency_id", "Required: this user belongs to no agency.")
    if agency_id != user.agency_id and not is_admin(user):
        invalid("agency_id", "A feed shows only the user's own agency.")
    return get_agency(agency_id)


def calendar_feed_of(owner, feed_id):
    """One of the owner's calendar feeds; 404 otherwise."""
    return one_or_404(
        CalendarFeed.select().where(CalendarFeed.user == owner.id), feed_id, "calendar feed"
    )


def feed_contents(feed):
    """What a feed may show, judged now by what its owner may see: ("offerings", condition,
    label) or ("person", person_id, label); None when the owner may no longer see it (moved
    agency, lost its person), so the feed answers 404."""
    owner = feed.user
    if feed.kind == "personal":
        if owner.person_id is None:
            return None
        return "person", owner.person_id, owner.email
    if feed.agency_id != owner.agency_id and not is_admin(owner):
        return None
    agency = Agency.get_or_none(Agency.id == feed.agency_id)
    if agency is None:
        return None
    if feed.kind == "host":
        return "offerings", Offering.host_agency == agency.id, agency.name
    open_classes = joinable_by_agency(agency.id) & (Offering.visibility != "host")
    return "offerings", open_classes, agency.name


# --- recognitions and sharing -----------------------------------------------------------


def recognitions_readable_by(user, agency_id):
    """The agency whose recognition feed the caller may read: anyone of that agency (the
    feed congratulates its partners' people), and admins. Other agencies get a 404."""
    agency = get_agency(agency_id)
    if not (is_admin(user) or user.agency_id == agency.id):
        abort(404, message=f"No recognition feed of agency {agency_id} for this caller.")
    return agency


def sharing_managed_by(user, person_id):
    """The person whose sharing choice the caller may read and set: the person themself,
    their home coordinator, an admin; 404 if not visible, 403 otherwise."""
    return _person_or_home_manager(user, person_id, "change whether their achievements are shared")


# --- webhooks ---------------------------------------------------------------------------


def webhooks_managed_by(user, agency_id):
    """The agency whose webhooks the caller may list and change."""
    return agency_kept_by(user, agency_id, "webhooks")


def webhook_of(agency, webhook_id):
    """One of the agency's webhook endpoints; 404 otherwise."""
    query = WebhookEndpoint.select().where(WebhookEndpoint.agency == agency.id)
    return one_or_404(query, webhook_id, "webhook")


def webhook_delivery_of(endpoint, delivery_id):
    """One delivery made (or to be made) to the endpoint; 404 otherwise."""
    query = Delivery.select().where(
        Delivery.channel == "webhook", Delivery.recipient == f"webhook:{endpoint.id}"
    )
    return one_or_404(query, delivery_id, "delivery")
