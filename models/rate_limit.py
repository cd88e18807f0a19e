"""Requests counted per client address and time window, shared by every server process."""

from peewee import CharField, IntegerField

from .base import BaseModel


class RateCount(BaseModel):
    """How many requests of one kind an address made in one window (its start, in epoch
    seconds); old windows are pruned: they are counters, not records."""

    scope = CharField()
    address = CharField()
    window_start = IntegerField(index=True)
    hits = IntegerField(default=0)

    class Meta:
        indexes = ((("scope", "address", "window_start"), True),)
