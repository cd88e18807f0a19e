"""Python's cyclic garbage collector paused while a request builds many short-lived objects."""

import contextlib
import gc
import threading

_lock = threading.Lock()
_paused = 0  # requests of this process inside paused(), on any thread
_resume = False  # whether the collector ran before the first of them paused it


@contextlib.contextmanager
def paused():
    """The collector off inside the block (on again once no thread is inside one, if it
    was on). A transcript's thousand records count toward a collection as they are built
    and each collection then walks them all (~0.4 ms a transcript), only to find them
    freed with the answer; objects alive across collections also hasten the full ones
    (~70 ms each at a hundred thousand objects). Let the block free what it built."""
    global _paused, _resume
    with _lock:
        if not _paused:
            _resume = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if not _paused and _resume:
                gc.enable()
