"""A one-apprentice cohort on the fictional HOSP-SUP-L3 standard (tests/own_standard/), for the
tests that check a provider's own standard drives every rule and report."""
from __future__ import annotations

from pathlib import Path

STANDARDS = Path(__file__).parent / "own_standard"
ROTA = "# Reflection\n\nI planned the staff rota to cover forecast demand within the labour budget.\n"


def hospitality_cohort(root: Path, pieces: dict[str, str], standard: str = "HOSP-SUP-L3") -> Path:
    """``root/cohort/hs-001`` with a complete record naming ``standard`` and ``pieces``
    (file name -> text) in its portfolio; returns the cohort folder."""
    apr = root / "cohort" / "hs-001"
    (apr / "portfolio").mkdir(parents=True)
    (apr / "project").mkdir()
    (apr / "apprentice.yaml").write_text(
        f"name: Jamie Okafor\nstandard: {standard}\nstart_date: '2024-09-02'\nenglish_l2: true\n"
        "maths_l2: true\nemployer: The Harbour Hotel\ngateway_declaration_signed: true\n"
        "gateway_date: '2025-10-06'\n", encoding="utf-8")
    for name, text in pieces.items():
        (apr / "portfolio" / name).write_text(text, encoding="utf-8")
    return root / "cohort"
