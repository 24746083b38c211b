"""Cohort scan against ../shared/dev-cohort (expected.csv, labels.csv) and the sample cohort."""
import csv
import datetime as dt
import json
import shutil

import pytest

from portfolio_check import Workbench
from portfolio_check.cli import main

FAMILY = {"pii_email": "PC6", "pii_phone": "PC6", "pii_address": "PC6", "pii_account_number": "PC6",
          "pii_customer_name": "PC6", "unsigned_witness": "PC5", "undated_witness": "PC5",
          "no_job_title_witness": "PC5", "image_only_pdf": ("PC113", "PC114")}   # unread, or read by OCR


@pytest.fixture(scope="module")
def dev_scan(shared, tmp_path_factory):
    out = tmp_path_factory.mktemp("scan-out")
    cache = tmp_path_factory.mktemp("cache")
    wb = Workbench()
    import portfolio_check.scan as scan_mod
    real = scan_mod.iter_scan

    def iter_with_cache(*a, **k):
        k["cache_dir"] = cache
        return real(*a, **k)

    scan_mod_iter = scan_mod.iter_scan
    scan_mod.iter_scan = iter_with_cache
    try:
        result = wb.scan(shared / "dev-cohort", out_dir=out, jobs=2)
    finally:
        scan_mod.iter_scan = scan_mod_iter
    return result


def test_verdicts_and_reasons_match_expected(shared, dev_scan):
    expected = {r["apprentice_id"]: r for r in csv.DictReader(open(shared / "dev-cohort" / "expected.csv", encoding="utf-8"))}
    assert [a.id for a in dev_scan.apprentices] == sorted(expected)
    for a in dev_scan.apprentices:
        assert a.gateway_ready is (expected[a.id]["gateway_ready"] == "yes"), a.id
        assert ";".join(a.reasons) == expected[a.id]["reasons"], a.id


def test_every_labelled_flag_gives_a_finding_of_its_family(shared, dev_scan):
    labels = list(csv.DictReader(open(shared / "dev-cohort" / "labels.csv", encoding="utf-8")))
    for row in labels:
        apr = dev_scan.apprentice(row["apprentice_id"])
        ev = next(e for e in apr.evidence if e.file == row["file"])
        codes = [f.code for f in ev.findings]
        for flag in row["flags"].split():
            family = FAMILY.get(flag)
            if family:
                assert any(c.startswith(family) for c in codes), (row["file"], flag, codes)
        if not any(f.startswith("pii_") for f in row["flags"].split()):
            assert not any(c.startswith("PC6") for c in codes), (row["file"], codes)


def test_personal_data_is_never_written_in_clear(dev_scan):
    out = json.dumps([a.to_dict() for a in dev_scan.apprentices], ensure_ascii=False)
    assert "dk.1974" not in out and "900461" not in out
    files = "".join(p.read_text(encoding="utf-8", errors="ignore") for k, p in dev_scan.outputs.items() if k != "xlsx")
    assert "dk.1974" not in files and "900461" not in files
    assert "d•••@example.net" in out


def test_outputs_are_written_and_consistent(dev_scan):
    files = dev_scan.outputs
    assert {"json", "html", "xlsx", "csv_apprentices", "csv_findings", "csv_matrix"} <= set(files)
    data = json.loads(files["json"].read_text(encoding="utf-8"))
    assert data["standard"] == "ST0071"
    apr = {a["id"]: a for a in data["apprentices"]}
    ev = apr["apr-d01"]["evidence"][0]
    assert set(ev) >= {"file", "type", "suggestions", "findings"}
    s = ev["suggestions"][0]
    assert set(s) >= {"ksb", "score", "accepted", "quotes"} and s["quotes"]
    assert apr["apr-d01"]["gateway_ready"] is True and apr["apr-d02"]["gateway_ready"] is False


def test_xlsx_matrix_matches_the_json(dev_scan):
    """Each apprentice's sheet lists (KSB, piece) links; those that count are exactly the JSON's
    coverage, and each carries the quote the JSON gives."""
    from openpyxl import load_workbook
    wb = load_workbook(dev_scan.outputs["xlsx"], read_only=True)
    data = json.loads(dev_scan.outputs["json"].read_text(encoding="utf-8"))
    assert wb.sheetnames[:2] == ["Cohort", "Findings"]
    for apr in data["apprentices"]:
        rows = list(wb[apr["id"]].iter_rows(values_only=True))
        head = list(rows[0])
        ksb, file, counts, quote = (head.index(h) for h in ("KSB", "Evidence", "Counts for gateway", "Quote"))
        counted_xlsx = {(r[ksb], r[file]) for r in rows[1:] if r[counts] == "yes"}
        counted_json = {(k, f) for k, fs in apr["coverage"].items() for f in fs}
        assert counted_xlsx == counted_json, apr["id"]
        for k, f in list(counted_json)[:5]:
            ev = next(e for e in apr["evidence"] if e["file"] == f)
            expected = next(s["quotes"][0][0] for s in ev["suggestions"] if s["ksb"] == k)
            cell = next(r[quote] for r in rows[1:] if r[ksb] == k and r[file] == f)
            assert expected.lstrip("'") in cell


def test_dataframes(dev_scan):
    v = dev_scan.verdicts
    assert list(v["id"]) == ["apr-d01", "apr-d02", "apr-d03"] and list(v["gateway_ready"]) == [True, False, False]
    # the three states as everywhere else: gateway_ready is also True for "ready pending review"
    assert list(v["readiness"]) == ["ready pending review", "not ready", "not ready"]
    assert v.loc[0, "pending"] and not v.loc[1, "pending"] and list(v["pieces"])[0] > 0
    assert set(dev_scan.findings["code"]) >= {"PC302", "PC601", "PC501", "PC301", "PC401", "PC210", "PC507"}
    m = dev_scan.matrix
    assert {"apprentice", "ksb", "file", "quote", "location"} <= set(m.columns) and len(m) > 50
    assert dev_scan.coverage.loc["apr-d03", "K5"] == 0 and dev_scan.coverage.loc["apr-d01", "K5"] >= 1


def test_as_of_changes_months_on_programme(tmp_path, samples):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    wb = Workbench()
    early = wb.scan(cohort, as_of=dt.date(2024, 6, 1), jobs=1)
    assert "on_programme_short" in early.apprentice("apr-001").reasons
    late = wb.scan(cohort, jobs=1)
    assert late.apprentice("apr-001").gateway_ready


def test_sample_cohort_via_cli(tmp_path, samples, capsys):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    code = main(["scan", str(cohort), "--out", str(tmp_path / "out"), "-q", "--jobs", "1"])
    out = capsys.readouterr().out
    assert code == 1 and "1 of 2 apprentices ready" in out
    data = json.loads((tmp_path / "out" / "scan.json").read_text(encoding="utf-8"))
    reasons = {a["id"]: a["reasons"] for a in data["apprentices"]}
    assert reasons["apr-001"] == []
    assert "maths_missing" in reasons["apr-002"] and "pii:FW_complaint_about_bill.eml" in reasons["apr-002"]


def test_junk_and_broken_record(tmp_path, samples):
    cohort = tmp_path / "c"
    shutil.copytree(samples / "cohort" / "apr-001", cohort / "apr-x")
    (cohort / "apr-x" / "portfolio" / "~$lockfile.docx").write_bytes(b"junk")
    (cohort / "apr-x" / "portfolio" / ".DS_Store").write_bytes(b"junk")
    (cohort / "apr-x" / "apprentice.yaml").write_text("name: [unclosed\n")
    result = Workbench().scan(cohort, jobs=1, cache=False)
    apr = result.apprentice("apr-x")
    assert len(apr.evidence) == 11
    assert any(f.code == "PC500" for f in apr.findings)


def test_duplicates_within_and_across_apprentices(tmp_path, samples):
    cohort = tmp_path / "c"
    shutil.copytree(samples / "cohort", cohort)
    src = cohort / "apr-001" / "portfolio" / "10_reflection_value_of_first_time_fix.txt"
    shutil.copy(src, cohort / "apr-001" / "portfolio" / "12_copy_of_reflection.txt")
    text = (cohort / "apr-001" / "portfolio" / "02_reflective_account_authority_and_cost.docx")
    shutil.copy(text, cohort / "apr-002" / "portfolio" / "borrowed.docx")
    result = Workbench().scan(cohort, jobs=1, cache=False)
    assert "duplicate:12_copy_of_reflection.txt" in result.apprentice("apr-001").reasons
    assert "duplicate:borrowed.docx" in result.apprentice("apr-002").reasons


def test_malformed_corpus_as_a_portfolio_scans_to_the_end(shared, tmp_path):
    """Every file of corpus/malformed in one apprentice's portfolio: the scan finishes and each
    file has its own finding naming it."""
    cohort = tmp_path / "cohort"
    port = cohort / "apr-bad" / "portfolio"
    shutil.copytree(shared / "corpus" / "malformed", port, ignore=shutil.ignore_patterns("*.py", "*.csv", "COMMITS.txt"))
    (cohort / "apr-bad" / "apprentice.yaml").write_text(
        "name: Test Person\nstandard: ST0071\nstart_date: 2023-01-09\nenglish_l2: true\nmaths_l2: true\n"
        "employer: Example Ltd\ngateway_declaration_signed: true\n")
    manifest = list(csv.DictReader(open(shared / "corpus" / "malformed" / "manifest.csv", encoding="utf-8")))
    result = Workbench().scan(cohort, jobs=2, cache=False)
    apr = result.apprentice("apr-bad")
    import unicodedata
    files = {unicodedata.normalize("NFC", r["file"]) for r in manifest}
    assert {e.file for e in apr.evidence} == files
    for ev in apr.evidence:
        assert ev.findings, ev.file
        reading_errors = [f for f in ev.findings if f.code.startswith("PC1") and f.severity.value == "error"]
        assert len(reading_errors) <= 1, (ev.file, reading_errors)
    unreadable = [r for r in apr.reasons if r.startswith("unreadable:")]
    assert len(unreadable) >= 30


def test_an_uncovered_ksb_names_the_piece_to_read_first_and_never_a_rejected_one(samples, tmp_path):
    # apr-002's PDP is the tagger's nearest miss for B1 ("I now explain full-fibre upgrades"):
    # the finding points the tutor there; once the tutor rejects it there, it no longer does.
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort, ignore=shutil.ignore_patterns(".portfolio-check"))
    wb = Workbench(cohort)

    def pc401():
        apr = wb.scan(jobs=1, cache=False).apprentice("apr-002")
        return next(f.message for f in apr.findings if f.code == "PC401")

    before = pc401()
    assert "B1" in before.split("(")[0] and "B1 in pdp_2024.docx (" in before
    # not a claim that the evidence is absent: it says what is missing is a tutor's or the
    # tagger's credit, and that the pieces must be read (the tagger misses evidence)
    assert "no piece credited yet with" in before and "no tutor has confirmed them" in before
    assert "read the pieces" in before
    wb.decide("apr-002", "pdp_2024.docx", "B1", "reject", who="T. Tutor")
    after = pc401()
    b1_hint = next(h for h in after.split("Closest suggestions, not accepted: ")[1].split("; ") if h.startswith("B1 in "))
    assert "pdp_2024.docx" not in b1_hint        # nor further down B1's list


def test_an_uncovered_ksb_hint_names_its_three_best_pieces_best_first_each_once():
    from portfolio_check.checks.gateway import HINT_PIECES, nearest_misses
    near = nearest_misses([("B1", "a.docx", 0.20), ("B1", "b.docx", 0.45), ("B1", "a.docx", 0.30),
                           ("B1", "c.txt", 0.10), ("B1", "d.md", 0.05), ("K2", "a.docx", 0.40)])
    assert HINT_PIECES == 3
    assert near["B1"] == (("b.docx", 0.45), ("a.docx", 0.30), ("c.txt", 0.10))
    assert near["K2"] == (("a.docx", 0.40),)
