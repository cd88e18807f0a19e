"""Mapped CSV: RFC 4180, UTF-8 (BOM optional), safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable, Iterator

from marshmallow import fields

from lms.known import Known, each
from lms.rows import RecordRow
from lms.tabular import Table, TabularOptions

FLUSH_AT = 64 * 1024
LINE_END = "\r\n"
# OWASP CSV injection: a spreadsheet evaluates a cell starting with one of these.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class CsvOptions(TabularOptions):
    bom = fields.Boolean(
        load_default=False,
        metadata={"description": "Start with a UTF-8 byte order mark (Excel reads accents)."},
    )


def neutralise(text: str) -> str:
    """A leading quote makes a spreadsheet show the text instead of evaluating it."""
    return "'" + text if text.startswith(TRIGGERS) else text


def _exact(texts: Known, values: list) -> list:
    """Each value's text from `texts`, decimals keyed by their own text too: 7.5 and 7.50
    are equal but read apart (other sources' decimals are rounded to the options' places)."""
    keys = zip(map(type, values), map(str, values), values, strict=True)
    return list(map(texts.__getitem__, keys))


def _field(text: str) -> str:
    """`text` as the csv module writes it as a field of a row (quoted where it holds a
    comma, a quote or a line end): the row [text, ""] less its trailing comma and line end."""
    line = io.StringIO()
    csv.writer(line, lineterminator=LINE_END).writerow([text, ""])
    return line.getvalue()[: -len("," + LINE_END)]


def _lines(columns) -> str:
    """The rows of a chunk as the csv module writes them, from their fields already written:
    joined by commas, each row ended by LINE_END (the csv module's writerows checks every
    character of every field, and writing them was most of an export's own time)."""
    rows = list(map(",".join, zip(*columns, strict=True)))
    if len(columns) == 1:  # the csv module quotes a row of one empty field: "" reads as a row
        rows = ['""' if row == "" else row for row in rows]
    return LINE_END.join(rows) + LINE_END if rows else ""


def write(records: Iterable[RecordRow], options: dict) -> Iterator[bytes]:
    table = Table(options)
    buffer = io.StringIO()
    if options["bom"]:
        buffer.write("\ufeff")
    if options["header"]:
        csv.writer(buffer, lineterminator=LINE_END).writerow([neutralise(h) for h in table.headers])
    # A column's field, written once per distinct value: records repeat their people's,
    # classes' and days' values.
    texts = [Known(lambda key: _field(neutralise(table.text(key[-1]))), 512) for _ in table.cells]
    shown = [_exact if table.unrounded(column) else each for column in table.columns]
    for cells in table.chunks(records):
        buffer.write(_lines([show(t, c) for show, t, c in zip(shown, texts, cells, strict=True)]))
        if buffer.tell() >= FLUSH_AT:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
