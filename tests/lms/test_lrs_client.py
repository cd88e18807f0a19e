"""Pushing to a real LRS (Learning Locker's xapi-statements): stored exactly, once, voided."""

import http.server
import json
import threading
import urllib.request
from datetime import UTC, datetime

import pytest

import lms
from lms import xapi
from lms.lrs_client import LRSClient, LRSError
from tests.lms.sample import award, row

REVOKED = {"status": "revoked", "revoked_at": datetime(2026, 4, 2, tzinfo=UTC)}


def statements(base: str, records) -> list[dict]:
    return list(xapi.statements(records, lms.validate_options("xapi", {"base_url": base})))


def about_course(client: LRSClient, base: str) -> list[dict]:
    query = f"?activity={base}/api/v1/courses/30&limit=1000"
    status, body = client.request("GET", client.url(query))
    assert status == 200
    return json.loads(body)["statements"]


def test_statements_are_stored_and_read_back_exactly(lrs):
    base = "https://exact.muster.example"
    sent = statements(base, [row(1), row(2, partial=True, passed=None), award(3)])
    client = LRSClient(lrs, "muster", "secret")
    outcome = client.push(sent, batch_size=2)
    assert (outcome.sent, outcome.batches, outcome.conflicts) == (3, 2, [])
    for statement in sent:
        stored = client.get(statement["id"])
        assert {key: stored[key] for key in statement} == statement


def test_a_resend_never_doubles_a_statement(lrs):
    base = "https://resend.muster.example"
    sent = statements(base, [row(1), row(2)])
    client = LRSClient(lrs, "muster", "secret")
    client.push(sent)
    again = client.push(sent)
    assert again.conflicts == [] and again.sent + again.already_stored == 2
    assert sorted(s["id"] for s in about_course(client, base)) == sorted(s["id"] for s in sent)


def test_a_changed_statement_under_a_stored_id_is_reported_not_doubled(lrs):
    base = "https://conflict.muster.example"
    (first,) = statements(base, [row(1)])
    client = LRSClient(lrs, "muster", "secret")
    client.push([first])
    # Same id, other content (a name is part of a record's version, so made by hand here).
    changed = {**first, "actor": {**first["actor"], "name": "Danielle Ortiz-Núñez 1"}}
    (fresh,) = statements(base, [row(2)])
    outcome = client.push([changed, fresh])
    assert outcome.conflicts == [first["id"]] and outcome.sent == 1
    assert client.get(first["id"])["actor"]["name"] == "Dana Ortiz-Núñez 1"


def test_a_revocation_voids_the_statement_in_the_lrs(lrs):
    base = "https://void.muster.example"
    client = LRSClient(lrs, "muster", "secret")
    (original,) = statements(base, [row(1)])
    client.push([original])
    original_again, void = statements(base, [row(1, **REVOKED)])
    assert original_again == original
    client.push([original_again, void])
    assert client.get(original["id"]) is None  # 404: a voided statement is not served
    assert client.get(original["id"], voided=True)["id"] == original["id"]
    assert client.get(void["id"])["object"] == {"objectType": "StatementRef", "id": original["id"]}


class Flaky(http.server.BaseHTTPRequestHandler):
    """Stands between client and the real LRS, failing the first requests like a bad network."""

    failures = 2
    target = ""

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Flaky.failures:
            Flaky.failures -= 1
            self.send_response(503)
            self.end_headers()
            return
        forward = urllib.request.Request(
            Flaky.target + self.path.removeprefix("/xAPI"), data=body, method="POST"
        )
        for name in ("Authorization", "Content-Type", "X-Experience-API-Version"):
            forward.add_header(name, self.headers[name])
        with urllib.request.urlopen(forward) as response:
            payload = response.read()
            self.send_response(response.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def test_a_failing_lrs_is_retried_with_growing_backoff(lrs):
    Flaky.target = lrs
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    waits = []
    try:
        client = LRSClient(
            f"http://127.0.0.1:{proxy.server_port}/xAPI", "m", "s", sleep=waits.append
        )
        sent = statements("https://retry.muster.example", [row(1)])
        assert client.push(sent).sent == 1
    finally:
        proxy.shutdown()
    assert waits == [0.5, 1.0]
    assert LRSClient(lrs).get(sent[0]["id"])["id"] == sent[0]["id"]


def test_an_unreachable_lrs_fails_after_the_retries():
    waits = []
    client = LRSClient("http://127.0.0.1:9/xAPI", retries=2, sleep=waits.append, timeout=2)
    with pytest.raises(LRSError, match="unreachable"):
        client.push(statements("https://down.muster.example", [row(1)]))
    assert waits == [0.5, 1.0]
