"""A review widget opened on notebook 01's temporary scratch copy says so, and so does every
'Saved'; on a real cohort it says nothing of the kind."""
import shutil

import pytest

pytest.importorskip("ipywidgets")

from portfolio_check import Workbench  # noqa: E402
from portfolio_check.notebook import scratch_copy  # noqa: E402


def _confirm_b1(rw):
    rw.pieces.value = "cpd_notes.md"
    next(b for r in rw.rows.children for b in r.children[2].children if b.description.startswith("Confirm B1")).click()


def test_widget_on_a_temporary_copy_says_decisions_will_be_removed(tmp_path, samples, monkeypatch):
    import portfolio_check.widgets as widgets
    from portfolio_check.widgets import ReviewWidget
    monkeypatch.setattr(widgets, "_SESSION_TUTOR", None)
    real = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", real)
    copy = scratch_copy(real)                       # workdir None: removed when the kernel exits
    rw = ReviewWidget(Workbench(cohort=copy, jobs=1), copy, "apr-002", tutor="A. Tutor")
    assert 'data-scratch="1"' in rw.verdict.value and "scratch = False" in rw.verdict.value
    _confirm_b1(rw)
    assert rw.status.value.startswith("<small>Saved in the temporary copy")
    assert 'data-scratch="1"' in rw.verdict.value
    rw = ReviewWidget(Workbench(cohort=real, jobs=1), real, "apr-002", tutor="A. Tutor")
    assert "data-scratch" not in rw.verdict.value
    _confirm_b1(rw)
    assert rw.status.value.startswith("<small>Saved: confirm B1")
