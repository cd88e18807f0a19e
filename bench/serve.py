"""The WSGI app gunicorn serves in the connection benchmark.

MUSTER_BENCH_CLOSE=1 adds the reference policy: close the database connection after every
request (the next request opens a new one: the SQLite file with its pragmas set again, or a
new PostgreSQL session).
"""

import os
import warnings

warnings.filterwarnings("ignore", category=UserWarning, module="apispec")

from database import db  # noqa: E402
from factory import create_app  # noqa: E402


def close_after_request(app):
    @app.teardown_request
    def close_connection(exc):
        if not db.is_closed():
            db.close()

    return app


app = create_app()
if os.environ.get("MUSTER_BENCH_CLOSE") == "1":
    close_after_request(app)
