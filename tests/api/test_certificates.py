"""Certificates downloaded as an officer, a coordinator or an auditor gets them: every fact
as recorded, the QR code opening the verify page, re-downloads answered 304 unrendered,
revoked records 410, a class's certificates in one PDF, and nobody else's certificates."""

import datetime
import io

import pypdf
import pytest
from PIL import Image

import blueprints.certificates.routes as certificate_routes
from certificates.formats import long_date
from config import DEFAULTS
from models import OfferingInstructor
from rules.codes import group_code
from tests.certificates.reading import outside, overlapping_words, pages, qr_codes, words_of
from tests.helpers import DAY_ONE, DAY_TWO, assert_error, created, hazmat_course

LONG_NAME = ("Marie-Thérèse Anaïs", "Çelik-Øvergård de la Peña y Łukasiewicza")
NAMES = [
    LONG_NAME,
    ("Thị Phương Thảo", "Nguyễn"),
    ("Γεώργιος", "Παπαδόπουλος-Αλεξανδρόπουλος"),
    ("Анастасия Владимировна", "Кузнецова-Щербакова"),
]
LONG_TITLE = (
    "Hazardous Materials Operations with Mass-Decontamination, Triage and Unified Command "
    "for Rail and Road Incidents (Pt. 2)"
)
FIVE_CREDITS = [
    {"category": "state_post", "hours": "16"},
    {"category": "iso_hazmat", "hours": "12.5"},
    {"category": "capce_ce", "hours": "8.25"},
    {"category": "nfpa_472_operations", "hours": "16"},
    {"category": "illinois_ems_relicensure", "hours": "4.75"},
]
NUMBERS = {"state_course": "IL-2026-0142", "capce": "24-FR-F3-1234", "fema": "AWR-160"}
PRINTED_NUMBERS = [
    "State course number IL-2026-0142",
    "CAPCE 24-FR-F3-1234",
    "FEMA course code AWR-160",
]
BASE = DEFAULTS["PUBLIC_BASE_URL"]


def full(name):
    return f"{name[0]} {name[1]}"


class AwkwardClass:
    """The fire agency's two-day hazmat class with a 120-character title, five credit
    categories and three external numbers, attended in full and passed by people whose
    names are written in four scripts, and by the world's officer."""

    def __init__(self, world):
        self.world = world
        self.cert, response = hazmat_course(
            world,
            code="HZ-OPS-101",
            title=LONG_TITLE,
            credits=FIVE_CREDITS,
            external_ids=NUMBERS,
        )
        self.course = created(response)
        self.offering = created(
            world.fire_coordinator.post(
                "/offerings",
                json={
                    "course_id": self.course["id"],
                    "location": "Riverton Training Ground",
                    "instructor_ids": [world.instructor_person["id"]],
                    "sessions": [DAY_ONE, DAY_TWO],
                },
            )
        )
        people = [
            world.person(world.police, first, last, f"P-{n}")
            for n, (first, last) in enumerate(NAMES)
        ]
        self.people = [world.officer_person, *people]
        path = f"/offerings/{self.offering['id']}"
        instructor = world.instructor
        for person in self.people:
            response = instructor.post(f"{path}/roster", json={"person": world.at_door(person)})
            assert response.status_code in (200, 201), response.get_json()
        sessions = [s["id"] for s in self.offering["sessions"]]
        rows = [
            {"person_id": p["id"], "session_id": s, "minutes": 480}
            for p in self.people
            for s in sessions
        ]
        assert instructor.put(f"{path}/attendance", json=rows).status_code == 200
        results = [{"person_id": p["id"], "passed": True, "score": "95"} for p in self.people]
        assert instructor.put(f"{path}/results", json=results).status_code == 200
        response = instructor.post(f"{path}/close")
        assert response.status_code == 200, response.get_json()
        outcomes = {o["person_id"]: o for o in response.get_json()["outcomes"]}
        self.completions = {pid: o["completion_id"] for pid, o in outcomes.items()}
        self.awards = {pid: o["award_ids"][0] for pid, o in outcomes.items()}
        self.path = path

    def completion(self, person):
        return self.world.admin.get(f"/completions/{self.completions[person['id']]}").get_json()

    def award(self, person):
        return self.world.admin.get(f"/awards/{self.awards[person['id']]}").get_json()


@pytest.fixture
def awkward(world, calendar):
    return AwkwardClass(world)


def download(caller, path, **headers):
    response = caller.get(path, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    return response


def png(colour=(200, 30, 30), size=(120, 80)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("name", NAMES, ids=["diacritics", "vietnamese", "greek", "cyrillic"])
def test_every_fact_of_a_completion_is_on_its_certificate_as_recorded(awkward, world, name):
    person = next(p for p in awkward.people if p["last_name"] == name[1])
    record = awkward.completion(person)
    assert len(full(LONG_NAME)) == 60 and len(LONG_TITLE) == 120

    response = download(world.police_coordinator, f"/completions/{record['id']}/certificate.pdf")
    [page] = pages(response.data)
    text = words_of(page)

    assert record["hours"] == "16.00" and record["completed_on"] == "2026-04-12"
    facts = [full(name), "Riverton Fire Department", "Certificate of Completion"]
    facts += ["HZ-OPS-101", LONG_TITLE, "April 11–12, 2026", f"Hours {record['hours']}"]
    facts += [f"{c['category']} {c['hours']}" for c in record["credits"]]
    facts += PRINTED_NUMBERS + ["Ana Ramírez", group_code(record["verify_code"])]
    facts.append(f"{BASE}/api/v1/verify/{record['verify_code']}")
    assert len(record["credits"]) == 5
    for fact in facts:
        assert fact in text
    assert outside(page) == [] and overlapping_words(page) == []


@pytest.mark.parametrize("name", [NAMES[0], NAMES[2]], ids=["diacritics", "greek"])
def test_an_awards_certificate_prints_its_number_and_expiry(awkward, world, name):
    person = next(p for p in awkward.people if p["last_name"] == name[1])
    record = awkward.award(person)

    response = download(world.fire_coordinator, f"/awards/{record['id']}/certificate.pdf")
    [page] = pages(response.data)
    text = words_of(page)

    for fact in [
        full(name),
        "Hazmat Operations Certification",
        f"Award number {record['number']}",
        f"Expires {long_date(datetime.date.fromisoformat(record['expires_on']))}",
        group_code(record["verify_code"]),
    ]:
        assert fact in text
    assert outside(page) == [] and overlapping_words(page) == []


def test_the_qr_code_opens_the_records_public_verification(awkward, world):
    record = awkward.completion(awkward.people[3])  # the Greek name
    response = download(world.admin, certificate(record))

    [(url, _)] = qr_codes(response.data)
    assert url == f"{BASE}/api/v1/verify/{record['verify_code']}"
    verified = world.anonymous.get(url.removeprefix(BASE)).get_json()
    assert (verified["status"], verified["person_name"]) == ("valid", full(NAMES[2]))


def certificate(record):
    kind = "awards" if "number" in record else "completions"
    return f"/{kind}/{record['id']}/certificate.pdf"


def test_pdf_metadata_names_the_certificate_the_host_and_the_day(awkward, world):
    record = awkward.award(awkward.people[2])  # the Vietnamese name
    response = download(world.instructor, certificate(record))

    meta = pypdf.PdfReader(io.BytesIO(response.data)).metadata
    assert meta.title == f"Hazmat Operations Certification: {full(NAMES[1])}"
    assert meta.author == "Riverton Fire Department"
    assert meta.subject == f"HZ-OPS-101 {LONG_TITLE}"
    assert meta.creation_date.date().isoformat() == record["issued_on"]


def test_a_re_download_with_the_etag_is_304_and_renders_nothing(awkward, world, monkeypatch):
    record = awkward.completion(world.officer_person)
    first = download(world.officer, certificate(record))
    etag = first.headers["ETag"]
    assert etag and "private" in first.headers["Cache-Control"]

    rendered = []
    real = certificate_routes.render_certificate
    monkeypatch.setattr(
        certificate_routes, "render_certificate", lambda data: rendered.append(data) or real(data)
    )
    again = world.officer.get(certificate(record), headers={"If-None-Match": etag})
    assert (again.status_code, again.data, rendered) == (304, b"", [])
    assert again.headers["ETag"] == etag and "private" in again.headers["Cache-Control"]

    other = world.officer.get(certificate(record), headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200 and len(rendered) == 1
    assert other.data == first.data and other.headers["ETag"] == etag


def test_a_certificate_names_its_class_instructors_in_the_order_listed(awkward, world, monkeypatch):
    # Listed after the world's instructor: one created earlier, then one created later, so
    # neither their ids nor their names give the order; a download reads them with its
    # record (one statement), a class PDF once for the class: both alike.
    earlier = world.person(world.fire, "Zoë", "Young", "F-201")
    later = world.person(world.fire, "Bea", "Abbott", "F-202")
    OfferingInstructor.insert_many(
        [{"offering": awkward.offering["id"], "person": p["id"]} for p in (later, earlier)]
    ).execute()
    printed = []
    real = certificate_routes.render_certificate
    monkeypatch.setattr(
        certificate_routes, "render_certificate", lambda data: printed.append(data) or real(data)
    )
    for record in (awkward.completion(world.officer_person), awkward.award(world.officer_person)):
        download(world.officer, certificate(record))
    real_pdf = certificate_routes.iter_certificates_pdf
    monkeypatch.setattr(
        certificate_routes,
        "iter_certificates_pdf",
        lambda pages: real_pdf(printed.append(page) or page for page in pages),
    )
    assert download(world.fire_coordinator, f"{awkward.path}/certificates.pdf").data
    listed = ("Ana Ramírez", "Bea Abbott", "Zoë Young")
    assert len(printed) == 2 + 2 * len(awkward.people)
    assert {data.instructors for data in printed} == {listed}


def test_the_host_agencys_paper_size_and_logo_change_the_certificate_and_its_etag(awkward, world):
    record = awkward.award(awkward.people[1])
    letter = download(world.police_coordinator, certificate(record))
    [page] = pages(letter.data)
    assert (page.width, page.height) == (792, 612) and page.images == []

    fire = f"/agencies/{world.fire['id']}"
    response = world.fire_coordinator.patch(fire, json={"paper_size": "a4"})
    assert response.status_code == 200 and response.get_json()["paper_size"] == "a4"
    put = world.fire_coordinator.put(f"{fire}/logo", data=png(), content_type="image/png")
    assert put.status_code == 200, put.get_json()

    a4 = world.police_coordinator.get(
        certificate(record), headers={"If-None-Match": letter.headers["ETag"]}
    )
    assert a4.status_code == 200 and a4.headers["ETag"] != letter.headers["ETag"]
    [page] = pages(a4.data)
    assert (round(page.width), round(page.height)) == (842, 595)
    [image] = page.images
    assert (image["srcsize"]) == (120, 80)
    assert outside(page) == [] and overlapping_words(page) == []
    assert full(LONG_NAME) in words_of(page)


@pytest.mark.parametrize(
    "who",
    ["officer", "police_coordinator", "fire_coordinator", "instructor", "admin"],
)
def test_the_officer_their_coordinators_the_instructor_and_admins_download(awkward, world, who):
    completion = awkward.completion(world.officer_person)
    award = awkward.award(world.officer_person)
    caller = getattr(world, who)
    for record in (completion, award):
        download(caller, certificate(record))


def test_anyone_else_gets_a_404_that_names_no_one(awkward, world):
    stranger_person = world.person(world.ems, "Lena", "Fischer", "E-9")
    stranger = world.user("officer", world.ems, "lena@cems.test", stranger_person)
    other_instructor_person = world.person(world.ems, "Tom", "Hale", "E-10")
    other_instructor = world.user("instructor", world.ems, "tom@cems.test", other_instructor_person)
    police_officer = world.user(
        "officer",
        world.police,
        "kim@rpd.test",
        world.person(world.police, "Kim", "Lee", "P-99"),
    )
    completion = awkward.completion(world.officer_person)
    award = awkward.award(world.officer_person)
    for caller in (world.ems_coordinator, stranger, other_instructor, police_officer):
        for record in (completion, award):
            response = caller.get(certificate(record))
            body = assert_error(response, 404)
            assert "Brien" not in response.get_data(as_text=True) and body["message"]
    assert assert_error(world.anonymous.get(certificate(award)), 401)
    assert_error(world.officer.get("/completions/999999/certificate.pdf"), 404)


def test_a_revoked_award_answers_410_with_the_reason_and_verifies_as_revoked(awkward, world):
    award = awkward.award(world.officer_person)
    download(world.officer, certificate(award))
    response = world.fire_coordinator.post(
        f"/awards/{award['id']}/revoke", json={"reason": "Exam answers were shared"}
    )
    assert response.status_code == 200, response.get_json()

    body = assert_error(world.officer.get(certificate(award)), 410)
    assert "Exam answers were shared" in body["message"]
    verified = world.anonymous.get(f"/verify/{award['verify_code']}").get_json()
    assert verified["status"] == "revoked"
    # The completion it came with still downloads.
    download(world.officer, certificate(awkward.completion(world.officer_person)))


def test_an_expired_award_still_downloads_marked_expired(awkward, world, calendar):
    award = awkward.award(world.officer_person)
    valid = download(world.officer, certificate(award))
    assert "EXPIRED" not in words_of(pages(valid.data)[0])
    calendar(datetime.date.fromisoformat(award["expires_on"]) + datetime.timedelta(days=1))
    expired = world.officer.get(
        certificate(award), headers={"If-None-Match": valid.headers["ETag"]}
    )
    assert expired.status_code == 200
    assert "EXPIRED" in words_of(pages(expired.data)[0])


def test_a_class_pdf_has_a_page_per_valid_completion_and_award(awkward, world):
    revoked = awkward.award(awkward.people[4])  # the Cyrillic name's award
    world.fire_coordinator.post(f"/awards/{revoked['id']}/revoke", json={"reason": "Wrong class"})

    response = download(world.instructor, f"{awkward.path}/certificates.pdf")
    assert "private" in response.headers["Cache-Control"]
    pdf = response.data
    reader = pypdf.PdfReader(io.BytesIO(pdf), strict=True)
    people = len(awkward.people)
    assert len(reader.pages) == 2 * people - 1
    assert reader.metadata.author == "Riverton Fire Department"
    assert reader.metadata.title == f"Certificates: HZ-OPS-101 {LONG_TITLE}"

    texts = [words_of(page) for page in pages(pdf)]
    completions, awards = texts[:people], texts[people:]
    for person in awkward.people:
        name = f"{person['first_name']} {person['last_name']}"
        assert (
            sum(name in text and "Certificate of Completion" in text for text in completions) == 1
        )
        expected = 0 if person["id"] == awkward.people[4]["id"] else 1
        assert sum(name in text for text in awards) == expected
    code = awkward.completion(awkward.people[1])["verify_code"]
    index = next(i for i, text in enumerate(texts) if group_code(code) in text)
    assert [url for url, _ in qr_codes(pdf, index)] == [f"{BASE}/api/v1/verify/{code}"]


def test_only_those_running_the_class_download_its_pdf(awkward, world):
    path = f"{awkward.path}/certificates.pdf"
    for caller in (world.fire_coordinator, world.admin):
        download(caller, path)
    for caller in (world.officer, world.police_coordinator, world.ems_coordinator):
        assert_error(caller.get(path), 403)
    assert_error(world.admin.get("/offerings/999999/certificates.pdf"), 404)


def test_a_class_with_nothing_issued_has_no_class_pdf(world, calendar):
    _, response = hazmat_course(world)
    course = created(response)
    offering = created(
        world.fire_coordinator.post(
            "/offerings",
            json={
                "course_id": course["id"],
                "location": "Station 1",
                "instructor_ids": [world.instructor_person["id"]],
                "sessions": [DAY_ONE],
            },
        )
    )
    assert_error(world.instructor.get(f"/offerings/{offering['id']}/certificates.pdf"), 404)


def test_outside_training_has_no_muster_certificate(world):
    body = {"title": "Crisis Intervention Team training", "provider": "State Police Academy"}
    body.update({"completed_on": "2025-10-04", "hours": "7.5"})
    submission = created(world.officer.post("/submissions", json=body))
    approve = f"/submissions/{submission['id']}/approve"
    response = world.police_coordinator.post(approve, json={})
    assert response.status_code == 200, response.get_json()
    completion_id = response.get_json()["completion_id"]

    body = assert_error(world.officer.get(f"/completions/{completion_id}/certificate.pdf"), 404)
    assert "provider issues it" in body["message"]
