"""A standard with no written report (gateway.report: null) has no report method: its
observation method must not be taken for the project's (report --sections, tag --context report)."""
import subprocess
import sys
from pathlib import Path

from portfolio_check.standards import load_standard_file

HERE = Path(__file__).parent / "own_standard"
REPORT = Path(__file__).parents[1] / "sample_evidence" / "reports" / "project_report_draft.docx"


def test_no_report_means_no_report_method():
    st = load_standard_file(HERE / "HOSP-SUP-L3.yaml")
    assert st.gateway["report"] is None
    assert st.report_method is None


def test_shipped_report_methods_unchanged():
    from portfolio_check.standards import load_standard
    assert load_standard("ST0071").report_method == "WBP"


def test_report_sections_names_no_observation_ksbs():
    out = subprocess.run([sys.executable, "-m", "portfolio_check", "report", str(REPORT), "--sections",
                          "--standard", "HOSP-SUP-L3", "--standards-dir", str(HERE)],
                         capture_output=True, text=True, timeout=300)
    assert "KSBs of the project method" not in out.stdout, out.stdout


def test_report_on_a_standard_with_no_limit_is_not_a_failure():
    # Before: exit 1, as for a report outside its limit, though nothing was outside anything.
    out = subprocess.run([sys.executable, "-m", "portfolio_check", "report", str(REPORT),
                          "--standard", "HOSP-SUP-L3", "--standards-dir", str(HERE)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "PC206" in out.stdout
