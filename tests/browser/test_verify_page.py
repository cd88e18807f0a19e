"""The verify page in a real browser: a valid, an expired and a revoked award, each read
back from what Chromium rendered; `make screenshots` keeps them at a phone's width."""

import datetime
import html
import os
import re
from pathlib import Path

import pytest

from models import Award
from tests.helpers import Hazmat

STATUS = re.compile(r'<div class="status (\w+)" role="status">(.*?)</div>', re.S)
HEADING = re.compile(r"<h2>(.*?)</h2>", re.S)
TAG = re.compile(r"<[^>]+>")


def words(fragment):
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


@pytest.fixture
def awards(world, calendar):
    """Three people's hazmat awards: one left valid, one expired, one revoked."""
    hazmat = Hazmat(world)
    other = world.person(world.police, "Ivan", "Petrov", "P-9")
    people = [world.officer_person["id"], hazmat.medic["id"], other["id"]]
    hazmat.attend({p: [480, 480] for p in people}, {p: True for p in people})
    outcomes = hazmat.close()
    valid, expired, revoked = (Award.get_by_id(outcomes[p]["award_ids"][0]) for p in people)
    Award.update(expires_on=datetime.date(2026, 6, 30)).where(Award.id == expired.id).execute()
    response = world.fire_coordinator.post(
        f"/awards/{revoked.id}/revoke", json={"reason": "Exam answers were shared"}
    )
    assert response.status_code == 200, response.get_json()
    return {"valid": valid, "expired": expired, "revoked": revoked}


EXPECTED = {
    "valid": ("✓ Valid This record is current.", "Sean O'Brien"),
    "expired": ("! Expired This certification has expired.", "Zoë Nakamura-Jones"),
    "revoked": (
        "✗ Revoked Its issuer has revoked this record; it is no longer valid.",
        "Ivan Petrov",
    ),
}


def test_chromium_shows_each_status_in_words(awards, browser, served):
    for state, award in awards.items():
        dom = browser.dom(f"{served}/api/v1/verify/{award.verify_code}")
        (found,) = STATUS.findall(dom)
        heading = words(HEADING.search(dom).group(1))
        assert (found[0], words(found[1]), heading) == (state, *EXPECTED[state])
        assert '<html lang="en">' in dom
        assert award.number in words(dom)
        assert "Exam answers" not in dom


def test_chromium_shows_the_not_found_page_for_an_unknown_code(browser, served, world):
    dom = browser.dom(f"{served}/api/v1/verify/ZZZZ-ZZZZ-ZZZZ")
    (found,) = STATUS.findall(dom)
    assert (found[0], words(found[1])) == (
        "unknown",
        "? Not found No certificate has this code or number.",
    )


def test_each_state_is_captured_at_a_phones_width(awards, browser, served, tmp_path):
    """Kept in MUSTER_SCREENSHOTS when `make screenshots` sets it, else thrown away."""
    folder = Path(os.environ.get("MUSTER_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    for state, award in awards.items():
        path = folder / f"verify-{state}.png"
        browser.screenshot(f"{served}/api/v1/verify/{award.verify_code}", path)
        png = path.read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert (width, height) == (390, 844)
