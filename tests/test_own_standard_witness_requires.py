"""gateway.witness_testimony.requires is read as written: an explicit empty list requires
nothing (it must not fall back to ST0071's signature, date and job title)."""
from pathlib import Path

from portfolio_check.standards import load_standard_file

HERE = Path(__file__).parent / "own_standard"


def _standard(tmp_path: Path, requires: str):
    text = (HERE / "HOSP-SUP-L3.yaml").read_text(encoding="utf-8").replace(
        "requires: [signature, date, job_title, relationship]", f"requires: {requires}")
    f = tmp_path / "HOSP-SUP-L3.yaml"
    f.write_text(text, encoding="utf-8")
    return load_standard_file(f, revalidate=True)


def test_empty_requires_requires_nothing(tmp_path):
    assert _standard(tmp_path, "[]").witness_requires == ()


def test_stated_requires_is_kept(tmp_path):
    assert _standard(tmp_path, "[relationship]").witness_requires == ("relationship",)


def test_not_stated_keeps_the_default(tmp_path):
    text = (HERE / "HOSP-SUP-L3.yaml").read_text(encoding="utf-8").replace(
        "  witness_testimony:\n    requires: [signature, date, job_title, relationship]\n", "")
    f = tmp_path / "HOSP-SUP-L3.yaml"
    f.write_text(text, encoding="utf-8")
    assert load_standard_file(f, revalidate=True).witness_requires == ("signature", "date", "job_title")



def test_the_reason_sentence_claims_nothing_the_finding_does_not_say():
    # Before: "not signed, dated or with a job title" whatever was missing (only the relationship,
    # or a signature by the apprentice).
    from portfolio_check.report.words import reason_words
    words = reason_words("witness_incomplete:wt.docx")
    assert "wt.docx" in words and "job title" not in words and "its finding says what is missing" in words
