"""Editing a provider's standard file must change the next scan's verdict: the scan cache (and
the in-process standard cache) must never serve results computed under the old rules."""
import shutil
from pathlib import Path

from portfolio_check import Workbench

HERE = Path(__file__).parent / "own_standard"


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    std = tmp_path / "standards"
    std.mkdir()
    text = (HERE / "HOSP-SUP-L3.yaml").read_text(encoding="utf-8")
    (std / "HOSP-SUP-L3.yaml").write_text(text.replace("min_pieces: 6", "min_pieces: null")
                                          .replace("max_pieces: 9", "max_pieces: 0"), encoding="utf-8")
    apr = tmp_path / "cohort" / "hs-001"
    (apr / "portfolio").mkdir(parents=True)
    (apr / "project").mkdir()
    (apr / "apprentice.yaml").write_text(
        "name: Jamie Okafor\nstandard: HOSP-SUP-L3\nstart_date: '2024-09-02'\nenglish_l2: true\n"
        "maths_l2: true\nemployer: The Harbour Hotel\ngateway_declaration_signed: true\n"
        "gateway_date: '2025-10-06'\n", encoding="utf-8")
    (apr / "portfolio" / "rota.md").write_text(
        "# Reflection\n\nI planned the staff rota to cover forecast demand within the labour budget.\n",
        encoding="utf-8")
    return std, tmp_path / "cohort"


def _codes(std: Path, cohort: Path) -> set[str]:
    scan = Workbench(standards_dir=std).scan(cohort, jobs=1)        # cache on, as a tutor runs it
    return {f.code for a in scan.apprentices for f in a.findings}


def test_an_edited_standard_is_not_served_from_the_cache(tmp_path):
    std, cohort = _setup(tmp_path)
    assert "PC302" in _codes(std, cohort)                           # 1 piece, at most 0 allowed
    f = std / "HOSP-SUP-L3.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("max_pieces: 0", "max_pieces: 5"), encoding="utf-8")
    assert "PC302" not in _codes(std, cohort)                       # the new rule applies
