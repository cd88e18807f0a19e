"""A real headless Chromium (Debian's package, installed by `make browser`) and a server on
127.0.0.1 for it to load pages from."""

import os
import shutil
import subprocess
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
# What Chromium needs to run headless as root in a container, and to stay off the network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@pytest.fixture(scope="session")
def chromium():
    """Chromium's path; a missing browser fails the run (it is never skipped)."""
    path = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if path is None:
        pytest.fail("Chromium is not installed: run `make browser` (apt-get install -y chromium).")
    return path


class Browser:
    """Runs Chromium once per page, each time with a fresh profile."""

    def __init__(self, path, tmp_path):
        self.path, self.tmp_path, self.runs = path, tmp_path, 0

    def _run(self, *arguments):
        self.runs += 1
        profile = self.tmp_path / f"profile-{self.runs}"
        completed = subprocess.run(
            [self.path, *FLAGS, f"--user-data-dir={profile}", *arguments],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "HOME": str(self.tmp_path)},
        )
        assert completed.returncode == 0, completed.stderr[-2000:]
        return completed.stdout

    def dom(self, url):
        """The page's DOM once Chromium has loaded and rendered it."""
        return self._run("--dump-dom", url)

    def screenshot(self, url, path, width=390, height=844):
        """A PNG of the page at a phone's width."""
        self._run(f"--screenshot={path}", f"--window-size={width},{height}", url)
        return path


@pytest.fixture
def browser(chromium, tmp_path):
    return Browser(chromium, tmp_path)


@pytest.fixture
def served(app):
    """The test's app served on 127.0.0.1 (a free port) while the test runs: its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
