"""The public verify page: JSON for API clients, a small page for a phone, codes read the way
people type them, and a per-address limit that holds across server processes."""

import datetime
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest

from factory import create_app
from models import Award, Completion
from tests.helpers import Server, created

ROOT = Path(__file__).resolve().parents[2]
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
CODE = "7KQ2M9XD41R0"  # holds a 1 and a 0, so their look-alikes can be typed for them


class PageText(HTMLParser):
    """The text a reader sees, the page's language, headings and what it would load."""

    def __init__(self, html):
        super().__init__()
        self.words, self.headings, self.loads, self.lang = [], [], [], None
        self.status_class = None
        self._heading = None
        self.feed(html)
        self.text = " ".join(" ".join(self.words).split())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if attrs.get("role") == "status":
            self.status_class = attrs.get("class")
        if tag in ("h1", "h2"):
            self._heading = [tag]
        self.loads += [attrs[key] for key in ("src", "href") if key in attrs]
        if tag == "style":
            self.words.append("")

    def handle_endtag(self, tag):
        if self._heading and tag == self._heading[0]:
            self.headings.append((tag, " ".join(" ".join(self._heading[1:]).split())))
            self._heading = None

    def handle_data(self, data):
        if self.lasttag in ("style", "title"):
            return
        self.words.append(data)
        if self._heading:
            self._heading.append(data)


def issued_award(hazmat, world):
    """Sean's hazmat award, with a verification code chosen by the test."""
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    award_id = hazmat.close()[officer]["award_ids"][0]
    Award.update(verify_code=CODE).where(Award.id == award_id).execute()
    return world.officer.get(f"/awards/{award_id}").get_json()


def browse(world, path):
    response = world.anonymous.get(path, headers=BROWSER)
    assert response.mimetype == "text/html", response.get_data(as_text=True)
    return response, PageText(response.get_data(as_text=True))


AWARD_JSON = {
    "status": "valid",
    "kind": "award",
    "source": "host",
    "person_name": "Sean O'Brien",
    "title": "Hazmat Operations",
    "issued_on": "2026-04-12",
    "expires_on": "2028-04-30",
    "hours": "16.00",
    "issuer": "Riverton Fire Department",
    "provider": None,
    "approved_by": None,
}


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json, */*"])
def test_api_clients_still_get_json(hazmat, world, accept):
    award = issued_award(hazmat, world)
    headers = {"Accept": accept} if accept else {}
    response = world.anonymous.get(f"/verify/{CODE}", headers=headers)
    assert (response.status_code, response.mimetype) == (200, "application/json")
    assert response.get_json() == {**AWARD_JSON, "number": award["number"]}
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize(
    "typed",
    [
        "7KQ2M9XD41R0",
        "7kq2m9xd41r0",
        "7KQ2-M9XD-41R0",
        "7kq2 m9xd 41r0",
        " 7KQ2 - M9XD - 41R0 ",
        "7KQ2M9XD4IRO",  # I for 1, O for 0
        "7kq2-m9xd-4lro",  # l for 1, o for 0
    ],
)
def test_a_code_is_found_however_it_is_typed(hazmat, world, typed):
    issued_award(hazmat, world)
    response = world.anonymous.get(f"/verify/{typed}")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["person_name"] == "Sean O'Brien"


@pytest.mark.parametrize("typed", ["7KQ2M9XD41R", "7KQ2M9XD41R00", "7KQ2M9XD41RU", "7KQ2_M9XD"])
def test_a_code_of_the_wrong_length_or_letters_is_not_found(hazmat, world, typed):
    issued_award(hazmat, world)
    response = world.anonymous.get(f"/verify/{typed}")
    assert (response.status_code, response.get_json()["message"]) == (
        404,
        "No certificate has this code or number.",
    )


def test_an_award_is_found_by_its_printed_number_in_any_case(hazmat, world):
    award = issued_award(hazmat, world)
    response = world.anonymous.get(f"/verify/{award['number'].lower()}")
    assert response.get_json()["number"] == award["number"]


def test_a_browser_gets_a_page_with_the_facts_and_nothing_more_about_the_person(hazmat, world):
    award = issued_award(hazmat, world)
    response, page = browse(world, f"/verify/{CODE.lower()}")
    assert response.status_code == 200
    assert response.headers["Vary"] == "Accept"
    assert page.lang == "en"
    assert page.headings == [("h1", "Certificate check"), ("h2", "Sean O'Brien")]
    assert page.status_class == "status valid"
    assert page.text == (
        "Certificate check ✓ Valid This record is current. Sean O'Brien "
        f"Certification Hazmat Operations Number {award['number']} Issued April 12, 2026 "
        "Expires April 30, 2028 Hours 16.00 hours Issued by Riverton Fire Department "
        "Issued by the host agency from attendance at its class. Checked July 1, 2026."
    )
    assert page.loads == []  # no scripts, stylesheets, fonts or images from anywhere
    assert "<script" not in response.get_data(as_text=True)
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in (
        response.get_data(as_text=True)
    )


def test_the_page_says_expired_in_words_once_the_certification_has_expired(hazmat, world, calendar):
    issued_award(hazmat, world)
    calendar(datetime.date(2028, 5, 1))
    _, page = browse(world, f"/verify/{CODE}")
    assert "! Expired This certification has expired." in page.text
    assert "Expired April 30, 2028" in page.text
    assert page.status_class == "status expired"


def test_the_page_says_revoked_in_words_and_keeps_the_reason_to_the_issuer(hazmat, world):
    award = issued_award(hazmat, world)
    response = world.fire_coordinator.post(
        f"/awards/{award['id']}/revoke", json={"reason": "Exam answers were shared"}
    )
    assert response.status_code == 200
    _, page = browse(world, f"/verify/{CODE}")
    assert "✗ Revoked Its issuer has revoked this record; it is no longer valid." in page.text
    assert "Exam answers" not in page.text
    assert page.status_class == "status revoked"


def test_self_reported_training_shows_its_provider_and_approving_agency(world):
    submission = created(
        world.officer.post(
            "/submissions",
            json={
                "title": "Crisis Intervention Team training",
                "provider": "State Police Academy",
                "completed_on": "2025-10-04",
                "hours": "7.5",
            },
        )
    )
    approved = world.police_coordinator.post(
        f"/submissions/{submission['id']}/approve", json={"comment": "Matches the roster."}
    ).get_json()
    code = Completion.get_by_id(approved["completion_id"]).verify_code
    _, page = browse(world, f"/verify/{code}")
    assert (
        "Course Crisis Intervention Team training Completed October 4, 2025 "
        "Hours 7.50 hours Provider State Police Academy Approved by Riverton Police Department "
        "Outside training the person reported and their home agency approved. Checked "
    ) in page.text
    assert "Issued by" not in page.text


def test_names_are_escaped_on_the_page(hazmat, world):
    issued_award(hazmat, world)
    response, page = browse(world, f"/verify/{CODE}")
    assert "Sean O&#39;Brien" in response.get_data(as_text=True)
    assert "Sean O'Brien" in page.text


def test_an_unknown_code_is_a_404_page_for_a_browser_and_json_for_a_client(world):
    response, page = browse(world, "/verify/ZZZZ-ZZZZ-ZZZZ")
    assert response.status_code == 404
    assert page.text.startswith("Certificate check ? Not found No certificate has this code")
    answer = world.anonymous.get("/verify/ZZZZ-ZZZZ-ZZZZ")
    assert (answer.status_code, answer.mimetype) == (404, "application/json")


# --- the limit per address -------------------------------------------------------------


def test_an_address_past_the_limit_gets_429_with_retry_after_and_others_do_not(app, world):
    app.config.update(VERIFY_RATE_LIMIT=3, VERIFY_RATE_WINDOW=600)
    statuses = [world.anonymous.get("/verify/ZZZZZZZZZZZZ").status_code for _ in range(3)]
    assert statuses == [404, 404, 404]
    refused = world.anonymous.get("/verify/ZZZZZZZZZZZZ")
    assert refused.status_code == 429
    assert refused.get_json()["message"] == (
        "Too many verification requests from this address; try again later."
    )
    assert 1 <= int(refused.headers["Retry-After"]) <= 600
    page = world.anonymous.get("/verify/ZZZZZZZZZZZZ", headers=BROWSER)
    assert (page.status_code, page.mimetype) == (429, "text/html")
    assert "Too many checks" in PageText(page.get_data(as_text=True)).text
    assert page.headers["Retry-After"]
    elsewhere = world.anonymous.get(
        "/verify/ZZZZZZZZZZZZ", environ_base={"REMOTE_ADDR": "192.0.2.7"}
    )
    assert elsewhere.status_code == 404


@pytest.mark.parametrize(
    ("proxies", "second_client"), [(0, 429), (1, 404)], ids=["no proxy", "one proxy"]
)
def test_behind_a_trusted_proxy_each_client_has_its_own_limit(app, world, proxies, second_client):
    behind = create_app(
        {
            "DATABASE_URL": app.config["DATABASE_URL"],
            "TESTING": True,
            "PROXY_COUNT": proxies,
            "VERIFY_RATE_LIMIT": 2,
        }
    ).test_client()

    def check(client_address):
        forwarded = {"X-Forwarded-For": client_address}
        return behind.get("/api/v1/verify/ZZZZZZZZZZZZ", headers=forwarded).status_code

    assert [check("203.0.113.1") for _ in range(3)] == [404, 404, 429]
    # Without a trusted proxy every client is the proxy's address; with one, its own.
    assert check("203.0.113.2") == second_client


def test_the_limit_holds_across_two_server_processes(app, hazmat, world, tmp_path):
    issued_award(hazmat, world)
    server = Server(
        app.config["DATABASE_URL"],
        tmp_path / "gunicorn.log",
        workers=2,
        environment={"VERIFY_RATE_LIMIT": "12", "VERIFY_RATE_WINDOW": "3600"},
    )
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda _: server.request("GET", f"/verify/{CODE}"), range(40)))
        log, workers = server.log(), server.workers("/api/v1/verify/")
    finally:
        server.stop()
    statuses = sorted(status for status, _, _ in answers)
    assert statuses == [200] * 12 + [429] * 28, log
    assert all(1 <= int(headers["Retry-After"]) <= 3600 for s, headers, _ in answers if s == 429)
    # Both workers answered verify requests, so a count kept in one process's memory would
    # have let more than 12 through.
    assert len(workers) == 2, log
