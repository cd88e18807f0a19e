"""/agencies/{id}/webhooks: a coordinator registers endpoints (secret shown once, sealed at
rest, never audited), only on public https URLs unless configured, changes and deactivates
them (never deleted), rotates the secret, reads the delivery log and redelivers."""

import base64
import datetime
import hashlib
import hmac

import pytest

from models import AuditEntry, WebhookEndpoint
from notifications.worker import run_once
from rules import clock
from tests.helpers import WebhookReceiver, assert_error, created, stored_text

PUBLIC = "https://93.184.216.34/hooks/muster"  # a public address: no DNS needed


def minutes(count):
    return datetime.timedelta(minutes=count)


def hooks(world, agency=None):
    return f"/agencies/{(agency or world.police)['id']}/webhooks"


def register(caller, path, url=PUBLIC, events=("award.revoked",)):
    return caller.post(path, json={"url": url, "events": events})


@pytest.fixture
def local(app, tmp_path):
    """Deliveries to a receiver on 127.0.0.1 over plain HTTP, as tests need."""
    app.config.update(
        WEBHOOKS_ALLOW_HTTP=True, WEBHOOKS_ALLOW_PRIVATE=True, MAIL_OUTBOX=str(tmp_path / "mail")
    )
    server = WebhookReceiver()
    yield server
    server.stop()


@pytest.fixture
def work(app):
    def round_(now):
        with app.app_context():
            return run_once(now=now, scans=False)

    return round_


def signed_by(secret, request):
    headers = {k.lower(): v for k, v in request["headers"].items()}
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + request["body"]
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return expected in headers["webhook-signature"].split(" ")


def revoke_an_award(hazmat, world):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    award_id = hazmat.close()[officer]["award_ids"][0]
    response = world.fire_coordinator.post(
        f"/awards/{award_id}/revoke", json={"reason": "Exam answers were shared"}
    )
    assert response.status_code == 200, response.get_json()
    return award_id


def test_a_coordinator_registers_a_webhook_and_sees_its_secret_once(world):
    hook = created(
        world.police_coordinator.post(
            hooks(world),
            json={"url": PUBLIC, "events": ["award.revoked", "*"], "description": "RMS"},
        )
    )
    assert hook["secret"].startswith("whsec_")
    assert len(base64.b64decode(hook["secret"][len("whsec_") :])) == 32
    assert {k: hook[k] for k in ("agency_id", "url", "events", "description", "active")} == {
        "agency_id": world.police["id"],
        "url": PUBLIC,
        "events": ["award.revoked", "*"],
        "description": "RMS",
        "active": True,
    }
    listed = world.police_coordinator.get(hooks(world)).get_json()
    assert [h["id"] for h in listed] == [hook["id"]] and "secret" not in listed[0]
    one = world.police_coordinator.get(f"{hooks(world)}/{hook['id']}").get_json()
    assert "secret" not in one and one["consecutive_failures"] == 0
    assert not any(hook["secret"] in text for text in stored_text())  # sealed at rest
    key = hook["secret"][len("whsec_") :]
    assert not any(key in text for text in stored_text())
    assert WebhookEndpoint.get_by_id(hook["id"]).sealed_secret  # kept, to sign with
    [entry] = AuditEntry.select().where(AuditEntry.entity == "webhook")
    assert (entry.action, entry.user_email, entry.agency_id) == (
        "create",
        "pc@rpd.test",
        world.police["id"],
    )
    assert "sealed_secret" not in entry.after and entry.after["url"] == PUBLIC


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://93.184.216.34/hooks", "must start with https://"),
        ("ftp://93.184.216.34/hooks", "must start with https://"),
        ("https://127.0.0.1/hooks", "private, loopback, link-local or reserved"),
        ("https://localhost:8443/hooks", "private, loopback, link-local or reserved"),
        ("https://10.20.30.40/hooks", "private, loopback, link-local or reserved"),
        ("https://192.168.1.10/hooks", "private, loopback, link-local or reserved"),
        ("https://169.254.169.254/latest/meta-data", "private, loopback, link-local"),
        ("https://[::1]/hooks", "private, loopback, link-local or reserved"),
        ("https://[::ffff:10.0.0.1]/hooks", "private, loopback, link-local or reserved"),
        ("https://100.64.0.1/hooks", "private, loopback, link-local or reserved"),
        ("https://0.0.0.0/hooks", "private, loopback, link-local or reserved"),
        ("https://hooks.muster.invalid/x", "cannot be resolved"),
        ("https://user:pw@93.184.216.34/x", "may not carry a user name or password"),
        ("https:///nohost", "names no host"),
        ("https://93.184.216.34:99999/x", "not a valid URL"),
    ],
)
def test_urls_the_server_must_not_call_are_refused_naming_the_url(world, url, words):
    body = assert_error(register(world.police_coordinator, hooks(world), url), 422)
    assert list(body["errors"]["json"]) == ["url"]
    assert words in body["errors"]["json"]["url"][0]
    assert world.police_coordinator.get(hooks(world)).get_json() == []


def test_private_addresses_and_plain_http_only_where_configuration_allows(app, world):
    local = "http://127.0.0.1:8080/hooks"
    assert (
        "https://"
        in assert_error(register(world.police_coordinator, hooks(world), local), 422)["message"]
    )
    app.config.update(WEBHOOKS_ALLOW_HTTP=True)
    body = assert_error(register(world.police_coordinator, hooks(world), local), 422)
    assert "private, loopback" in body["errors"]["json"]["url"][0]
    app.config.update(WEBHOOKS_ALLOW_PRIVATE=True)
    assert created(register(world.police_coordinator, hooks(world), local))["url"] == local


def test_event_types_must_be_known(world):
    for events, field in (([], "events"), (["award"], "events"), ("*", "events")):
        body = assert_error(register(world.police_coordinator, hooks(world), events=events), 422)
        assert list(body["errors"]["json"]) == [field]
    created(register(world.police_coordinator, hooks(world), events=["registration.changed"]))
    created(register(world.police_coordinator, hooks(world), events=["registration.promoted"]))


def test_only_the_agencys_coordinator_or_an_admin_manage_its_webhooks(world):
    hook = created(register(world.police_coordinator, hooks(world)))
    item = f"{hooks(world)}/{hook['id']}"
    for caller in (world.fire_coordinator, world.ems_coordinator, world.instructor):
        assert_error(caller.get(hooks(world)), 404)  # another agency's: not even a hint
        assert_error(caller.get(item), 404)
        assert_error(register(caller, hooks(world)), 404)
        assert_error(caller.post(f"{item}/rotate-secret"), 404)
        assert_error(caller.get(f"{item}/deliveries"), 404)
    assert_error(world.officer.get(hooks(world)), 403)  # its own officer: not allowed
    assert_error(register(world.officer, hooks(world)), 403)
    assert_error(world.officer.get(item), 403)
    assert world.admin.get(item).status_code == 200
    # the fire department's coordinator, at its own agency's path, finds no such webhook
    assert_error(world.fire_coordinator.get(f"{hooks(world, world.fire)}/{hook['id']}"), 404)
    assert_error(world.anonymous.get(hooks(world)), 401)


def test_a_webhook_is_changed_and_deactivated_never_deleted(world):
    hook = created(register(world.police_coordinator, hooks(world)))
    item = f"{hooks(world)}/{hook['id']}"
    assert (
        world.police_coordinator.client.patch(
            "/api/v1" + item,
            json={"events": ["*"]},
            headers={"Authorization": f"Bearer {world.police_coordinator.token}"},
        ).status_code
        == 428
    )  # without If-Match: no edit overwrites another
    changed = world.police_coordinator.patch(
        item, json={"events": ["award.issued", "award.revoked"], "url": PUBLIC + "/v2"}
    )
    assert changed.status_code == 200, changed.get_json()
    assert (changed.get_json()["events"], changed.get_json()["url"]) == (
        ["award.issued", "award.revoked"],
        PUBLIC + "/v2",
    )
    refused = world.police_coordinator.patch(item, json={"url": "https://10.0.0.1/x"})
    assert list(assert_error(refused, 422)["errors"]["json"]) == ["url"]
    gone = world.police_coordinator.delete(item)
    assert gone.status_code == 200 and gone.get_json()["active"] is False
    assert_error(world.police_coordinator.delete(item), 409)
    assert world.police_coordinator.get(item).get_json()["active"] is False
    again = world.police_coordinator.patch(item, json={"active": True})
    assert again.get_json()["active"] is True
    trail = world.admin.get(f"/audit?entity=webhook&entity_id={hook['id']}").get_json()
    assert sorted(e["action"] for e in trail) == ["activate", "create", "deactivate", "update"]
    assert all("sealed_secret" not in (e["after"] or {}) for e in trail)
    assert all(hook["secret"] not in str(e) for e in trail)


def test_rotating_the_secret_signs_with_both_for_a_day(app, world, hazmat, local, work):
    hook = created(register(world.police_coordinator, hooks(world), local.url, ["*"]))
    item = f"{hooks(world)}/{hook['id']}"
    rotated = world.police_coordinator.post(f"{item}/rotate-secret")
    assert rotated.status_code == 200
    new = rotated.get_json()["secret"]
    assert new.startswith("whsec_") and new != hook["secret"]
    assert rotated.get_json()["secret_rotated_at"]
    assert "secret" not in world.police_coordinator.get(item).get_json()
    revoke_an_award(hazmat, world)
    work(clock.now())
    assert len(local.requests) == 3
    for request in local.requests:
        assert signed_by(new, request) and signed_by(hook["secret"], request)
        assert len(request["headers"]["webhook-signature"].split(" ")) == 2
    assert not any(new in text for text in stored_text())
    [entry] = AuditEntry.select().where(AuditEntry.action == "rotate_secret")
    assert new not in str(entry.after) and hook["secret"] not in str(entry.before)


def test_the_delivery_log_shows_each_try_and_a_delivery_can_be_sent_again(
    app, world, hazmat, local, work
):
    hook = created(register(world.police_coordinator, hooks(world), local.url))
    log_path = f"{hooks(world)}/{hook['id']}/deliveries"
    local.fail = 1
    revoke_an_award(hazmat, world)
    start = clock.now()
    work(start)
    [entry] = world.police_coordinator.get(log_path).get_json()
    assert (entry["type"], entry["status"], entry["attempts"], entry["response_code"]) == (
        "award.revoked",
        "pending",
        1,
        500,
    )
    assert entry["last_error"] == "Answered 500: receiver is down"
    assert entry["next_attempt_at"] and entry["sent_at"] is None
    assert [(t["succeeded"], t["response_code"]) for t in entry["tries"]] == [(False, 500)]

    work(start + minutes(1))
    [entry] = world.police_coordinator.get(log_path).get_json()
    assert (entry["status"], entry["attempts"], entry["response_code"]) == ("sent", 2, 204)
    assert entry["last_error"] is None and entry["sent_at"] and entry["next_attempt_at"] is None
    assert [(t["succeeded"], t["response_code"]) for t in entry["tries"]] == [
        (False, 500),
        (True, 204),
    ]
    assert world.police_coordinator.get(f"{log_path}?status=failed").get_json() == []

    redeliver = f"{log_path}/{entry['id']}/redeliver"
    assert_error(world.fire_coordinator.post(redeliver), 404)
    assert_error(world.police_coordinator.post(f"{log_path}/{entry['id'] + 99}/redeliver"), 404)
    again = world.police_coordinator.post(redeliver)
    assert again.status_code == 202 and again.get_json()["status"] == "pending"
    assert_error(world.police_coordinator.post(redeliver), 409)  # already waiting
    work(start + minutes(2))
    assert len(local.requests) == 3
    assert local.requests[2]["body"] == local.requests[1]["body"]
    assert local.requests[2]["headers"]["webhook-id"] == local.requests[1]["headers"]["webhook-id"]
    assert signed_by(hook["secret"], local.requests[2])
    [entry] = world.police_coordinator.get(log_path).get_json()
    assert (entry["status"], entry["attempts"], len(entry["tries"])) == ("sent", 3, 3)
    [audited] = AuditEntry.select().where(AuditEntry.action == "redeliver")
    assert (audited.user_email, audited.entity_id) == ("pc@rpd.test", str(entry["id"]))

    world.police_coordinator.delete(f"{hooks(world)}/{hook['id']}")
    assert "inactive" in assert_error(world.police_coordinator.post(redeliver), 409)["message"]


def test_the_signature_scheme_is_in_the_api_description(anonymous):
    spec = anonymous.get("/api/v1/openapi.json").get_json()
    post = spec["paths"]["/api/v1/agencies/{agency_id}/webhooks"]["post"]
    for words in ("webhook-signature", "HMAC-SHA256", "whsec_", "{webhook-id}.{webhook-timestamp}"):
        assert words in post["description"]


def test_a_retried_registration_replays_without_the_secret_and_keeps_none_in_clear(world):
    headers = {"Idempotency-Key": "hook-1"}
    body = {"url": PUBLIC, "events": ["award.revoked"]}
    first = created(world.police_coordinator.post(hooks(world), json=body, headers=headers))
    replay = world.police_coordinator.post(hooks(world), json=body, headers=headers)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json() == {**first, "secret": None}  # shown once: rotate if lost
    assert not any(first["secret"] in text for text in stored_text())
