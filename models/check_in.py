"""Self check-in: an offering's check-in code, and each scan of it awaiting the instructor."""

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from .base import TimestampedModel
from .offering import Offering, Session
from .person import Person
from .user import User

CHECK_IN_STATUSES = ("pending", "confirmed", "rejected")


class CheckInCode(TimestampedModel):
    """The code an offering's sign-in sheet and screen show; random, one per offering."""

    offering = ForeignKeyField(Offering, unique=True, backref="check_in_codes")
    code = CharField()


class CheckIn(TimestampedModel):
    """A person's scan of the code during a session: pending until an instructor confirms
    it (it then becomes attendance) or rejects it; a second scan is the check-out."""

    offering = ForeignKeyField(Offering, backref="check_ins")
    session = ForeignKeyField(Session, backref="check_ins")
    person = ForeignKeyField(Person, backref="check_ins")
    user = ForeignKeyField(User, backref="check_ins")
    status = CharField(default="pending", index=True)
    checked_in_at = DateTimeField()
    checked_out_at = DateTimeField(null=True)
    decided_by = ForeignKeyField(User, null=True, backref="check_in_decisions")
    decided_at = DateTimeField(null=True)
    reason = TextField(null=True)

    class Meta:
        indexes = ((("session", "person"), True),)
