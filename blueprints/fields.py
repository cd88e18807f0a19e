"""Schema fields shared by every blueprint: UTC timestamps with offsets, two-place hours."""

import datetime
import decimal

import marshmallow as ma


class UtcDateTime(ma.fields.AwareDateTime):
    """Loads an ISO 8601 time with an offset into naive UTC; dumps stored UTC with +00:00."""

    def _deserialize(self, value, attr, data, **kwargs):
        aware = super()._deserialize(value, attr, data, **kwargs)
        return aware.astimezone(datetime.UTC).replace(tzinfo=None)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.replace(tzinfo=datetime.UTC).isoformat()


class RecordDate(ma.fields.Date):
    """A date on a training record: 1950 to 2200, so date arithmetic never overflows."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "validate",
            ma.validate.Range(min=datetime.date(1950, 1, 1), max=datetime.date(2200, 12, 31)),
        )
        super().__init__(**kwargs)


class Hours(ma.fields.Decimal):
    """Hours as a decimal string with two places ("7.50"), never negative."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", ma.validate.Range(min=0))
        super().__init__(places=2, rounding=decimal.ROUND_HALF_UP, as_string=True, **kwargs)


def _nul_paths(value, path=()):
    """Paths of strings holding a NUL character, which no database stores."""
    if isinstance(value, str):
        return [path] if "\x00" in value else []
    items = (
        value.items()
        if isinstance(value, dict)
        else (enumerate(value) if isinstance(value, list) else ())
    )
    return [found for key, item in items for found in _nul_paths(item, path + (key,))]


class Schema(ma.Schema):
    """Base schema: unknown fields and NUL characters are errors that name the field."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load(pass_collection=True)
    def refuse_nul(self, data, **kwargs):
        errors = {}
        for path in _nul_paths(data):
            node = errors
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1] if path else "_schema"] = ["Contains a NUL character."]
        if errors:
            raise ma.ValidationError(errors)
        return data


class ReasonSchema(Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=3, max=2000))


class Partial:
    """Mix in first to load a schema for PATCH: only the fields sent, no defaults filled."""

    def __init__(self, *args, **kwargs):
        # Top-level names only: partial=True would also let nested rows (credits) go half-filled.
        kwargs.setdefault("partial", tuple(self._declared_fields))
        super().__init__(*args, **kwargs)
