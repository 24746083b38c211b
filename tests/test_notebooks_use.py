"""The notebooks stay true after use: they work on a scratch copy (clicking never changes the
sample nbval compares against), find their data from the repository root (papermill) or from
notebooks/ (JupyterLab), and their stored outputs hold the charts."""
import json
import re
import shutil
from pathlib import Path

import pytest

from portfolio_check.notebook import locate, scratch_copy

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"


def test_scratch_copy_leaves_the_sample_untouched(tmp_path, samples):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort, ignore=shutil.ignore_patterns(".portfolio-check"))
    (cohort / ".portfolio-check").mkdir()
    (cohort / ".portfolio-check" / "decisions.jsonl").write_text('{"note": "an earlier click"}\n')
    copy = scratch_copy(cohort, tmp_path / "work")
    assert copy == tmp_path / "work" / "cohort" and not (copy / ".portfolio-check").exists()
    from portfolio_check import Workbench
    Workbench(cohort=copy).decide("apr-002", "cpd_notes.md", "B1", "confirm", who="t")
    assert (cohort / ".portfolio-check" / "decisions.jsonl").read_text() == '{"note": "an earlier click"}\n'
    again = scratch_copy(cohort, tmp_path / "work")            # a re-run starts clean again
    assert not (again / ".portfolio-check").exists()


def test_paths_resolve_from_the_repo_root_and_from_notebooks(monkeypatch):
    for where in (REPO, NOTEBOOKS):
        monkeypatch.chdir(where)
        assert locate("sample_evidence/cohort").resolve() == (REPO / "sample_evidence" / "cohort").resolve()
    with pytest.raises(FileNotFoundError):
        locate("sample_evidence/no-such-cohort")


@pytest.mark.parametrize("name, cell", [("02_cohort_scan.ipynb", "scan.plot_coverage()"),
                                        ("03_project_report_check.ipynb", "check.plot()")])
def test_stored_outputs_hold_the_charts(name, cell):
    book = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    code = next(c for c in book["cells"] if c["cell_type"] == "code" and cell in "".join(c["source"]))
    images = [o for o in code["outputs"] if "image/png" in o.get("data", {})]
    assert len(images) == 1 and len(images[0]["data"]["image/png"]) > 5000       # a drawn chart, not a blank
    assert re.match(r"<Figure size \d+x\d+ with 2 Axes>", "".join(images[0]["data"]["text/plain"]))


def test_no_library_code_switches_the_matplotlib_backend():
    call = re.compile(r"^\s*(matplotlib|mpl|plt)\.(use|switch_backend)\(", re.M)
    offenders = [str(p) for p in (REPO / "src").rglob("*.py") if call.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_widget_outputs_read_as_text_not_vbox_reprs():
    book = json.loads((NOTEBOOKS / "01_apprentice_gateway_check.ipynb").read_text(encoding="utf-8"))
    texts = ["".join(o["data"]["text/plain"]) for c in book["cells"] if c["cell_type"] == "code"
             for o in c.get("outputs", []) if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert texts and all(t.startswith("Review widget for apr-002") and "VBox" not in t for t in texts)
