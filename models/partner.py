"""Partner agencies: the mutual-aid neighbours an agency lists (one-way: A lists B)."""

from peewee import DateTimeField, ForeignKeyField

from .agency import Agency
from .base import TimestampedModel


class AgencyPartner(TimestampedModel):
    """`agency` lists `partner`. Removing a partner sets `removed_at` (kept, never deleted);
    listing it again clears it."""

    agency = ForeignKeyField(Agency, backref="partner_links")
    partner = ForeignKeyField(Agency, backref="partnered_by")
    removed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("agency", "partner"), True),)
