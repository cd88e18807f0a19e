"""Public verification codes and human-readable award numbers."""

import secrets

# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_verify_code(length=12):
    """A random code for the public verify link (60 bits: not guessable)."""
    # one random byte a character, read modulo 32 (256 is a multiple: still uniform), so a
    # class closing issues its thousand codes from a thousand reads, not twelve thousand
    return "".join(ALPHABET[byte % 32] for byte in secrets.token_bytes(length))


def award_number(certification_code, issued_on, award_id):
    """A certificate number a person can read over the phone, e.g. HZOPS-2026-000042."""
    prefix = "".join(ch for ch in (certification_code or "CERT").upper() if ch.isalnum())[:8]
    return f"{prefix or 'CERT'}-{issued_on.year}-{award_id:06d}"


def group_code(code, size=4):
    """A code as printed for reading aloud: 7KQ2M9XD4TRB -> 7KQ2-M9XD-4TRB."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


# Crockford's decoding: letters easily mistaken for digits are read as those digits.
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def parse_code(text, length=12):
    """The canonical code typed or read from paper (any case, spaces and dashes ignored,
    I and L read as 1, O as 0), or None when it cannot be a code."""
    if not isinstance(text, str):
        return None
    code = "".join(text.split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != length or any(ch not in ALPHABET for ch in code):
        return None
    return code
