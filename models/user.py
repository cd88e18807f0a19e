"""API users and their hashed bearer tokens."""

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField

from .agency import Agency
from .base import BaseModel, TimestampedModel, utcnow
from .person import Person

ROLES = ("admin", "coordinator", "instructor", "officer")


class User(TimestampedModel):
    email = CharField(unique=True)
    role = CharField()
    agency = ForeignKeyField(Agency, null=True, backref="users")
    person = ForeignKeyField(Person, null=True, backref="users")
    active = BooleanField(default=True)


class ApiToken(BaseModel):
    user = ForeignKeyField(User, backref="tokens")
    token_hash = CharField(unique=True)
    prefix = CharField()
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField(null=True)  # None: until revoked
    revoked_at = DateTimeField(null=True)
    label = CharField(null=True)  # who issued it in bulk, e.g. "demo-data", to revoke those
