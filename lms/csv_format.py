"""Mapped CSV: RFC 4180, UTF-8 (BOM optional), safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable, Iterator

from marshmallow import fields

from lms.known import Known, each, typed
from lms.rows import RecordRow
from lms.tabular import Table, TabularOptions

FLUSH_AT = 64 * 1024
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


def write(records: Iterable[RecordRow], options: dict) -> Iterator[bytes]:
    table = Table(options)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if options["bom"]:
        buffer.write("\ufeff")
    if options["header"]:
        writer.writerow([neutralise(h) for h in table.headers])
    # A column's text, worked out once per distinct value: records repeat their people's,
    # classes' and days' values.
    texts = [
        Known(typed(lambda value: neutralise(table.text(value)), ""), 512) for _ in table.cells
    ]
    for cells in table.chunks(records):
        writer.writerows(zip(*map(each, texts, cells), strict=True))
        if buffer.tell() >= FLUSH_AT:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
