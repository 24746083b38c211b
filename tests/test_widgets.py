"""The review widget drives the Workbench: a click records a decision and the coverage panel
and verdict change at once."""
import shutil

import pytest

pytest.importorskip("ipywidgets")

from portfolio_check import Workbench  # noqa: E402


@pytest.fixture()
def wb(tmp_path, samples):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    return Workbench(cohort=cohort, jobs=1)


def _buttons(widget):
    out = []
    stack = [widget]
    while stack:
        w = stack.pop()
        if w.__class__.__name__ == "Button":
            out.append(w)
        stack.extend(getattr(w, "children", ()))
    return out


def test_review_shows_evidence_quotes_and_verdict(wb):
    from portfolio_check.widgets import ReviewWidget
    rw = ReviewWidget(wb, wb.cohort, "apr-002")
    assert len(rw.pieces.options) == 7
    assert 'data-verdict="not-ready"' in rw.verdict.value and "maths_missing" in rw.verdict.value
    assert 'data-ksb="K5"' in rw.coverage.value and "missing" in rw.coverage.value
    rw.pieces.value = "reflective_account_escalating_faults.docx"
    assert "<mark>" in rw.text.value
    assert any(b.description == "Confirm K7" for b in _buttons(rw.widget))


def test_confirm_click_is_logged_and_updates_panels(wb):
    from portfolio_check.widgets import ReviewWidget
    rw = ReviewWidget(wb, wb.cohort, "apr-002")
    rw.pieces.value = "team_meeting_notes.docx"
    rw.add_ksb.value = "K5"
    rw.note.value = "Sam ran the session himself"
    rw.add_button.click()
    log = wb.decision_log().decisions()
    assert [(d.file, d.ksb, d.action, d.note) for d in log] == [
        ("team_meeting_notes.docx", "K5", "add", "Sam ran the session himself")]
    assert "K5" in rw.report.coverage
    k5 = rw.coverage.value.split('data-ksb="K5"')[1].split("</tr>")[0]
    assert "confirmed" in k5
    assert not any("K5" in r for r in rw.report.reasons if r.startswith("ksb_uncovered"))
    # a suggestion's own Confirm button
    rw.pieces.value = "reflective_account_escalating_faults.docx"
    next(b for b in _buttons(rw.widget) if b.description == "Confirm K7").click()
    assert wb.decision_log().decisions()[-1].ksb == "K7"
    assert "CONFIRMED" in rw.rows.children[0].children[0].value or any(
        "CONFIRMED" in r.children[0].value for r in rw.rows.children)


def test_reject_click_changes_the_verdict(wb):
    from portfolio_check.widgets import ReviewWidget
    rw = ReviewWidget(wb, wb.cohort, "apr-001")
    assert rw.report.gateway_ready
    k5_file = rw.report.coverage["K5"][0]
    rw.pieces.value = k5_file
    next(b for b in _buttons(rw.widget) if b.description == "Reject K5").click()
    assert not rw.report.gateway_ready and 'data-verdict="not-ready"' in rw.verdict.value


def test_cohort_view(wb):
    view = wb.cohort_view()
    html = "".join(getattr(c, "value", "") for c in view.children)
    assert "1 of 2 ready" in html and "apr-002" in html and "maths_missing" in html


def test_changed_file_shows_its_decisions_as_stale_in_the_widget(wb):
    from portfolio_check.widgets import ReviewWidget
    wb.decide("apr-002", "cpd_notes.md", "B1", "confirm")
    path = wb.cohort / "apr-002" / "portfolio" / "cpd_notes.md"
    path.write_text(path.read_text() + "\nEdited after the tutor's decision.\n")
    rw = ReviewWidget(wb, wb.cohort, "apr-002")
    label = next(lbl for lbl, value in rw.pieces.options if value == "cpd_notes.md")
    assert "STALE" in label
    rw.pieces.value = "cpd_notes.md"
    assert any("stale: file changed" in r.children[0].value for r in rw.rows.children)
