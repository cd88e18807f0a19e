"""Requests per second of GET /api/v1/people: the connection kept per worker (Muster's
policy, database.ensure_connection) vs closed after every request (the reference)."""

import http.client
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time

from database import db

PATH = "/api/v1/people?page=1&page_size=20"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def in_process(app, token, seconds_per_round=1.0, rounds=3):
    """One Flask test client, one thread: the server's own cost per request.

    Rounds alternate between the two policies so drift (CPU frequency, caches) hits both.
    """
    policy = {"close": False}

    @app.teardown_request
    def maybe_close(exc):
        if policy["close"] and not db.is_closed():
            db.close()

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    totals = {"keep": [0, 0.0], "close": [0, 0.0]}
    for _ in range(rounds):
        for name in ("keep", "close"):
            policy["close"] = name == "close"
            client.get(PATH, headers=headers)  # settle into the policy
            count, start = 0, time.perf_counter()
            while time.perf_counter() - start < seconds_per_round:
                response = client.get(PATH, headers=headers)
                assert response.status_code == 200
                count += 1
            totals[name][0] += count
            totals[name][1] += time.perf_counter() - start
    policy["close"] = False
    return {name: {"requests": n, "seconds": s, "rps": n / s} for name, (n, s) in totals.items()}


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer on port {port}")


def _client(port, token, seconds, queue):
    """One load process: requests back to back for `seconds` (gunicorn's sync workers
    close the TCP connection after each response, so each request reconnects)."""
    headers = {"Authorization": f"Bearer {token}"}
    count, errors = 0, 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        try:
            connection.request("GET", PATH, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                count += 1
            else:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
    queue.put((count, errors, time.perf_counter() - start))


def gunicorn(database_path, token, workers=2, clients=2, seconds=4.0):
    """Both policies served by a real gunicorn on 127.0.0.1, one after the other."""
    results = {}
    for name in ("keep", "close"):
        port = _free_port()
        env = dict(
            os.environ,
            DATABASE_URL=f"sqlite:///{database_path}",
            MUSTER_BENCH_CLOSE="1" if name == "close" else "0",
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "bench.serve:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _wait_until_up(port)
            queue = multiprocessing.get_context("fork").Queue()
            processes = [
                multiprocessing.get_context("fork").Process(
                    target=_client, args=(port, token, seconds, queue)
                )
                for _ in range(clients)
            ]
            for process in processes:
                process.start()
            outcomes = [queue.get() for _ in processes]
            for process in processes:
                process.join()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        count = sum(o[0] for o in outcomes)
        errors = sum(o[1] for o in outcomes)
        elapsed = max(o[2] for o in outcomes)
        results[name] = {
            "requests": count,
            "errors": errors,
            "seconds": elapsed,
            "rps": count / elapsed,
        }
    return {"workers": workers, "clients": clients, **results}


def measure(app, token, database_path, smoke=False):
    # A smoke run only proves the section works: a fraction of a second a policy.
    test_client = in_process(app, token, *((0.2, 1) if smoke else ()))
    db.close()
    served = gunicorn(database_path, token, seconds=0.5 if smoke else 4.0)
    return {
        "path": PATH,
        "test_client": {
            **test_client,
            "ratio": test_client["keep"]["rps"] / test_client["close"]["rps"],
        },
        "gunicorn": {**served, "ratio": served["keep"]["rps"] / served["close"]["rps"]},
    }


def run(context):
    """Figures: requests per second with the connection kept against closed per request."""
    from bench.seed import build_app
    from bench.table import Figure

    app, token, path = build_app(context.scratch, context.size(500, smallest=50))
    found = measure(app, token, path, smoke=context.smoke)
    served = found["gunicorn"]
    return [
        Figure(
            "Connections",
            f"GET {PATH}, test client, 1 thread",
            found["test_client"]["keep"]["rps"],
            "req/s",
            "connection closed per request",
            found["test_client"]["close"]["rps"],
            target=1.0,
        ),
        Figure(
            "Connections",
            f"GET {PATH}, gunicorn {served['workers']} workers",
            served["keep"]["rps"],
            "req/s",
            "connection closed per request",
            served["close"]["rps"],
            target=1.0,
        ),
    ]
