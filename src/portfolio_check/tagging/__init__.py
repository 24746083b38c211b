"""KSB tagging: ranked, explained suggestions of which KSBs a piece of evidence shows.

The engine (and spaCy with it) is imported on first use, so code paths that only read cached
results, such as a warm re-scan, never pay for loading the NLP pipeline.
"""
from .base import EvidenceType, Quote, Suggestion, TagResult
from .config import DEFAULT_REPORT_THRESHOLD, DEFAULT_THRESHOLD, TaggingConfig

__all__ = ["DEFAULT_REPORT_THRESHOLD", "DEFAULT_THRESHOLD", "EvidenceType", "Quote", "Suggestion", "TagResult",
           "TaggingConfig", "TaggingEngine"]


def __getattr__(name: str):
    if name == "TaggingEngine":
        from .engine import TaggingEngine
        return TaggingEngine
    raise AttributeError(name)
