"""Schema fields shared by every blueprint: UTC timestamps with offsets, two-place hours."""
import datetime
import decimal

import marshmallow as ma


class UtcDateTime(ma.fields.AwareDateTime):
    """Loads an ISO 8601 time with an offset into naive UTC; dumps stored UTC with +00:00."""

    def _deserialize(self, value, attr, data, **kwargs):
        aware = super()._deserialize(value, attr, data, **kwargs)
        return aware.astimezone(datetime.timezone.utc).replace(tzinfo=None)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.replace(tzinfo=datetime.timezone.utc).isoformat()


class Hours(ma.fields.Decimal):
    """Hours as a decimal string with two places ("7.50"), never negative."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", ma.validate.Range(min=0))
        super().__init__(places=2, rounding=decimal.ROUND_HALF_UP, as_string=True,
                         **kwargs)


class Schema(ma.Schema):
    """Base schema: unknown fields are an error that names them."""

    class Meta:
        unknown = ma.RAISE


class ReasonSchema(Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=3, max=2000))


class Partial:
    """Mix in first to load a schema for PATCH: only the fields sent, no defaults filled."""

    def __init__(self, *args, **kwargs):
        # Top-level names only: partial=True would also let nested rows (credits) go half-filled.
        kwargs.setdefault("partial", tuple(self._declared_fields))
        super().__init__(*args, **kwargs)
