"""The QR code a certificate carries decodes to its verify URL, whatever the code."""

import io
import random

import pytest
from reportlab.pdfgen.canvas import Canvas

from certificates.qr import draw_qr
from rules.codes import ALPHABET
from tests.certificates.reading import qr_codes

BASES = [
    "http://127.0.0.1:8000",
    "https://muster.example",
    "https://training-records.riverton-county-fire-district.example.gov:8443/muster",
]


def codes(count, seed=8):
    generator = random.Random(seed)
    return ["".join(generator.choice(ALPHABET) for _ in range(12)) for _ in range(count)]


def qr_page(url, size=128):
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(size + 40, size + 40), invariant=1)
    draw_qr(canvas, url, 20, 20, size)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize("base", BASES)
def test_every_code_decodes_to_its_verify_url(base):
    for code in codes(15, seed=len(base)):
        url = f"{base}/api/v1/verify/{code}"
        [(text, box)] = qr_codes(qr_page(url))
        assert text == url
        # The symbol sits inside its square, with the quiet zone around it.
        assert 20 < box[0] and box[2] < 148 and 20 < box[1] and box[3] < 148
