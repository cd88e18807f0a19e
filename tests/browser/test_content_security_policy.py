"""The HTML pages under their strict Content-Security-Policy in a real Chromium: each draws
in full (Swagger UI every operation, the verify page its styled status, the unsubscribe
page its form) and the browser reports no blocked script or style."""

import json
import subprocess
import urllib.request

from models import Award
from notifications.email import unsubscribe_token
from tests.browser.conftest import FLAGS
from tests.helpers import Hazmat

BLOCKED = "Content Security Policy"  # Chromium's console words for anything it blocked


def load(chromium, tmp_path, url):
    """(DOM, console lines) once Chromium has run the page's scripts for a while."""
    completed = subprocess.run(
        [
            chromium,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=15000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    console = [line for line in completed.stderr.splitlines() if ":CONSOLE" in line]
    return completed.stdout, console


def test_swagger_ui_draws_every_operation_with_nothing_blocked(chromium, served, tmp_path):
    with urllib.request.urlopen(f"{served}/api/v1/openapi.json") as response:
        document = json.load(response)
    methods = {"get", "put", "post", "patch", "delete"}
    operations = sum(len(methods & set(item)) for item in document["paths"].values())
    dom, console = load(chromium, tmp_path, f"{served}/api/v1/docs")
    assert [line for line in console if BLOCKED in line] == []
    assert dom.count('class="opblock-summary ') == operations


def test_the_verify_page_is_styled_with_nothing_blocked(
    chromium, served, tmp_path, world, calendar
):
    hazmat = Hazmat(world)
    person = world.officer_person["id"]
    hazmat.attend({person: [480, 480]}, {person: True})
    award = Award.get_by_id(hazmat.close()[person]["award_ids"][0])
    dom, console = load(chromium, tmp_path, f"{served}/api/v1/verify/{award.verify_code}")
    assert [line for line in console if BLOCKED in line] == []
    assert '<div class="status valid" role="status">' in dom


def test_the_unsubscribe_page_is_styled_with_nothing_blocked(
    chromium, served, tmp_path, app, world
):
    user = world.officer.get("/users/me").get_json()
    with app.app_context():
        token = unsubscribe_token(user["id"], "registration.waitlisted")
    dom, console = load(chromium, tmp_path, f"{served}/api/v1/notifications/unsubscribe/{token}")
    assert [line for line in console if BLOCKED in line] == []
    assert '<form method="post">' in dom
