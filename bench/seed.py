"""Building a benchmark database: a migrated SQLite file (or the database given), one agency,
many people, a token."""

import datetime
import os

from database import db, migrate
from factory import create_app
from models import Person
from operations.agencies import create_agency
from operations.users import create_user

CHUNK = 1000
LAST_NAMES = [
    "Anderson",
    "Bell",
    "Carter",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ibrahim",
    "Johnson",
    "Kowalski",
    "Lopez",
    "Moore",
    "Nguyen",
    "O'Brien",
    "Patel",
    "Quinn",
    "Ramirez",
    "Shah",
    "Thompson",
    "Ueda",
    "Vargas",
    "Walsh",
    "Xu",
    "Young",
    "Zimmerman",
]
FIRST_NAMES = [
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Femi",
    "Grace",
    "Hugo",
    "Ines",
    "Jamal",
    "Kira",
    "Liam",
    "Maya",
    "Noah",
    "Olga",
    "Priya",
    "Raj",
    "Sean",
]


def build_app(directory, people, extra_config=None, url=None):
    """A Muster app on a fresh database holding `people` people: a SQLite file in
    `directory` unless `url` names another; returns (app, token, the SQLite file's path)."""
    path = os.path.join(directory, f"bench-{people}.db")
    app = create_app({"DATABASE_URL": url or f"sqlite:///{path}", **(extra_config or {})})
    migrate()
    with app.app_context():
        agency = create_agency(
            {
                "name": "Bench County Sheriff",
                "code": "BENCH",
                "kind": "law",
                "state": "TX",
                "timezone": "America/Chicago",
            },
            None,
        )
        _, token, _ = create_user({"email": "bench@muster.example", "role": "admin"}, None, None)
    seed_people(agency.id, people)
    db.close()
    return app, token, path


def seed_people(agency_id, count):
    """Insert `count` people with insert_many, CHUNK rows per statement, one transaction."""
    now = datetime.datetime(2026, 1, 1)
    with db.atomic():
        for start in range(0, count, CHUNK):
            rows = [
                {
                    "agency": agency_id,
                    "first_name": FIRST_NAMES[i % len(FIRST_NAMES)],
                    "last_name": LAST_NAMES[(i * 7) % len(LAST_NAMES)],
                    "email": f"p{i}@bench.example",
                    "employee_id": f"E{i:06d}",
                    "external_ids": {},
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(start, min(start + CHUNK, count))
            ]
            Person.insert_many(rows).execute()
