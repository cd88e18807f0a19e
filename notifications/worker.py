"""The worker: fans events out to deliveries, claims those due and sends each once.

Claiming: a short write transaction picks due deliveries and stamps them with this
worker's id and a lease (`claimed_until`); PostgreSQL skips rows another worker has locked
(`SELECT ... FOR UPDATE SKIP LOCKED`), SQLite serialises the claim with BEGIN IMMEDIATE (one
writer at a time). A result is recorded only while the claim is still this worker's, and
the unique (event, channel, recipient) key means no event reaches a recipient twice
through two deliveries.
"""

import datetime
import logging
import os
import socket
import time
import uuid
from collections import defaultdict

from flask import current_app
from peewee import PostgresqlDatabase

from database import db, ensure_connection, write_transaction
from models import Delivery, Event
from rules import clock

from .channels import CHANNELS, DeliveryFailed

log = logging.getLogger("muster.worker")

LEASE = datetime.timedelta(minutes=5)  # a claim not settled by then is free again
MAX_ATTEMPTS = 8
MAX_DELAY = datetime.timedelta(hours=6)
CLAIM_BATCH = 200
FAN_OUT_BATCH = 100


def worker_id():
    """A name for this worker, unique across hosts and processes."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def backoff(attempts, base_seconds):
    """How long to wait after the `attempts`-th failed try: the base (the setting
    NOTIFY_RETRY_BASE_SECONDS), then twice, four times ... that, capped at MAX_DELAY."""
    return min(MAX_DELAY, datetime.timedelta(seconds=base_seconds) * 2 ** max(0, attempts - 1))


def _skip_locked(query):
    if isinstance(db.obj, PostgresqlDatabase):
        return query.for_update(skip_locked=True)
    return query  # SQLite: BEGIN IMMEDIATE already makes this the only writer


def fan_out(now):
    """Turn each event not yet fanned out into its deliveries; returns how many events."""
    done, after = 0, 0
    while True:
        with write_transaction():
            query = (
                Event.select()
                .where(Event.fanned_out_at.is_null(), Event.id > after)
                .order_by(Event.id)
                .limit(FAN_OUT_BATCH)
            )
            events = list(_skip_locked(query))
            for event in events:
                after = event.id
                if _fan_out_event(event, now):
                    Event.update(fanned_out_at=now).where(Event.id == event.id).execute()
                    done += 1
        if len(events) < FAN_OUT_BATCH:
            return done


def _fan_out_event(event, now):
    """Insert the event's deliveries channel by channel; a channel that fails leaves the
    others' deliveries made and the event to be fanned out again (duplicates are ignored)."""
    complete = True
    for channel in list(CHANNELS.values()):
        try:
            with db.atomic():  # a savepoint: PostgreSQL's transaction survives the failure
                rows = _deliveries(channel, event, now)
                for start in range(0, len(rows), 500):
                    chunk = rows[start : start + 500]
                    Delivery.insert_many(chunk).on_conflict_ignore().execute()
        except Exception:
            log.exception("channel %s could not fan out event %s", channel.name, event.id)
            complete = False
    return complete


def _deliveries(channel, event, now):
    rows = []
    for recipient in dict.fromkeys(channel.recipients(event)):
        digest, due = False, now
        if hasattr(channel, "schedule"):
            digest, due = channel.schedule(event, recipient, now)
        rows.append(
            {
                "event": event.id,
                "channel": channel.name,
                "recipient": recipient,
                "status": "pending",
                "digest": digest,
                "next_attempt_at": due,
                "created_at": now,
            }
        )
    return rows


def claim(now, worker, limit=None):
    """Claim up to `limit` due deliveries for `worker`; returns them."""
    limit = limit or CLAIM_BATCH
    with write_transaction():
        query = (
            Delivery.select(Delivery.id)
            .where(
                Delivery.status == "pending",
                Delivery.next_attempt_at <= now,
                Delivery.claimed_until.is_null() | (Delivery.claimed_until < now),
            )
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(limit)
        )
        ids = [row for (row,) in _skip_locked(query).tuples()]
        if ids:
            Delivery.update(claimed_by=worker, claimed_until=now + LEASE).where(
                Delivery.id.in_(ids)
            ).execute()
    if not ids:
        return []
    return list(
        Delivery.select(Delivery, Event)
        .join(Event)
        .where(Delivery.id.in_(ids), Delivery.claimed_by == worker)
        .order_by(Delivery.id)
    )


def _send_group(channel, items):
    """{delivery id: None (sent) | 'skipped' | DeliveryFailed} for one recipient's items."""
    if channel is None:
        failure = DeliveryFailed("No such channel is configured.", retry=False)
        return {delivery.id: failure for delivery, _ in items}
    if hasattr(channel, "send_batch"):
        try:
            return channel.send_batch(items)
        except DeliveryFailed as failure:
            return {delivery.id: failure for delivery, _ in items}
    results = {}
    for delivery, event in items:
        try:
            results[delivery.id] = channel.send(delivery, event)
        except DeliveryFailed as failure:
            results[delivery.id] = failure
    return results


def _record(delivery, outcome, now, worker, base_seconds):
    attempts = delivery.attempts + 1
    values = {"attempts": attempts, "claimed_by": None, "claimed_until": None}
    if outcome is None or outcome == "skipped":
        values.update(status="sent" if outcome is None else "skipped", sent_at=now)
        values["last_error"] = None
    else:
        values["last_error"] = str(outcome.message)[:2000]
        if outcome.retry and attempts < MAX_ATTEMPTS:
            values.update(status="pending", next_attempt_at=now + backoff(attempts, base_seconds))
        else:
            values["status"] = "failed"
    Delivery.update(values).where(
        Delivery.id == delivery.id, Delivery.claimed_by == worker
    ).execute()
    return values["status"]


def deliver(now, worker):
    """Claim what is due and send it, one recipient's deliveries together; a count per
    resulting status."""
    counts = defaultdict(int)
    base_seconds = current_app.config["NOTIFY_RETRY_BASE_SECONDS"]
    while True:
        claimed = claim(now, worker)
        groups = defaultdict(list)
        for delivery in claimed:
            groups[(delivery.channel, delivery.recipient)].append((delivery, delivery.event))
        for (name, _), items in groups.items():
            try:
                results = _send_group(CHANNELS.get(name), items)
            except Exception as error:  # a bug in a channel must not stop the others
                log.exception("channel %s failed", name)
                results = {d.id: DeliveryFailed(f"Internal error: {error}") for d, _ in items}
            with write_transaction():
                for delivery, _ in items:
                    outcome = results.get(delivery.id, DeliveryFailed("Not sent."))
                    counts[_record(delivery, outcome, now, worker, base_seconds)] += 1
        if len(claimed) < CLAIM_BATCH:
            return dict(counts)


def run_once(now=None, worker=None, scans=True):
    """One round: the daily scans, fan-out, then every delivery due; returns counts."""
    ensure_connection()
    now = now or clock.now()
    worker = worker or worker_id()
    summary = {}
    if scans:
        from operations.registrations import release_reservations

        from .expiry import scan  # the scans record events like any operation

        summary["expiring"] = scan(clock.today())
        summary["released"] = release_reservations(now)
    summary["fanned_out"] = fan_out(now)
    summary.update(deliver(now, worker))
    return summary


def run_forever(interval=30.0, stop=None):
    """Run rounds every `interval` seconds until `stop()` is true; the scans at most once
    an hour (they only add what is new)."""
    worker, last_scan = worker_id(), None
    log.info("worker %s started", worker)
    while not (stop and stop()):
        started = time.monotonic()
        try:
            scans = last_scan is None or started - last_scan >= 3600
            summary = run_once(worker=worker, scans=scans)
            if scans:
                last_scan = started
            if any(summary.values()):
                log.info("worker round: %s", summary)
        except Exception:
            log.exception("worker round failed; trying again next round")
            if not db.is_closed():
                db.close()
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
