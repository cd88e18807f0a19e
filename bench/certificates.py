"""Certificates per second on one core: the fast path against the references it replaced.

`python -m bench.certificates [--pages N]` prints a table: single-page certificates per
second with Helvetica (nothing embedded) and with the embedded DejaVu subset, each with its
QR code drawn as one path from segno with a fixed mask; against the same page with segno
choosing the best of eight masks, with ReportLab's own QR widget, and with no QR at all;
and a class PDF written page by page. Figures compare choices on one machine in one run.
"""

import argparse
import contextlib
import platform
import statistics
import time
from datetime import date
from decimal import Decimal

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

from certificates import CertificateData, certificate, qr, render_certificate, write_certificates

NAMES = {
    "standard": ("Sean O'Brien", "Zoë Ångström", "Ana Ramírez"),
    "unicode": ("Nguyễn Thị Phương Thảo", "Γεώργιος Παπαδόπουλος", "Анастасия Кузнецова"),
}


def sample(name, number):
    code = f"7KQ2M9XD{number % 10000:04d}"
    return CertificateData(
        kind="award",
        title="Hazmat Operations Certification",
        host_agency="Riverton Fire Department",
        person_name=f"{name} {number}",
        course_code="HZ-OPS-101",
        course_title="Hazardous Materials Operations",
        first_date=date(2026, 3, 14),
        last_date=date(2026, 3, 15),
        hours=Decimal("16"),
        verify_code=code,
        verify_url=f"https://muster.example/api/v1/verify/{code}",
        issued_on=date(2026, 3, 16),
        credits=(("State POST", Decimal("16")), ("ISO Hazmat", Decimal("12.5"))),
        external_numbers={"State course number": "IL-2026-0142", "CAPCE": "24-FR-F3-1234"},
        instructors=("Capt. Marcus Bell", "Ana Ramírez"),
        certification="Hazmat Operations",
        award_number=f"HZOPS-2026-{number:06d}",
        expires_on=date(2028, 3, 15),
    )


@contextlib.contextmanager
def best_mask():
    """segno scoring all eight masks, as it does by default."""
    saved, qr.MASK = qr.MASK, None
    try:
        yield
    finally:
        qr.MASK = saved


def _widget(canvas, data, x, y, size):
    widget = QrCodeWidget(data, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size)
    drawing.scale(size / (right - left), size / (top - bottom))
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


@contextlib.contextmanager
def qr_drawn_by(draw):
    saved, certificate.draw_qr = certificate.draw_qr, draw
    try:
        yield
    finally:
        certificate.draw_qr = saved


def no_qr(*_):
    pass


def median_rate(pages, repeats, work):
    """Pages per second of `work()`, the median of `repeats` runs (the machine is shared)."""
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        rates.append(pages / (time.perf_counter() - started))
    return statistics.median(rates)


def pages_per_second(script, pages, repeats):
    """`pages` single-page certificates, each rendered alone, after a warm-up."""
    names = NAMES[script]
    render_certificate(sample(names[0], 0))  # loads the fonts, as a worker does once

    def work():
        for number in range(pages):
            render_certificate(sample(names[number % len(names)], number))

    return median_rate(pages, repeats, work)


class Discard:
    def write(self, data):
        pass


def class_pages_per_second(pages, repeats):
    """A class PDF of `pages` pages written page by page."""
    names = NAMES["standard"]

    def work():
        write_certificates((sample(names[n % len(names)], n) for n in range(pages)), Discard())

    return median_rate(pages, repeats, work)


REPEATS = 5


def rates(pages=200, repeats=REPEATS):
    rows = {}
    for script in ("standard", "unicode"):
        rows[f"{script}, segno fixed mask (Muster)"] = pages_per_second(script, pages, repeats)
        with best_mask():
            rows[f"{script}, segno best of 8 masks [ref]"] = pages_per_second(
                script, pages, repeats
            )
        with qr_drawn_by(_widget):
            rows[f"{script}, ReportLab QR widget [ref]"] = pages_per_second(
                script, max(pages // 4, 10), repeats
            )
        with qr_drawn_by(no_qr):
            rows[f"{script}, no QR [ref]"] = pages_per_second(script, pages, repeats)
    rows["class PDF, standard, written page by page"] = class_pages_per_second(pages, repeats)
    return rows


def run(context):
    """Figures for the table: certificates per second against the issue's per-core floors,
    and a class PDF written page by page against the single page it repeats."""
    from bench.table import Figure

    pages, repeats = context.size(200, smallest=3), min(context.repeats, 3)
    single = {script: pages_per_second(script, pages, repeats) for script in NAMES}
    found = [
        Figure(
            "Certificates",
            f"single page with QR, {script} font, one core",
            single[script],
            "pages/s",
            "the issue's floor",
            floor,
            target=1.0,
        )
        for script, floor in (("standard", 150), ("unicode", 60))
    ]
    found.append(
        Figure(
            "Certificates",
            "class PDF written page by page, standard font, one core",
            class_pages_per_second(pages, repeats),
            "pages/s",
            "single-page certificates, each its own PDF",
            single["standard"],
        )
    )
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200, help="pages per run (default 200)")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="runs, median kept")
    args = parser.parse_args(argv)
    print(report(rates(args.pages, args.repeats), args.repeats))
    print(f"Python {platform.python_version()}, {platform.platform(terse=True)}")


def report(rows, repeats):
    """The table and the ratios of each fast path to its references."""
    lines = [f"Certificates per second, one process, median of {repeats} runs"]
    lines += [f"   {label:<48}{rate:>8.0f}/s" for label, rate in rows.items()]
    for script in ("standard", "unicode"):
        muster = rows[f"{script}, segno fixed mask (Muster)"]
        best = rows[f"{script}, segno best of 8 masks [ref]"]
        widget = rows[f"{script}, ReportLab QR widget [ref]"]
        bare = rows[f"{script}, no QR [ref]"]
        lines.append(
            f"   {script}: {muster / best:.1f}x best-of-8, {muster / widget:.0f}x the QR "
            f"widget, {muster / bare:.0%} of the page without a QR"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
