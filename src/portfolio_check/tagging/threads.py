"""How many threads numpy's BLAS may use while tagging, set per call and put back after.

Why: tagging multiplies many small matrices (a piece's units by the KSB and exemplar vectors).
OpenBLAS's default of one thread per CPU spends more time waking and syncing its threads than
multiplying, and beside the sentence encoder's own threads a 600-word piece took 1.6 times as
long; in a scan's two worker processes it also cost half the second core (bench/tagger_speed.py,
2026-12-03: 9.9 -> 17.6 pieces/s with two workers). The limit is scoped, so a notebook's own
numpy work keeps its threads, and the numpy encoder's large products get theirs back.
"""
from __future__ import annotations

from contextlib import AbstractContextManager

_CONTROLLER = None


def blas_threads(limit: int) -> AbstractContextManager:
    """A context in which numpy's BLAS uses at most ``limit`` threads. The library scan is done
    once per process; each use then costs about 15 microseconds."""
    global _CONTROLLER
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=max(1, limit), user_api="blas")
