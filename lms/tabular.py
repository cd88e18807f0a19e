"""Options and rows shared by the mapped CSV and XLSX writers: columns, ids, dates, hours."""

import itertools
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from lms import fields as sources
from lms.known import Known
from lms.rows import RecordRow, Wanted

DATE_TOKENS = re.compile(r"YYYY|MM|DD|M|D|[-/. ]")
EXCEL_TOKENS = {"YYYY": "yyyy", "MM": "mm", "M": "m", "DD": "dd", "D": "d"}
ROUNDING = {"half_up": ROUND_HALF_UP, "down": ROUND_DOWN}


def check_date_format(text: str) -> None:
    tokens = DATE_TOKENS.findall(text)
    if "".join(tokens) != text or not {"YYYY", "M", "MM"} & set(tokens):
        raise ValidationError(
            "Use YYYY, MM (or M without a leading zero), DD (or D) and the separators - / . or"
            " space, e.g. YYYY-MM-DD or M/D/YYYY."
        )


def format_date(day: date, pattern: str) -> str:
    parts = {"YYYY": f"{day.year:04d}", "MM": f"{day.month:02d}", "M": str(day.month)}
    parts |= {"DD": f"{day.day:02d}", "D": str(day.day)}
    return "".join(parts.get(t, t) for t in DATE_TOKENS.findall(pattern))


def excel_date_format(pattern: str) -> str:
    return "".join(EXCEL_TOKENS.get(t, t) for t in DATE_TOKENS.findall(pattern))


class ColumnSchema(Schema):
    """One column: a header and either a source field or a fixed value."""

    header = fields.String(load_default="", validate=validate.Length(max=255))
    source = fields.String(metadata={"description": "A field of the record; see lms/fields.py."})
    value = fields.String(validate=validate.Length(max=1000))
    prefix = fields.String(load_default="", validate=validate.Length(max=100))
    map = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        load_default=dict,
        metadata={"description": "Replaces a shown value by another, e.g. valid → completed."},
    )

    @validates("source")
    def _known(self, source, **_):
        if not sources.is_source(source):
            raise ValidationError(f"Unknown source field {source!r}.")

    @validates_schema
    def _one_of(self, data, **_):
        if ("source" in data) == ("value" in data):
            raise ValidationError("Give either a source or a fixed value.", "source")


class TabularOptions(Schema):
    """Options of a mapped table, CSV or XLSX."""

    columns = fields.List(
        fields.Nested(ColumnSchema), required=True, validate=validate.Length(min=1, max=200)
    )
    header = fields.Boolean(load_default=True, metadata={"description": "Write a header row."})
    person_ref = fields.String(
        load_default="employee_id",
        metadata={"description": "The person id: employee_id, email or external_ids.<key>."},
    )
    date_format = fields.String(load_default="YYYY-MM-DD")
    hours_decimals = fields.Integer(load_default=2, validate=validate.Range(0, 4))
    hours_rounding = fields.String(load_default="half_up", validate=validate.OneOf(ROUNDING))
    record_kinds = fields.List(
        fields.String(validate=validate.OneOf(["completion", "award"])),
        load_default=lambda: ["completion", "award"],
        validate=validate.Length(min=1),
    )
    include_revoked = fields.Boolean(load_default=False)
    row_per_credit = fields.Boolean(
        load_default=False,
        metadata={"description": "One row per credit category (credit_category, credit_hours)."},
    )

    @validates("person_ref")
    def _ref(self, ref, **_):
        if not sources.is_person_ref(ref):
            raise ValidationError("Use employee_id, email, person_id or external_ids.<key>.")

    @validates("date_format")
    def _date(self, text, **_):
        check_date_format(text)


class Table:
    """Turns rows into cells as the options say; text for CSV and XLSX alike."""

    def __init__(self, options: dict):
        self.options = options
        self.columns = options["columns"]
        self.quantum = Decimal(1).scaleb(-options["hours_decimals"])
        self.rounding = ROUNDING[options["hours_rounding"]]
        self.cells = [self._cell_of(column) for column in self.columns]
        self.days = {}  # a date's text: an export's records share a few thousand dates

    def _cell_of(self, column: dict):
        """A column's values for a chunk of rows, as a function of (columns, count) decided
        once per export: typed where they stay as they are, text where mapped or prefixed."""
        if "value" in column:
            fixed = column["value"]
            return lambda columns, n: [fixed] * n
        source = column["source"]
        get = sources.column(source, self.options["person_ref"])
        typed = get
        if sources.is_hours(source):
            hours = Known(lambda amount: None if amount is None else self.hours(amount))
            if source == "credits":
                typed = lambda columns, n: [  # noqa: E731
                    [(c, hours[h]) for c, h in credits] for credits in get(columns, n)
                ]
            else:
                typed = lambda columns, n: list(map(hours.__getitem__, get(columns, n)))  # noqa: E731
        mapped, prefix = column["map"], column["prefix"]
        if source != "credits" and not mapped and not prefix:
            return typed

        def shown(value):
            text = self.text(value)
            text = mapped.get(text, text)
            return prefix + text if text else text

        return lambda columns, n: list(map(shown, typed(columns, n)))

    @property
    def headers(self) -> list[str]:
        return [c["header"] for c in self.columns]

    @property
    def wanted(self) -> Wanted:
        """What the rows are read for: the kinds, statuses and fields the columns show."""
        ref, fields = self.options["person_ref"], set()
        for column in self.columns:
            if "source" in column:
                fields |= sources.reads(column["source"], ref)
        if self.options["row_per_credit"]:
            fields.add("credits")
        kinds = frozenset(self.options["record_kinds"])
        return Wanted(kinds, self.options["include_revoked"], frozenset(fields))

    def unrounded(self, column: dict) -> bool:
        """Whether a column may show decimals as they are (a score), not rounded to the
        options' places: equal ones may then differ in their places."""
        source = column.get("source")
        return source in sources.UNROUNDED or (
            source == "person_ref" and self.options["person_ref"] in sources.UNROUNDED
        )

    def hours(self, amount: Decimal) -> Decimal:
        return Decimal(amount).quantize(self.quantum, rounding=self.rounding)

    def text(self, value) -> str:
        """How a value reads as text."""
        kind = type(value)
        if kind is str:
            return value
        if kind is date:
            text = self.days.get(value)
            if text is None:
                if len(self.days) >= 1024:
                    self.days.clear()
                text = self.days[value] = format_date(value, self.options["date_format"])
            return text
        match value:
            case None:
                return ""
            case bool():
                return "true" if value else "false"
            case datetime():
                return value.isoformat()
            case date():
                return format_date(value, self.options["date_format"])
            case list():
                return "; ".join(f"{c}: {self.text(h)}" for c, h in value)
            case Decimal():
                return str(value)
        return str(value)

    def selected(self, records: Iterable[RecordRow]) -> Iterator[RecordRow]:
        kinds, revoked = set(self.options["record_kinds"]), self.options["include_revoked"]
        for row in records:
            if row["record_kind"] in kinds and (revoked or row["status"] == "valid"):
                yield row

    def chunks(self, records: Iterable[RecordRow]) -> Iterator[list[list]]:
        """The cells of a chunk of rows at a time, a list per column. Records that select
        themselves (a `chunks(wanted)` method) are read for only what the columns show."""
        wanted = self.wanted
        read = getattr(records, "chunks", None)
        found = read(wanted) if read else in_columns(self.selected(records), wanted.fields)
        for n, columns in found:
            if self.options["row_per_credit"]:
                n, columns = _per_credit(columns)
            yield [cell(columns, n) for cell in self.cells]

    def rows(self, records: Iterable[RecordRow]) -> Iterator[list]:
        for cells in self.chunks(records):
            yield from map(list, zip(*cells, strict=True))


CHUNK = 100  # plain rows turned into columns at a time


def in_columns(rows: Iterable[RecordRow], fields) -> Iterator[tuple[int, dict]]:
    """Plain rows as (count, {field: its values}), CHUNK rows at a time: what a writer
    reading columns takes from a source that gives rows."""
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, CHUNK)):
        count, columns = len(chunk), {name: [row.get(name) for row in chunk] for name in fields}
        del chunk  # the rows go before the next are read: memory stays that of one chunk
        yield count, columns


def _per_credit(columns: dict) -> tuple[int, dict]:
    """A row per credit of each row (one without a credit for a row with none)."""
    picked = [
        (index, credit)
        for index, credits in enumerate(columns["credits"])
        for credit in credits or [None]
    ]
    spread = {name: [values[i] for i, _ in picked] for name, values in columns.items()}
    spread["credit"] = [credit for _, credit in picked]
    return len(picked), spread
