"""python -m bench: run every benchmark, print a table, write bench/results/latest.json."""

import argparse
import datetime
import json
import os
import platform
import sqlite3
import tempfile
import time
import warnings

warnings.filterwarnings("ignore", category=UserWarning, module="apispec")

from bench import certificates, connections, pagination  # noqa: E402
from bench.seed import build_app  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def mib(n):
    return f"{n / 2**20:8.2f} MiB"


def report(results):
    p = results["pagination"]
    rows = p["rows"]
    lines = [
        f"1. Page 1 of {p['people']:,} people, page_size {p['page_size']}, SQLite, "
        "Flask test client",
        f"   {'pager':<48}{'median':>10}{'best':>10}{'peak memory':>15}",
    ]
    labels = {
        "muster_page_1": "Muster Page (LIMIT/OFFSET + COUNT), page 1",
        "muster_last_page": f"Muster Page, last page ({p['last_page']})",
        "smorest_page_1": "flask-smorest Page (len + slice), page 1 [ref]",
    }
    for key in ("muster_page_1", "muster_last_page", "smorest_page_1"):
        row = rows[key]
        lines.append(
            f"   {labels[key]:<48}{row['median_ms']:>8.1f}ms{row['best_ms']:>8.1f}ms"
            f"{mib(row['peak_bytes']):>15}"
        )
    lines.append(
        f"   reference / Muster, page 1: {p['time_ratio']:.1f}x the time, "
        f"{p['memory_ratio']:.0f}x the peak memory"
    )
    c = results["connections"]
    lines += [
        "",
        f"2. GET {c['path']} (SQLite): connection kept per worker vs closed "
        "after every request [ref]",
        f"   {'server':<48}{'kept':>10}{'closed':>10}{'kept/closed':>15}",
    ]
    t, g = c["test_client"], c["gunicorn"]
    lines.append(
        f"   {'test client, 1 thread (req/s)':<48}{t['keep']['rps']:>10.0f}"
        f"{t['close']['rps']:>10.0f}{t['ratio']:>14.2f}x"
    )
    label = f"gunicorn, {g['workers']} workers, {g['clients']} clients (req/s)"
    lines.append(
        f"   {label:<48}{g['keep']['rps']:>10.0f}{g['close']['rps']:>10.0f}{g['ratio']:>14.2f}x"
    )
    errors = g["keep"]["errors"] + g["close"]["errors"]
    if errors:
        lines.append(f"   ({errors} failed requests under gunicorn)")
    lines += ["", "3. " + certificates.report(results["certificates"], certificates.REPEATS)]
    lines.append(f"\n{results['machine']}; {results['seconds']:.0f} s in all")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--people",
        type=int,
        default=100_000,
        help="people in the pagination database (default 100,000)",
    )
    parser.add_argument(
        "--small",
        type=int,
        default=500,
        help="people in the connection benchmark's database (default 500)",
    )
    parser.add_argument(
        "--pages",
        type=int,
        default=200,
        help="certificates per run in the certificate benchmark (default 200)",
    )
    parser.add_argument(
        "--out", default=RESULTS, help="folder for latest.json (default bench/results)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="muster-bench-") as directory:
        print(f"seeding {args.people:,} people...", flush=True)
        app, token, _ = build_app(directory, args.people)
        paging = pagination.run(app, token, args.people)
        print("measuring connections...", flush=True)
        app, token, path = build_app(directory, args.small)
        connecting = connections.run(app, token, path)
    print("measuring certificates...", flush=True)
    rendering = certificates.run(args.pages)
    results = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": (
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{os.cpu_count()} CPUs, {platform.platform(terse=True)}"
        ),
        "pagination": paging,
        "connections": connecting,
        "certificates": rendering,
        "seconds": time.perf_counter() - started,
    }
    print(report(results))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "latest.json"), "w") as out:
        json.dump(results, out, indent=2)
        out.write("\n")
    print(f"written {os.path.relpath(os.path.join(args.out, 'latest.json'))}")


if __name__ == "__main__":
    main()
