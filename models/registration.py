"""Seats of open classes: per-agency reservations and registrations by home agencies."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .agency import Agency
from .base import BaseModel, TimestampedModel
from .offering import Offering
from .person import Person
from .user import User

REGISTRATION_STATUSES = ("pending", "confirmed", "waitlisted", "declined", "cancelled")


class SeatReservation(BaseModel):
    """Seats of an offering held for one agency until the offering's release time."""

    offering = ForeignKeyField(Offering, backref="reservation_rows")
    agency = ForeignKeyField(Agency, backref="seat_reservations")
    seats = IntegerField()

    class Meta:
        indexes = ((("offering", "agency"), True),)


class Registration(TimestampedModel):
    """A person put forward for an offering by their home agency (or by themself)."""

    offering = ForeignKeyField(Offering, backref="registrations")
    person = ForeignKeyField(Person, backref="registrations")
    agency = ForeignKeyField(Agency, backref="registrations")  # the home agency it counts for
    status = CharField(index=True)
    # while confirmed: 'reserved' | 'general' | 'door' (walked in past the capacity)
    seat = CharField(null=True)
    requested_by = ForeignKeyField(User, null=True, backref="registrations_requested")
    decided_by = ForeignKeyField(User, null=True, backref="registrations_decided")
    decided_at = DateTimeField(null=True)
    comment = TextField(null=True)  # the home coordinator's, on approve or decline
    waitlisted_at = DateTimeField(null=True)
    confirmed_at = DateTimeField(null=True)
    cancelled_at = DateTimeField(null=True)
    cancelled_by = ForeignKeyField(User, null=True, backref="registrations_cancelled")
    reason = TextField(null=True)  # why it was cancelled
    sequence = IntegerField(default=0)  # iCalendar SEQUENCE of the person's events

    class Meta:
        indexes = ((("offering", "status"), False), (("offering", "person"), False))
