"""A cohort whose apprentice.yaml names a provider's own standard (--standards-dir) must be
reported with that standard's KSBs, methods and statements, not ST0071's."""
import csv
from pathlib import Path

import openpyxl

from own_standard_cohort import hospitality_cohort

from portfolio_check import Workbench

HERE = Path(__file__).parent / "own_standard"


def _cohort(tmp_path: Path) -> Path:
    return hospitality_cohort(tmp_path, {"reviews.md": (
        "# Reflective account\n\nEach week I read our online reviews and guest feedback and sorted the "
        "comments into themes, then I put improvements in place at breakfast.\n")})


def test_reports_use_the_apprentices_own_standard(tmp_path):
    cohort = _cohort(tmp_path)
    out = tmp_path / "out"
    Workbench(standards_dir=HERE).scan(cohort, out_dir=out, jobs=1, cache=False)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "K18" not in html                                     # an ST0071-only KSB
    assert "Licensing law for the sale of alcohol" in html       # HOSP-SUP-L3's K4
    with open(out / "matrix.csv", newline="", encoding="utf-8") as fh:
        methods = {r["method"] for r in csv.DictReader(fh)}
    assert methods <= {"PD", "OBS", ""}, methods                 # never ST0071's WBP / PO
    wb = openpyxl.load_workbook(out / "referencing_matrix.xlsx")
    head = next(wb["Cohort"].iter_rows(values_only=True))
    assert "K18" not in head and "K4" in head
    gaps = [r[0] for r in wb["hs-001"].iter_rows(min_row=2, values_only=True)]
    assert "K18" not in gaps and "K4" in gaps
