"""The worker: two at once deliver each event once; a failed send is retried with backoff
and given up after the last attempt; a claim left by a worker that died is taken over once
its lease runs out; `flask worker --once` runs one round."""

import datetime
import threading

import pytest

import config
from database import db, in_write_transaction
from models import Delivery
from notifications import email as email_channel
from notifications import worker
from operations.events import emit
from rules import clock
from tests.helpers import free_port

SEAN = "sean@rpd.test"


@in_write_transaction
def completions_issued(world, count):
    """`count` completion.issued events about the officer, as closing a class records them."""
    for n in range(count):
        emit(
            "completion.issued",
            {
                "person_id": world.officer_person["id"],
                "person_name": "Sean O'Brien",
                "title": f"Course {n:02d}",
                "hours": "8.00",
                "completed_on": "2026-06-01",
            },
            agency_ids=[world.police["id"]],
            person_id=world.officer_person["id"],
        )


def sean_deliveries():
    return list(
        Delivery.select().where(Delivery.recipient.startswith("user:"), Delivery.digest == False)
    )


def test_two_workers_running_at_once_deliver_each_event_once(app, world, smtp, monkeypatch):
    completions_issued(world, 40)
    with app.app_context():  # fanned out first: else one worker's fan-out holds them all
        assert worker.fan_out(clock.now()) == 40
    monkeypatch.setattr(worker, "CLAIM_BATCH", 4)  # small claims, so the two interleave
    senders, transmit, both = [], email_channel.transmit, threading.Barrier(2)

    def slow_transmit(message):
        senders.append(threading.current_thread().name)
        if senders.count(threading.current_thread().name) == 1:
            # Each worker's first send waits, holding its claim, until the other has claimed
            # too: on a busy machine one worker could otherwise finish before the other starts.
            both.wait(timeout=30)
        transmit(message)

    monkeypatch.setattr(email_channel, "transmit", slow_transmit)
    start, errors = threading.Barrier(2), []

    def run(name):
        try:
            with app.app_context():
                start.wait()
                worker.run_once(worker=name, scans=False)
        except Exception as error:  # reported below: a thread's failure must fail the test
            errors.append(error)
        finally:
            db.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(n,), name=n) for n in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    subjects = sorted(m["Subject"] for m in smtp.to(SEAN))
    assert subjects == sorted(f"Muster: Training record issued: Course {n:02d}" for n in range(40))
    assert {(d.status, d.attempts) for d in sean_deliveries()} == {("sent", 1)}
    assert set(senders) == {"one", "two"}  # both worked, neither sent what the other did


def test_a_failed_send_is_retried_with_backoff_then_delivered_once(app, world, smtp, work):
    app.config["SMTP_PORT"] = free_port()  # nothing listens there
    completions_issued(world, 1)
    start = clock.now()
    work(now=start)
    (delivery,) = sean_deliveries()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.next_attempt_at == start + datetime.timedelta(minutes=1)
    assert f"SMTP 127.0.0.1:{app.config['SMTP_PORT']}" in delivery.last_error
    work(now=start + datetime.timedelta(seconds=59))  # not due yet
    work(now=start + datetime.timedelta(minutes=1))
    (delivery,) = sean_deliveries()
    assert (delivery.attempts, delivery.next_attempt_at) == (
        2,
        start + datetime.timedelta(minutes=3),
    )
    app.config["SMTP_PORT"] = smtp.port  # the server answers from now on
    work(now=start + datetime.timedelta(minutes=3))
    (delivery,) = sean_deliveries()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, None)
    work(now=start + datetime.timedelta(hours=1))
    assert len(smtp.to(SEAN)) == 1


def test_the_retry_base_comes_from_the_environment(app, world, work, monkeypatch):
    monkeypatch.setenv("NOTIFY_RETRY_BASE_SECONDS", "15")
    assert config.load()["NOTIFY_RETRY_BASE_SECONDS"] == 15
    assert config.load({"NOTIFY_RETRY_BASE_SECONDS": "30"})["NOTIFY_RETRY_BASE_SECONDS"] == 30
    for bad in ("0", "soon"):
        monkeypatch.setenv("NOTIFY_RETRY_BASE_SECONDS", bad)
        with pytest.raises(ValueError, match="NOTIFY_RETRY_BASE_SECONDS"):
            config.load()
    monkeypatch.delenv("NOTIFY_RETRY_BASE_SECONDS")
    assert config.load()["NOTIFY_RETRY_BASE_SECONDS"] == 60  # the contract's default

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), NOTIFY_RETRY_BASE_SECONDS=15)
    completions_issued(world, 1)
    start = clock.now()
    tries = []
    for _ in range(3):
        work(now=start + sum(tries, datetime.timedelta()))
        (delivery,) = sean_deliveries()
        tries.append(delivery.next_attempt_at - start - sum(tries, datetime.timedelta()))
    assert tries == [datetime.timedelta(seconds=s) for s in (15, 30, 60)]


def test_a_send_that_keeps_failing_is_given_up_after_the_last_attempt(app, world, work):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    completions_issued(world, 1)
    moment = clock.now()
    for _ in range(worker.MAX_ATTEMPTS + 2):
        work(now=moment)
        moment += worker.MAX_DELAY
    (delivery,) = sean_deliveries()
    assert (delivery.status, delivery.attempts) == ("failed", worker.MAX_ATTEMPTS)
    assert delivery.last_error.startswith("SMTP 127.0.0.1:")


def test_a_claim_left_by_a_worker_that_died_is_taken_over_once_its_lease_ends(
    app, world, smtp, work
):
    completions_issued(world, 1)
    start = clock.now()
    with app.app_context():
        worker.fan_out(start)
        (claimed,) = [d for d in worker.claim(start, "died") if not d.digest]
    assert claimed.claimed_by == "died"
    work(now=start + datetime.timedelta(minutes=4))  # still leased to the dead worker
    assert smtp.to(SEAN) == []
    work(now=start + worker.LEASE + datetime.timedelta(seconds=1))
    assert len(smtp.to(SEAN)) == 1
    (delivery,) = sean_deliveries()
    assert (delivery.status, delivery.claimed_by) == ("sent", None)


def test_the_worker_command_runs_one_round(app, world, smtp):
    completions_issued(world, 2)
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "2 fanned_out" in result.output and "2 sent" in result.output
    assert len(smtp.to(SEAN)) == 2
