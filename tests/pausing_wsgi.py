"""Test-only WSGI entry point (tests.pausing_wsgi:app): wsgi's app, with pauses at named
points so a crash test can SIGKILL the worker there. Production never loads this module.

The test writes "<point> <METHOD> <path regex>" to the file MUSTER_TEST_PAUSE_FILE names;
the first worker reaching that point while serving a matching request takes the file,
writes "paused-at <point> pid <pid>" to the log and sleeps until it is killed. Points:
  before-commit   inside a write transaction, after the operation wrote everything
  after-commit    just after that transaction committed, before the answer is sent
  lrs-batch-sent  a push's batch of statements was taken by the LRS, more are to come
"""

import contextlib
import os
import re
import sys
import time

from flask import has_request_context, request

import database
from lms.lrs_client import LRSClient
from wsgi import app

PAUSE_FILE = os.environ["MUSTER_TEST_PAUSE_FILE"]

# The server's export window (5 minutes in service): records are pushed as soon as made.
app.config["EXPORT_CURSOR_WINDOW_SECONDS"] = 0


def pause(point):
    try:
        with open(PAUSE_FILE) as wanted:
            name, method, pattern = wanted.read().split(" ", 2)
    except FileNotFoundError:
        return
    if name != point or not has_request_context() or request.method != method:
        return
    if not re.fullmatch(pattern.strip(), request.path):
        return
    try:
        os.rename(PAUSE_FILE, f"{PAUSE_FILE}.{os.getpid()}")  # one worker takes it
    except FileNotFoundError:
        return
    print(f"paused-at {point} pid {os.getpid()}", file=sys.stderr, flush=True)
    time.sleep(600)


_write_transaction = database.write_transaction


@contextlib.contextmanager
def pausing_write_transaction():
    with _write_transaction():
        yield
        pause("before-commit")
    pause("after-commit")


database.write_transaction = pausing_write_transaction

_request = LRSClient.request


def pausing_request(self, method, *args, **kwargs):
    answer = _request(self, method, *args, **kwargs)
    if method == "POST" and answer[0] == 200:
        pause("lrs-batch-sent")
    return answer


LRSClient.request = pausing_request
