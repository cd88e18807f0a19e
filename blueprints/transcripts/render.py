"""The transcript as JSON, written by hand to the letter of TranscriptSchema's dump.

marshmallow spent about 0.2 ms a completion walking its fields: a 1,000-completion
transcript took ten times the rest of the request. These functions write the same values
the schemas do (tests/api/test_transcripts.py compares them with the records' own routes).
"""

import datetime
import json
from decimal import Decimal
from typing import NamedTuple

import orjson

from blueprints.fields import CENT, hours_text
from memo import Memo
from rules.records import completion_status, current_award_status

SORTED = orjson.OPT_SORT_KEYS


def transcript(person, agency_name, first, last, completions, awards, attempts, totals, today):
    """The transcript's body, from the person (a model), plain values (queries.transcript's
    completion columns and award rows, queries.attempts' dicts) and the hour totals; keys in
    the order Flask sorts them to (every dict is built in that order: orjson need not sort
    a thousand records' keys)."""
    hours_total, by_category = totals
    write = _Writer(f"{person.first_name} {person.last_name}", today)
    return {
        "attempts": [write.attempt(view) for view in attempts],
        "awards": [write.award(row) for row in awards],
        "completions": write.completions(completions, person.id),
        "from": _date(first),
        "hours_by_category": dict(sorted((str(k), hours_text(v)) for k, v in by_category.items())),
        "hours_total": hours_text(hours_total),
        "person": {
            "agency_id": person.agency_id,
            "agency_name": agency_name,
            "employee_id": _text(person.employee_id),
            "external_ids": _sorted_json(person.external_ids),
            "first_name": _text(person.first_name),
            "id": person.id,
            "last_name": _text(person.last_name),
        },
        "to": _date(last),
    }


def score(value):
    """A score as its Decimal field writes it: two places, the context's rounding."""
    return format(Decimal(str(value)).quantize(CENT), "f")


class _Writer:
    """Writes one transcript's rows; each distinct time, day and number once (a class's
    completions share them), looked up in a dict after that."""

    def __init__(self, person_name, today):
        self.person_name, self.today = person_name, today
        self.moment, self.day = Memo(_moment), Memo(datetime.date.isoformat)
        self.hours, self.score = Memo(hours_text), Memo(score)

    def completions(self, rows, person_id):
        """queries.transcript.completions_of's rows (the person's) as CompletionSchema dumps
        each record: one dict display a row, each distinct time, number, flag and credits
        looked up (a call per record, or per value, was most of the transcript)."""
        moment, hours, score, flag = self.moment, self.hours, self.score, _FLAGS
        status = Memo(lambda revoked_at: completion_status(_Revocation(revoked_at)), of_none=True)
        credits_of = Memo(lambda text: self.credits(json.loads(text)))
        person_name = self.person_name
        return [
            {
                "completed_on": completed_on,  # ISO text on both databases, as Date writes it
                "course_id": course_id,
                "created_at": moment[created_at],
                "credits": credits_of[credits],
                "external": flag[external],
                "hours": hours[hours_],
                "id": id_,
                "issuer_id": issuer_id,
                "offering_id": offering_id,
                "partial": flag[partial],
                "passed": flag[passed],
                "person_id": person_id,
                "person_name": person_name,
                "provider": provider,
                "revoked_at": moment[revoked_at],
                "revoked_reason": revoked_reason,
                "score": score[score_],
                "status": status[revoked_at],
                "title": title,
                "updated_at": moment[updated_at],
                "verify_code": verify_code,
            }
            for (  # queries.transcript.CompletionRow's order
                id_,
                offering_id,
                verify_code,
                revoked_at,
                revoked_reason,
                created_at,
                updated_at,
                course_id,
                issuer_id,
                title,
                provider,
                hours_,
                credits,
                completed_on,
                partial,
                external,
                passed,
                score_,
            ) in rows
        ]

    def award(self, row):
        """A queries.transcript.AwardRow as AwardSchema dumps it."""
        return {
            "certification_id": row.certification_id,
            "certification_name": row.certification_name,
            "completion_id": row.completion_id,
            "created_at": self.moment[row.created_at],
            "expires_on": self.day[row.expires_on],
            "id": row.id,
            "issued_on": self.day[row.issued_on],
            "number": row.number,
            "offering_id": row.offering_id,
            "person_id": row.person_id,
            "person_name": self.person_name,
            "renews_id": row.renews_id,
            "revoked_at": self.moment[row.revoked_at],
            "revoked_reason": row.revoked_reason,
            "status": current_award_status(row, self.today),
            "updated_at": self.moment[row.updated_at],
            "verify_code": row.verify_code,
        }

    def attempt(self, view):
        """An attempt (queries.attempts' dict) as TranscriptAttemptSchema dumps it."""
        reasons = view["reasons"]
        return {
            "completion_id": view["completion_id"],
            "counts_as_credit": False,
            "course_id": view["course_id"],
            "ended_on": self.day[view["ended_on"]],
            "hours_attended": self.hours[view["hours_attended"]],
            "hours_required": self.hours[view["hours_required"]],
            "id": view["id"],
            "issuer_id": view["issuer_id"],
            "issuer_name": _text(view["issuer_name"]),
            "offering_id": view["offering_id"],
            "outcome": _text(view["outcome"]),
            "reasons": None if reasons is None else [_text(reason) for reason in reasons],
            "title": _text(view["title"]),
            "updated_at": self.moment[view["updated_at"]],
        }

    def credits(self, credits):
        """A completion's credits as CreditSchema dumps them (only the keys each has)."""
        return [_credit(c) for c in credits or ()]


class _Revocation(NamedTuple):
    """What rules.records.completion_status reads of a completion."""

    revoked_at: datetime.datetime | None


def _credit(credit):
    found = {}
    if "category" in credit:
        found["category"] = _text(credit["category"])
    if "hours" in credit:
        found["hours"] = hours_text(credit["hours"])
    return found


def _sorted_json(value):
    """A stored JSON value (a person's regulator ids) with its keys sorted, as JSON text."""
    return None if value is None else orjson.Fragment(orjson.dumps(value, option=SORTED))


def _text(value):
    return None if value is None else str(value)


def _date(value):
    return None if value is None else value.isoformat()


def _moment(value):
    """A stored naive UTC time (or SQLite's ISO text of one) with its offset, as UtcDateTime
    writes it."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value.replace(tzinfo=datetime.UTC).isoformat()


_FLAGS = {None: None, False: False, True: True}  # SQLite's 0 and 1 find False and True
