"""Issued training records: completions and certification awards."""

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    JSONField,
    TextField,
)

from .agency import Agency
from .base import TimestampedModel
from .catalog import Certification, Course
from .offering import Offering
from .person import Person


class Completion(TimestampedModel):
    person = ForeignKeyField(Person, backref="completions", index=False)  # leads an index below
    offering = ForeignKeyField(Offering, null=True, backref="completions")
    course = ForeignKeyField(Course, null=True, backref="completions")
    issuer = ForeignKeyField(Agency, null=True, backref="issued_completions")
    title = CharField()
    provider = CharField(null=True)
    hours = DecimalField(max_digits=8, decimal_places=2)
    credits = JSONField(default=list)
    completed_on = DateField()
    partial = BooleanField(default=False)
    external = BooleanField(default=False)
    passed = BooleanField(null=True)
    score = DecimalField(max_digits=6, decimal_places=2, null=True)
    verify_code = CharField(unique=True)
    revoked_at = DateTimeField(null=True)
    revoked_reason = TextField(null=True)
    revoked_on_close = BooleanField(default=False)

    class Meta:
        indexes = (
            # a person's records in the transcript's order (no sort), with what a compliance
            # sum reads of each, so a report's cycle window reads this index alone
            (("person", "completed_on", "id", "revoked_at", "hours"), False),
        )


class Award(TimestampedModel):
    person = ForeignKeyField(Person, backref="awards")
    certification = ForeignKeyField(Certification, backref="awards")
    offering = ForeignKeyField(Offering, null=True, backref="awards")
    completion = ForeignKeyField(Completion, null=True, backref="awards")
    renews = ForeignKeyField("self", null=True, backref="renewals")
    number = CharField(unique=True)
    issued_on = DateField()
    expires_on = DateField(null=True)
    verify_code = CharField(unique=True)
    revoked_at = DateTimeField(null=True)
    revoked_reason = TextField(null=True)
    revoked_on_close = BooleanField(default=False)


ATTEMPT_OUTCOMES = ("completed", "partial", "not_completed", "withheld")


class Attempt(TimestampedModel):
    """What closing an offering concluded for one rostered person, credit earned or not, so
    the home agency sees the hours of a class that earned nothing too."""

    person = ForeignKeyField(Person, backref="attempts")
    offering = ForeignKeyField(Offering, backref="attempts")
    course = ForeignKeyField(Course, backref="attempts")
    issuer = ForeignKeyField(Agency, backref="attempts")
    outcome = CharField()
    hours_attended = DecimalField(max_digits=8, decimal_places=2)
    hours_required = DecimalField(max_digits=8, decimal_places=2)
    reasons = JSONField(default=list)
    completion = ForeignKeyField(Completion, null=True, backref="attempts")

    class Meta:
        indexes = ((("offering", "person"), True),)
