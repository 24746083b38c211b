"""Project-report word counts against ../shared/dev-reports/truth.csv, through the CLI a tutor
uses (``portfolio-check report --json``)."""
import csv
import json

import pytest

from portfolio_check.cli import main

PARTS = ["title_page", "contents", "body_text", "body_tables", "body_list_labels", "footnotes",
         "references", "annexes"]


def _rows(shared):
    return list(csv.DictReader(open(shared / "dev-reports" / "truth.csv", encoding="utf-8")))


def _report_json(path, capsys):
    code = main(["report", "--json", str(path)])
    data = json.loads(capsys.readouterr().out)
    return code, data


def test_docx_reports_match_every_part_exactly(shared, capsys):
    rows = [r for r in _rows(shared) if r["file"].endswith(".docx")]
    assert len(rows) == 3
    for row in rows:
        code, data = _report_json(shared / "dev-reports" / row["file"], capsys)
        for part in PARTS:
            assert data["words"][part] == int(row[part]), (row["file"], part)
        assert data["words"]["headers_footers"] == int(row["headers_footers"])
        assert data["assessed"] == int(row["body_total"])
        assert data["limit"]["within"] is (row["within_limit"] == "yes")
        assert code == (0 if row["within_limit"] == "yes" else 1)
        stated = int(row["stated_word_count"]) if row["stated_word_count"] else None
        assert data["stated_word_count"] == stated


def test_pdf_report_assessed_within_one_percent(shared, capsys):
    row = next(r for r in _rows(shared) if r["file"].endswith(".pdf"))
    code, data = _report_json(shared / "dev-reports" / row["file"], capsys)
    truth = int(row["body_total"])
    assert abs(data["assessed"] - truth) <= 0.01 * truth
    assert data["limit"]["within"] is (row["within_limit"] == "yes")
    assert data["words"]["headers_footers"] == int(row["headers_footers"])
    assert data["words"]["footnotes"] == int(row["footnotes"])


def test_json_has_the_documented_shape(shared, capsys):
    _, data = _report_json(shared / "dev-reports" / "rep-d02.docx", capsys)
    assert set(data["words"]) >= set(PARTS) | {"headers_footers"}
    assert set(data["limit"]) >= {"min", "max", "within"}
    assert isinstance(data["assessed"], int)
    assert data["stated_word_count"] is None
    assert [f["code"] for f in data["findings"]] == ["PC202"]   # 2,098 is under 2,250


def test_stated_count_mismatch_is_flagged(samples, capsys):
    code, data = _report_json(samples / "reports" / "project_report_draft.docx", capsys)
    codes = {f["code"] for f in data["findings"]}
    assert data["stated_word_count"] == 1150
    assert "PC203" in codes and "PC202" in codes
    assert code == 1


def test_sample_report_parts(samples, capsys):
    _, data = _report_json(samples / "reports" / "project_report_draft.docx", capsys)
    w = data["words"]
    assert w["title_page"] == 30          # five lines, counted by hand
    assert w["footnotes"] == 17           # the one footnote, without its mark
    assert w["body_list_labels"] == 7     # four bullets and three numbers
    assert w["annexes"] > 0 and w["references"] > 0 and w["body_tables"] > 0
    assert w["headers_footers"] == 13


def test_policy_profile_changes_what_counts(shared, capsys):
    main(["report", "--json", "--policy", "body_with_list_labels", str(shared / "dev-reports" / "rep-d01.docx")])
    data = json.loads(capsys.readouterr().out)
    assert data["assessed"] == 2493 + 8


def test_missing_file_is_a_clear_error(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nope.docx")]) == 2
    assert "no such file" in capsys.readouterr().err
