"""Schema fields shared by every blueprint: UTC timestamps with offsets, two-place hours."""

import datetime
import decimal
import re

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


# A '+' left unencoded in a query string arrives as a space: "...T00:00:00 00:00".
_SPACED_OFFSET = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")
_PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")


class QueryDateTime(ma.fields.DateTime):
    """A time to filter by, as a query parameter: ISO 8601 with `Z` or an offset, the `+`
    of an offset that a URL turned into a space, or a plain date (its 00:00 UTC).
    Loads an aware datetime in UTC."""

    default_error_messages = {
        "invalid": "Not a valid time: give an ISO 8601 time with an offset "
        "(2026-01-01T00:00:00Z, 2026-01-01T00:00:00-06:00) or a date (2026-01-01).",
        "naive": "Give an offset with the time (Z, or -06:00), or a plain date.",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        text = _SPACED_OFFSET.sub(r"\1+\2", value.strip())
        try:
            if _PLAIN_DATE.match(text):
                day = datetime.date.fromisoformat(text)
                return datetime.datetime.combine(day, datetime.time(), datetime.UTC)
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise self.make_error("invalid") from None
        if moment.tzinfo is None:
            raise self.make_error("naive")
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise self.make_error("invalid") from None

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.isoformat()


class LocalDateTime(ma.fields.DateTime):
    """An ISO 8601 time with or without an offset: with one, loads an aware datetime; without,
    a naive one, which the operation reads in the host agency's timezone."""

    default_error_messages = {
        "invalid": "Not a valid time: give ISO 8601, e.g. 2026-03-07T08:00:00-06:00, "
        "or 2026-03-07T08:00:00 for the host agency's local time."
    }

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or "T" not in value.upper():
            raise self.make_error("invalid")
        try:
            moment = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            raise self.make_error("invalid") from None
        if not datetime.datetime(1950, 1, 1) <= moment.replace(tzinfo=None) <= _LATEST:
            raise self.make_error("invalid")
        return moment

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.isoformat()


_LATEST = datetime.datetime(2200, 12, 31)


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
