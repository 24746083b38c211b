"""Undo follows a renamed piece, and a click that cannot be recorded says so in the widget."""
import shutil

import pytest

pytest.importorskip("ipywidgets")

from portfolio_check import Workbench  # noqa: E402


@pytest.fixture()
def cohort(tmp_path, samples, monkeypatch):
    import portfolio_check.widgets as widgets
    monkeypatch.setattr(widgets, "_SESSION_TUTOR", None)
    c = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", c)
    return c


def _review(wb, cohort):
    from portfolio_check.widgets import ReviewWidget
    return ReviewWidget(wb, cohort, "apr-002", tutor="A. Tutor")


def _status_of(rw, file, ksb):
    rw.pieces.value = file
    label = next(r.children[0].value for r in rw.rows.children if f"<b>{ksb}</b>" in r.children[0].value)
    return label


def test_undo_after_the_piece_was_renamed_withdraws_it_under_its_new_name(cohort):
    wb = Workbench(cohort=cohort, jobs=1)
    wb.decide("apr-002", "pdp_2024.docx", "K18", "reject", who="A. Tutor")
    folder = cohort / "apr-002" / "portfolio"
    (folder / "pdp_2024.docx").rename(folder / "05 PDP 2024.docx")
    rw = _review(wb, cohort)
    assert "REJECTED" in _status_of(rw, "05 PDP 2024.docx", "K18")
    rw.undo_button.click()
    last = wb.decision_log().decisions()[-1]
    assert (last.file, last.ksb, last.action) == ("05 PDP 2024.docx", "K18", "withdraw")
    assert "REJECTED" not in _status_of(rw, "05 PDP 2024.docx", "K18")


def test_a_click_on_a_piece_renamed_while_the_widget_is_open_is_reported_not_raised(cohort):
    wb = Workbench(cohort=cohort, jobs=1)
    rw = _review(wb, cohort)
    rw.pieces.value = "pdp_2024.docx"
    folder = cohort / "apr-002" / "portfolio"
    (folder / "pdp_2024.docx").rename(folder / "pdp.docx")
    confirm = next(b for r in rw.rows.children for b in r.children[2].children
                   if b.description.startswith("Confirm K18"))
    assert rw._decide("K18", "confirm") is False            # the click's handler: no exception
    assert "Not recorded" in rw.status.value and "pdp_2024.docx" in rw.status.value
    assert wb.decision_log().decisions() == []
    assert "pdp.docx" in [v for _, v in rw.pieces.options]  # the list shows the folder as it is now
    assert confirm.description.startswith("Confirm K18")
