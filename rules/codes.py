"""Public verification codes and human-readable award numbers."""

import secrets

# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_verify_code(length=12):
    """A random code for the public verify link (60 bits: not guessable)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def award_number(certification_code, issued_on, award_id):
    """A certificate number a person can read over the phone, e.g. HZOPS-2026-000042."""
    prefix = "".join(ch for ch in (certification_code or "CERT").upper() if ch.isalnum())[:8]
    return f"{prefix or 'CERT'}-{issued_on.year}-{award_id:06d}"
