"""Certificates of completion and award: one page each, one layout driven by the data."""

import functools
import io

from PIL import Image
from reportlab.lib.pagesizes import landscape
from reportlab.lib.utils import ImageReader

from rules.codes import group_code

from . import fonts
from .document import GREY, open_canvas, page_size
from .formats import date_range, hours, long_date
from .qr import draw_qr
from .stream import PageStream
from .text import SMALLEST, Box, draw_fitted

MARGIN = 40
INK = (0.11, 0.16, 0.30)
QR_SIZE = 128
LOGO = 56  # points: the logo's box at the top left
LOGO_PIXELS = 240  # a LOGO-point box printed at 300 dpi is 233 pixels
SIDE = 150  # the verification column at the right
BOTTOM_TOP = 255  # the details, signatures and verification sit below this line


def render_certificate(data):
    """One certificate as the bytes of a one-page PDF."""
    buffer = io.BytesIO()
    _render(data, buffer)
    return buffer.getvalue()


def write_certificates(certificates, out):
    """A class's certificates as one PDF written to the binary file `out`, a page each; memory
    stays flat however many pages, since each page is rendered alone and written at once."""
    for chunk in iter_certificates_pdf(certificates):
        out.write(chunk)


def _render(data, out):
    width, height = landscape(page_size(data.page_size))
    canvas = open_canvas(
        out,
        (width, height),
        dated=data.issued_on,
        title=f"{data.title}: {data.person_name}",
        author=data.host_agency,
        subject=f"{data.course_code} {data.course_title}",
    )
    _draw(canvas, data, width, height)
    canvas.showPage()
    canvas.save()


def _lines(data):
    """(label, value) rows of the details column; a row without a value is a heading."""
    rows = [("Hours", hours(data.hours))]
    if data.credits:
        rows.append(("Credit hours", None))
        rows.extend((category, hours(value)) for category, value in data.credits)
    rows.extend(data.external_numbers.items())
    if data.kind == "award":
        rows.append(("Certification", data.certification or data.title))
        if data.award_number:
            rows.append(("Award number", data.award_number))
        rows.append(
            ("Expires", long_date(data.expires_on) if data.expires_on else "Does not expire")
        )
    return [
        (fonts.text(label), None if value is None else fonts.text(value)) for label, value in rows
    ]


def _draw(canvas, data, width, height):
    rows = _lines(data)
    code = group_code(data.verify_code)
    verb = (
        "has earned this certification by completing" if data.kind == "award" else "has completed"
    )
    dates = date_range(data.first_date, data.last_date)
    printed = [data.host_agency, data.title, data.person_name, data.course_code, data.course_title]
    printed += [value for row in rows for value in row if value] + list(data.instructors)
    printed += [data.verify_url, data.status, verb, dates, code, "· Instructor"]
    regular, bold = fonts.choose(printed)
    top = height - MARGIN
    inner = width - 2 * MARGIN

    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(2.5)
    canvas.rect(18, 18, width - 36, height - 36)
    canvas.setLineWidth(0.8)
    canvas.rect(24, 24, width - 48, height - 48)
    canvas.setFillColorRGB(*INK)

    if data.logo:
        canvas.drawImage(
            _image(data.logo), MARGIN, top - LOGO, LOGO, LOGO, preserveAspectRatio=True, mask="auto"
        )
    if data.status != "valid":
        canvas.setFillColorRGB(0.7, 0.05, 0.05)
        box = Box(width - MARGIN - 70, top - 56, 70, 56)
        draw_fitted(canvas, fonts.text(data.status).upper(), bold, box, 16, SMALLEST, 1)
        canvas.setFillColorRGB(*INK)

    def line(value, font, offset, box_height, largest, smallest=SMALLEST, max_lines=1):
        box = Box(MARGIN + 70, top - offset - box_height, inner - 140, box_height)
        if offset > 56:
            box = Box(MARGIN, top - offset - box_height, inner, box_height)
        draw_fitted(canvas, fonts.text(value), font, box, largest, smallest, max_lines)

    line(data.host_agency, bold, 0, 50, 18, 10, 2)
    line(data.title, bold, 58, 42, 32, 16, 2)
    canvas.setFillColorRGB(*GREY)
    line("This certifies that", regular, 104, 18, 12)
    canvas.setFillColorRGB(0, 0, 0)
    line(data.person_name, bold, 126, 60, 34, 20, 2)
    canvas.setFillColorRGB(*GREY)
    line(verb, regular, 190, 18, 12)
    canvas.setFillColorRGB(0, 0, 0)
    line(f"{data.course_code} · {data.course_title}", bold, 212, 50, 18, 11, 3)
    canvas.setFillColorRGB(*GREY)
    line(dates, regular, 266, 18, 12)

    details = Box(MARGIN, MARGIN, inner * 0.42, BOTTOM_TOP - MARGIN)
    _details(canvas, rows, details, regular, bold)
    side_x = width - MARGIN - SIDE
    signatures = Box(
        details.x + details.width + 24,
        MARGIN,
        side_x - 24 - (details.x + details.width + 24),
        details.height,
    )
    _signatures(canvas, data.instructors, signatures, regular)
    _verification(
        canvas, data.verify_url, code, Box(side_x, MARGIN, SIDE, details.height), regular, bold
    )


def _details(canvas, rows, box, regular, bold):
    step = min(16.0, box.height / max(len(rows), 1))
    size = min(10.0, step / 1.3)
    label_width = box.width * 0.45
    y = box.top - step
    for label, value in rows:
        if value is None:
            canvas.setFillColorRGB(*INK)
            draw_fitted(
                canvas,
                label.upper(),
                bold,
                Box(box.x, y, box.width, step),
                size,
                SMALLEST,
                1,
                "left",
            )
        else:
            canvas.setFillColorRGB(*GREY)
            draw_fitted(
                canvas,
                label,
                regular,
                Box(box.x, y, label_width - 6, step),
                size,
                SMALLEST,
                1,
                "left",
            )
            canvas.setFillColorRGB(0, 0, 0)
            draw_fitted(
                canvas,
                value,
                bold,
                Box(box.x + label_width, y, box.width - label_width, step),
                size,
                SMALLEST,
                1,
                "left",
            )
        y -= step


def _signatures(canvas, instructors, box, regular):
    if not instructors:
        return
    slot = min(56.0, box.height / len(instructors))
    y = box.top
    canvas.setStrokeColorRGB(0, 0, 0)
    canvas.setLineWidth(0.6)
    for name in instructors:
        rule = y - slot * 0.5
        canvas.line(box.x, rule, box.x + box.width, rule)
        canvas.setFillColorRGB(0, 0, 0)
        name_box = Box(box.x, rule - slot * 0.3 - 2, box.width, slot * 0.3)
        draw_fitted(canvas, fonts.text(name), regular, name_box, 10, SMALLEST, 1)
        canvas.setFillColorRGB(*GREY)
        role_box = Box(box.x, rule - slot * 0.5 + 1, box.width, slot * 0.2 - 1)
        draw_fitted(canvas, "Instructor", regular, role_box, 7, SMALLEST, 1)
        y -= slot


def _verification(canvas, url, code, box, regular, bold):
    qr_x = box.x + (box.width - QR_SIZE) / 2
    draw_qr(canvas, url, qr_x, box.top - QR_SIZE, QR_SIZE)
    canvas.setFillColorRGB(*GREY)
    y = box.top - QR_SIZE
    draw_fitted(
        canvas, "Verification code", regular, Box(box.x, y - 14, box.width, 12), 8, SMALLEST, 1
    )
    canvas.setFillColorRGB(0, 0, 0)
    draw_fitted(canvas, code, bold, Box(box.x, y - 34, box.width, 20), 14, SMALLEST, 1)
    canvas.setFillColorRGB(*GREY)
    draw_fitted(
        canvas, fonts.text(url), regular, Box(box.x, box.y, box.width, y - 38 - box.y), 7, 5, 3
    )


@functools.lru_cache(maxsize=8)
def _image(logo):
    # A class PDF prints the same logo on every page: decode it once. ReportLab digests and
    # compresses an image's every pixel on each page it draws it on (a 900-pixel PNG cost
    # ~0.6 s a page), so a logo larger than its box needs at 300 dpi is scaled down once.
    image = Image.open(io.BytesIO(logo))
    if max(image.size) <= LOGO_PIXELS:
        return ImageReader(io.BytesIO(logo))  # a JPEG goes into the PDF as it is
    image.thumbnail((LOGO_PIXELS, LOGO_PIXELS), Image.Resampling.LANCZOS)
    return ImageReader(image)


class _Chunks:
    """A file-like sink whose written bytes are collected until taken."""

    def __init__(self):
        self.parts = []

    def write(self, data):
        self.parts.append(bytes(data))

    def take(self):
        data, self.parts = b"".join(self.parts), []
        return data


def iter_certificates_pdf(certificates):
    """A class's certificates as one PDF, yielded in pieces as each page is done (for an
    HTTP response that streams); memory stays flat as with `write_certificates`."""
    sink = _Chunks()
    stream = PageStream(sink)
    first = None
    for data in certificates:
        if first is None:
            first = data
            stream.begin()
        stream.add_page(render_certificate(data))
        yield sink.take()
    if first is None:
        raise ValueError("a class PDF needs at least one certificate")
    finishing = stream.finishing(
        title=f"Certificates: {fonts.text(first.course_code)} {fonts.text(first.course_title)}",
        author=fonts.text(first.host_agency),
        subject=f"Certificates of {fonts.text(first.host_agency)}",
        created=first.issued_on,
    )
    for _ in finishing:
        yield sink.take()
