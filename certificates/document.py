"""The canvas every Muster document starts from: a known paper size, its metadata set, and
bytes that are the same on every run for the same data."""

from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfgen.canvas import Canvas

from . import fonts

PAGE_SIZES = {"letter": letter, "a4": A4}
GREY = (0.35, 0.35, 0.38)


def page_size(name):
    """(width, height) in points, portrait, of the paper size `name` (letter or a4)."""
    if name not in PAGE_SIZES:
        raise ValueError("page size must be letter or a4")
    return PAGE_SIZES[name]


def open_canvas(out, size, *, dated, title, author, subject):
    """A canvas writing to `out`, its creation date `dated` (a day, or None) so that the same
    data renders the same bytes; title, author and subject printed as the fonts can."""
    canvas = Canvas(out, pagesize=size, invariant=1, pageCompression=1)
    if dated:
        canvas.setDateFormatter(lambda *_: f"D:{dated:%Y%m%d}000000Z")
    canvas.setTitle(fonts.text(title))
    canvas.setAuthor(fonts.text(author))
    canvas.setSubject(fonts.text(subject))
    canvas.setCreator("Muster")
    return canvas
