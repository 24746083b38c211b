"""The report files a tutor opens: XLSX as a tutor expects, spreadsheet cells that never run,
HTML that never runs what a cohort folder holds and prints its quotes, and nothing half-written
after an interruption."""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from portfolio_check import Workbench

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE_NAMES = ["=SUM(1,2) notes.txt", "@cmd notes.txt", "+44 call notes.txt", "-1 list.txt"]
SCRIPT_NAME = "<img src=x onerror=\"document.title='pwned-name'\">.txt"
SCRIPT_TEXT = ("I explained our refund limits to the customer <script>document.title='pwned-text';"
               "window.pwned=1</script> and escalated the case to my team leader because it was above my authority.")


def _cohort(tmp_path: Path, samples: Path) -> Path:
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort, ignore=shutil.ignore_patterns(".portfolio-check"))
    return cohort


@pytest.fixture(scope="module")
def decided(tmp_path_factory, samples):
    """The sample cohort with one confirmation, one rejection and one tutor-added KSB (with a note)."""
    tmp = tmp_path_factory.mktemp("decided")
    cohort = _cohort(tmp, samples)
    wb = Workbench(cohort)
    first = wb.scan(jobs=1, cache=False).apprentice("apr-001")
    # Reject a KSB another piece also covers: the verdict then tests the pending state, not a
    # KSB lost to the rejection.
    elsewhere = lambda k, ev: any(k in e.accepted for e in first.evidence if e.file != ev.file)  # noqa: E731
    ev = next(e for e in first.evidence if len(e.accepted) >= 2 and elsewhere(e.accepted[1], e))
    confirm, reject = ev.accepted[0], ev.accepted[1]
    added = next(k for k in wb.standard.portfolio_ksbs if k not in {s.ksb for s in ev.suggestions})
    wb.decide("apr-001", ev.file, confirm, "confirm", note="Clear account of the limit.", who="T. Tutor")
    wb.decide("apr-001", ev.file, reject, "reject", note="Only mentioned in passing.", who="T. Tutor")
    wb.decide("apr-001", ev.file, added, "add", note="Shown in the second paragraph.", who="T. Tutor")
    result = wb.scan(jobs=1, cache=False, out_dir=tmp / "out")
    return result, ev.file, confirm, reject, added


def test_xlsx_is_formatted_as_a_tutor_expects(decided):
    from openpyxl import load_workbook
    result, file, confirm, reject, added = decided
    wb = load_workbook(result.outputs["xlsx"])
    assert wb.sheetnames == ["Cohort", "Findings", "apr-001", "apr-002"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "B2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws.auto_filter.ref.endswith(str(ws.max_row)), ws.title
    cohort = wb["Cohort"]
    assert [c.value for c in cohort[1]][:4] == ["Apprentice", "Name", "Verdict", "Reasons"]
    verdicts = {r[0]: r[2] for r in cohort.iter_rows(min_row=2, values_only=True)}
    # apr-001 rests partly on suggestions no tutor confirmed: the third state, said plainly
    assert verdicts["apr-001"].startswith("Ready pending review: ") and verdicts["apr-002"] == "Not ready for gateway"
    reasons = {r[0]: r[3] for r in cohort.iter_rows(min_row=2, values_only=True)}
    assert "maths at Level 2 not recorded" in reasons["apr-002"]
    findings = wb["Findings"]
    assert [c.value for c in findings[1]] == ["Apprentice", "File", "Finding", "Severity", "Code"]
    assert findings.max_row > 2 and any(r[4] == "PC507" for r in findings.iter_rows(min_row=2, values_only=True))

    ws = wb["apr-001"]
    head = [c.value for c in ws[1]]
    assert head == ["KSB", "Method", "KSB statement", "Evidence", "Status", "Counts for gateway", "Quote",
                    "Where", "Tutor note", "Decided by"]
    rows = {(r[0], r[3]): r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows[(confirm, file)][4] == "Confirmed by tutor" and rows[(confirm, file)][5] == "yes"
    assert rows[(confirm, file)][8] == "Clear account of the limit." and rows[(confirm, file)][9] == "T. Tutor"
    assert rows[(reject, file)][4] == "Rejected by tutor" and rows[(reject, file)][5] == "no"
    assert rows[(added, file)][4] == "Added by tutor" and rows[(added, file)][8] == "Shown in the second paragraph."
    statuses = {r[4] for r in rows.values()}
    assert "Suggested, not yet reviewed" in statuses
    # Plain words only: no tagger scores and no working-view jargon anywhere in the sheet.
    text = " ".join(str(v) for r in ws.iter_rows(values_only=True) for v in r if v is not None)
    assert "COUNTS" not in text and "possible" not in text
    assert not any(isinstance(v, float) for r in ws.iter_rows(values_only=True) for v in r)
    # Confirmed, suggested and rejected rows are coloured differently (sheet-level rules).
    fills = {}
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            fills[rule.formula[0]] = rule.dxf.fill.bgColor.rgb
    colour = {w: next(v for k, v in fills.items() if f'"{w}"' in k)
              for w in ("Confirmed by tutor", "Suggested, not yet reviewed", "Rejected by tutor")}
    assert len(set(colour.values())) == 3
    assert ws.column_dimensions["G"].width >= 50 and ws["G2"].alignment.wrap_text


def test_matrix_statuses_agree_across_outputs(decided):
    result, file, confirm, reject, added = decided
    data = json.loads(result.outputs["json"].read_text(encoding="utf-8"))
    apr = next(a for a in data["apprentices"] if a["id"] == "apr-001")
    js = {(r["ksb"], r["file"]): r["status"] for r in apr["referencing_matrix"]}
    assert js[(confirm, file)] == "confirmed" and js[(reject, file)] == "rejected" and js[(added, file)] == "added"
    with open(result.outputs["csv_matrix"], encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["apprentice"] == "apr-001"]
    assert {(r["ksb"], r["file"]): r["status"] for r in rows} == js
    frame = result.matrix
    mine = frame[(frame.apprentice == "apr-001") & (frame.file == file)]
    assert set(mine[mine.ksb == reject].status_words) == {"Rejected by tutor"}
    counted = {(r["ksb"], r["file"]) for r in apr["referencing_matrix"] if r["counts"]}
    assert counted == {(k, f) for k, fs in apr["coverage"].items() for f in fs}
    assert (reject, file) not in counted and (added, file) in counted


def test_spreadsheet_cells_that_could_run_are_neutralised(tmp_path, samples):
    from openpyxl import load_workbook
    cohort = _cohort(tmp_path, samples)
    port = cohort / "apr-001" / "portfolio"
    for name in HOSTILE_NAMES:
        (port / name).write_text("Notes from the week.\n", encoding="utf-8")
    result = Workbench(cohort).scan(jobs=1, cache=False, out_dir=tmp_path / "out")
    cells = []
    for key in ("csv_matrix", "csv_findings", "csv_apprentices"):
        with open(result.outputs[key], encoding="utf-8", newline="") as fh:
            cells += [c for row in csv.reader(fh) for c in row]
    assert cells and not any(c[:1] in ("=", "+", "-", "@", "\t", "\r") for c in cells)
    assert "'=SUM(1,2) notes.txt" in cells
    wb = load_workbook(result.outputs["xlsx"])
    values = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any(c.data_type == "f" for c in values)
    assert any(c.value == "'@cmd notes.txt" for c in values)


def _chromium(page: Path, work: Path, *extra: str) -> str:
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must apt-get install chromium")
        pytest.skip("chromium not installed on this machine")
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={work / 'profile'}", "--virtual-time-budget=2000", *extra, page.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory, samples):
    tmp = tmp_path_factory.mktemp("hostile")
    cohort = _cohort(tmp, samples)
    port = cohort / "apr-001" / "portfolio"
    (port / SCRIPT_NAME).write_text(SCRIPT_TEXT + "\n", encoding="utf-8")
    result = Workbench(cohort).scan(jobs=1, cache=False, out_dir=tmp / "out")
    return tmp, result


def test_html_in_file_names_and_evidence_never_runs(hostile_report):
    tmp, result = hostile_report
    page = result.outputs["html"]
    raw = page.read_text(encoding="utf-8")
    assert "<script" not in raw and "<img" not in raw           # escaped, not markup
    assert "&lt;img src=x onerror=" in raw
    dom = _chromium(page, tmp, "--dump-dom")
    assert "<title>Gateway report: cohort</title>" in dom      # no injected script changed the title
    assert "pwned" not in dom.split("<body", 1)[0]


def test_a_rendered_quote_with_script_stays_text(tmp_path, samples):
    """Straight through the renderer: a quote and a tutor note holding markup, in a real browser."""
    import dataclasses
    from portfolio_check.report.html import HtmlWriter
    from portfolio_check.report.matrix import matrix_rows
    apr = Workbench(_cohort(tmp_path, samples)).scan(jobs=1, cache=False).apprentice("apr-001")
    ev = apr.evidence[0]
    s = next(s for s in ev.suggestions if s.accepted)
    q = dataclasses.replace(s.quotes[0], sentence="<script>document.title='pwned-quote'</script> I did it")
    ev = dataclasses.replace(ev, suggestions=(dataclasses.replace(s, quotes=(q,)),))
    apr = dataclasses.replace(apr, evidence=(ev,), name="<b onmouseover=alert(1)>Alex</b>")
    std = Workbench().standard
    page = tmp_path / "page.html"
    with open(tmp_path / "body", "w+", encoding="utf-8") as body, page.open("w", encoding="utf-8") as out:
        w = HtmlWriter(body, std, None, "<script>document.title='pwned-cohort'</script>")
        w.add(apr, matrix_rows(apr, std), {ev.file: ["<script>window.x=1</script> note"]})
        w.finish(out)
    dom = _chromium(page, tmp_path, "--dump-dom")
    head = dom.split("<body", 1)[0]
    assert "pwned-quote" not in head and "<title>Gateway report: &lt;script&gt;" in head
    assert "&lt;script&gt;document.title='pwned-quote'&lt;/script&gt; I did it" in dom
    assert "<b onmouseover" not in dom


def test_printed_html_shows_quotes_legend_and_no_empty_column(tmp_path, samples):
    result = Workbench(_cohort(tmp_path, samples)).scan(jobs=1, cache=False, out_dir=tmp_path / "out")
    page = result.outputs["html"]
    raw = page.read_text(encoding="utf-8")
    assert "<details" in raw and 'id="legend"' in raw
    # The column of counted KSBs outside the portfolio's method appears only where a piece has
    # one: apr-002's escalation account also evidences S14 (a practical-observation KSB: "I
    # escalated it with the full history"); no piece of apr-001 has one, so its table has none.
    assert raw.count("Other KSBs") == 1
    assert "Other KSBs" in raw[raw.index('id="apr-apr-002"'):]
    row = re.search(r"<tr><td>reflective_account_escalating_faults\.docx</td>.*?</tr>", raw, re.S)
    assert row and row.group(0).endswith("<td>S14</td></tr>")
    pdf = tmp_path / "report.pdf"
    _chromium(page, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert pdf.exists() and pdf.stat().st_size > 10_000
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    text = " ".join(text.split())
    apr = result.apprentice("apr-001")
    quotes = [s.quotes[0].sentence for e in apr.evidence for s in e.suggestions if s.accepted and s.quotes]
    assert len(quotes) >= 10
    shown = [q for q in quotes if " ".join(q.split())[:60] in text]
    assert len(shown) == len(quotes), [q for q in quotes if q not in shown][:3]
    assert "Confirmed by tutor" in text and "Suggested, not yet reviewed" in text    # the legend


def test_an_interrupted_scan_leaves_no_fragment_and_no_broken_json(tmp_path, samples, monkeypatch):
    from portfolio_check.report import html as html_mod
    cohort = _cohort(tmp_path, samples)
    out = tmp_path / "out"
    out.mkdir()
    (out / "scan.json").write_text('{"previous": "scan"}\n', encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    real_add = html_mod.HtmlWriter.add
    calls = []

    def add_then_interrupt(self, *a, **k):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt          # Ctrl-C midway: the first apprentice is already written
        return real_add(self, *a, **k)

    monkeypatch.setattr(html_mod.HtmlWriter, "add", add_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        Workbench(cohort).scan(jobs=1, cache=False, out_dir=out)
    assert len(calls) == 2
    assert sorted(p.name for p in out.iterdir()) == ["scan.json"]
    assert json.loads((out / "scan.json").read_text(encoding="utf-8")) == {"previous": "scan"}
    assert list(temp.iterdir()) == []


def test_renderers_do_not_import_the_scan():
    code = ("import sys, portfolio_check.report, portfolio_check.report.writer, portfolio_check.report.html, "
            "portfolio_check.report.xlsx, portfolio_check.report.csv, portfolio_check.report.json, portfolio_check.report.pack, "
            "portfolio_check.frames; print('portfolio_check.scan' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")})
    assert out.stdout.strip() == "False"
