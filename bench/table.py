"""The benchmark table: figures measured beside their references, ratios and targets."""

import contextlib
import dataclasses
import math
import os
import statistics
import subprocess
import time
from urllib.parse import urlparse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclasses.dataclass
class Figure:
    """One line of the table: Muster's figure, its reference from the same run, the target.

    `value` and `reference_value` share a unit. For rates (rows/s) the ratio must reach the
    target; for costs (`lower_is_better`: seconds, MiB, an exponent) it must stay under it.
    """

    section: str
    what: str
    value: float
    unit: str
    reference: str
    reference_value: float
    target: float | None = None
    lower_is_better: bool = False
    database: str = "SQLite"
    size: str = ""

    @property
    def ratio(self):
        if not self.reference_value:
            return math.inf if self.value else 1.0
        return self.value / self.reference_value

    @property
    def met(self):
        if self.target is None:
            return None
        return self.ratio <= self.target if self.lower_is_better else self.ratio >= self.target

    def as_dict(self):
        return {**dataclasses.asdict(self), "ratio": self.ratio, "met": self.met}


@dataclasses.dataclass
class Context:
    """What every section is given: how big to go, where to write, which databases."""

    scale: float = 1.0  # 1.0 for `make bench`; the smoke run in CI uses a tiny fraction
    scratch: str = "/tmp"
    repeats: int = 5
    postgres: str | None = None  # a PostgreSQL server's URL (…/postgres), or None
    sqlite: bool = True  # False: the sections that measure both databases measure PostgreSQL only

    @property
    def smoke(self):
        return self.scale < 0.05

    def size(self, full, smallest=1):
        """`full` scaled to this run, never below `smallest`."""
        return max(smallest, int(full * self.scale))

    def databases(self, name):
        """(label, DATABASE_URL) for SQLite and, when a server is given, PostgreSQL."""
        found = []
        if self.sqlite or not self.postgres:
            found.append(("SQLite", f"sqlite:///{os.path.join(self.scratch, name + '.db')}"))
        if self.postgres:
            found.append(("PostgreSQL", fresh_postgres(self.postgres, name)))
        return found


def fresh_postgres(server, name):
    """Create (or recreate) database `name` on `server` and return its URL."""
    import psycopg2

    url = urlparse(server)
    admin = psycopg2.connect(
        dbname=url.path.lstrip("/") or "postgres",
        user=url.username,
        password=url.password,
        host=url.hostname,
        port=url.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return url._replace(path=f"/{name}").geturl()


def start_postgres():
    """The throw-away server of scripts/test-postgres, or None where it cannot run."""
    done = subprocess.run(
        [os.path.join(ROOT, "scripts", "test-postgres"), "start"], capture_output=True, text=True
    )
    return done.stdout.strip() if done.returncode == 0 else None


def timed(function, *args, **kwargs):
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def median_seconds(function, repeats):
    """The median wall time of `repeats` calls of `function()`."""
    return statistics.median(timed(function)[0] for _ in range(repeats))


def exponent(small_size, small_cost, big_size, big_cost):
    """How cost grows with size: 1.0 is linear, 0 is flat (log-log slope of two points)."""
    if small_cost <= 0 or big_cost <= 0 or big_size == small_size:
        return 0.0
    return math.log(big_cost / small_cost) / math.log(big_size / small_size)


def growth(section, what, small_size, small_cost, big_size, big_cost, database="SQLite"):
    """A figure for the measured exponent of `what` between two sizes (target: linear)."""
    return Figure(
        section,
        f"growth of {what}, {small_size:,} → {big_size:,}",
        exponent(small_size, small_cost, big_size, big_cost),
        "exponent",
        "linear",
        1.0,
        target=1.15,
        lower_is_better=True,
        database=database,
    )


@contextlib.contextmanager
def section_heading(name):
    print(f"measuring {name}...", flush=True)
    start = time.perf_counter()
    yield
    print(f"  {name}: {time.perf_counter() - start:.0f} s", flush=True)


def number(value):
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def verdict(figure):
    if figure.met is None:
        return "reported"
    sign = "≤" if figure.lower_is_better else "≥"
    return f"{'ok' if figure.met else 'MISSED'} ({sign} {figure.target:g}×)"


COLUMNS = ("section", "what", "database", "Muster", "reference", "ratio", "target")


def rows(figures):
    for f in figures:
        yield (
            f.section,
            f.what + (f" [{f.size}]" if f.size else ""),
            f.database,
            f"{number(f.value)} {f.unit}",
            f"{number(f.reference_value)} {f.unit} ({f.reference})",
            f"{f.ratio:.2f}×",
            verdict(f),
        )


def text(figures):
    """The table for a terminal."""
    body = list(rows(figures))
    widths = [
        max(len(c), *(len(r[i]) for r in body)) if body else len(c) for i, c in enumerate(COLUMNS)
    ]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return "\n".join([line(COLUMNS), line("-" * w for w in widths), *(line(r) for r in body)])


def markdown(figures):
    """The table for RESULTS.md."""
    out = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in r) + " |" for r in rows(figures)]
    return "\n".join(out)
