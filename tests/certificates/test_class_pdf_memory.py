"""A class PDF rendered for real, page by page, holds the memory of a short one."""

import subprocess
import sys
import textwrap

# Each count renders in a fresh interpreter so its peak resident memory is its own; every
# page is rendered (names in the standard and the embedded font), none reused.
RENDER = textwrap.dedent(
    """
    import resource, sys
    from datetime import date
    from decimal import Decimal
    from certificates import CertificateData, write_certificates

    class Sink:
        size = 0
        def write(self, data):
            self.size += len(data)

    names = ["Sean O'Brien", "Ana Ramírez", "Nguyễn Thị Minh Khai", "Σωκράτης Παπαδόπουλος"]
    pages = (
        CertificateData(
            kind="completion",
            title="Certificate of Completion",
            host_agency="Riverton Fire Department",
            person_name=f"{names[n % 4]} {n}",
            course_code="HZ-OPS-101",
            course_title="Hazardous Materials Operations",
            first_date=date(2026, 3, 14),
            last_date=date(2026, 3, 15),
            hours=Decimal("16"),
            verify_code=f"7KQ2M9XD{n:04d}",
            verify_url=f"https://muster.example/verify/7KQ2M9XD{n:04d}",
            issued_on=date(2026, 3, 16),
            instructors=("Capt. Marcus Bell",),
        )
        for n in range(int(sys.argv[1]))
    )
    sink = Sink()
    write_certificates(pages, sink)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, sink.size)
    """
)


def render(count):
    """(peak resident KB, PDF bytes) of a class PDF of `count` rendered pages."""
    done = subprocess.run(
        [sys.executable, "-c", RENDER, str(count)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    peak, size = done.stdout.split()
    return int(peak), int(size)


def test_a_rendered_class_pdf_of_1000_pages_peaks_where_one_of_100_does():
    small_peak, small_size = render(100)
    large_peak, large_size = render(1000)
    assert large_size > 8 * small_size
    # Under the size of the extra 900 pages' PDF itself: nothing of them is kept.
    assert large_peak - small_peak < min(1536, (large_size - small_size) // 1024 // 2), (
        small_peak,
        large_peak,
    )
