"""Each preset writes exactly the layout its receiving system documents (export-formats.md)."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl

import lms
from tests.lms.sample import award, row

REVOKED = {"status": "revoked", "revoked_at": datetime(2026, 4, 2, tzinfo=UTC)}


def csv_rows(preset: str, records, **options) -> list[list[str]]:
    data = b"".join(lms.write("csv", records, options, preset=preset))
    assert data.endswith(b"\r\n") and not data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode(), newline="")))


def xlsx_rows(preset: str, records, **options):
    data = b"".join(lms.write("xlsx", records, options, preset=preset))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(r) for r in sheet.iter_rows()]


def test_every_tabular_preset_is_offered_for_csv_and_xlsx_and_validates():
    names = [
        "totara-course",
        "totara-certification",
        "cebroker-roster",
        "cebroker-roster-partial",
        "canvas-enrollments",
        "state-roster",
    ]
    for fmt in ("csv", "xlsx"):
        assert [p["name"] for p in lms.get(fmt).presets] == names
        for name in names:
            assert lms.validate_options(fmt, preset=name)["columns"]


def test_totara_course_upload_has_totaras_exact_header_and_one_row_per_valid_completion():
    records = [
        row(1),
        row(2, score=None, passed=None),
        row(3, **REVOKED),
        award(4),
    ]
    assert csv_rows("totara-course", records) == [
        ["username", "courseshortname", "courseidnumber", "completiondate", "grade"],
        ["E00001", "Hazardous materials, awareness", "FD-HAZ-101", "2026-03-14", "92.5"],
        ["E00002", "Hazardous materials, awareness", "FD-HAZ-101", "2026-03-14", "completed"],
    ]


def test_totara_username_follows_the_profiles_person_id():
    out = csv_rows("totara-course", [row(1)], person_ref="external_ids.state_post")
    assert out[1][0] == "P000001"


def test_totara_certification_upload_lists_awards_with_due_date_or_empty():
    records = [row(1), award(2), award(3, expires_on=None), award(4, **REVOKED)]
    assert csv_rows("totara-certification", records) == [
        [
            "username",
            "certificationshortname",
            "certificationidnumber",
            "completiondate",
            "duedate",
        ],
        ["E00002", "Hazmat Awareness", "HZA", "2026-03-14", "2028-03-14"],
        ["E00003", "Hazmat Awareness", "HZA", "2026-03-14", ""],
    ]


def test_cebroker_full_credit_roster_goes_by_position_with_excel_dates_and_no_header():
    preset = lms.get("xlsx").preset("cebroker-roster")
    columns = [dict(c) for c in preset["options"]["columns"]]
    columns[0]["value"] = "1234"  # the provider tracking number, set by the profile
    records = [
        row(1, course_external_ids={"cebroker": "20-555"}, external_ids={"license": "PM1"}),
        row(2, external_ids={"license": "PM2", "cebroker_profession": "PMD"}),
        row(3, **REVOKED),
    ]
    out = xlsx_rows("cebroker-roster", records, columns=columns)
    values = [[c.value for c in r] for r in out]
    assert values == [
        ["1234", "20-555", "HAZ-101", None, "PM1", datetime(2026, 3, 14), "State=FL", None],
        ["1234", None, "HAZ-101", None, "PM2", datetime(2026, 3, 14), "State=FL", "Profession=PMD"],
    ]
    assert out[0][5].is_date and out[0][5].number_format == "m/d/yyyy"
    assert "xlsx" in preset["description"] and "not found" in preset["description"]


def test_cebroker_partial_credit_roster_has_a_row_per_subject_area_with_hours():
    out = xlsx_rows("cebroker-roster-partial", [row(1)])
    assert [[c.value for c in r][8:] for r in out] == [["Hazmat", 5], ["Legal", 2.5]]
    assert out[1][9].data_type == "n" and out[1][9].number_format == "0.00"


def test_canvas_enrollments_mark_completed_and_revoked_as_deleted():
    records = [row(1), row(2, **REVOKED), award(3)]
    assert csv_rows("canvas-enrollments", records) == [
        ["course_id", "user_id", "role", "section_id", "status"],
        ["FD-HAZ-101", "E00001", "student", "FD-40", "completed"],
        ["FD-HAZ-101", "E00002", "student", "FD-40", "deleted"],
    ]


def test_state_roster_has_name_regulator_id_course_number_dates_and_hours_by_category():
    records = [row(1, hours=Decimal("7.499")), row(2, partial=True, **REVOKED)]
    assert csv_rows("state-roster", records) == [
        [
            "Last name",
            "First name",
            "Regulator id",
            "Course title",
            "State course number",
            "Start date",
            "End date",
            "Hours",
            "Hours by category",
            "Outcome",
        ],
        [
            "Ortiz-Núñez 1",
            "Dana",
            "P000001",
            "Hazardous materials, awareness",
            "1040",
            "2026-03-13",
            "2026-03-14",
            "7.50",
            "Hazmat: 5.00; Legal: 2.50",
            "passed",
        ],
    ]


def test_state_roster_takes_a_column_per_category_and_another_date_format():
    preset = lms.get("csv").preset("state-roster")["options"]
    columns = [
        *preset["columns"][:2],
        {"header": "Hazmat", "source": "credits.Hazmat"},
        {"header": "Firearms", "source": "credits.Firearms"},
        {"header": "End", "source": "completed_on"},
    ]
    out = csv_rows(
        "state-roster",
        [row(1, completed_on=date(2026, 1, 5))],
        columns=columns,
        date_format="MM/DD/YYYY",
        hours_decimals=1,
        hours_rounding="down",
    )
    assert out == [
        ["Last name", "First name", "Hazmat", "Firearms", "End"],
        ["Ortiz-Núñez 1", "Dana", "5.0", "", "01/05/2026"],
    ]
