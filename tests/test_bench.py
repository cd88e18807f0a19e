"""make bench keeps working: every section runs at smoke size and prints its figures (the
figures are read by people, never asserted)."""

import json
import os
import subprocess
import sys
from pathlib import Path

# On the PostgreSQL pass of the suite, the sections that measure both databases measure
# PostgreSQL (the SQLite pass ran them on SQLite).
POSTGRES = os.environ.get("MUSTER_TEST_POSTGRES")
BOTH_DATABASES = ["exports", "reads", "writes", "downloads", "connections"]


def test_every_benchmark_runs_and_prints_its_figures(tmp_path):
    databases = ["--postgres", "none"]
    if POSTGRES:
        databases = ["--postgres", POSTGRES, "--postgres-only", "--only", *BOTH_DATABASES]
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", *databases, "--out", str(tmp_path)],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    figures = json.loads((tmp_path / "latest.json").read_text())["figures"]
    sections = {figure["section"] for figure in figures}
    databases = {figure["database"] for figure in figures}
    if POSTGRES:
        assert {"Exports", "Reads", "Writes", "Certificates", "Connections"} <= sections, sections
        assert databases == {"PostgreSQL"}, databases
    else:
        expected = {"Exports", "Reads", "Writes", "Certificates", "Connections"}
        assert expected <= sections, sections
        assert databases == {"SQLite"}, databases
    for figure in figures:
        assert figure["what"] in done.stdout
        assert figure["reference_value"] > 0, figure
    assert (tmp_path / "latest.md").read_text().startswith("| section | what |")
