"""python -m bench: run every benchmark, print one table, write bench/results/latest.json."""

import argparse
import datetime
import importlib
import json
import os
import platform
import sqlite3
import tempfile
import time
import warnings

warnings.filterwarnings("ignore", category=UserWarning, module="apispec")

from bench.table import Context, markdown, section_heading, start_postgres, text  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
# Each module's run(context) returns a list of bench.table.Figure.
# Certificates first: its floors are pages per second on one core, not ratios to a reference
# run beside them, so they are measured before PostgreSQL's background work (autovacuum and
# checkpoints after the bulk loads) shares the machine (148 pages/s late in a run, 291 alone).
SECTIONS = ("certificates", "exports", "reads", "pagination", "writes", "downloads", "connections")


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                cpu,
            )
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.platform(terse=True)}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--smoke", action="store_true", help="tiny sizes, one repeat: checks the suite runs"
    )
    parser.add_argument("--scale", type=float, help="sizes as a fraction of the full run")
    parser.add_argument("--repeats", type=int, help="runs per figure, median kept (default 5)")
    parser.add_argument("--only", nargs="*", choices=SECTIONS, help="run only these sections")
    parser.add_argument(
        "--postgres",
        default="auto",
        help="PostgreSQL server URL for the figures beside SQLite's; 'auto' starts "
        "scripts/test-postgres, 'none' skips them",
    )
    parser.add_argument(
        "--postgres-only",
        action="store_true",
        help="the sections that measure both databases measure PostgreSQL alone",
    )
    parser.add_argument(
        "--out", default=RESULTS, help="folder for latest.json and latest.md (bench/results)"
    )
    args = parser.parse_args(argv)
    scale = args.scale or (0.001 if args.smoke else 1.0)
    repeats = args.repeats or (1 if args.smoke else 5)
    postgres = {"auto": None, "none": None}.get(args.postgres, args.postgres)
    if args.postgres == "auto":
        postgres = start_postgres()
        if not postgres:
            print("PostgreSQL could not be started: SQLite figures only", flush=True)
    started = time.perf_counter()
    figures = []
    with tempfile.TemporaryDirectory(prefix="muster-bench-") as scratch:
        context = Context(
            scale=scale,
            scratch=scratch,
            repeats=repeats,
            postgres=postgres,
            sqlite=not args.postgres_only,
        )
        for name in args.only or SECTIONS:
            with section_heading(name):
                figures += importlib.import_module(f"bench.{name}").run(context)
    seconds = time.perf_counter() - started
    results = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "scale": scale,
        "repeats": repeats,
        "seconds": seconds,
        "figures": [figure.as_dict() for figure in figures],
    }
    print()
    print(text(figures))
    print(f"\n{results['machine']}; median of {repeats}; {seconds:.0f} s in all")
    missed = [f for f in figures if f.met is False]
    if missed:
        print(f"{len(missed)} figure(s) missed their target")
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "latest.json"), "w") as out:
        json.dump(results, out, indent=2)
        out.write("\n")
    with open(os.path.join(args.out, "latest.md"), "w") as out:
        out.write(markdown(figures) + f"\n\n{results['machine']}; median of {repeats}.\n")
    print(f"written {os.path.relpath(os.path.join(args.out, 'latest.json'))} and latest.md")


if __name__ == "__main__":
    main()
