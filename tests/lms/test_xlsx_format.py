"""Mapped XLSX: real dates and numbers, text that never turns into a formula, flat memory."""

import io
import zipfile
from datetime import datetime

import openpyxl

import lms
from tests.lms.memory import peak
from tests.lms.sample import row

COLUMNS = [
    {"header": "=Header", "source": "first_name"},
    {"header": "Completed", "source": "completed_on"},
    {"header": "Hours", "source": "hours"},
    {"header": "Score", "source": "score"},
]


def workbook(records, **options) -> bytes:
    return b"".join(lms.write("xlsx", records, {"columns": COLUMNS, **options}))


def test_a_name_starting_with_equals_stays_text_never_a_formula():
    data = workbook([row(1, first_name="=SUM(A1:A9)", last_name="+1")])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header, first = sheet[1], sheet[2]
    assert (first[0].value, first[0].data_type) == ("=SUM(A1:A9)", "s")
    assert (header[0].value, header[0].data_type) == ("=Header", "s")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_dates_are_real_dates_and_hours_real_numbers_in_the_asked_format():
    data = workbook([row(1)], date_format="DD.MM.YYYY", hours_decimals=1)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    completed, hours, score = sheet[2][1], sheet[2][2], sheet[2][3]
    assert completed.value == datetime(2026, 3, 14) and completed.number_format == "dd.mm.yyyy"
    assert (hours.value, hours.data_type, hours.number_format) == (7.5, "n", "0.0")
    assert score.value == 92.5


def test_sheet_name_is_an_option():
    data = workbook([row(1)], sheet_name="Roster")
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["Roster"]


def test_control_characters_excel_cannot_hold_are_dropped_not_fatal():
    data = workbook([row(1, first_name="Da\x01na")])
    assert openpyxl.load_workbook(io.BytesIO(data)).active["A2"].value == "Dana"


def test_memory_stays_flat_from_500_to_5000_rows():
    def stream(records):
        return lms.write("xlsx", records, preset="state-roster")

    small, large = peak(stream, 500), peak(stream, 5_000)
    print(f"xlsx peak: 500 rows {small} B, 5,000 rows {large} B")
    assert large < 1.5 * small
