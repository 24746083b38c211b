"""KSB codes an apprentice cites in the text ("K7", "S2 and B5", "(K1, K3)", "KSBs: K2/K12").

A citation is a claim, not evidence: apprentices mis-map. The engine checks each cited code
against what the text shows and reports "cited but not evidenced" separately; coverage is
never credited on a citation alone.
"""
from __future__ import annotations

import re

from .base import Quote, Sentence

_CODE = re.compile(r"(?<![A-Za-z0-9])([KSB])\s?(\d{1,2})(?![0-9])(?![A-Za-z]{2})")


def cited_codes(sentences: list[Sentence], valid: set[str]) -> dict[str, list[Quote]]:
    """Cited code -> the sentences that cite it (only codes the standard has)."""
    found: dict[str, list[Quote]] = {}
    for s in sentences:
        for m in _CODE.finditer(s.text):
            code = f"{m.group(1)}{int(m.group(2))}"
            if code in valid:
                found.setdefault(code, []).append(Quote(s.text, s.location.describe()))
    return found
