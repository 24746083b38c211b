"""Plain English for people, codes beside for machines.

A blocking reason is a machine code (``ksb_uncovered:K2 K7``); every report shows the sentence
a tutor reads and keeps the code next to it for filters and scripts.
"""
from __future__ import annotations

_REASONS = {
    "evidence_count_low": "too few evidence pieces ({})",
    "evidence_count_high": "too many evidence pieces ({})",
    "ksb_uncovered": "no piece credited yet with {}",
    "proposal_over_limit": "the project proposal is over its word limit ({} words)",
    "proposal_missing": "no project proposal in project/",
    "pii": "customer personal data left in {}",
    "witness_incomplete": "witness testimony without a complete, valid sign-off (its finding says what is missing): {}",
    "duplicate": "the same evidence submitted twice: {}",
    "unreadable": "a file that cannot be read: {}",
    "english_missing": "English at Level 2 not recorded",
    "maths_missing": "maths at Level 2 not recorded",
    "declaration_unsigned": "gateway declaration not signed",
    "on_programme_short": "fewer months on programme than the standard requires",
    "record_missing": "no apprentice record (apprentice.yaml)",
    "record_incomplete": "the apprentice record has no usable {} (missing, or in a form that cannot be read)",
}


def reason_words(reason: object) -> str:
    """The sentence for a reason code, or the code itself when the kind is new to this table."""
    text = str(reason)
    kind, _, payload = text.partition(":")
    template = _REASONS.get(kind)
    if template is None:
        return text.replace("_", " ")
    return template.format(payload) if "{}" in template else template


def verdict_words(ready: bool) -> str:
    return "Ready for gateway" if ready else "Not ready for gateway"


def readiness_words(apr: object) -> str:
    """The verdict in the three states every output shows (ready / ready pending review / not
    ready), naming the KSBs that still rest on unconfirmed suggestions."""
    readiness = getattr(apr, "readiness")
    words = readiness.label
    pending = tuple(getattr(apr, "pending", ()) or ())
    if readiness.value == "ready pending review" and pending:
        words += f": {' '.join(pending)} not yet confirmed by a tutor"
    return words


READINESS_CSS = {"ready": "ready", "ready pending review": "pending", "not ready": "notready"}
