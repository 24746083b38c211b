"""A line of decisions.jsonl that is JSON but not an object is skipped like a torn line; it
does not stop the scan, the widget or the export."""
import shutil

from portfolio_check import Workbench
from portfolio_check.cli import main


def test_a_json_line_that_is_not_an_object_is_skipped(tmp_path, samples, capsys):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    wb = Workbench(cohort=cohort, jobs=1)
    wb.decide("apr-002", "cpd_notes.md", "B1", "confirm", who="A. Tutor")
    log = cohort / ".portfolio-check" / "decisions.jsonl"
    with open(log, "ab") as fh:
        fh.write(b"null\n[]\n42\n")
    decisions = wb.decision_log().decisions()
    assert [(d.file, d.ksb, d.action) for d in decisions] == [("cpd_notes.md", "B1", "confirm")]
    log_obj = wb.decision_log()
    list(log_obj)
    assert log_obj.skipped_lines == 3
    assert main(["decisions", "export", str(cohort), "--out", "-"]) == 0
    assert "cpd_notes.md" in capsys.readouterr().out
