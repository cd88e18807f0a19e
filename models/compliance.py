"""An agency's compliance requirements, and outside training submitted for credit."""

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    JSONField,
    TextField,
)

from .agency import Agency
from .base import TimestampedModel
from .catalog import Certification
from .person import Person
from .record import Completion
from .user import User


class Requirement(TimestampedModel):
    """Hours per rolling period (optionally per category), or a certification kept valid."""

    agency = ForeignKeyField(Agency, backref="requirements")
    name = CharField()
    kind = CharField()
    hours = DecimalField(max_digits=8, decimal_places=2, null=True)
    period_months = IntegerField(null=True)
    cycle_start = DateField(null=True)
    category = CharField(null=True)
    category_hours = JSONField(default=dict)
    certification = ForeignKeyField(Certification, null=True, backref="requirements")
    active = BooleanField(default=True)


class Submission(TimestampedModel):
    """Training taken elsewhere, waiting for the home coordinator's review."""

    person = ForeignKeyField(Person, backref="submissions")
    title = CharField()
    provider = CharField()
    completed_on = DateField()
    hours = DecimalField(max_digits=8, decimal_places=2)
    credits = JSONField(default=list)
    evidence = BlobField(null=True)
    evidence_name = CharField(null=True)
    evidence_type = CharField(null=True)
    status = CharField(default="pending", index=True)
    comment = TextField(null=True)
    reviewed_by = ForeignKeyField(User, null=True, backref="reviews")
    reviewed_at = DateTimeField(null=True)
    completion = ForeignKeyField(Completion, null=True, backref="submission")
