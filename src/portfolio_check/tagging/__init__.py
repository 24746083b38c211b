"""KSB tagging: ranked, explained suggestions of which KSBs a piece of evidence shows."""
from .base import EvidenceType, Quote, Suggestion, TagResult
from .engine import DEFAULT_THRESHOLD, TaggingConfig, TaggingEngine

__all__ = ["DEFAULT_THRESHOLD", "EvidenceType", "Quote", "Suggestion", "TagResult", "TaggingConfig", "TaggingEngine"]
