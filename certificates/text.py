"""Text that fits its box: shrink to fit on one line, then wrap, never overflow."""

from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

ASCENT = 0.93  # DejaVu's accented capitals reach this high; Helvetica's stay lower
DESCENT = 0.24
LEADING = 1.2
SMALLEST = 4.0  # a last resort for absurd input: still inside the box, still extractable


@dataclass(frozen=True)
class Box:
    """A rectangle on the page, in points from the bottom-left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def top(self):
        return self.y + self.height


def _block_height(lines, size):
    return size * (ASCENT + DESCENT + (lines - 1) * LEADING)


def _wrap(words, widths, space, limit):
    """Greedy wrap of words (widths at size 1) into lines no wider than `limit` (at size 1);
    a word wider than a line is split between characters."""
    lines, current, used = [], [], 0.0
    for word, width in zip(words, widths, strict=True):
        if width > limit:
            if current:
                lines.append(" ".join(current))
                current, used = [], 0.0
            lines.extend(_split_word(word, limit, width / max(len(word), 1)))
            continue
        extra = width if not current else used + space + width
        if current and extra > limit:
            lines.append(" ".join(current))
            current, used = [word], width
        else:
            current.append(word)
            used = extra
    if current:
        lines.append(" ".join(current))
    return lines


def _split_word(word, limit, average):
    per_line = max(1, int(limit / average) - 1)
    return [word[i : i + per_line] for i in range(0, len(word), per_line)]


def fit(value, font, box, largest, smallest, max_lines=3):
    """(size, lines) for `value` in `box`: one line at the largest size that fits, down to
    `smallest`; then wrapped in up to `max_lines` lines; shrinking further only if it must."""
    one = stringWidth(value, font, 1) or 1.0
    size = min(largest, box.width / one, box.height / _block_height(1, 1))
    if size >= smallest or not value.strip():
        return size, [value]
    words = value.split()
    widths = [stringWidth(word, font, 1) for word in words]
    space = stringWidth(" ", font, 1)
    size = largest
    while size > SMALLEST:
        lines = _wrap(words, widths, space, box.width / size)
        if len(lines) <= max_lines and _block_height(len(lines), size) <= box.height:
            if all(stringWidth(line, font, size) <= box.width for line in lines):
                return size, lines
        size -= 0.5
    lines = _wrap(words, widths, space, box.width / SMALLEST)
    size = min(SMALLEST, box.height / _block_height(len(lines), 1))
    return size, lines


def draw_fitted(canvas, value, font, box, largest, smallest, max_lines=3, align="centre"):
    """Draw `value` fitted into `box`, vertically centred; returns the size used."""
    size, lines = fit(value, font, box, largest, smallest, max_lines)
    block = _block_height(len(lines), size)
    baseline = box.top - (box.height - block) / 2 - ASCENT * size
    canvas.setFont(font, size)
    for line in lines:
        if align == "centre":
            canvas.drawCentredString(box.x + box.width / 2, baseline, line)
        else:
            canvas.drawString(box.x, baseline, line)
        baseline -= LEADING * size
    return size
