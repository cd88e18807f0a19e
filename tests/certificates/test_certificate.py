"""Certificates a hiring agency or an auditor can read, trust and check from a phone."""

import io
import tracemalloc
import unicodedata
from datetime import date
from decimal import Decimal

import pypdf
import pytest
from PIL import Image

from certificates import CertificateData, render_certificate, write_certificates
from certificates.fonts import missing_glyphs
from tests.certificates.reading import (
    outside,
    overlapping_words,
    overlaps,
    pages,
    qr_codes,
    words_of,
)

LONG_NAME = "Marie-Thérèse Anaïs Çelik-Øvergård de la Peña y Łukasiewicza"
NAMES = [
    LONG_NAME,
    "Nguyễn Thị Phương Thảo",
    "Γεώργιος Παπαδόπουλος-Αλεξανδρόπουλος",
    "Анастасия Владимировна Кузнецова-Щербакова",
]
LONG_TITLE = (
    "Hazardous Materials Operations with Mass-Decontamination, Triage and Unified Command "
    "for Rail and Road Incidents (Pt. 2)"
)
CREDITS = (
    ("State POST", Decimal("16")),
    ("ISO Hazmat", Decimal("12.5")),
    ("CAPCE Continuing Education", Decimal("8.25")),
    ("NFPA 472 Operations", Decimal("16")),
    ("Illinois EMS Relicensure", Decimal("4.75")),
)
NUMBERS = {"State course number": "IL-2026-0142", "CAPCE": "24-FR-F3-1234", "FEMA": "AWR-160"}
URL = "https://muster.example/api/v1/verify/7KQ2M9XD4TRB"


def certificate(**changes):
    facts = dict(
        kind="completion",
        title="Certificate of Completion",
        host_agency="Riverton Fire Department",
        person_name="Sean O'Brien",
        course_code="HZ-OPS-101",
        course_title="Hazardous Materials Operations",
        first_date=date(2026, 3, 14),
        last_date=date(2026, 3, 15),
        hours=Decimal("16"),
        verify_code="7KQ2M9XD4TRB",
        verify_url=URL,
        issued_on=date(2026, 3, 16),
        credits=CREDITS,
        external_numbers=NUMBERS,
        instructors=("Capt. Marcus Bell", "Ana Ramírez"),
    )
    facts.update(changes)
    return CertificateData(**facts)


def award(**changes):
    facts = dict(
        kind="award",
        title="Hazmat Operations Certification",
        certification="Hazmat Operations",
        award_number="HZOPS-2026-000042",
        expires_on=date(2028, 3, 15),
    )
    facts.update(changes)
    return certificate(**facts)


def logo():
    image = Image.new("RGBA", (120, 80), (200, 30, 30, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("name", NAMES)
def test_every_fact_is_printed_exactly_as_recorded(name):
    data = certificate(person_name=name, course_title=LONG_TITLE)
    assert len(LONG_NAME) == 60 and len(LONG_TITLE) == 120

    [page] = pages(render_certificate(data))
    text = words_of(page)

    facts = [name, "Riverton Fire Department", "Certificate of Completion", "HZ-OPS-101"]
    facts += [LONG_TITLE, "March 14–15, 2026", "Hours 16.00", "7KQ2-M9XD-4TRB", URL]
    facts += ["State POST 16.00", "ISO Hazmat 12.50", "CAPCE Continuing Education 8.25"]
    facts += ["NFPA 472 Operations 16.00", "Illinois EMS Relicensure 4.75"]
    facts += ["State course number IL-2026-0142", "CAPCE 24-FR-F3-1234", "FEMA AWR-160"]
    facts += ["Capt. Marcus Bell", "Ana Ramírez"]
    for fact in facts:
        assert fact in text
    assert "?" not in text.replace(URL, "")
    assert missing_glyphs(name) == []


def test_a_name_written_with_combining_accents_reads_back_composed():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Phương Thảo")
    [page] = pages(render_certificate(certificate(person_name=decomposed)))
    assert "Nguyễn Thị Phương Thảo" in words_of(page)


@pytest.mark.parametrize("name", [LONG_NAME, NAMES[2], "Sean O'Brien"])
def test_nothing_leaves_the_page_or_runs_into_anything_else(name):
    data = award(person_name=name, course_title=LONG_TITLE, logo=logo())
    pdf = render_certificate(data)
    [page] = pages(pdf)

    assert outside(page, inset=17) == []
    assert overlapping_words(page) == []
    [(_, qr_box)] = qr_codes(pdf)
    for char in page.chars:
        assert not overlaps((char["x0"], char["top"], char["x1"], char["bottom"]), qr_box)


@pytest.mark.parametrize("name", ["Sean O'Brien", "Nguyễn Thị Phương Thảo"])
def test_the_qr_code_opens_the_verify_page(name):
    pdf = render_certificate(certificate(person_name=name))
    assert [text for text, _ in qr_codes(pdf)] == [URL]


def test_an_award_prints_its_number_certification_and_expiry():
    [page] = pages(render_certificate(award()))
    text = words_of(page)
    assert "Hazmat Operations Certification" in text
    assert "Certification Hazmat Operations" in text
    assert "Award number HZOPS-2026-000042" in text
    assert "Expires March 15, 2028" in text


def test_an_expired_award_says_so():
    [page] = pages(render_certificate(award(status="expired")))
    assert "EXPIRED" in words_of(page)
    [valid] = pages(render_certificate(award()))
    assert "EXPIRED" not in words_of(valid)


def test_landscape_letter_or_a4_as_the_host_asks():
    [letter] = pages(render_certificate(certificate()))
    [a4] = pages(render_certificate(certificate(page_size="a4", course_title=LONG_TITLE)))
    assert (letter.width, letter.height) == (792, 612)
    assert (round(a4.width), round(a4.height)) == (842, 595)
    assert outside(a4, inset=17) == [] and overlapping_words(a4) == []
    with pytest.raises(ValueError):
        render_certificate(certificate(page_size="legal"))


def test_names_in_other_scripts_embed_a_font_subset_and_latin_1_needs_none():
    unicode = pypdf.PdfReader(io.BytesIO(render_certificate(certificate(person_name=NAMES[1]))))
    fonts = {font["/BaseFont"] for font in unicode.pages[0]["/Resources"]["/Font"].values()}
    assert any(font.endswith("+DejaVuSans-Bold") for font in fonts)

    latin = pypdf.PdfReader(io.BytesIO(render_certificate(certificate(instructors=("Ana Ruiz",)))))
    fonts = {font["/BaseFont"] for font in latin.pages[0]["/Resources"]["/Font"].values()}
    assert fonts <= {"/Helvetica", "/Helvetica-Bold"}


def test_metadata_names_the_certificate_and_the_issuer():
    reader = pypdf.PdfReader(io.BytesIO(render_certificate(certificate(person_name=NAMES[3]))))
    meta = reader.metadata
    assert meta.title == f"Certificate of Completion: {NAMES[3]}"
    assert meta.author == "Riverton Fire Department"
    assert meta.subject == "HZ-OPS-101 Hazardous Materials Operations"
    assert meta.creation_date.date() == date(2026, 3, 16)


def test_the_same_record_renders_the_same_bytes():
    assert render_certificate(certificate()) == render_certificate(certificate())


def test_a_class_pdf_has_a_page_per_certificate_with_its_own_facts():
    people = ["Sean O'Brien", *NAMES]
    out = io.BytesIO()
    write_certificates((certificate(person_name=name, logo=logo()) for name in people), out)

    pdf = out.getvalue()
    reader = pypdf.PdfReader(io.BytesIO(pdf), strict=True)
    assert len(reader.pages) == len(people)
    assert reader.metadata.author == "Riverton Fire Department"
    assert reader.metadata.title == "Certificates: HZ-OPS-101 Hazardous Materials Operations"
    for name, page in zip(people, pages(pdf), strict=True):
        assert name in words_of(page)
    assert [text for text, _ in qr_codes(pdf, index=3)] == [URL]
    # The logo is written once and shared by every page.
    one = io.BytesIO()
    write_certificates([certificate(logo=logo())], one)
    assert pdf.count(b"/Subtype /Image") == one.getvalue().count(b"/Subtype /Image") >= 1


def _logo_images(pdf):
    return [
        (image.image.size, image.name.rsplit(".", 1)[-1])
        for image in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].images
    ]


def test_a_logo_bigger_than_its_box_at_300_dpi_is_printed_at_240_pixels():
    # a 900-pixel logo took ~0.6 s a page, drawn at full size on each
    big = Image.effect_noise((900, 600), 40).convert("RGB")
    buffer = io.BytesIO()
    big.save(buffer, "PNG")
    pdf = render_certificate(certificate(logo=buffer.getvalue()))
    assert _logo_images(pdf) == [((240, 160), "png")]


def test_a_logo_that_fits_its_box_is_printed_as_uploaded():
    small = Image.new("RGB", (200, 120), (20, 40, 120))
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=90)
    pdf = render_certificate(certificate(logo=buffer.getvalue()))
    assert _logo_images(pdf) == [((200, 120), "jpg")]  # the JPEG as it is (DCTDecode)


def test_an_empty_class_is_refused():
    with pytest.raises(ValueError):
        write_certificates([], io.BytesIO())


class Sink:
    """A response body that is sent, not kept."""

    size = 0

    def write(self, data):
        self.size += len(data)


@pytest.fixture(scope="module")
def rendered_pages():
    """100 real, distinct pages (mostly Latin-1 names, an embedded-font one in every five),
    rendered once and before any measuring: cycled, they make a class of any length whose
    pages all differ from their neighbours, as a real class's do."""
    names = ["Sean O'Brien", "Ana Ramírez", "Zoë Ångström", "Jean-Luc Picard", NAMES[1]]
    return [
        render_certificate(
            certificate(person_name=f"{names[n % 5]} {n}", verify_code=f"7KQ2M9XD{n:04d}")
        )
        for n in range(100)
    ]


def peak_memory(count, rendered_pages, monkeypatch):
    """Peak traced memory and bytes written for a class PDF of `count` pages, through
    write_certificates and the page stream, each page's own rendering taken as done."""
    monkeypatch.setattr(
        "certificates.certificate.render_certificate",
        lambda data: rendered_pages[data.hours % len(rendered_pages)],
    )
    sink = Sink()
    tracemalloc.start()
    try:
        write_certificates((certificate(hours=n) for n in range(count)), sink)
        return tracemalloc.get_traced_memory()[1], sink.size
    finally:
        tracemalloc.stop()


def test_a_class_pdf_of_1000_pages_streams_in_the_memory_of_100(rendered_pages, monkeypatch):
    small, small_size = peak_memory(100, rendered_pages, monkeypatch)
    large, large_size = peak_memory(1000, rendered_pages, monkeypatch)
    assert large_size > 8 * small_size
    assert large < 1.2 * small


def test_a_long_class_pdf_reads_back_whole(rendered_pages, monkeypatch):
    monkeypatch.setattr(
        "certificates.certificate.render_certificate",
        lambda data: rendered_pages[data.hours % len(rendered_pages)],
    )
    out = io.BytesIO()
    write_certificates((certificate(hours=n) for n in range(700)), out)
    reader = pypdf.PdfReader(io.BytesIO(out.getvalue()), strict=True)
    assert len(reader.pages) == 700
    for index in (0, 256, 511, 699):
        text = reader.pages[index].extract_text()
        assert f"7KQ2-M9XD-{index % 100:04d}" in text
