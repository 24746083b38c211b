"""Per-file budgets: no single file may hold up a cohort scan or take the machine's memory.

A file in a shared cohort folder can be built to be slow (a giant numbering value, millions of
tiny paragraphs) or huge while staying under the archive limits. Each file therefore gets

* a **time budget** (``PORTFOLIO_CHECK_FILE_SECONDS``, default 120 s) for parsing and tagging,
  enforced with a real-time interval timer in the process doing the work (POSIX; on Windows the
  size budget still applies), and
* a **size budget** on the text handed to the tagger (``MAX_TAG_CHARS``, one million
  characters, about 160,000 words: some 60 times a full 2,500-word report and four times a
  100-page portfolio document), because the tagger's memory grows with the text (about 7 KB
  a short paragraph, measured with bench/hostile_files.py).

Going over either gives one PC138 finding for that file and the scan goes on.
"""
from __future__ import annotations

import contextlib
import gc
import os
import signal
import threading
from collections.abc import Iterator

DEFAULT_FILE_SECONDS = 120.0
MAX_TAG_CHARS = 1_000_000


class OverBudget(Exception):
    """The file went over its time or size budget; ``what`` says which, in plain words."""

    def __init__(self, what: str):
        self.what = what
        super().__init__(what)


def file_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("PORTFOLIO_CHECK_FILE_SECONDS", DEFAULT_FILE_SECONDS)))
    except ValueError:
        return DEFAULT_FILE_SECONDS


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one file is analysed.

    A long piece holds hundreds of thousands of live objects (spaCy docs, sentences, tokens);
    every collection triggered while they are being built walks all of them again, which made
    analysis super-linear (100,000 short paragraphs: 157 s). Nearly all of them are freed by
    reference counting when the file is done; one collection afterwards takes any cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect(1)


@contextlib.contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """Raise :class:`OverBudget` inside the block once ``seconds`` of wall time have passed.

    Uses ``SIGALRM``, so it only arms in the main thread of a POSIX process (a scan worker, or
    the CLI with one job); elsewhere it is a no-op. Any timer already set is restored after.
    """
    seconds = file_seconds() if seconds is None else seconds
    usable = (seconds > 0 and hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def _expired(signum, frame):  # noqa: ARG001
        raise OverBudget(f"it took longer than the {seconds:g} s allowed for one file")

    previous = signal.signal(signal.SIGALRM, _expired)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_delay:
            signal.setitimer(signal.ITIMER_REAL, old_delay, old_interval)
