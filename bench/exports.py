"""GET /agencies/{id}/exports through a real gunicorn over HTTP, against the database's own
command-line client writing the same columns to CSV from the same database (the `sqlite3`
shell; `psql \\copy ... TO STDOUT CSV`): rows per second of CSV, xAPI and XLSX, the worker's
peak memory above idle, the time to the first byte, and how the time grows with the count."""

import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import warnings

warnings.filterwarnings("ignore", category=UserWarning, module="apispec")

from bench.data import generate  # noqa: E402
from bench.table import ROOT, Figure, exponent, growth  # noqa: E402
from database import db, migrate  # noqa: E402
from factory import create_app  # noqa: E402
from operations.users import create_user  # noqa: E402

SECTION = "Exports"
FULL = 1_000_000  # records of the agency that pulls
PER_PERSON = 25  # records per person: 40,000 people at full size
PRESET = "totara-course"  # username, courseshortname, courseidnumber, completiondate, grade
MEMORY_LIMIT_MIB = 50
FIRST_BYTE_LIMIT = 0.5

# The preset's columns in the export's order, as the database's own client writes them.
REFERENCE_QUERY = """
SELECT p.employee_id AS username, co.title AS courseshortname,
       h.code || '-' || co.code AS courseidnumber, c.completed_on AS completiondate,
       COALESCE(CAST(c.score AS TEXT), CASE WHEN c.partial THEN 'partial'
         WHEN c.passed IS NULL THEN 'completed' WHEN c.passed THEN 'passed'
         ELSE 'failed' END) AS grade
FROM completion c
JOIN person p ON c.person_id = p.id
JOIN offering o ON c.offering_id = o.id
JOIN course co ON o.course_id = co.id
JOIN agency h ON o.host_agency_id = h.id
WHERE p.agency_id = {agency} AND c.revoked_at IS NULL
ORDER BY p.last_name, p.first_name, p.id, c.id
"""


def run(context):
    found = []
    big = context.size(FULL, smallest=1000)
    small = max(big // 10, 100)
    # its own database per run: a smoke run of the test suite may share the server
    for label, url in context.databases(f"muster_bench_exports_{os.getpid()}"):
        found += measure(context, label, url, big, small)
    return found


def load(url, big, small):
    """The app's database with two agencies' records (`big` and `small` of them): returns
    (admin token, big agency id, small agency id, seconds spent generating)."""
    if db.obj is not None and not db.is_closed():
        db.close()
    app = create_app({"DATABASE_URL": url})
    migrate()
    with app.app_context():
        _, token, _ = create_user({"email": "exports@bench.example", "role": "admin"}, None, None)
    started = time.perf_counter()
    made = [generate(1, max(count // PER_PERSON, 30), count, lean=True) for count in (big, small)]
    seconds = time.perf_counter() - started
    db.close()
    return token, made[0].agency_ids[0], made[1].agency_ids[0], seconds


def measure(context, label, url, big, small):
    token, big_agency, small_agency, seconds = load(url, big, small)
    rows = (big + small) / seconds
    print(f"  {label}: {big + small:,} completions generated at {rows:,.0f} rows/s", flush=True)
    reference = Reference(url, context.scratch)
    # At full size a run is its own average (a million rows take a while); the section has
    # its share of `make bench`, so what takes long runs once and only the quick runs repeat.
    repeats = max(1, min(context.repeats, 3))
    once = 1 if big >= 100_000 else repeats
    found = []
    with Server(url) as server:
        client = Client(server, token)
        client.get(small_agency, "csv")  # warm: the worker's imports and caches
        idle = server.rss_mib()

        # the full count once (a minute of streaming is its own average), smaller ones repeated
        csv_big = [client.get(big_agency, "csv") for _ in range(once)]
        csv_small = [client.get(small_agency, "csv") for _ in range(min(repeats, 2))]
        ref_big = statistics.median(reference.seconds(big_agency) for _ in range(once))
        ref_small = statistics.median(reference.seconds(small_agency) for _ in range(repeats))
        rows_big, rows_small = csv_big[0].rows, csv_small[0].rows
        shell_rate = rows_big / ref_big
        csv_seconds = statistics.median(r.seconds for r in csv_big)
        found.append(
            Figure(
                SECTION,
                f"CSV ({PRESET}), {rows_big:,} rows, gunicorn over HTTP",
                rows_big / csv_seconds,
                "rows/s",
                reference.name,
                shell_rate,
                target=0.35,
                database=label,
            )
        )
        # xAPI and XLSX at the smaller count (a rate: the count only makes it slower to get)
        shell_small_rate = rows_small / ref_small
        xapi = [client.get(small_agency, "xapi") for _ in range(once)]
        xapi_seconds = statistics.median(r.seconds for r in xapi)
        found.append(
            Figure(
                SECTION,
                f"xAPI JSON, {small:,} records, gunicorn over HTTP",
                small / xapi_seconds,
                "rows/s",
                reference.name,
                shell_small_rate,
                target=0.12,
                database=label,
            )
        )
        xlsx = client.get(small_agency, "xlsx")
        found.append(
            Figure(
                SECTION,
                f"XLSX ({PRESET}), {rows_small:,} rows, gunicorn over HTTP",
                rows_small / xlsx.seconds,
                "rows/s",
                reference.name,
                shell_small_rate,
                database=label,
            )
        )
        peak_small = max(r.peak_mib for r in csv_small) - idle
        peak_big = max(r.peak_mib for r in csv_big) - idle
        peak_xapi = max(r.peak_mib for r in xapi) - idle
        for what, value in (
            (f"CSV of {rows_small:,} rows", peak_small),
            (f"CSV of {rows_big:,} rows", peak_big),
            (f"xAPI of {small:,} records", peak_xapi),
            (f"XLSX of {rows_small:,} rows", xlsx.peak_mib - idle),
        ):
            found.append(
                Figure(
                    SECTION,
                    f"worker's peak memory above idle ({idle:.0f} MiB), {what}",
                    max(value, 0.0),
                    "MiB",
                    "the limit",
                    MEMORY_LIMIT_MIB,
                    target=1.0,
                    lower_is_better=True,
                    database=label,
                )
            )
        for what, results in (
            (f"CSV of {rows_big:,} rows", csv_big),
            (f"xAPI of {small:,} records", xapi),
        ):
            found.append(
                Figure(
                    SECTION,
                    f"time to first byte, {what}",
                    statistics.median(r.first_byte for r in results),
                    "s",
                    "the limit",
                    FIRST_BYTE_LIMIT,
                    target=1.0,
                    lower_is_better=True,
                    database=label,
                )
            )
        small_seconds = statistics.median(r.seconds for r in csv_small)
        found.append(growth(SECTION, "a CSV export", small, small_seconds, big, csv_seconds, label))
        # The database's own client over the same two agencies: how much of the growth is
        # the database reading a bigger file rather than Muster's work per row.
        found.append(
            Figure(
                SECTION,
                f"growth of the reference's own export ({reference.name}), {small:,} → {big:,}",
                exponent(small, ref_small, big, ref_big),
                "exponent",
                "linear",
                1.0,
                database=label,
            )
        )
        memory_growth = exponent(small, max(peak_small, 1.0), big, max(peak_big, 1.0))
        found.append(
            Figure(
                SECTION,
                f"growth of the worker's peak memory (above idle, 1 MiB floor), "
                f"{small:,} → {big:,}",
                memory_growth,
                "exponent",
                "flat",
                1.0,
                target=0.25,
                lower_is_better=True,
                database=label,
            )
        )
    return found


class Result:
    def __init__(self, seconds, first_byte, size, rows, peak_mib):
        self.seconds, self.first_byte, self.size = seconds, first_byte, size
        self.rows, self.peak_mib = rows, peak_mib


class Client:
    """GET an export over HTTP and read it to the end, as an agency's nightly job does."""

    def __init__(self, server, token):
        self.server, self.headers = server, {"Authorization": f"Bearer {token}"}

    def get(self, agency_id, fmt):
        path = f"/api/v1/agencies/{agency_id}/exports?format={fmt}"
        if fmt != "xapi":
            path += f"&preset={PRESET}"
        watch = Watch(self.server.workers())
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=600)
        start = time.perf_counter()
        connection.request("GET", path, headers=self.headers)
        response = connection.getresponse()
        first = response.read(1)
        first_byte = time.perf_counter() - start
        assert response.status == 200, (response.status, first + response.read(2000))
        size, lines = len(first), first.count(b"\n")
        while chunk := response.read(1 << 18):
            size += len(chunk)
            lines += chunk.count(b"\n")
        seconds = time.perf_counter() - start
        connection.close()
        peak = watch.stop()
        return Result(seconds, first_byte, size, lines - 1, peak)  # less the header row


class Watch:
    """The peak resident memory of the worker while a request runs: the kernel's high-water
    mark (VmHWM, reset through clear_refs), else the largest VmRSS seen every 10 ms."""

    def __init__(self, pids):
        self.pids = pids
        self.reset = True
        for pid in self.pids:
            try:
                with open(f"/proc/{pid}/clear_refs", "w") as refs:
                    refs.write("5")
            except OSError:
                self.reset = False
        self.seen = 0.0
        self.done = threading.Event()
        self.thread = None
        if not self.reset:
            self.thread = threading.Thread(target=self._poll, daemon=True)
            self.thread.start()

    def _poll(self):
        while not self.done.wait(0.01):
            self.seen = max(self.seen, max(_status(p, "VmRSS") for p in self.pids))

    def stop(self):
        if self.thread:
            self.done.set()
            self.thread.join()
            return self.seen
        return max(_status(p, "VmHWM") for p in self.pids)


def _status(pid, key):
    """A /proc/<pid>/status memory figure in MiB."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Reference:
    """The database's own client writing the preset's columns to a CSV file."""

    def __init__(self, url, scratch):
        self.url, self.out = url, os.path.join(scratch, "exports-reference.csv")
        self.postgres = not url.startswith("sqlite")
        if self.postgres:
            self.command = shutil.which("psql")
            self.name = "psql \\copy … TO STDOUT CSV"
        else:
            self.command = shutil.which("sqlite3") or install_sqlite3()
            self.name = "sqlite3 shell -csv" if self.command else "Python csv over a raw cursor"

    def seconds(self, agency_id):
        query = " ".join(REFERENCE_QUERY.format(agency=int(agency_id)).split())
        start = time.perf_counter()
        with open(self.out, "wb") as out:
            if self.postgres:
                command = [self.command, "-X", "-q", self.url, "-c"]
                command.append(f"\\copy ({query}) TO STDOUT CSV HEADER")
                subprocess.run(command, stdout=out, check=True)
            elif self.command:
                path = self.url[len("sqlite:///") :]
                subprocess.run(
                    [self.command, "-csv", "-header", path, query], stdout=out, check=True
                )
            else:
                _python_csv(self.url[len("sqlite:///") :], query, out)
        return time.perf_counter() - start


def _python_csv(path, query, out):
    """The fallback reference where no sqlite3 shell can be installed."""
    import csv
    import io
    import sqlite3

    connection = sqlite3.connect(path)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    cursor = connection.execute(query)
    writer.writerow([d[0] for d in cursor.description])
    writer.writerows(cursor)
    text.flush()
    text.detach()
    connection.close()


def install_sqlite3():
    """Debian's sqlite3 shell, installed as scripts/test-postgres installs PostgreSQL (root)."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "sqlite3"]):
        done = subprocess.run(command, env=environment, capture_output=True)
        if done.returncode:
            return None
    return shutil.which("sqlite3")


class Server:
    """gunicorn as `make run` starts it (gunicorn.conf.py), one worker, on 127.0.0.1."""

    def __init__(self, url):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = os.path.join(ROOT, "gunicorn.conf.py")
        settings = {
            "DATABASE_URL": url,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "1",
            "GUNICORN_ACCESS_LOG": os.devnull,
            "GUNICORN_TIMEOUT": "120",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn"]
            + (["--config", config] if os.path.exists(config) else [])
            + ["--workers", "1", "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT,
            env={**os.environ, **settings},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            assert self.process.poll() is None, "gunicorn stopped"
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/api/v1/health")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def workers(self):
        done = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        )
        return [int(pid) for pid in done.stdout.split()]

    def rss_mib(self):
        return max(_status(pid, "VmRSS") for pid in self.workers())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
