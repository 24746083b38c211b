"""Tagging settings, kept free of heavy imports so a cached scan never loads spaCy."""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_THRESHOLD = 0.7          # portfolio pieces; calibrated on the dev cohort (bench/tagging_quality.py)
DEFAULT_REPORT_THRESHOLD = 0.65  # report sections; same harness, sections.csv and truth.csv
OFF_METHOD_PRIOR = {"portfolio": 0.6, "report": 0.6}


@dataclass(frozen=True)
class TaggingConfig:
    threshold: float = DEFAULT_THRESHOLD
    report_threshold: float = DEFAULT_REPORT_THRESHOLD
    max_suggestions: int = 12
    # (ksb, sentence, confirmed?) learned from a cohort's decisions; empty unless opted in
    learned: tuple[tuple[str, str, bool], ...] = ()
    # The semantic tagger (issue 8): None = on for a standard without a lexicon (where the
    # lexical tagger cannot run), off where a lexicon exists until the stored sample/notebook
    # outputs are re-baselined on it; True/False force it.
    semantic: bool | None = None

    def for_context(self, context: str) -> float:
        return self.report_threshold if context == "report" else self.threshold


