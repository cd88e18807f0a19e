"""The printable sign-in sheet a host keeps for the state board, with a QR for self check-in."""

import math

from . import fonts
from .document import GREY, open_canvas, page_size
from .formats import clock, long_date
from .qr import draw_qr
from .text import SMALLEST, Box, draw_fitted

MARGIN = 36
ROW = 24
FOOTER = 30  # "Page N of M" sits in this strip above the bottom margin
QR_SIZE = 96
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Share of the table's width per column; the signature takes what is left.
COLUMNS = (
    ("#", 0.04),
    ("Name", 0.23),
    ("Agency", 0.19),
    ("Regulator ID", 0.17),
    ("Time in", 0.085),
    ("Time out", 0.085),
    ("Signature", 0.20),
)


def write_sign_in_sheet(data, out):
    """Write the sheet as a PDF to the binary file `out`: the rostered people, then blank
    rows for walk-ins, over as many pages as they need."""
    width, height = page_size(data.page_size)
    regular, bold = fonts.choose(_printed(data))
    canvas = open_canvas(
        out,
        (width, height),
        dated=data.sessions[0].starts_at if data.sessions else None,
        title=f"Sign-in sheet: {data.course_code} {data.course_title}",
        author=data.host_agency,
        subject="Sign-in sheet",
    )

    session_lines = [_session_line(session) for session in data.sessions]
    first_top = height - MARGIN - _header_height(session_lines)
    later_top = height - MARGIN - 40
    bottom = MARGIN + FOOTER
    first_rows = max(1, int((first_top - bottom) / ROW) - 1)
    later_rows = int((later_top - bottom) / ROW) - 1
    labels = {row.regulator_id_label for row in data.rows}
    # One regulator for everyone (the usual case) names the column, not every cell.
    shared = labels.pop() if len(labels) == 1 else ""
    rows = [_cells(index, row, shared) for index, row in enumerate(data.rows, 1)]
    rows += [[str(len(rows) + n + 1)] for n in range(data.blank_rows)]
    pages = 1 + max(0, math.ceil((len(rows) - first_rows) / later_rows))

    start = 0
    for page in range(1, pages + 1):
        if page == 1:
            top = _full_header(canvas, data, session_lines, width, height, regular, bold)
            count = first_rows
        else:
            top = _short_header(canvas, data, width, height, regular, bold)
            count = later_rows
        _table(
            canvas,
            rows[start : start + count],
            Box(MARGIN, 0, width - 2 * MARGIN, top),
            regular,
            bold,
            fonts.text(f"{shared} ID") if shared else "Regulator ID",
        )
        start += count
        canvas.setFillColorRGB(*GREY)
        footer = Box(MARGIN, MARGIN, width - 2 * MARGIN, FOOTER - 8)
        draw_fitted(canvas, f"Page {page} of {pages}", regular, footer, 9, SMALLEST, 1)
        canvas.showPage()
    canvas.save()


def _printed(data):
    texts = [data.course_code, data.course_title, data.host_agency, data.external_number]
    texts += [data.location, data.check_in_url, *data.instructors, "– ·"]
    texts += [session.location for session in data.sessions]
    for row in data.rows:
        texts += [row.name, row.agency, row.regulator_id_label, row.regulator_id]
    return texts


def _session_line(session):
    start, end = session.starts_at, session.ends_at
    day = f"{WEEKDAYS[start.weekday()]} {long_date(start)}"
    line = f"{day}, {clock(start)}–{clock(end)}"
    if end.date() != start.date():
        line = f"{day} {clock(start)} – {WEEKDAYS[end.weekday()]} {long_date(end)} {clock(end)}"
    return fonts.text(f"{line} · {session.location}" if session.location else line)


def _header_height(session_lines):
    return 156 + _session_height(session_lines)


def _session_height(session_lines):
    return (
        13 * math.ceil(len(session_lines) / 2)
        if len(session_lines) > 3
        else 13 * len(session_lines)
    )


def _full_header(canvas, data, session_lines, width, height, regular, bold):
    top = height - MARGIN
    text_width = width - 2 * MARGIN - QR_SIZE - 16
    draw_qr(canvas, data.check_in_url, width - MARGIN - QR_SIZE, top - QR_SIZE, QR_SIZE)
    canvas.setFillColorRGB(*GREY)
    caption = Box(width - MARGIN - QR_SIZE, top - QR_SIZE - 14, QR_SIZE, 12)
    draw_fitted(canvas, "Scan to check in", regular, caption, 8, SMALLEST, 1)

    def line(value, font, y, box_height, largest, max_lines=1, colour=(0, 0, 0)):
        canvas.setFillColorRGB(*colour)
        box = Box(MARGIN, top - y - box_height, text_width, box_height)
        draw_fitted(canvas, fonts.text(value), font, box, largest, SMALLEST, max_lines, "left")

    line(data.host_agency, bold, 0, 14, 11, colour=GREY)
    line("Sign-in sheet", bold, 16, 22, 18)
    line(f"{data.course_code} · {data.course_title}", bold, 40, 32, 12, 2)
    facts = []
    if data.external_number:
        facts.append(f"Course number: {data.external_number}")
    if data.location:
        facts.append(f"Location: {data.location}")
    if data.instructors:
        facts.append("Instructors: " + ", ".join(data.instructors))
    for index, fact in enumerate(facts):
        line(fact, regular, 76 + 14 * index, 13, 10, colour=GREY)
    y = top - 124
    canvas.setFillColorRGB(0, 0, 0)
    draw_fitted(canvas, "Sessions", bold, Box(MARGIN, y - 12, 120, 12), 10, SMALLEST, 1, "left")
    columns = 2 if len(session_lines) > 3 else 1
    column_width = (width - 2 * MARGIN) / columns
    per_column = math.ceil(len(session_lines) / columns) if session_lines else 0
    for index, session in enumerate(session_lines):
        column, row = divmod(index, per_column)
        box = Box(MARGIN + column * column_width, y - 26 - 13 * row, column_width - 8, 12)
        draw_fitted(canvas, session, regular, box, 9, SMALLEST, 1, "left")
    return height - MARGIN - _header_height(session_lines)


def _short_header(canvas, data, width, height, regular, bold):
    top = height - MARGIN
    canvas.setFillColorRGB(0, 0, 0)
    title = f"Sign-in sheet (continued): {data.course_code} · {data.course_title}"
    if data.external_number:
        title += f" · {data.external_number}"
    box = Box(MARGIN, top - 28, width - 2 * MARGIN, 28)
    draw_fitted(canvas, fonts.text(title), bold, box, 11, SMALLEST, 2, "left")
    return top - 40


def _cells(index, row, shared_label=""):
    regulator = (
        f"{row.regulator_id_label}: {row.regulator_id}"
        if row.regulator_id_label and row.regulator_id_label != shared_label
        else row.regulator_id
    )
    return [str(index), fonts.text(row.name), fonts.text(row.agency), fonts.text(regulator)]


def _table(canvas, rows, box, regular, bold, regulator_header="Regulator ID"):
    edges = [box.x]
    for _, share in COLUMNS[:-1]:
        edges.append(edges[-1] + share * box.width)
    edges.append(box.x + box.width)
    y = box.top
    canvas.setFillColorRGB(0.9, 0.91, 0.94)
    canvas.rect(box.x, y - ROW, box.width, ROW, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    for (name, _), left, right in zip(COLUMNS, edges, edges[1:], strict=False):
        name = regulator_header if name == "Regulator ID" else name
        draw_fitted(
            canvas,
            name,
            bold,
            Box(left + 3, y - ROW + 4, right - left - 6, ROW - 8),
            8,
            SMALLEST,
            1,
            "left",
        )
    canvas.setLineWidth(0.5)
    canvas.setStrokeColorRGB(0.3, 0.3, 0.3)
    for cells in rows:
        y -= ROW
        canvas.line(box.x, y, box.x + box.width, y)
        for value, left, right in zip(cells, edges, edges[1:], strict=False):
            cell = Box(left + 3, y - ROW + 4, right - left - 6, ROW - 8)
            draw_fitted(canvas, value, regular, cell, 9, 7, 2, "left")
    y -= ROW
    canvas.line(box.x, y, box.x + box.width, y)
    for edge in edges:
        canvas.line(edge, box.top, edge, y)
    canvas.rect(box.x, y, box.width, box.top - y)
