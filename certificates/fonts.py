"""The fonts documents print with: DejaVu Sans embedded as a subset, Helvetica for Latin-1 only."""

import threading
import unicodedata
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
STANDARD = ("Helvetica", "Helvetica-Bold")
UNICODE = (REGULAR, BOLD)

_lock = threading.Lock()
_registered = False


def register():
    """Load the TTF files once per process: parsing them costs far more than a page."""
    global _registered
    if _registered:
        return
    with _lock:
        if not _registered:
            pdfmetrics.registerFont(TTFont(REGULAR, FONT_DIR / "DejaVuSans.ttf"))
            pdfmetrics.registerFont(TTFont(BOLD, FONT_DIR / "DejaVuSans-Bold.ttf"))
            _registered = True


def text(value):
    """A string as it is printed: NFC, so it extracts to the characters that were recorded."""
    return unicodedata.normalize("NFC", str(value))


def _standard(value):
    # The standard fonts print WinAnsi: Latin-1 plus a few signs such as the dashes.
    try:
        value.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def choose(texts):
    """(regular, bold) font names for a document printing `texts`: Helvetica when every
    character is in WinAnsi (nothing to embed, much faster), else the embedded TTF."""
    if all(_standard(text(value)) for value in texts):
        return STANDARD
    register()
    return UNICODE


def missing_glyphs(value):
    """The characters of `value` the embedded font has no glyph for (they would print as tofu)."""
    register()
    face = pdfmetrics.getFont(REGULAR).face
    return sorted({ch for ch in text(value) if ord(ch) not in face.charToGlyph and ch != " "})
