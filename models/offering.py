"""A course given: its sessions, instructors, roster, attendance and results."""

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from .agency import Agency
from .base import BaseModel, TimestampedModel
from .catalog import Course
from .person import Person
from .user import User

OFFERING_STATUSES = ("scheduled", "closed", "cancelled")
VISIBILITIES = ("host", "partners", "all")


class Offering(TimestampedModel):
    course = ForeignKeyField(Course, backref="offerings")
    host_agency = ForeignKeyField(Agency, backref="offerings")
    location = CharField(default="")
    status = CharField(default="scheduled", index=True)
    closed_at = DateTimeField(null=True)
    # who may join: the host only, its partners too, or every agency on the server
    visibility = CharField(default="host")
    capacity = IntegerField(null=True)  # null: unlimited
    reservations_release_at = DateTimeField(null=True)  # reserved seats held until then
    registration_closes_at = DateTimeField(null=True)
    waitlist = BooleanField(default=True)
    sequence = IntegerField(default=0)  # iCalendar SEQUENCE: bumped on every change


class OfferingInstructor(BaseModel):
    offering = ForeignKeyField(Offering, backref="instructor_rows")
    person = ForeignKeyField(Person, backref="teaching")

    class Meta:
        indexes = ((("offering", "person"), True),)


class Session(BaseModel):
    """One meeting of an offering; times are naive UTC."""

    offering = ForeignKeyField(Offering, backref="session_rows")
    starts_at = DateTimeField()
    ends_at = DateTimeField()


class RosterEntry(TimestampedModel):
    """One person on an offering's roster; a walk-in keeps how the door matched them."""

    offering = ForeignKeyField(Offering, backref="roster")
    person = ForeignKeyField(Person, backref="roster_entries")
    walk_in = BooleanField(default=False)
    status = CharField(default="enrolled")
    reason = TextField(null=True)
    # 'employee_id' | 'external_ids.<scheme>' | 'email' | 'name'; null when added by id or
    # created at the door (created_person)
    matched_by = CharField(null=True)
    created_person = BooleanField(default=False)
    matched_by_user = ForeignKeyField(User, null=True, backref="door_matches")
    matched_at = DateTimeField(null=True)
    corrected_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("offering", "person"), True),)


class Attendance(TimestampedModel):
    offering = ForeignKeyField(Offering, backref="attendance")
    # indexed by (session, person) below
    session = ForeignKeyField(Session, backref="attendance", index=False)
    person = ForeignKeyField(Person, backref="attendance")
    minutes = IntegerField()
    check_in = DateTimeField(null=True)
    check_out = DateTimeField(null=True)

    class Meta:
        indexes = ((("session", "person"), True),)


class Result(TimestampedModel):
    offering = ForeignKeyField(Offering, backref="results")
    person = ForeignKeyField(Person, backref="results")
    passed = BooleanField()
    score = DecimalField(max_digits=6, decimal_places=2, null=True)

    class Meta:
        indexes = ((("offering", "person"), True),)
