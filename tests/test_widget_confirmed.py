"""The coverage panel's 'confirmed' agrees with the scan: a confirm on a deleted piece (PC407,
not applied) does not make a KSB 'confirmed' that rests on another piece's suggestion."""
import re
import shutil

import pytest

pytest.importorskip("ipywidgets")

from portfolio_check import Workbench  # noqa: E402


def _row(rw, ksb):
    return re.search(rf'<tr class="[^"]*" data-ksb="{ksb}">.*?</tr>', rw.coverage.value).group(0)


def test_confirm_on_a_deleted_piece_is_not_shown_as_confirmed(tmp_path, samples, monkeypatch):
    import portfolio_check.widgets as widgets
    from portfolio_check.widgets import ReviewWidget
    monkeypatch.setattr(widgets, "_SESSION_TUTOR", None)
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    wb = Workbench(cohort=cohort, jobs=1)
    wb.decide("apr-001", "03_call_log_complex_cases.pdf", "K7", "confirm", who="A. Tutor")
    rw = ReviewWidget(wb, cohort, "apr-001", tutor="A. Tutor")
    assert "confirmed" in _row(rw, "K7")
    (cohort / "apr-001" / "portfolio" / "03_call_log_complex_cases.pdf").unlink()
    rw = ReviewWidget(wb, cohort, "apr-001", tutor="A. Tutor")
    assert "K7" in rw.report.pending                 # the scan: K7 rests on a suggestion
    row = _row(rw, "K7")
    assert "suggested" in row and "confirmed" not in row
