"""The server as `make run` starts it (gunicorn.conf.py): idle and slow clients do not stop it."""

import gc
import logging
import runpy
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.helpers import Server

# Far longer than a healthy answer takes, far shorter than the 60 s a stalled worker would
# take to be killed and replaced: an answer within it means no worker was waiting on them.
PATIENCE = 10
MOST_ASKED = 200


@pytest.fixture
def server(app, tmp_path):
    # make run's worker count and gunicorn.conf.py's own thread count
    running = Server(app.config["DATABASE_URL"], tmp_path / "gunicorn.log", workers=2, threads=None)
    yield running
    running.stop()


def idle_clients(port, token):
    """Four connections that never finish a request: one sends nothing, one half a request
    line, two a whole request's headers (an admin's token) and half of its body."""
    half_body = (
        b"POST /api/v1/people HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + f"Authorization: Bearer {token}\r\n".encode()
        + b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        + b'{"first_name": "Pat", "last_name": "Slo'
    )
    sent = [b"", b"GET /api/v1/hea", half_body, half_body]
    clients = []
    for data in sent:
        client = socket.create_connection(("127.0.0.1", port), timeout=5)
        client.sendall(data)
        clients.append(client)
    return clients


def test_idle_and_half_sent_requests_do_not_stop_the_server(server, admin):
    clients = idle_clients(server.port, admin.token)
    try:
        # Which worker accepts a connection is the kernel's choice, and a fast worker may
        # take several in a row: ask until both have answered (a stalled one never would).
        answers = []
        while len(answers) < 8 or (
            len(server.workers("/api/v1/health")) < 2 and len(answers) < MOST_ASKED
        ):
            answers.append(server.request("GET", "/health", timeout=PATIENCE)[0::2])
        schema = answers[0][1]["schema_version"]
        assert answers == [(200, {"status": "ok", "schema_version": schema})] * len(answers), (
            server.log()
        )
        # both workers took part while the slow clients were holding their connections
        assert len(server.workers("/api/v1/health")) == 2
    finally:
        for client in clients:
            client.close()


def test_a_slow_client_keeps_its_connection_and_is_answered_once_it_has_sent_everything(server):
    body = b'{"first_name": "Pat"}'
    request = (
        b"POST /api/v1/people HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=PATIENCE) as slow:
        slow.sendall(request + body[:5])
        status, _, answer = server.request("GET", "/health", timeout=PATIENCE)
        assert status == 200, server.log()
        slow.sendall(body[5:])
        reply = b""
        while chunk := slow.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 401 "), reply[:200]


def test_a_ready_worker_leaves_what_it_loaded_out_of_the_collectors_passes():
    settings = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
    gc.unfreeze()
    try:
        settings["post_worker_init"](SimpleNamespace(log=logging.getLogger("test"), pid=1))
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
