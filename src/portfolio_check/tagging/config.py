"""Tagging settings, kept free of heavy imports so a cached scan never loads spaCy."""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass

DEFAULT_THRESHOLD = 0.7          # portfolio pieces; calibrated on the dev cohort (bench/tagging_quality.py)
DEFAULT_REPORT_THRESHOLD = 0.65  # report sections; same harness, sections.csv and truth.csv
OFF_METHOD_PRIOR = {"portfolio": 0.6, "report": 0.6}

# The sentence model's revision and the choice of its backend (tagging/encoder.py): here, not in
# the encoder, because the scan's cache fingerprint reads them and a warm re-scan must not
# import numpy or load the model.
MODEL_REVISION = "1110a243fdf4706b3f48f1d95db1a4f5529b4d41"
BACKEND_ENV = "PORTFOLIO_CHECK_ENCODER"
THREADS_ENV = "PORTFOLIO_CHECK_ENCODER_THREADS"
BACKENDS = ("onnx-int8", "onnx-fp32", "numpy-fp32")
DEFAULT_BACKEND = "onnx-int8"


@dataclass(frozen=True)
class TaggingConfig:
    threshold: float = DEFAULT_THRESHOLD
    report_threshold: float = DEFAULT_REPORT_THRESHOLD
    max_suggestions: int = 12
    # The semantic tagger scores every KSB. Beyond its show_at_least best (always listed, so a
    # thin piece still shows its nearest KSBs as "possible", and recall@5 is what a tutor sees),
    # a KSB is listed only at show_floor or more: in the cross-validated calibration table
    # (bench/tagging_quality.py) 1 in 100 of the scores under 0.3 are right, and twelve rows
    # at 0.00 quoting the same sentence bury the ones worth reading.
    show_floor: float = 0.05
    show_at_least: int = 5
    # (ksb, sentence, confirmed?) learned from a cohort's decisions; empty unless opted in
    learned: tuple[tuple[str, str, bool], ...] = ()
    # The semantic tagger's acceptance bar learned from the same decisions (calibration.py),
    # in place of the fusion's own; None (the default) keeps the fusion's.
    learned_threshold: float | None = None
    # The semantic tagger (issue 8) is the default for every standard (None or True). False
    # asks for the older lexical tagger, which runs only where the standard has a lexicon
    # (ST0071); it is kept for comparison and for scripts that relied on its output.
    semantic: bool | None = None

    def for_context(self, context: str) -> float:
        return self.report_threshold if context == "report" else self.threshold


def default_threads() -> int:
    """onnxruntime's thread count: ``$PORTFOLIO_CHECK_ENCODER_THREADS`` or the CPUs this process
    may run on (a scan's workers set the variable so that they do not oversubscribe)."""
    value = os.environ.get(THREADS_ENV, "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return usable_cpus()


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask: a container or ``taskset`` may
    allow fewer than ``os.cpu_count()`` reports)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def requested_backend() -> str:
    """``$PORTFOLIO_CHECK_ENCODER`` if it names a backend, else the default (an unknown name
    warns rather than silently meaning something)."""
    value = os.environ.get(BACKEND_ENV, "").strip()
    if not value:
        return DEFAULT_BACKEND
    if value not in BACKENDS:
        warnings.warn(f"{BACKEND_ENV}={value!r} is not one of {', '.join(BACKENDS)}; using {DEFAULT_BACKEND}",
                      RuntimeWarning, stacklevel=2)
        return DEFAULT_BACKEND
    return value
