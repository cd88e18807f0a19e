"""Mapped CSV: RFC 4180 quoting, spreadsheet-safe cells, BOM option, flat memory."""

import csv
import io
import itertools
from decimal import Decimal

import pytest

import lms
from lms.csv_format import LINE_END, _field, _lines
from tests.lms.memory import peak
from tests.lms.sample import row

COLUMNS = [
    {"header": "First", "source": "first_name"},
    {"header": "Last", "source": "last_name"},
    {"header": "Hours", "source": "hours"},
]


def write(records, **options) -> bytes:
    return b"".join(lms.write("csv", records, {"columns": COLUMNS, **options}))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_evaluate_is_neutralised(start):
    name = start + 'HYPERLINK("http://evil.example","x")'
    text = write([row(1, first_name=name)]).decode()
    first = list(csv.reader(io.StringIO(text, newline="")))[1][0]
    assert first == "'" + name


def test_harmless_text_and_numbers_are_written_as_they_are():
    text = write([row(1, first_name="Ann-Marie", last_name="O'Neil")]).decode()
    assert text.splitlines()[1] == "Ann-Marie,O'Neil,7.50"


def test_quoting_follows_rfc_4180_with_crlf_line_ends():
    data = write([row(1, first_name='Jo "JJ", Jr', last_name="Line\nBreak")])
    assert data == b'First,Last,Hours\r\n"Jo ""JJ"", Jr","Line\nBreak",7.50\r\n'


def test_utf8_bom_only_when_asked():
    assert write([row(1)], bom=True).startswith(b"\xef\xbb\xbfFirst,")
    assert write([row(1)]).startswith(b"First,")
    assert "Núñez".encode() in write([row(1)])


def test_header_row_can_be_left_out():
    assert write([row(1)], header=False).decode().splitlines() == ["Dana,Ortiz-Núñez 1,7.50"]


def test_hours_round_half_up_or_down_to_the_asked_places():
    from decimal import Decimal

    records = [row(1, hours=Decimal("7.25"))]
    assert write(records, header=False, hours_decimals=1).endswith(b",7.3\r\n")
    assert write(records, header=False, hours_decimals=1, hours_rounding="down").endswith(
        b",7.2\r\n"
    )
    assert write(records, header=False, hours_decimals=0).endswith(b",7\r\n")


def test_fixed_values_and_prefixes_and_maps():
    columns = [
        {"header": "Provider", "value": "50-1234"},
        {"header": "Status", "source": "status", "map": {"valid": "OK"}},
        {"header": "State", "source": "external_ids.state_post", "prefix": "ID="},
    ]
    out = b"".join(lms.write("csv", [row(1)], {"columns": columns, "header": False}))
    assert out == b"50-1234,OK,ID=P000001\r\n"


def test_memory_stays_flat_from_1000_to_10000_rows():
    def stream(records):
        return lms.write("csv", records, preset="state-roster")

    small, large = peak(stream, 1_000), peak(stream, 10_000)
    print(f"csv peak: 1,000 rows {small} B, 10,000 rows {large} B")
    assert large < 1.5 * small


def test_each_value_reads_as_its_own_though_equal_values_repeat():
    # Texts are worked out once per distinct value: equal values of two types, or decimals
    # with other places, still read as their own.
    scores = [Decimal("7.5"), Decimal("7.50"), True, 1, 1.0, None, Decimal("7.5")]
    records = [row(n, score=score, passed=None) for n, score in enumerate(scores, 1)]
    columns = [{"header": "s", "source": "score"}, {"header": "g", "source": "grade"}]
    text = b"".join(lms.write("csv", records, {"columns": columns, "header": False}))
    shown = ["7.5", "7.50", "true", "1", "1.0", "", "7.5"]
    assert text.decode().split("\r\n")[:-1] == [f"{s},{s or 'completed'}" for s in shown]


FIELDS = ["", " ", "plain", "a,b", 'say "hi"', "line\nend", "cr\rhere", "crlf\r\n", "é ü 名", ","]


@pytest.mark.parametrize("width", [1, 2, 3])
def test_rows_are_written_as_the_csv_module_writes_them(width):
    """Fields written once per distinct value and joined (lms.csv_format._lines) give the
    csv module's own bytes: quoting, doubled quotes, line ends, and a row of one empty field."""
    rows = list(itertools.product(FIELDS, repeat=width))
    expected = io.StringIO()
    csv.writer(expected, lineterminator=LINE_END).writerows(rows)
    columns = [[_field(text) for text in column] for column in zip(*rows, strict=True)]
    assert _lines(columns) == expected.getvalue()
    assert _lines([[] for _ in range(width)]) == ""


def test_a_one_column_export_writes_an_empty_value_as_the_csv_module_does():
    data = b"".join(
        lms.write("csv", [row(1, email=None), row(2)], {"columns": [{"source": "email"}]})
    )
    assert data.split(b"\r\n")[1] == b'""'
