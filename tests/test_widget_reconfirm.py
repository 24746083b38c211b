"""PC404 says 're-confirm or withdraw': the widget offers a re-confirm for a stale decision, and
using it clears the staleness."""
import shutil

import pytest

pytest.importorskip("ipywidgets")

from portfolio_check import Workbench  # noqa: E402


def test_a_stale_confirm_can_be_re_confirmed_in_the_widget(tmp_path, samples, monkeypatch):
    import portfolio_check.widgets as widgets
    from portfolio_check.widgets import ReviewWidget
    monkeypatch.setattr(widgets, "_SESSION_TUTOR", None)
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    wb = Workbench(cohort=cohort, jobs=1)
    wb.decide("apr-002", "retention_call_notes.txt", "K12", "confirm", who="A. Tutor")
    path = cohort / "apr-002" / "portfolio" / "retention_call_notes.txt"
    path.write_text(path.read_text() + "\nA line added later.\n")
    rw = ReviewWidget(wb, cohort, "apr-002", tutor="A. Tutor")
    assert any(f.code == "PC404" for f in rw.report.findings)
    rw.pieces.value = "retention_call_notes.txt"
    buttons = [b for r in rw.rows.children for b in r.children[2].children]
    again = next(b for b in buttons if b.description.startswith("Re-confirm K12"))
    again.click()
    assert wb.decision_log().decisions()[-1].action == "confirm"
    assert not any(f.code == "PC404" for f in rw.report.findings)
    labels = [r.children[0].value for r in rw.rows.children if "<b>K12</b>" in r.children[0].value]
    assert labels and "CONFIRMED" in labels[0] and "stale" not in labels[0]
    # not stale any more: no second Confirm button
    assert not any(b.description.startswith(("Re-confirm K12", "Confirm K12"))
                   for r in rw.rows.children for b in r.children[2].children)
