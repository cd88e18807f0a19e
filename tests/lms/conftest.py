"""Real peers for the export tests: npm packages in tests/peers, an in-memory LRS process."""

import fcntl
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

PEERS = Path(__file__).resolve().parent.parent / "peers"


@pytest.fixture(scope="session")
def peers() -> Path:
    """tests/peers with its pinned packages installed (npm ci, no install scripts)."""
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.fail("Node.js and npm are needed for the export peers (apt-get install nodejs npm)")
    # `make test` installs them first; a bare pytest -n N installs once, the others wait.
    with open(PEERS / ".install-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (PEERS / "node_modules" / ".package-lock.json").exists():
            subprocess.run(
                ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                cwd=PEERS,
                check=True,
                capture_output=True,
                timeout=600,
            )
    return PEERS


def run_peer(peers: Path, script: str, payload) -> tuple[int, list[dict]]:
    """Runs a node peer script on JSON input; its exit code and its JSON lines."""
    done = subprocess.run(
        ["node", script],
        cwd=peers,
        input=json.dumps(payload).encode(),
        capture_output=True,
        timeout=120,
    )
    lines = [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]
    if not lines:
        raise AssertionError(f"{script} said nothing: {done.stderr.decode()[-2000:]}")
    return done.returncode, lines


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def lrs(peers, tmp_path_factory):
    """Learning Locker's xapi-statements, in memory, on 127.0.0.1; yields its xAPI endpoint."""
    port, workdir = free_port(), tmp_path_factory.mktemp("lrs")
    env = {
        **os.environ,
        "EXPRESS_PORT": str(port),
        "EXPRESS_MORGAN_DIRECTORY": str(workdir / "access-logs"),
        "FS_LOCAL_STORAGE_DIR": str(workdir / "storage"),
        "NODE_PATH": str(peers / "node_modules"),
        # It also dials MongoDB and Redis it never uses here; only say so once.
        "MONGO_URL": f"mongodb://127.0.0.1:{free_port()}/unused",
    }
    log = open(workdir / "lrs.log", "wb")
    process = subprocess.Popen(
        ["node", str(peers / "lrs.cjs")], cwd=workdir, env=env, stdout=log, stderr=log
    )
    endpoint = f"http://127.0.0.1:{port}/xAPI"
    deadline = time.monotonic() + 60
    while True:
        try:
            about = urllib.request.Request(endpoint + "/about")
            with urllib.request.urlopen(about, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            raise AssertionError((workdir / "lrs.log").read_text()[-3000:])
        time.sleep(0.2)
    yield endpoint
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
