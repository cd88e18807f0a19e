"""Agency logos: checked by their content, replaced but never deleted, every change audited."""

import hashlib
import io

from PIL import Image, UnidentifiedImageError

from database import in_write_transaction
from models import AgencyLogo, utcnow
from queries.certificates import current_logo
from rules.errors import RuleViolation

from . import audit

MAX_BYTES = 512 * 1024
MIN_SIDE, MAX_SIDE = 16, 2048  # pixels; printed about 2 cm across, so more is only weight
# What the bytes begin with, whatever the request's Content-Type says.
SIGNATURES = {b"\x89PNG\r\n\x1a\n": ("PNG", "image/png"), b"\xff\xd8\xff": ("JPEG", "image/jpeg")}
# Colour modes the PDF renderer draws; others (16-bit, say) would fail on the certificate.
DRAWABLE_MODES = {"1", "L", "LA", "P", "PA", "RGB", "RGBA", "CMYK"}


def _refuse(message):
    raise RuleViolation(message, {"logo": [message]})


def check_logo(content):
    """(media type, width, height) of a PNG or JPEG logo that prints: the type read from its
    first bytes and confirmed by decoding it whole; size and dimensions within bounds."""
    if not content:
        _refuse("The logo is empty: send the PNG or JPEG file as the request body.")
    if len(content) > MAX_BYTES:
        _refuse(f"The logo is {len(content):,} bytes; at most {MAX_BYTES:,} (512 KB).")
    kind = next((kind for magic, kind in SIGNATURES.items() if content.startswith(magic)), None)
    if kind is None:
        _refuse("The logo must be a PNG or JPEG image; these bytes are neither.")
    image_format, media_type = kind
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != image_format:
                _refuse("The logo must be a PNG or JPEG image; these bytes are neither.")
            width, height = image.size
            # Checked before decoding, so a small file claiming huge dimensions costs nothing.
            if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
                _refuse(
                    f"The logo is {width}×{height} pixels; each side must be "
                    f"{MIN_SIDE} to {MAX_SIDE}."
                )
            if image.mode not in DRAWABLE_MODES:
                _refuse(f"The logo's colour mode {image.mode} cannot be printed.")
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        _refuse(f"The logo is not a readable {image_format} image.")
    return media_type, width, height


def logo_facts(logo):
    """A logo as the audit trail keeps it: its digest and shape, never its bytes."""
    if logo is None:
        return None
    return {
        "logo_id": logo.id,
        "sha256": logo.sha256,
        "media_type": logo.media_type,
        "bytes": len(logo.content),
        "width": logo.width,
        "height": logo.height,
    }


@in_write_transaction
def replace_logo(agency, content, actor):
    """Make `content` the agency's logo; the one it replaces is kept, stamped replaced."""
    media_type, width, height = check_logo(content)
    previous = current_logo(agency.id)
    now = utcnow()
    if previous is not None:
        AgencyLogo.update(replaced_at=now, updated_at=now).where(
            AgencyLogo.id == previous.id
        ).execute()
    logo = AgencyLogo.create(
        agency=agency.id,
        media_type=media_type,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        width=width,
        height=height,
    )
    audit.record(
        actor,
        "replace_logo" if previous else "add_logo",
        "agency",
        agency.id,
        before=logo_facts(previous),
        after=logo_facts(logo),
        agency_id=agency.id,
    )
    return logo
