"""`make bench` keeps running as the code changes: every benchmark, on tiny sizes (its
figures are read by people, never asserted)."""

import subprocess
import sys
from pathlib import Path

TINY = ("--people", "300", "--small", "50", "--pages", "3")


def test_every_benchmark_runs_and_prints_its_section(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench", *TINY, "--out", str(tmp_path)],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    for section in ("1. Page 1 of 300 people", "2. GET /api/v1/people", "3. Certificates"):
        assert section in done.stdout, done.stdout
    assert (tmp_path / "latest.json").exists()
