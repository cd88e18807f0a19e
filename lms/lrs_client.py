"""Sends xAPI statements to an LRS in batches, retrying with backoff, idempotent by statement id."""

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import quote

VERSION = "1.0.3"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


class LRSError(Exception):
    """The LRS refused statements, or stayed unreachable after every retry."""

    def __init__(self, message: str, status: int | None = None, body: str = ""):
        super().__init__(message)
        self.status, self.body = status, body


@dataclass
class PushResult:
    sent: int = 0  # accepted by the LRS: new, or a batch re-sent identically
    already_stored: int = 0  # ids the LRS had already, found when a batch conflicted
    batches: int = 0
    conflicts: list[str] = field(default_factory=list)  # ids stored earlier with other content


@dataclass
class LRSClient:
    endpoint: str
    username: str | None = None
    password: str | None = None
    timeout: float = 30
    retries: int = 5
    backoff: float = 0.5  # seconds before the first retry, doubled after each
    sleep: Callable[[float], None] = time.sleep

    def _headers(self) -> dict:
        headers = {"X-Experience-API-Version": VERSION, "Content-Type": "application/json"}
        if self.username is not None:
            token = f"{self.username}:{self.password or ''}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(token).decode()
        return headers

    def url(self, query: str = "") -> str:
        return self.endpoint.rstrip("/") + "/statements" + query

    def request(self, method: str, url: str, body: bytes | None = None) -> tuple[int, bytes]:
        """One call, retried with exponential backoff on network errors and 5xx/429."""
        delay = self.backoff
        for attempt in range(self.retries + 1):
            req = urllib.request.Request(url, data=body, method=method, headers=self._headers())
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as response:
                    return response.status, response.read()
            except urllib.error.HTTPError as error:
                payload = error.read()
                if error.code not in RETRY_STATUSES or attempt == self.retries:
                    return error.code, payload
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                if attempt == self.retries:
                    raise LRSError(f"LRS unreachable at {url}: {error}") from error
            self.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    def get(self, statement_id: str, voided: bool = False) -> dict | None:
        name = "voidedStatementId" if voided else "statementId"
        status, body = self.request("GET", self.url(f"?{name}={quote(statement_id)}"))
        if status == 404:
            return None
        if status != 200:
            raise LRSError(f"LRS answered {status} reading {statement_id}", status, body.decode())
        return json.loads(body)

    def registered(self, registration: str) -> list[str]:
        """Ids of the statements (not voided) the LRS holds under a registration, every page."""
        ids, url = [], self.url(f"?registration={quote(registration)}&limit=100")
        while url:
            status, body = self.request("GET", url)
            if status != 200:
                raise LRSError(
                    f"LRS answered {status} listing {registration}", status, body.decode()
                )
            page = json.loads(body)
            # A filter matches the voiding statements that target what it matches, too.
            ids += [s["id"] for s in page["statements"] if s["verb"]["id"] != VOIDED]
            more = page.get("more")
            url = urllib.parse.urljoin(self.endpoint, more) if more else None
        return ids

    def put(self, statement: dict) -> str:
        """Store one statement by id: 'sent', 'already_stored' or 'conflict'."""
        url = self.url(f"?statementId={quote(statement['id'])}")
        status, body = self.request("PUT", url, json.dumps(statement).encode())
        if status in (200, 204):
            return "sent"
        if status == 409:
            # Statements are immutable: the id is stored, with the same content or not.
            # A statement voided since is served only as a voided one.
            stored = self.get(statement["id"]) or self.get(statement["id"], voided=True)
            same = stored is not None and _same(stored, statement)
            return "already_stored" if same else "conflict"
        raise LRSError(f"LRS refused statement {statement['id']}: {status}", status, body.decode())

    def push(self, statements: Iterable[dict], batch_size: int = 100) -> PushResult:
        """POST statements in batches; a batch refused as a conflict goes one by one."""
        outcome = PushResult()
        items = iter(statements)
        while batch := list(islice(items, batch_size)):
            outcome.batches += 1
            status, body = self.request("POST", self.url(), json.dumps(batch).encode())
            if status == 200:
                outcome.sent += len(batch)
                continue
            if status != 409:
                raise LRSError(
                    f"LRS refused a batch: {status} {body[:500]!r}", status, body.decode()
                )
            for statement in batch:
                result = self.put(statement)
                if result == "sent":
                    outcome.sent += 1
                elif result == "already_stored":
                    outcome.already_stored += 1
                else:
                    outcome.conflicts.append(statement["id"])
        return outcome


def _same(stored: dict, sent: dict) -> bool:
    """Whether the LRS holds what was sent, ignoring what an LRS adds (stored, authority...)."""
    return all(stored.get(key) == value for key, value in sent.items() if key != "timestamp") and (
        "timestamp" not in sent or bool(stored.get("timestamp"))
    )
