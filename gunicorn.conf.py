"""gunicorn's settings for Muster (read from the working directory; `make run` and the tests
use it): threaded workers, so an idle or slow client holds one thread, never a worker."""

import gc
import os


def _whole(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and value.isascii() and int(value) > 0 else default


# HOST and PORT as `make run` takes them; GUNICORN_BIND (e.g. unix:/run/muster.sock) wins.
bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"
)
# WEB_CONCURRENCY is the usual name for the process count (gunicorn reads it too).
workers = _whole("WEB_CONCURRENCY", 2)

# A sync worker serves one connection at a time and blocks reading it: two clients that
# open a connection and send nothing (or half a body) stopped the server until `timeout`.
# A gthread worker waits for idle connections in its event loop and hands a connection to a
# thread only once data arrives, so a slow client holds one thread of `threads`, and the
# others (and the other workers) go on serving. Each thread keeps its own database
# connection (peewee's state is per thread; database.ensure_connection opens it once), so
# PostgreSQL sees at most workers x threads connections per server.
worker_class = "gthread"
threads = _whole("GUNICORN_THREADS", 8)

# A worker whose event loop is silent this long is killed and replaced (threads serving
# long exports do not count: the loop keeps beating while they stream).
timeout = _whole("GUNICORN_TIMEOUT", 30)
graceful_timeout = _whole("GUNICORN_GRACEFUL_TIMEOUT", 20)
# An idle kept-alive connection is closed after this many seconds.
keepalive = _whole("GUNICORN_KEEPALIVE", 5)
# Requests' first line and headers stay small; bodies are bounded by the routes.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")


def post_worker_init(worker):
    """Leave what the worker loaded out of the collector's passes, and say when it takes
    requests (the tests wait for it)."""
    # The modules, classes and functions of a loaded app are ~120,000 objects that live as
    # long as the worker; each full collection walked them all (~30-60 ms here), and an
    # export of a million rows makes objects enough to run several.
    gc.freeze()
    worker.log.info("Worker ready (pid: %s)", worker.pid)
