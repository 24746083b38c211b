"""Notebook 03 on a report that cannot be read says so; it does not call it 'OUTSIDE the limit'
nor list every work-based-project KSB as not evidenced."""
from pathlib import Path

import pytest

papermill = pytest.importorskip("papermill")

ROOT = Path(__file__).resolve().parents[1]


def _stdout(nb):
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.get("outputs", []) if o.get("output_type") == "stream")


def test_report_notebook_on_an_unreadable_report(tmp_path):
    bad = tmp_path / "project report.docx"
    bad.write_bytes(b"PK\x03\x04 not a whole zip archive")
    nb = papermill.execute_notebook(str(ROOT / "notebooks" / "03_project_report_check.ipynb"),
                                    str(tmp_path / "out.ipynb"), parameters={"report": str(bad)},
                                    progress_bar=False, cwd=str(ROOT))
    out = _stdout(nb)
    assert "could not be read" in out and "[PC104]" in out
    assert "OUTSIDE" not in out
    assert "Not evidenced by any section: not checked" in out
