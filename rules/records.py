"""Issued records' status at read time."""

from . import clock
from .expiry import award_status


def completion_status(completion):
    return "revoked" if completion.revoked_at else "valid"


def current_award_status(award, on=None):
    return award_status(award.revoked_at is not None, award.expires_on, on or clock.today())
