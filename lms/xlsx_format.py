"""Mapped XLSX: real dates and numbers, text never evaluated; streamed through a temporary file."""

import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from marshmallow import fields, validate
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from lms.rows import RecordRow
from lms.tabular import Table, TabularOptions, excel_date_format

CHUNK = 64 * 1024


class XlsxOptions(TabularOptions):
    sheet_name = fields.String(
        load_default="Records",
        validate=[validate.Length(min=1, max=31), validate.Regexp(r"^[^\[\]:*?/\\]+$")],
    )


class Cells:
    """Builds write-only cells with the number formats the options ask for."""

    def __init__(self, sheet, table: Table):
        self.sheet, self.table = sheet, table
        self.date_format = excel_date_format(table.options["date_format"])
        places = table.options["hours_decimals"]
        self.number_format = "0." + "0" * places if places else "0"

    def __call__(self, value) -> WriteOnlyCell:
        if value is None or isinstance(value, bool):
            return WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, datetime):
            value = value.isoformat()  # Excel has no time zones; ISO text keeps the offset
        if isinstance(value, date):
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.number_format = self.date_format
            return cell
        if isinstance(value, Decimal):
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.number_format = self.number_format
            return cell
        return self.text(value)

    def text(self, value) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
        # openpyxl takes a string starting with "=" for a formula; a name stays a name.
        cell.data_type = "s"
        return cell


def write(records: Iterable[RecordRow], options: dict) -> Iterator[bytes]:
    table = Table(options)
    with tempfile.TemporaryFile() as spool:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(options["sheet_name"])
        cells = Cells(sheet, table)
        if options["header"]:
            sheet.append([cells.text(h) for h in table.headers])
        for row in table.rows(records):
            sheet.append([cells(value) for value in row])
        book.save(spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
