"""The webhook channel with a real receiver on 127.0.0.1: an event reaches the endpoints of
the agencies it concerns, signed so the receiver can check it, retried with backoff until
it answers 2xx, refused on private addresses unless configured, and an endpoint failing
too often is disabled with a notice to its agency's coordinators."""

import base64
import datetime
import hashlib
import hmac
import json

import pytest

from models import Delivery, Event, WebhookEndpoint
from notifications import webhooks
from rules import clock
from tests.helpers import WebhookReceiver, created

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def receiver(app, tmp_path):
    app.config.update(
        WEBHOOKS_ALLOW_HTTP=True, WEBHOOKS_ALLOW_PRIVATE=True, MAIL_OUTBOX=str(tmp_path / "mail")
    )
    server = WebhookReceiver()
    yield server
    server.stop()


@pytest.fixture
def revoked_award(hazmat, world):
    """Close the class the officer passed, then revoke the award it gave him; its id."""

    def revoke():
        officer = world.officer_person["id"]
        hazmat.attend({officer: [480, 480]}, {officer: True})
        award_id = hazmat.close()[officer]["award_ids"][0]
        response = world.fire_coordinator.post(
            f"/awards/{award_id}/revoke", json={"reason": "Exam answers were shared"}
        )
        assert response.status_code == 200, response.get_json()
        return award_id

    return revoke


def register(caller, agency, url, events=("award.revoked",)):
    return created(
        caller.post(f"/agencies/{agency['id']}/webhooks", json={"url": url, "events": events})
    )


def verify(secret, request):
    """The receiver's own check, by the Standard Webhooks rules, written out here."""
    headers = {k.lower(): v for k, v in request["headers"].items()}
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + request["body"]
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [s.split(",", 1)[1] for s in headers["webhook-signature"].split(" ")]
    return any(hmac.compare_digest(expected, signature) for signature in given)


def test_a_receiver_failing_twice_gets_the_event_on_the_third_try_signed(
    app, world, receiver, revoked_award, work
):
    hook = register(world.police_coordinator, world.police, receiver.url)
    receiver.fail = 2
    award_id = revoked_award()
    start = clock.now()

    work(now=start, scans=False)
    assert len(receiver.requests) == 1
    work(now=start + MINUTE - datetime.timedelta(seconds=1), scans=False)  # backoff: 1 minute
    assert len(receiver.requests) == 1
    work(now=start + MINUTE, scans=False)
    assert len(receiver.requests) == 2
    work(now=start + 2 * MINUTE, scans=False)  # backoff: 2 minutes after the second
    assert len(receiver.requests) == 2
    work(now=start + 3 * MINUTE, scans=False)
    assert len(receiver.requests) == 3
    work(now=start + 60 * MINUTE, scans=False)
    assert len(receiver.requests) == 3  # delivered once: never again

    third = receiver.requests[2]
    assert verify(hook["secret"], third)
    assert not verify("whsec_" + base64.b64encode(b"k" * 32).decode(), third)
    assert third["path"] == "/hooks/muster"
    assert third["headers"]["Content-Type"] == "application/json"
    for request in receiver.requests:  # each try: the same message, signed afresh
        assert verify(hook["secret"], request)
        assert request["headers"]["webhook-id"] == third["headers"]["webhook-id"]
        assert request["headers"]["Muster-Webhook-Id"] == third["headers"]["webhook-id"]
        assert request["body"] == third["body"]
    timestamp = int(third["headers"]["webhook-timestamp"])
    assert abs(timestamp - datetime.datetime.now(datetime.UTC).timestamp()) < 60
    body = json.loads(third["body"])
    event = Event.get(Event.kind == "award.revoked")
    assert body == {
        "id": f"evt_{event.id}",
        "type": "award.revoked",
        "kind": "award.revoked",
        "created_at": event.created_at.isoformat() + "Z",
        "data": event.payload,
    }
    assert body["data"]["award_id"] == award_id
    assert body["data"]["reason"] == "Exam answers were shared"

    [delivery] = Delivery.select().where(Delivery.channel == "webhook")
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, None)
    assert WebhookEndpoint.get_by_id(hook["id"]).consecutive_failures == 0


def test_an_agency_hears_only_of_its_own_people_and_classes_and_chosen_kinds(
    app, world, receiver, revoked_award, work
):
    other = WebhookReceiver()
    police = register(world.police_coordinator, world.police, receiver.url, ["*"])
    register(world.fire_coordinator, world.fire, receiver.url + "/fire", ["completion.revoked"])
    register(world.ems_coordinator, world.ems, other.url, ["*"])
    try:
        revoked_award()
        work(now=clock.now(), scans=False)
    finally:
        other.stop()
    kinds = sorted(json.loads(r["body"])["kind"] for r in receiver.requests)
    # the officer's agency hears everything about him; the host only the kinds it chose
    # (none happened); the EMS service, none of whose people took part, nothing
    assert kinds == ["award.issued", "award.revoked", "completion.issued"]
    assert {r["path"] for r in receiver.requests} == {"/hooks/muster"}
    assert other.requests == []
    recipients = {d.recipient for d in Delivery.select().where(Delivery.channel == "webhook")}
    assert recipients == {f"webhook:{police['id']}"}


def test_contract_types_cover_the_precise_kinds():
    assert webhooks.public_type("registration.promoted") == "registration.changed"
    assert webhooks.public_type("certification.expiring") == "award.expiring"
    assert webhooks.public_type("award.revoked") == "award.revoked"
    assert webhooks.subscribed(["registration.changed"], "registration.waitlisted")
    assert webhooks.subscribed(["submission.reviewed"], "submission.rejected")
    assert not webhooks.subscribed(["award.issued"], "award.revoked")
    assert webhooks.subscribed(["*"], "offering.cancelled")


def test_a_private_address_is_refused_at_delivery_once_configuration_forbids_it(
    app, world, receiver, revoked_award, work
):
    hook = register(world.police_coordinator, world.police, receiver.url)
    app.config.update(WEBHOOKS_ALLOW_PRIVATE=False)  # as in production
    revoked_award()
    work(now=clock.now(), scans=False)
    assert receiver.requests == []
    [delivery] = Delivery.select().where(Delivery.channel == "webhook")
    assert delivery.status == "pending" and delivery.attempts == 1
    assert "private, loopback, link-local or reserved" in delivery.last_error
    log = world.police_coordinator.get(
        f"/agencies/{world.police['id']}/webhooks/{hook['id']}/deliveries"
    ).get_json()
    assert log[0]["tries"][0]["response_code"] is None
    assert log[0]["tries"][0]["error"].startswith("Not sent: The host 127.0.0.1 resolves to")


def test_redirects_are_not_followed(app, world, receiver, revoked_award, work):
    register(world.police_coordinator, world.police, receiver.url)
    receiver.status = 302
    revoked_award()
    work(now=clock.now(), scans=False)
    assert [r["path"] for r in receiver.requests] == ["/hooks/muster"]  # never /moved
    [delivery] = Delivery.select().where(Delivery.channel == "webhook")
    assert delivery.status == "pending"
    assert (
        delivery.last_error == "Answered 302: redirects are not followed; register the final URL."
    )


def test_an_endpoint_failing_too_often_is_disabled_and_its_coordinator_told(
    app, world, receiver, revoked_award, work, smtp
):
    app.config.update(WEBHOOKS_DISABLE_AFTER=3)
    hook = register(world.police_coordinator, world.police, receiver.url, ["*"])
    receiver.fail = 100
    revoked_award()  # three events for the police: completion and award issued, revoked
    start = clock.now()
    work(now=start, scans=False)  # three failures in a row: disabled at the third
    assert len(receiver.requests) == 3
    endpoint = WebhookEndpoint.get_by_id(hook["id"])
    assert (endpoint.active, endpoint.consecutive_failures) == (False, 3)
    assert endpoint.disabled_reason.startswith("Disabled after 3 failed deliveries in a row")
    statuses = sorted(d.status for d in Delivery.select().where(Delivery.channel == "webhook"))
    assert statuses == ["failed", "pending", "pending"]  # the third try: no retry
    work(now=start + 10 * MINUTE, scans=False)
    assert len(receiver.requests) == 3  # nothing more is sent to it
    statuses = sorted(d.status for d in Delivery.select().where(Delivery.channel == "webhook"))
    assert statuses == ["failed", "skipped", "skipped"]  # their turn came with it off

    [notice] = Event.select().where(Event.kind == "webhook.disabled")
    assert notice.agency_ids == [world.police["id"]]
    assert notice.payload["webhook_id"] == hook["id"] and notice.payload["failures"] == 3
    smtp.clear()
    work(now=start + datetime.timedelta(days=1), scans=False)  # coordinators: daily digest
    [mail] = smtp.to("pc@rpd.test")
    text = mail.get_body(("plain",)).get_content()
    assert (
        f"The webhook to {receiver.url} was turned off after 3 failed deliveries in a row"
    ) in text
    assert "Stop these (webhook.disabled)" in text
    assert smtp.to("fc@rfd.test") == []  # the host's coordinator: not their webhook

    trail = world.admin.get(f"/audit?entity=webhook&entity_id={hook['id']}").get_json()
    assert [(e["action"], e["user_email"]) for e in trail] == [
        ("create", "pc@rpd.test"),
        ("disable", None),  # by the system
    ]


def certificate(tmp_path, name):
    """A self-signed certificate for `name` (and 127.0.0.1): (cert path, key path)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(name), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_https_deliveries_check_the_certificate_for_the_host_name(
    app, world, receiver, revoked_award, work, tmp_path, monkeypatch
):
    import ssl

    cert, key = certificate(tmp_path, "localhost")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    secure = WebhookReceiver(context, host="localhost")
    try:
        hook = register(world.police_coordinator, world.police, secure.url)
        assert hook["url"].startswith("https://localhost:")
        revoked_award()
        work(now=clock.now(), scans=False)  # a certificate no authority vouches for
        assert secure.requests == []
        [delivery] = Delivery.select().where(Delivery.channel == "webhook")
        assert delivery.last_error.startswith("TLS failed: ")
        assert "CERTIFICATE_VERIFY_FAILED" in delivery.last_error

        def trusting():  # as if our test authority were among the system's
            trusted = ssl.create_default_context()
            trusted.load_verify_locations(cert)
            return trusted

        monkeypatch.setattr(webhooks, "tls_context", trusting)
        work(now=clock.now() + MINUTE, scans=False)
        [request] = secure.requests
        assert request["headers"]["Host"] == f"localhost:{secure.server.server_address[1]}"
        assert verify(hook["secret"], request)
        assert Delivery.get_by_id(delivery.id).status == "sent"
    finally:
        secure.stop()
