"""Peak Python memory of writing an export to nowhere, for the streaming tests."""

import tracemalloc

from tests.lms.sample import rows


def peak(write, count: int) -> int:
    """Peak bytes traced while `write(rows, ...)` streams `count` rows and the output is dropped."""
    tracemalloc.start()
    try:
        for _chunk in write(rows(count)):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
