"""QR codes drawn as one filled path: ReportLab's own QR widget costs most of a page's time."""

import segno

QUIET_ZONE = 4  # modules of white around the symbol, as scanners expect
# Any of the eight masks makes a valid symbol. Scoring all eight to pick the one with the
# fewest runs and blocks a scanner dislikes costs about 70% of a certificate's time; a fixed
# mask is held to decoding by tests/certificates/test_qr.py over many codes instead.
MASK = 2


def draw_qr(canvas, data, x, y, size):
    """Draw a QR code for `data` whose quiet zone fills the square (x, y, size); the caller
    keeps that square free of anything else."""
    code = segno.make(data, error="m", micro=False, mask=MASK)
    matrix = code.matrix
    modules = len(matrix) + 2 * QUIET_ZONE
    unit = size / modules
    top = y + size - QUIET_ZONE * unit
    path = canvas.beginPath()
    for row_number, row in enumerate(matrix):
        row_y = top - (row_number + 1) * unit
        column = 0
        width = len(row)
        while column < width:
            if row[column] & 1:
                start = column
                while column < width and row[column] & 1:
                    column += 1
                path.rect(x + (QUIET_ZONE + start) * unit, row_y, (column - start) * unit, unit)
            else:
                column += 1
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
