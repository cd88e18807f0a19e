"""Schema fields shared by every blueprint: UTC timestamps with offsets, two-place hours,
ASCII numbers, and the default limits of every field a request sends."""

import datetime
import decimal
import re

import marshmallow as ma
from marshmallow import class_registry
from marshmallow.exceptions import RegistryError

import limits


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


class DecimalText(ma.fields.Decimal):
    """A decimal number; as a string, written in ASCII ("7.50", never "７.５"), at most
    MAX_DECIMAL_TEXT characters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(StatedLength(limits.MAX_DECIMAL_TEXT))

    def _format_num(self, value):
        if isinstance(value, str) and (
            len(value) > limits.MAX_DECIMAL_TEXT or not _DECIMAL_TEXT.match(value)
        ):
            raise ValueError(value)
        return super()._format_num(value)


class StatedLength(ma.validate.Validator):
    """The most characters a number written as a string may have, for the OpenAPI
    document (maxLength); DecimalText enforces it on the text, before it is a number."""

    def __init__(self, most):
        self.min, self.max, self.equal = None, most, None

    def __call__(self, value):
        return value


_DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")


class WholeNumber(ma.fields.Integer):
    """An integer: a JSON number without a fraction, or a string of ASCII digits with no
    leading zero ("10"; never "１０", "٣", "010", " 10" or "+10"), as ids are written."""

    def _format_num(self, value):
        if isinstance(value, str) and not _WHOLE_NUMBER.match(value):
            raise ValueError(value)
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(value)
        return super()._format_num(value)


_WHOLE_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")


CENT = decimal.Decimal("0.01")


def hours_text(value):
    """Hours as the Hours field writes them, for a JSON writer of its own: two places,
    halves rounded up ("7.50"); None stays None."""
    if value is None:
        return None
    return format(decimal.Decimal(str(value)).quantize(CENT, decimal.ROUND_HALF_UP), "f")


class Hours(DecimalText):
    """Hours as a decimal string with two places ("7.50"), never negative."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validate", ma.validate.Range(min=0))
        super().__init__(places=2, rounding=decimal.ROUND_HALF_UP, as_string=True, **kwargs)


class Schema(ma.Schema):
    """Base schema: unknown fields are errors that name the field. (NUL characters and
    invalid Unicode are refused for every request by guards.py, before any schema.)"""

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


def limit_request_fields(schema):
    """Give every field a request may send through `schema` (a class or an instance, and
    the schemas nested in it) the limits it does not state itself: strings MAX_TEXT
    characters, lists MAX_ITEMS items, maps MAX_ENTRIES entries, whole numbers MIN_INT to
    MAX_INT in ASCII digits, decimals in ASCII. The OpenAPI document then states them
    (maxLength, maxItems, maxProperties, minimum/maximum) as the server enforces them."""
    done = set()

    def visit_schema(target):
        if isinstance(target, str):
            try:
                target = class_registry.get_class(target, all=False)
            except RegistryError:
                return  # "self", or a name two schemas share: their own routes limit them
        if isinstance(target, ma.Schema):
            fields = target.declared_fields.values()
            visit_schema(type(target))
        elif isinstance(target, type) and issubclass(target, ma.Schema):
            fields = target._declared_fields.values()
        else:
            return
        if id(target) in done:
            return
        done.add(id(target))
        for field in fields:
            visit_field(field)

    def visit_field(field):
        if field is None or field.dump_only:
            return
        if isinstance(field, ma.fields.Nested):
            if field.many:
                _add_length(field, limits.MAX_ITEMS)
            visit_schema(field.nested)
        elif isinstance(field, ma.fields.List):
            _add_length(field, limits.MAX_ITEMS)
            visit_field(field.inner)
        elif isinstance(field, ma.fields.Tuple):
            for inner in field.tuple_fields:
                visit_field(inner)
        elif isinstance(field, ma.fields.Mapping):
            _add_length(field, limits.MAX_ENTRIES)
            visit_field(field.key_field)
            visit_field(field.value_field)
        elif isinstance(field, ma.fields.String):
            if not any(isinstance(v, ma.validate.OneOf) for v in field.validators):
                _add_length(field, limits.MAX_TEXT)
        elif isinstance(field, ma.fields.Integer):
            if type(field) is ma.fields.Integer:
                field.__class__ = WholeNumber
            _add_range(field)
        elif type(field) is ma.fields.Decimal:
            field.__class__ = DecimalText
            field.validators.append(StatedLength(limits.MAX_DECIMAL_TEXT))

    visit_schema(schema)
    return schema


# Appended in place: a field's copies in schema instances made earlier (a response's
# `PersonSchema(many=True)`, which the OpenAPI document may be drawn from) share the list.
def _add_length(field, most):
    lengths = [v for v in field.validators if isinstance(v, ma.validate.Length)]
    if not any(v.max is not None or v.equal is not None for v in lengths):
        field.validators.append(ma.validate.Length(max=most))


def _add_range(field):
    ranges = [v for v in field.validators if isinstance(v, ma.validate.Range)]
    low = None if any(v.min is not None for v in ranges) else limits.MIN_INT
    high = None if any(v.max is not None for v in ranges) else limits.MAX_INT
    if low is not None or high is not None:
        field.validators.append(ma.validate.Range(min=low, max=high))
