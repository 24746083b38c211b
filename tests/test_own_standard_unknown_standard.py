"""An apprentice whose apprentice.yaml names a standard that cannot be used (a typo, a file
named differently, an invalid file) is not ready with PC509, and is not told about ST0071's
KSBs, piece counts or proposal as if they were their own standard's."""
from pathlib import Path

from portfolio_check import Workbench

HERE = Path(__file__).parent / "own_standard"


def test_unknown_standard_shows_no_default_standard_rules(tmp_path):
    apr = tmp_path / "cohort" / "hs-001"
    (apr / "portfolio").mkdir(parents=True)
    (apr / "project").mkdir()
    (apr / "apprentice.yaml").write_text(
        "name: Jamie Okafor\nstandard: HOSP-SUP-L3X\nstart_date: '2024-09-02'\nenglish_l2: true\n"
        "maths_l2: true\nemployer: The Harbour Hotel\ngateway_declaration_signed: true\n"
        "gateway_date: '2025-10-06'\n", encoding="utf-8")
    (apr / "portfolio" / "rota.md").write_text(
        "# Reflection\n\nI planned the staff rota to cover forecast demand within the labour budget.\n",
        encoding="utf-8")
    scan = Workbench(standards_dir=HERE).scan(tmp_path / "cohort", jobs=1, cache=False)
    (a,) = scan.apprentices
    reasons = [str(r) for r in a.reasons]
    assert any(r.startswith("standard_unknown") for r in reasons), reasons
    assert not any(r.startswith(("ksb_uncovered", "evidence_count", "proposal_missing")) for r in reasons), reasons
    assert not {f.code for f in a.findings} & {"PC301", "PC401", "PC211"}
    assert a.readiness.value == "not ready"
