"""`make bench` keeps running as the code changes: every section at its smoke size (the
figures are read by people, never asserted)."""

import json
import os
import subprocess
import sys
from pathlib import Path

# On the PostgreSQL pass of the suite, the sections measure PostgreSQL beside SQLite.
POSTGRES = os.environ.get("MUSTER_TEST_POSTGRES") or "none"


def test_every_benchmark_runs_and_prints_its_figures(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--postgres", POSTGRES, "--out", str(tmp_path)],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    figures = json.loads((tmp_path / "latest.json").read_text())["figures"]
    sections = {figure["section"] for figure in figures}
    assert {"Reads", "Connections", "Certificates"} <= sections, sections
    if POSTGRES != "none":
        assert "PostgreSQL" in {figure["database"] for figure in figures}
    for figure in figures:
        assert figure["what"] in done.stdout
        assert figure["reference_value"] > 0, figure
    assert (tmp_path / "latest.md").read_text().startswith("| section | what |")
