"""The gateway pack an EPAO receives: `portfolio-check pack APPRENTICE_DIR --out DIR` and
`Workbench.pack`. Read back with openpyxl and printed by headless Chromium: every KSB of the
portfolio's method against the pieces, the checklist, the evidence list and word counts; only
confirmed/added KSBs and accepted suggestions appear as evidence, never a rejected one."""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from portfolio_check import Workbench
from portfolio_check.cli import main
from portfolio_check.report.pack import build_pack, render_html, write_pack

from report_fixtures import FORMULA_QUOTE, REJECTED_QUOTE, SCRIPT_FILE, STANDARD, hostile_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def packed(tmp_path_factory, samples):
    """apr-001 of the sample cohort with a confirmation, a rejection and a tutor-added KSB, packed
    through the CLI."""
    tmp = tmp_path_factory.mktemp("pack")
    cohort = tmp / "cohort"
    shutil.copytree(samples / "cohort", cohort, ignore=shutil.ignore_patterns(".portfolio-check"))
    wb = Workbench(cohort)
    apr = wb.scan_apprentice("apr-001")
    ev = next(e for e in apr.evidence if len([k for k in e.accepted if k in wb.standard.portfolio_ksbs]) >= 2)
    confirm, reject = [k for k in ev.accepted if k in wb.standard.portfolio_ksbs][:2]
    added = next(k for k in wb.standard.portfolio_ksbs if k not in {s.ksb for s in ev.suggestions})
    wb.decide("apr-001", ev.file, confirm, "confirm", note="Clear account of the limit.", who="T. Tutor")
    wb.decide("apr-001", ev.file, reject, "reject", note="Only mentioned in passing.", who="T. Tutor")
    wb.decide("apr-001", ev.file, added, "add", note="Shown in the second paragraph.", who="T. Tutor")
    status = main(["pack", str(cohort / "apr-001"), "--out", str(tmp / "out"), "--as-of", "2025-03-03"])
    assert status == 0
    fresh = wb.scan_apprentice("apr-001", as_of=__import__("datetime").date(2025, 3, 3))
    return {"dir": tmp, "xlsx": tmp / "out" / "apr-001-gateway-pack.xlsx",
            "html": tmp / "out" / "apr-001-gateway-pack.html", "apr": fresh, "file": ev.file,
            "confirm": confirm, "reject": reject, "added": added, "standard": wb.standard}


def _rows(ws):
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    return [dict(zip(head, r)) for r in rows[1:]]


def test_xlsx_pack_reads_back_as_the_epao_sees_it(packed):
    from openpyxl import load_workbook
    wb = load_workbook(packed["xlsx"])
    assert wb.sheetnames == ["Checklist", "Matrix", "References", "Evidence"]
    for ws in wb.worksheets:
        assert ws.freeze_panes in ("A2", "C2"), ws.title
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}", ws.title
    apr, st = packed["apr"], packed["standard"]
    # every KSB of the portfolio's method, once, in the standard's order
    matrix = _rows(wb["Matrix"])
    assert [r["KSB"] for r in matrix] == list(st.portfolio_ksbs)
    refs = [f"E{i}" for i in range(1, len(apr.evidence) + 1)]
    assert [c.value for c in wb["Matrix"][1]][2:-1] == refs
    # the evidence list: every piece, with type, words and date
    evidence = _rows(wb["Evidence"])
    assert [e["File"] for e in evidence] == [e.file for e in apr.evidence]
    assert [e["Words"] for e in evidence] == [e.words for e in apr.evidence]
    assert any(e["Witness sign-off"] for e in evidence if "witness" in (e["Type"] or ""))
    # the checklist, item by item, with the model's statuses
    checklist = _rows(wb["Checklist"])
    assert [(c["Gateway item"], c["Status"]) for c in checklist[:len(apr.checklist)]] == \
        [(c.item, c.status) for c in apr.checklist]
    assert any(c["Gateway item"] == "Project proposal" and "words" in c["Detail"] for c in checklist)


def test_only_confirmed_added_and_accepted_appear_never_rejected(packed):
    from openpyxl import load_workbook
    wb = load_workbook(packed["xlsx"])
    refs = _rows(wb["References"])
    links = {(r["KSB"], r["Evidence"]): r for r in refs if r["Evidence"]}
    f = packed["file"]
    assert links[(packed["confirm"], f)]["Status"] == "Confirmed by tutor"
    assert links[(packed["confirm"], f)]["Tutor note"] == "Clear account of the limit."
    assert links[(packed["added"], f)]["Status"] == "Added by tutor"
    assert (packed["reject"], f) not in links
    assert {r["Status"] for r in refs} <= {"Confirmed by tutor", "Added by tutor", "Suggested, not yet reviewed",
                                           "Not evidenced"}
    # the links listed are exactly the apprentice's coverage of the portfolio KSBs
    apr, st = packed["apr"], packed["standard"]
    expected = {(k, file) for k in st.portfolio_ksbs for file in apr.coverage.get(k, ())}
    assert set(links) == expected
    # the grid marks the same cells and nothing else
    ref_of = {e.file: f"E{i}" for i, e in enumerate(apr.evidence, 1)}
    grid = _rows(wb["Matrix"])
    marked = {(r["KSB"], ref) for r in grid for ref in ref_of.values() if r[ref]}
    assert marked == {(k, ref_of[file]) for k, file in expected}
    html = packed["html"].read_text(encoding="utf-8")
    assert f'data-link="{packed["reject"]}|{f}"' not in html
    assert f'data-link="{packed["confirm"]}|{f}"' in html and "Clear account of the limit." in html
    assert "not evidence and not listed" in html


def test_pack_html_is_one_safe_page_with_its_styles(packed):
    html = packed["html"].read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "<script" not in html.lower()
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "&#34;" not in style and '"Segoe UI"' in style       # CSS is not HTML-escaped
    for section in ("checklist", "matrix", "references", "evidence"):
        assert f'id="{section}"' in html




def _chromium(binary, profile, *args):
    return subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120)


def test_pack_prints_matrix_checklist_and_quotes(packed, chromium):
    import pypdfium2
    pdf = packed["dir"] / "pack.pdf"
    _chromium(chromium, packed["dir"] / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
              packed["html"].as_uri())
    doc = pypdfium2.PdfDocument(str(pdf))
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    text = re.sub(r"\s+", " ", text)
    assert "Gateway checklist" in text and "Referencing matrix" in text and "Evidence list" in text
    for c in packed["apr"].checklist:
        assert c.item in text
    apr = packed["apr"]
    quote = next(s.quotes[0].sentence for e in apr.evidence for s in e.suggestions
                 if s.accepted and e.file in apr.coverage.get(s.ksb, ()) and s.quotes)
    assert re.sub(r"\s+", " ", quote)[:40] in text
    png = packed["dir"] / "pack.png"
    _chromium(chromium, packed["dir"] / "profile", f"--screenshot={png}", "--window-size=1300,1600",
              packed["html"].as_uri())
    assert png.stat().st_size > 20_000


def test_hostile_pack_never_runs_and_never_lists_a_rejection(tmp_path, chromium):
    from openpyxl import load_workbook
    apr, decisions = hostile_report()
    pack = build_pack(apr, STANDARD, decisions)
    assert all(link.status.value != "rejected" for k in pack.ksbs for link in k.links)
    paths = write_pack(pack, tmp_path / "out")
    html = paths["html"].read_text(encoding="utf-8")
    assert "<img" not in html.lower() and "<script" not in html.lower() and REJECTED_QUOTE not in html
    dom = _chromium(chromium, tmp_path / "profile", "--virtual-time-budget=2000", "--dump-dom",
                    paths["html"].as_uri()).stdout
    assert re.search(r"<title>Gateway pack: apr-x =Alex &lt;b&gt;Taylor&lt;/b&gt;</title>", dom)
    assert "<img" not in dom.lower() and "onerror=" in dom
    wb = load_workbook(paths["xlsx"])
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + FORMULA_QUOTE in texts and SCRIPT_FILE in texts and REJECTED_QUOTE not in texts


def test_pack_of_a_missing_or_wrong_folder_is_one_line_exit_2(tmp_path, capsys):
    assert main(["pack", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "apprentice folder" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_workbench_pack_by_id(packed, tmp_path):
    wb = Workbench(packed["dir"] / "cohort")
    paths = wb.pack("apr-002", tmp_path / "out")
    assert sorted(p.name for p in paths.values()) == ["apr-002-gateway-pack.html", "apr-002-gateway-pack.xlsx"]
    html = paths["html"].read_text(encoding="utf-8")
    assert 'data-readiness="not ready"' in html and "Not evidenced" in html


@pytest.mark.shared
def test_pack_of_a_dev_apprentice_matches_the_labels(shared, tmp_path):
    """apr-d01 of the dev cohort (ready, labelled): every piece in the evidence list with its
    labelled type, the labelled witness sign-off (signed, dated, job title) read back, every
    checklist item met, and the matrix listing every portfolio KSB."""
    import csv as _csv
    from openpyxl import load_workbook
    cohort = tmp_path / "cohort"
    shutil.copytree(shared / "dev-cohort", cohort, ignore=shutil.ignore_patterns(".portfolio-check", "_build"))
    assert main(["pack", str(cohort / "apr-d01"), "--out", str(tmp_path / "out")]) == 0
    wb = load_workbook(tmp_path / "out" / "apr-d01-gateway-pack.xlsx")
    labels = [r for r in _csv.DictReader(open(shared / "dev-cohort" / "labels.csv", encoding="utf-8"))
              if r["apprentice_id"] == "apr-d01"]
    evidence = {e["File"]: e for e in _rows(wb["Evidence"])}
    assert set(evidence) == {r["file"] for r in labels}
    witness = next(r for r in labels if r["evidence_type"] == "witness_testimony")
    sign_off = evidence[witness["file"]]["Witness sign-off"]
    assert sign_off.startswith("Signed: ") and "missing" not in sign_off
    assert re.search(r"\d{4}-\d{2}-\d{2}", sign_off)
    checklist = [c for c in _rows(wb["Checklist"]) if c["Status"] in ("met", "not met", "missing", "not required")]
    assert checklist and all(c["Status"] == "met" for c in checklist)
    assert [r["KSB"] for r in _rows(wb["Matrix"])] == list(Workbench().standard.portfolio_ksbs)


def test_pack_says_when_suggestions_were_accepted_at_a_learned_bar(tmp_path, samples):
    """With learning from decisions on and a bar learned (a strict tutor on both apprentices:
    accepted suggestions under 0.70 rejected, the rest confirmed), the pack states the bar its
    "suggested" links were accepted at, in the HTML and the XLSX checklist; without it, nothing."""
    from openpyxl import load_workbook
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort, ignore=shutil.ignore_patterns(".portfolio-check"))
    wb = Workbench(cohort, jobs=1)
    before = wb.pack("apr-002", tmp_path / "before")
    assert 'id="acceptance-note"' not in before["html"].read_text(encoding="utf-8")
    for a in wb.scan(cohort, jobs=1).apprentices:
        for ev in a.evidence:
            for s in ev.suggestions:
                if s.accepted and not s.off_method:
                    wb.decide(a.id, ev.file, s.ksb, "confirm" if s.score >= 0.7 else "reject")
    (cohort / ".portfolio-check" / "settings.yaml").write_text("learn_from_decisions: true\n")
    after = wb.pack("apr-002", tmp_path / "after")
    note = ("Suggested KSBs were accepted at a score of 0.70 or more, a bar learned from the tutor's decisions "
            "on this cohort (portfolio-check's own bar is 0.50).")
    assert note.replace("'", "&#39;") in after["html"].read_text(encoding="utf-8")
    checklist = [r for r in load_workbook(after["xlsx"])["Checklist"].iter_rows(values_only=True)]
    assert ("Suggestions accepted at", None, note) in checklist
