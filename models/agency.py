"""Agencies: police, fire, EMS, dispatch, hospitals; and the logos they print."""

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    JSONField,
)

from .base import TimestampedModel

AGENCY_KINDS = ("law", "fire", "ems", "dispatch", "hospital", "other")
PAPER_SIZES = ("letter", "a4")


class Agency(TimestampedModel):
    name = CharField()
    code = CharField(unique=True)
    kind = CharField()
    state = CharField(null=True)
    timezone = CharField(default="UTC")
    verified = BooleanField(default=True)
    merged_into = ForeignKeyField("self", null=True, backref="merged_agencies")
    export_profile = JSONField(null=True)
    paper_size = CharField(default="letter")  # the certificates it hosts print on


class AgencyLogo(TimestampedModel):
    """A logo as uploaded; replacing it stamps `replaced_at`, so every logo an agency ever
    printed is kept with its digest."""

    agency = ForeignKeyField(Agency, backref="logos")
    media_type = CharField()  # image/png or image/jpeg
    content = BlobField()
    sha256 = CharField()
    width = IntegerField()
    height = IntegerField()
    replaced_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("agency", "replaced_at"), False),)
