"""Requests per second of GET /api/v1/people: the connection kept per worker (Muster's
policy, database.ensure_connection) vs closed after every request (the reference), on
SQLite and PostgreSQL, where opening a connection costs milliseconds."""

import functools
import time

from bench.classroom import Gunicorn
from bench.load import drive, in_turns
from database import db

PATH = "/api/v1/people?page=1&page_size=20"
POLICIES = ("keep", "close")


def in_process(app, token, seconds_per_round=0.5, rounds=7):
    """One Flask test client, one thread: the server's own cost per request, the policies
    measured in turns (bench.load.in_turns), the median round of each."""
    policy = {"close": False}

    @app.teardown_request
    def maybe_close(exc):
        if policy["close"] and not db.is_closed():
            db.close()

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def measure(name):
        policy["close"] = name == "close"
        client.get(PATH, headers=headers)  # settle into the policy
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds_per_round:
            response = client.get(PATH, headers=headers)
            assert response.status_code == 200
            count += 1
        return {"rps": count / (time.perf_counter() - start), "requests": count}

    found = in_turns({name: functools.partial(measure, name) for name in POLICIES}, rounds)
    policy["close"] = False
    return found


def served(url, token, workers=2, clients=2, seconds_per_round=1.0, rounds=7):
    """Both policies served at once by two gunicorns on 127.0.0.1 (bench/serve.py) and
    loaded in turns: the median round of each policy, and the errors (failed requests)."""
    headers = {"Authorization": f"Bearer {token}"}

    def request(number, i):
        return "GET", PATH, headers, None

    servers = {}
    try:
        for name in POLICIES:
            servers[name] = Gunicorn(
                url,
                app="bench.serve:app",
                workers=workers,
                environment={"MUSTER_BENCH_CLOSE": "1" if name == "close" else "0"},
            )
            drive(servers[name].port, request, clients=clients, seconds=0.2)  # warm up
        found = in_turns(
            {
                name: functools.partial(
                    drive, server.port, request, clients=clients, seconds=seconds_per_round
                )
                for name, server in servers.items()
            },
            rounds,
        )
    finally:
        for server in servers.values():
            server.stop()
    errors = sum(found[name]["errors"] for name in POLICIES)
    return {"workers": workers, "clients": clients, "errors": errors, **found}


def measure(app, token, url, smoke=False, rounds=7):
    """Both policies in process and through gunicorn; a smoke run only proves the section
    works: one round of a fraction of a second a policy."""
    seconds, rounds = (0.2, 1) if smoke else (1.0, rounds)
    test_client = in_process(app, token, seconds / 2, rounds)
    db.close()
    gunicorn = served(url, token, seconds_per_round=seconds, rounds=rounds)
    return {"path": PATH, "test_client": test_client, "gunicorn": gunicorn}


def run(context):
    """Figures per database: requests per second with the connection kept against closed
    after every request, in process and through gunicorn."""
    from bench.seed import build_app
    from bench.table import Figure

    figures = []
    rounds = max(7, context.repeats)  # few requests a round: the median of many
    for label, url in context.databases("muster_bench_connections"):
        app, token, _ = build_app(context.scratch, context.size(500, smallest=50), url=url)
        found = measure(app, token, url, smoke=context.smoke, rounds=rounds)
        db.close()
        served = found["gunicorn"]
        for what, measured in (
            (f"GET {PATH}, test client, 1 thread", found["test_client"]),
            (
                f"GET {PATH}, gunicorn {served['workers']} workers ({served['errors']} errors)",
                served,
            ),
        ):
            figures.append(
                Figure(
                    "Connections",
                    what,
                    measured["keep"]["rps"],
                    "req/s",
                    "connection closed per request",
                    measured["close"]["rps"],
                    target=1.0,
                    database=label,
                )
            )
    return figures
