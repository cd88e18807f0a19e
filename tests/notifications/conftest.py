"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what arrives, and the worker."""

import email
import email.policy
import threading

import pytest
from aiosmtpd.controller import Controller

from notifications.worker import run_once
from tests.helpers import free_port


class Inbox:
    """aiosmtpd's handler: every message accepted, parsed and kept in arrival order."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address):
        """The messages that reached `address`, oldest first."""
        return [message for rcpts, message in self.messages if address in rcpts]

    def clear(self):
        self.messages.clear()


def text_of(message):
    return message.get_body(("plain",)).get_content()


def html_of(message):
    return message.get_body(("html",)).get_content()


@pytest.fixture
def smtp(app):
    """Start an SMTP server on a free port of 127.0.0.1 and point the app's e-mail at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=controller.port,
        SMTP_TLS="none",
        MAIL_FROM="Muster <muster@muster.test>",
    )
    yield inbox
    controller.stop()


@pytest.fixture
def work(app):
    """Run one worker round in the app (as `flask worker --once` does)."""

    def round_(**kwargs):
        with app.app_context():
            return run_once(**kwargs)

    return round_
