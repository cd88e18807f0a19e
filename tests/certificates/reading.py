"""Reading a rendered PDF back as its readers do: its text, where things sit, its QR code."""

import io

import pdfplumber
import pypdfium2
import zxingcpp

SCALE = 3  # pixels per point when rasterising: a 128 pt QR gets about 13 pixels a module


def pages(pdf):
    """pdfplumber pages of the PDF bytes."""
    return pdfplumber.open(io.BytesIO(pdf)).pages


def words_of(page):
    """The page's text with each run of whitespace as one space: wrapped lines read on."""
    return " ".join(page.extract_text().split())


def qr_codes(pdf, index=0):
    """[(text, (x0, top, x1, bottom) in points)] of the QR codes a scanner finds on a page."""
    document = pypdfium2.PdfDocument(pdf)
    image = document[index].render(scale=SCALE).to_pil()
    found = []
    for result in zxingcpp.read_barcodes(image):
        corners = [result.position.top_left, result.position.top_right]
        corners += [result.position.bottom_left, result.position.bottom_right]
        xs = [corner.x / SCALE for corner in corners]
        ys = [corner.y / SCALE for corner in corners]
        found.append((result.text, (min(xs), min(ys), max(xs), max(ys))))
    document.close()
    return found


def overlaps(a, b, slack=0.01):
    """Whether two (x0, top, x1, bottom) boxes share any area."""
    return (
        a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack
    )


def word_boxes(page):
    return [
        (word["text"], (word["x0"], word["top"], word["x1"], word["bottom"]))
        for word in page.extract_words(keep_blank_chars=False, x_tolerance=1.5)
    ]


def overlapping_words(page):
    """Pairs of words drawn over each other."""
    boxes = word_boxes(page)
    return [
        (first, second)
        for index, (first, a) in enumerate(boxes)
        for second, b in boxes[index + 1 :]
        if overlaps(a, b)
    ]


def outside(page, inset=0):
    """Characters, lines and rectangles not wholly within the page less `inset` points."""
    left, top, right, bottom = inset, inset, page.width - inset, page.height - inset
    objects = page.chars + page.rects + page.lines + page.curves + page.images
    return [
        item.get("text", item["object_type"])
        for item in objects
        if item["x0"] < left or item["x1"] > right or item["top"] < top or item["bottom"] > bottom
    ]
