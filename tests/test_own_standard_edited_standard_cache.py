"""Editing a provider's standard file must change the next scan's verdict: the scan cache (and
the in-process standard cache) must never serve results computed under the old rules."""
import shutil
from pathlib import Path

from own_standard_cohort import ROTA, hospitality_cohort

from portfolio_check import Workbench

HERE = Path(__file__).parent / "own_standard"


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    std = tmp_path / "standards"
    std.mkdir()
    text = (HERE / "HOSP-SUP-L3.yaml").read_text(encoding="utf-8")
    (std / "HOSP-SUP-L3.yaml").write_text(text.replace("min_pieces: 6", "min_pieces: null")
                                          .replace("max_pieces: 9", "max_pieces: 0"), encoding="utf-8")
    return std, hospitality_cohort(tmp_path, {"rota.md": ROTA})


def _codes(std: Path, cohort: Path) -> set[str]:
    scan = Workbench(standards_dir=std).scan(cohort, jobs=1)        # cache on, as a tutor runs it
    return {f.code for a in scan.apprentices for f in a.findings}


def test_an_edited_standard_is_not_served_from_the_cache(tmp_path):
    std, cohort = _setup(tmp_path)
    assert "PC302" in _codes(std, cohort)                           # 1 piece, at most 0 allowed
    f = std / "HOSP-SUP-L3.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("max_pieces: 0", "max_pieces: 5"), encoding="utf-8")
    assert "PC302" not in _codes(std, cohort)                       # the new rule applies
