"""The sign-in sheet: every fact a state board asks for, read back from the PDF's text, and
a QR code a phone scans to check in."""

import pytest

from tests.certificates.reading import pages, qr_codes, words_of
from tests.helpers import add, created, hazmat_course

SESSIONS = [
    {"starts_at": "2026-04-11T08:00:00-05:00", "ends_at": "2026-04-11T16:00:00-05:00"},
    {"starts_at": "2026-04-12T08:30:00-05:00", "ends_at": "2026-04-12T12:00:00-05:00"},
]


class Sheet:
    """The fire agency's hazmat class with the police officer and an EMS medic rostered."""

    def __init__(self, world):
        self.world = world
        _, response = hazmat_course(world)
        course = created(response)
        self.offering = created(
            world.fire_coordinator.post(
                "/offerings",
                json={
                    "course_id": course["id"],
                    "location": "Riverton Training Ground, Bay 2",
                    "instructor_ids": [world.instructor_person["id"]],
                    "sessions": SESSIONS,
                },
            )
        )
        self.path = f"/offerings/{self.offering['id']}"
        medic = world.person(
            world.ems, "Zoë", "Nakamura-Jones", "E-31", external_ids={"nremt": "NR-8812"}
        )
        for person in (world.officer_person, medic):
            response = add(world.instructor, self.offering, {"person": world.at_door(person)})
            assert response.status_code == 201, response.get_json()

    def pdf(self, query="", caller=None):
        response = (caller or self.world.instructor).get(f"{self.path}/sign-in-sheet.pdf{query}")
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        assert response.mimetype == "application/pdf"
        return response


@pytest.fixture
def sheet(world):
    return Sheet(world)


def test_the_sheet_prints_the_class_its_sessions_and_everyone_rostered(world, sheet):
    response = sheet.pdf("?id_scheme=state_post")
    assert response.headers["Cache-Control"] == "private, no-store"
    (page,) = pages(response.data)
    text = words_of(page)
    for fact in (
        "Riverton Fire Department",
        "Sign-in sheet",
        "HZ-OPS · Hazardous Materials Operations",
        "Course number: State course number SFM-4410",
        "Location: Riverton Training Ground, Bay 2",
        "Instructors: Ana Ramírez",
        # in the host's time (America/Chicago), as the sessions were given
        "Sat April 11, 2026, 08:00–16:00",
        "Sun April 12, 2026, 08:30–12:00",
        # the regulator named once, in the column's head; the medic has no such id
        "# Name Agency State POST ID Time in Time out Signature "
        "1 Zoë Nakamura-Jones County EMS "
        "2 Sean O'Brien Riverton Police Department IL-55501 "
        "3 4 5 6 7 Page 1 of 1",  # five blank rows for walk-ins
    ):
        assert fact in text, (fact, text)


def test_the_host_chooses_the_regulator_id_printed(sheet):
    text = words_of(pages(sheet.pdf("?id_scheme=nremt").data)[0])
    assert (
        "# Name Agency NREMT ID Time in Time out Signature "
        "1 Zoë Nakamura-Jones County EMS NR-8812 2 Sean O'Brien Riverton Police Department 3"
    ) in text
    plain = words_of(pages(sheet.pdf().data)[0])
    assert (
        "# Name Agency Regulator ID Time in Time out Signature "
        "1 Zoë Nakamura-Jones County EMS 2 Sean O'Brien Riverton Police Department 3"
    ) in plain


def test_the_qr_code_carries_the_class_check_in_code(world, sheet):
    pdf = sheet.pdf().data
    shown = world.instructor.get(f"{sheet.path}/check-in-code").get_json()
    ((text, _),) = qr_codes(pdf)
    assert text == shown["check_in_url"]
    assert text.endswith(f"/api/v1/offerings/{sheet.offering['id']}/check-ins?code={shown['code']}")
    assert "Scan to check in" in words_of(pages(pdf)[0])


def test_a_long_sheet_numbers_every_page_of_the_total(sheet):
    pdf = sheet.pdf("?blank_rows=60").data
    read = pages(pdf)
    assert len(read) == 3
    for number, page in enumerate(read, 1):
        assert f"Page {number} of 3" in words_of(page)
    later = words_of(read[1])
    assert later.startswith("Sign-in sheet (continued): HZ-OPS · Hazardous Materials Operations")
    assert "# Name Agency Regulator ID Time in Time out Signature" in later
    last_row = words_of(read[2]).split(" Page 3 of 3")[0].split()[-1]
    assert last_row == "62"  # two rostered, then sixty blank rows


def test_only_those_who_run_the_class_print_its_sheet(world, sheet):
    for caller in (world.officer, world.police_coordinator):
        assert caller.get(f"{sheet.path}/sign-in-sheet.pdf").status_code == 403
    assert world.anonymous.get(f"{sheet.path}/sign-in-sheet.pdf").status_code == 401
    assert world.instructor.get("/offerings/999999/sign-in-sheet.pdf").status_code == 404
    sheet.pdf(caller=world.fire_coordinator)
    sheet.pdf(caller=world.admin)


@pytest.mark.parametrize(
    ("query", "field"),
    [("?id_scheme=State%20POST", "id_scheme"), ("?blank_rows=500", "blank_rows")],
)
def test_bad_options_are_a_422_naming_the_option(world, sheet, query, field):
    response = world.instructor.get(f"{sheet.path}/sign-in-sheet.pdf{query}")
    assert response.status_code == 422
    assert list(response.get_json()["errors"]["query"]) == [field]
