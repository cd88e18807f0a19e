"""Security basics over HTTP: tokens kept and checked only as digests, headers on every
response, a strict CSP on the HTML pages, CORS closed unless configured, uploads never
shown inline, secrets shown once and never echoed, failed token checks limited."""

import base64
import hashlib
import hmac
import io
import re

import pytest
from PIL import Image

import auth
from factory import create_app
from models import Award, RateCount
from notifications.email import unsubscribe_token
from tests.helpers import Hazmat, created, stored_text

WEBHOOK_URL = "https://93.184.216.34/hooks/muster"  # a public address: no DNS needed
ORIGIN = "https://rms.riverton.example"


def png():
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (10, 80, 160)).save(out, "PNG")
    return out.getvalue()


def sha256(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directives(policy):
    """{directive: [sources]} of a Content-Security-Policy header."""
    found = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        found[name] = sources
    return found


@pytest.fixture
def award(world, calendar):
    hazmat = Hazmat(world)
    person = world.officer_person["id"]
    hazmat.attend({person: [480, 480]}, {person: True})
    outcome = hazmat.close()[person]
    return Award.get_by_id(outcome["award_ids"][0])


# --- tokens -----------------------------------------------------------------------------


def test_no_token_or_secret_is_stored_in_clear(world, app):
    user = created(world.admin.post("/users", json={"email": "dana@rpd.test", "role": "admin"}))
    token = user["token"]
    second = world.admin.post(f"/users/{user['id']}/tokens", json={}).get_json()["token"]
    police = world.police["id"]
    hook = created(
        world.police_coordinator.post(
            f"/agencies/{police}/webhooks", json={"url": WEBHOOK_URL, "events": ["*"]}
        )
    )
    me = world.officer.get("/users/me").get_json()
    feed = created(
        world.officer.post(f"/users/{me['id']}/calendar-feeds", json={"kind": "personal"})
    )
    feed_secret = feed["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert world.admin.as_(token).get("/users/me").status_code == 200
    secrets = [token, token.removeprefix(auth.TOKEN_PREFIX), second, hook["secret"], feed_secret]
    secrets.append(hook["secret"].removeprefix("whsec_"))
    with app.app_context():
        texts = list(stored_text())
    assert auth.hash_token(token) in texts  # what is kept: the digest
    assert [s for s in secrets if any(s in text for text in texts)] == []


def test_a_token_is_checked_by_comparing_digests_in_constant_time(world, monkeypatch):
    compared, real = [], hmac.compare_digest

    def compare(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", compare)
    assert world.officer.get("/users/me").status_code == 200
    digest = auth.hash_token(world.officer.token)
    assert compared == [(digest, digest)]


# --- headers on every response ----------------------------------------------------------

EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def test_every_response_forbids_sniffing_framing_and_referrers(world, award):
    client = world.anonymous.client
    admin = {"Authorization": f"Bearer {world.admin.token}"}
    responses = {
        "json": world.admin.get("/agencies"),
        "401": world.anonymous.get("/agencies"),
        "404": world.admin.get("/no-such-route"),
        "health": world.anonymous.get("/health"),
        "openapi": client.get("/api/v1/openapi.json"),
        "docs": client.get("/api/v1/docs"),
        "asset": client.get("/docs-assets/swagger-ui/swagger-ui.css"),
        "verify page": client.get(
            f"/api/v1/verify/{award.verify_code}", headers={"Accept": "text/html"}
        ),
        "pdf": client.get(f"/api/v1/awards/{award.id}/certificate.pdf", headers=admin),
    }
    for name, response in responses.items():
        assert response.status_code in (200, 401, 404), (name, response.status_code)
        got = {header: response.headers.get(header) for header in EVERY_RESPONSE}
        assert got == EVERY_RESPONSE, name
        policy = directives(response.headers["Content-Security-Policy"])
        assert policy["frame-ancestors"] == ["'none'"], name
    assert responses["pdf"].mimetype == "application/pdf"
    for name in ("json", "401", "404", "openapi"):
        assert responses[name].headers["Content-Security-Policy"] == (
            "default-src 'none'; frame-ancestors 'none'"
        )


def test_the_verify_page_runs_only_its_own_style(world, award):
    response = world.anonymous.get(f"/verify/{award.verify_code}", headers={"Accept": "text/html"})
    page = response.get_data(as_text=True)
    (style,) = re.findall(r"<style>(.*?)</style>", page, re.S)
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["style-src"] == ["'self'", sha256(style)]
    assert policy["script-src"] == ["'self'"]
    assert policy["form-action"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_the_docs_page_runs_only_swagger_ui_and_its_own_start_script(anonymous):
    response = anonymous.get("/api/v1/docs")
    page = response.get_data(as_text=True)
    inline = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(inline) == 1 and "SwaggerUIBundle(config)" in inline[0]
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", sha256(inline[0])]
    assert policy["style-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"] and policy["img-src"] == ["'self'", "data:"]
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/docs-assets/swagger-ui/") for s in sources)


def test_the_unsubscribe_page_allows_its_style_attributes_by_hash_and_posts_only_here(world, app):
    user = world.officer.get("/users/me").get_json()
    with app.app_context():
        token = unsubscribe_token(user["id"], "registration.waitlisted")
    response = world.anonymous.get(f"/notifications/unsubscribe/{token}")
    page = response.get_data(as_text=True)
    attributes = sorted(set(re.findall(r'style="([^"]*)"', page)))
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["style-src"][:2] == ["'self'", "'unsafe-hashes'"]
    assert sorted(policy["style-src"][2:]) == sorted(sha256(a) for a in attributes)
    assert policy["form-action"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


# --- CORS -------------------------------------------------------------------------------


def test_cors_is_closed_unless_configured(world):
    response = world.admin.get("/agencies", headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert [h for h in response.headers.keys() if h.startswith("Access-Control-")] == []
    preflight = world.anonymous.client.options(
        "/api/v1/agencies",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers


def test_a_configured_origin_may_call_the_api_and_others_may_not(world, app):
    app.config["CORS_ORIGINS"] = (ORIGIN,)
    preflight = world.anonymous.client.options(
        "/api/v1/people",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN
    allowed = preflight.headers["Access-Control-Allow-Headers"].lower()
    assert {"authorization", "content-type", "idempotency-key", "if-match"} <= {
        h.strip() for h in allowed.split(",")
    }
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert int(preflight.headers["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Allow-Credentials" not in preflight.headers

    response = world.admin.get("/agencies", headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "X-Pagination" in response.headers["Access-Control-Expose-Headers"]
    assert "Origin" in response.headers.get_all("Vary")
    refused = world.anonymous.get("/agencies", headers={"Origin": ORIGIN})  # errors too
    assert refused.status_code == 401
    assert refused.headers["Access-Control-Allow-Origin"] == ORIGIN

    other = world.admin.get("/agencies", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    other_preflight = world.anonymous.client.options(
        "/api/v1/people",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in other_preflight.headers


def test_cors_origins_come_from_the_environment_as_a_list(monkeypatch, database_template):
    monkeypatch.setenv("CORS_ORIGINS", f" {ORIGIN}/ , http://localhost:3000")
    app = create_app({"DATABASE_URL": "sqlite://"})
    assert app.config["CORS_ORIGINS"] == (ORIGIN, "http://localhost:3000")
    monkeypatch.setenv("CORS_ORIGINS", "rms.riverton.example")
    with pytest.raises(ValueError, match="CORS_ORIGINS: 'rms.riverton.example' is not"):
        create_app({"DATABASE_URL": "sqlite://"})


# --- uploads ----------------------------------------------------------------------------


def test_uploads_are_checked_and_only_ever_downloaded(world):
    fire = world.fire["id"]
    path = f"/agencies/{fire}/logo"
    page = b"<html><script>alert(1)</script></html>"
    refused = world.fire_coordinator.put(path, data=page, content_type="image/png")
    assert refused.status_code == 422
    too_big = world.fire_coordinator.put(
        path, data=b"\x89PNG" + b"0" * 600_000, content_type="image/png"
    )
    assert too_big.status_code == 413
    assert world.fire_coordinator.put(path, data=png(), content_type="image/png").status_code == 200
    logo = world.officer.get(path)
    assert (logo.status_code, logo.mimetype) == (200, "image/png")
    assert logo.headers["Content-Disposition"] == f'attachment; filename="agency-{fire}-logo.png"'
    assert logo.headers["X-Content-Type-Options"] == "nosniff"

    body = {
        "person_id": world.officer_person["id"],
        "title": "Crisis Intervention",
        "provider": "State Police Academy",
        "completed_on": "2025-10-04",
        "hours": "7.5",
    }
    submission = created(world.officer.post("/submissions", json=body))
    path = f"/submissions/{submission['id']}/evidence"

    def send(content, name):
        files = {"file": (io.BytesIO(content), name)}
        return world.officer.put(path, data=files, content_type="multipart/form-data")

    assert send(page, "certificate.pdf").status_code == 422  # an HTML page named .pdf
    assert send(b"%PDF-1.4 " + b"0" * (10 * 1024 * 1024), "big.pdf").status_code == 422
    assert send(b"%PDF-1.4 certificate", "../../cert<1>.pdf").status_code == 200
    evidence = world.officer.get(path)
    assert evidence.mimetype == "application/pdf"
    assert evidence.headers["Content-Disposition"].startswith("attachment;")
    assert evidence.headers["X-Content-Type-Options"] == "nosniff"


# --- secrets ----------------------------------------------------------------------------


def test_secrets_are_shown_once_and_no_error_echoes_a_token(world):
    user = created(world.admin.post("/users", json={"email": "dana@rpd.test", "role": "admin"}))
    token = user["token"]
    for shown in (world.admin.get(f"/users/{user['id']}"), world.admin.get("/users")):
        assert token not in shown.get_data(as_text=True)
    police = world.police["id"]
    hook = created(
        world.police_coordinator.post(
            f"/agencies/{police}/webhooks", json={"url": WEBHOOK_URL, "events": ["*"]}
        )
    )
    for shown in (
        world.police_coordinator.get(f"/agencies/{police}/webhooks"),
        world.police_coordinator.get(f"/agencies/{police}/webhooks/{hook['id']}"),
    ):
        assert hook["secret"] not in shown.get_data(as_text=True)

    guess = token[:-4] + "abcd"
    for header in (f"Bearer {guess}", f"Basic {guess}", f"Bearer {guess}\u00e9", guess):
        response = world.anonymous.client.get("/api/v1/users/me", headers={"Authorization": header})
        assert response.status_code == 401
        assert guess not in response.get_data(as_text=True)
        assert guess[8:24] not in str(response.headers)


# --- failed token checks ----------------------------------------------------------------


def test_failed_token_checks_are_limited_per_address_for_every_worker(world, app):
    app.config.update(AUTH_FAILURE_LIMIT=3, AUTH_FAILURE_WINDOW=600)
    client = world.anonymous.client
    bad = {"Authorization": "Bearer mst_not-a-real-token"}
    attacker = {"REMOTE_ADDR": "203.0.113.9"}

    def me(headers, address=attacker, via=client):
        return via.get("/api/v1/users/me", headers=headers, environ_base=address)

    assert [me(bad).status_code for _ in range(3)] == [401, 401, 401]
    limited = me(bad)
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 600
    assert limited.get_json()["message"] == auth.TOO_MANY_FAILURES
    # another worker process shares the count: it is kept in the database
    other_worker = create_app({"DATABASE_URL": app.config["DATABASE_URL"]})
    other_worker.config.update(AUTH_FAILURE_LIMIT=3, AUTH_FAILURE_WINDOW=600)
    assert me(bad, via=other_worker.test_client()).status_code == 429
    assert RateCount.get(RateCount.scope == "auth").hits == 5
    # a working token still works, and other addresses are not held back
    good = {"Authorization": f"Bearer {world.admin.token}"}
    assert me(good).status_code == 200
    assert me(bad, address={"REMOTE_ADDR": "198.51.100.4"}).status_code == 401
    # a missing token is no failed check: the public routes stay open
    assert me({}).status_code == 401
    assert client.get("/api/v1/health", environ_base=attacker).status_code == 200


def test_guessed_feed_and_unsubscribe_secrets_count_as_failed_checks(world, app):
    app.config.update(AUTH_FAILURE_LIMIT=3, AUTH_FAILURE_WINDOW=600)
    client, attacker = world.anonymous.client, {"REMOTE_ADDR": "203.0.113.9"}
    guesses = [
        "/api/v1/calendar/cal_guess1.ics",
        "/api/v1/calendar/cal_guess2.ics",
        "/api/v1/notifications/unsubscribe/eyJ1IjoxfQ.guess",
    ]
    assert [client.get(g, environ_base=attacker).status_code for g in guesses] == [404] * 3
    feed = world.officer.post(
        f"/users/{world.officer.get('/users/me').get_json()['id']}/calendar-feeds",
        json={"kind": "personal"},
    ).get_json()
    real = feed["url"].split("/api/v1", 1)[1]
    assert client.get("/api/v1" + real, environ_base=attacker).status_code == 200
    limited = client.get(guesses[0], environ_base=attacker)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    token = client.get(
        "/api/v1/users/me", headers={"Authorization": "Bearer mst_x"}, environ_base=attacker
    )
    assert token.status_code == 429  # one count for every kind of secret
