"""Keep a long-running server's memory at what it uses: glibc's allocator, told to give freed memory back.

Measured in the soak (issue 13; ``bench/soak.py``): over 4 minutes of uploads, deletes and drafts, Python's
traced memory rose 9 MB and glibc's bytes in use 25 MB, while the memory glibc had freed but kept grew from
6 MB to 125 MB. Chroma's writers, numpy and Gradio's worker threads
allocate and free large transient buffers from many threads; glibc gives each thread an arena of its own (up
to 8 per core) and returns a free page to the system only from the top of an arena. Two remedies, both
harmless where they do not apply (another C library, another system: they do nothing and say so):

- ``limit_arenas``: fewer arenas, so freed memory is reused by the next request instead of sitting in an
  arena no thread happens to pick again;
- ``release`` (``malloc_trim(0)``): hand every wholly free page of every arena back, called by ``Releaser``
  every so often while the server runs (``keep_releasing``).

With both, the soak's server stays flat from its second minute to its last (README, 测得的数字).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
import threading
from functools import lru_cache

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # mallopt parameter number, from glibc's malloc.h
ARENAS = 2  # one per core on the machines this serves; measured enough for 20 users
RELEASE_SECONDS = 30.0


@lru_cache(maxsize=1)
def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    except (OSError, AttributeError):  # musl and others have no malloc_trim: nothing to do there
        return None
    return libc


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas for threads created from now on; True when it took. Call it before the
    server starts its threads (glibc fixes the cap once eight arenas exist)."""
    libc = _glibc()
    return bool(libc and libc.mallopt(M_ARENA_MAX, arenas) == 1)


def release() -> bool:
    """Give the system back every free page glibc holds; True when some memory was returned."""
    libc = _glibc()
    return bool(libc and libc.malloc_trim(0) == 1)


class Releaser:
    """Calls ``release`` every ``seconds`` in a daemon thread until ``stop``. A trim takes a few ms of
    an arena's lock, so every 30 s costs nothing a user could notice."""

    def __init__(self, seconds: float = RELEASE_SECONDS) -> None:
        self.seconds = seconds
        self.rounds = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-release", daemon=True)

    def start(self) -> Releaser:
        if _glibc() is None:
            log.info("非 glibc 系统，不做内存归还")
        else:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.seconds):
            release()
            self.rounds += 1


@lru_cache(maxsize=1)
def keep_releasing() -> Releaser:
    """The process's one ``Releaser``, started on the first call (a test may start several servers)."""
    return Releaser().start()
