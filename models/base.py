"""Base model bound to the database proxy, and UTC time helpers."""

import datetime

from peewee import DateTimeField, Model

from database import db


def utcnow():
    """Current UTC time, naive, as stored in the database."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)


def to_utc(value):
    """Convert an aware datetime to the naive UTC form the database stores."""
    return value.astimezone(datetime.UTC).replace(tzinfo=None)


class BaseModel(Model):
    """Every table: bound to the proxy, snake_case names."""

    class Meta:
        database = db
        legacy_table_names = False


class TimestampedModel(BaseModel):
    """A record that knows when it was created and last changed."""

    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow, index=True)

    def save(self, *args, **kwargs):
        self.updated_at = utcnow()
        return super().save(*args, **kwargs)
