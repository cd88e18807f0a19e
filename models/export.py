"""Exports: each agency's export profile, its LRS push state, and its signing key."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, JSONField, TextField

from .agency import Agency
from .base import TimestampedModel


class ExportProfile(TimestampedModel):
    """The format a home agency imports and how; secret options are kept sealed apart."""

    agency = ForeignKeyField(Agency, unique=True, backref="export_profiles")
    format = CharField()
    preset = CharField(null=True)
    options = JSONField(default=dict)  # the options as given, secrets left out
    sealed_secrets = TextField(null=True)  # lms.sealing of {option: value}


class ExportPush(TimestampedModel):
    """One agency's pushes to its LRS: the cursor of the last good one, and the claim that
    lets only one run at a time (a row in the database, so every worker process sees it)."""

    agency = ForeignKeyField(Agency, unique=True, backref="export_pushes")
    cursor = DateTimeField(null=True)  # next push sends records changed at or after this
    claimed_at = DateTimeField(null=True)  # a push is running since then; None: none is
    claim = CharField(null=True)  # the running push's random token
    pushes = IntegerField(default=0)
    last_result = JSONField(null=True)


class SigningKey(TimestampedModel):
    """An issuing agency's Ed25519 key for Open Badges; the private part sealed, never served."""

    agency = ForeignKeyField(Agency, unique=True, backref="signing_keys")
    did = CharField()
    sealed_seed = TextField()
