"""Agencies: police, fire, EMS, dispatch, hospitals."""

from peewee import BooleanField, CharField, ForeignKeyField, JSONField

from .base import TimestampedModel

AGENCY_KINDS = ("law", "fire", "ems", "dispatch", "hospital", "other")


class Agency(TimestampedModel):
    name = CharField()
    code = CharField(unique=True)
    kind = CharField()
    state = CharField(null=True)
    timezone = CharField(default="UTC")
    verified = BooleanField(default=True)
    merged_into = ForeignKeyField("self", null=True, backref="merged_agencies")
    export_profile = JSONField(null=True)
