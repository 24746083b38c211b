"""An apprentice whose apprentice.yaml names a standard that cannot be used (a typo, a file
named differently, an invalid file) is not ready with PC509, and is not told about ST0071's
KSBs, piece counts or proposal as if they were their own standard's."""
from pathlib import Path

from own_standard_cohort import ROTA, hospitality_cohort

from portfolio_check import Workbench

HERE = Path(__file__).parent / "own_standard"


def test_unknown_standard_shows_no_default_standard_rules(tmp_path):
    cohort = hospitality_cohort(tmp_path, {"rota.md": ROTA}, standard="HOSP-SUP-L3X")
    scan = Workbench(standards_dir=HERE).scan(cohort, jobs=1, cache=False)
    (a,) = scan.apprentices
    reasons = [str(r) for r in a.reasons]
    assert any(r.startswith("standard_unknown") for r in reasons), reasons
    assert not any(r.startswith(("ksb_uncovered", "evidence_count", "proposal_missing")) for r in reasons), reasons
    assert not {f.code for f in a.findings} & {"PC301", "PC401", "PC211"}
    assert a.readiness.value == "not ready"
