"""A line of decisions.jsonl that is JSON but not an object is skipped like a torn line; it
does not stop the scan, the widget or the export."""
import shutil

import pytest

from portfolio_check import Workbench
from portfolio_check.cli import main


def _one_decision(tmp_path, samples):
    """A copy of the sample cohort with one confirmed decision: (cohort, workbench, log path)."""
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    wb = Workbench(cohort=cohort, jobs=1)
    wb.decide("apr-002", "cpd_notes.md", "B1", "confirm", who="A. Tutor")
    return cohort, wb, cohort / ".portfolio-check" / "decisions.jsonl"


@pytest.mark.filterwarnings("ignore::portfolio_check.store.DecisionLogWarning")   # said, and tested, apart
def test_a_json_line_that_is_not_an_object_is_skipped(tmp_path, samples, capsys):
    cohort, wb, log = _one_decision(tmp_path, samples)
    with open(log, "ab") as fh:
        fh.write(b"null\n[]\n42\n")
    decisions = wb.decision_log().decisions()
    assert [(d.file, d.ksb, d.action) for d in decisions] == [("cpd_notes.md", "B1", "confirm")]
    log_obj = wb.decision_log()
    list(log_obj)
    assert log_obj.skipped_lines == 3
    assert main(["decisions", "export", str(cohort), "--out", "-"]) == 0
    assert "cpd_notes.md" in capsys.readouterr().out


def test_skipped_lines_are_said_once_in_plain_words(tmp_path, samples, capsys):
    # Before: torn or hand-edited lines were dropped with no word to the tutor.
    import pytest

    from portfolio_check.store import DecisionLogWarning
    cohort, wb, log = _one_decision(tmp_path, samples)
    with open(log, "ab") as fh:
        fh.write(b'{"apprentice": "apr-002", "file": "cpd_no\n')      # a write cut off by a kill
    with pytest.warns(DecisionLogWarning, match="1 line of .*decisions.jsonl could not be read"):
        wb.decision_log().decisions()
    with open(log, "ab") as fh:
        fh.write(b"not json\n")
    capsys.readouterr()
    assert main(["decisions", "export", str(cohort), "--out", "-"]) == 0
    err = capsys.readouterr().err
    assert err.count("portfolio-check: warning: 2 lines of") == 1 and "Traceback" not in err
