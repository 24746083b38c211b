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
    widgets = [t for t in texts if not t.startswith("Scanning")]
    assert widgets and all(t.startswith("Review widget for apr-002") and "VBox" not in t for t in widgets)
    # the scan's progress bar, as saved, gives the file count (it once read "0file")
    assert [t for t in texts if t.startswith("Scanning")] == ["Scanning:   0%|          | 0/18 [00:00<?, ?file/s]"]


@pytest.mark.parametrize("make, expected", [
    (lambda t: t / "no-such-cohort", "does not exist"),
    (lambda t: (t / "notes.txt").write_text("x") and t / "notes.txt", "is a file"),
    (lambda t: (t / "empty").mkdir() or t / "empty", "is empty"),
    (lambda t: t / "cohort" / "apr-001", "looks like one apprentice's folder"),
])
def test_a_wrong_cohort_is_named_as_the_tutor_typed_it_before_any_copy(tmp_path, samples, make, expected):
    # Before: a bare NotADirectoryError from copytree, or "…/portfolio-check-scratch-…/empty is
    # empty", naming the temporary copy instead of the tutor's folder.
    from portfolio_check.discover import CohortError
    from portfolio_check.notebook import open_cohort
    shutil.copytree(samples / "cohort", tmp_path / "cohort", ignore=shutil.ignore_patterns(".portfolio-check"))
    path = make(tmp_path)
    with pytest.raises(CohortError) as exc:
        open_cohort(path, scratch=True, workdir=tmp_path / "work")
    assert expected in str(exc.value) and "scratch" not in str(exc.value)
    assert not (tmp_path / "work").exists()                   # nothing copied


def test_an_unknown_apprentice_id_lists_the_cohorts_ids(tmp_path, samples):
    from portfolio_check.discover import CohortError
    from portfolio_check.notebook import open_cohort
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort, ignore=shutil.ignore_patterns(".portfolio-check"))
    with pytest.raises(CohortError, match=r"no apprentice 'apr-02' .*apr-001, apr-002"):
        open_cohort(cohort, scratch=False, apprentice="apr-02")
    assert open_cohort(cohort, scratch=False, apprentice="apr-002") == cohort
