"""Scan outputs: JSON, CSV, a self-contained HTML report and the XLSX referencing matrix.

:class:`ReportWriter` takes apprentices one at a time as the scan yields them and writes
each format incrementally, so output size, not memory, grows with the cohort.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import json
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..models import GatewayReport as ApprenticeReport
from ..standards import Standard

GREEN = "D9F2D9"
AMBER = "FFF1CC"
RED = "F8D7DA"
_BOLD = Font(bold=True)


def matrix_rows(apr: ApprenticeReport, standard: Standard) -> list[dict[str, Any]]:
    """One row per (KSB, evidence piece) with a suggestion: the referencing matrix."""
    rows = []
    for ev in apr.evidence:
        for s in ev.suggestions:
            q = s.quotes[0] if s.quotes else None
            covered = ev.file in apr.coverage.get(s.ksb, ())
            rows.append({"apprentice": apr.id, "ksb": s.ksb, "method": standard.ksb(s.ksb).method, "file": ev.file,
                         "score": round(s.score, 3), "accepted": s.accepted, "counts": covered,
                         "quote": q.sentence if q else "", "location": q.location if q else ""})
    for ksb, files in apr.coverage.items():
        for f in files:
            if not any(r["ksb"] == ksb and r["file"] == f for r in rows):
                rows.append({"apprentice": apr.id, "ksb": ksb, "method": standard.ksb(ksb).method, "file": f,
                             "score": None, "accepted": False, "counts": True, "quote": "(added by the tutor)",
                             "location": ""})
    return rows


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1f2933;max-width:1400px}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #ccd;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}th,td{border:1px solid #ccd;padding:.3rem .5rem;
vertical-align:top;text-align:left}th{background:#eef1f6}.ready{background:#d9f2d9}.notready{background:#f8d7da}
.error{color:#9b1c1c}.warning{color:#8a5a00}.info{color:#555}.yes{background:#d9f2d9;text-align:center}
.maybe{background:#fff1cc;text-align:center}.no{background:#f8d7da;text-align:center}.small{font-size:.8rem;color:#555}
code{background:#f2f4f8;padding:0 .2rem}
"""


class ReportWriter:
    """Write every output of a scan while apprentices stream in."""

    def __init__(self, out_dir: str | Path | None, standard: Standard, as_of: dt.date | None, cohort: str,
                 json_path: str | Path | None = None):
        self.standard = standard
        self.as_of = as_of
        self.cohort = cohort
        self.out_dir = Path(out_dir) if out_dir else None
        self.count = 0
        self.summary: list[dict[str, Any]] = []
        self._json: IO[str] | None = None
        json_target = Path(json_path) if json_path else (self.out_dir / "scan.json" if self.out_dir else None)
        if self.out_dir:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        if json_target:
            json_target.parent.mkdir(parents=True, exist_ok=True)
            self._json = json_target.open("w", encoding="utf-8")
            head = {"standard": standard.code, "as_of": as_of.isoformat() if as_of else None, "cohort": cohort}
            self._json.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "apprentices": [\n')
        self.json_path = json_target
        if self.out_dir:
            self._csv_files = {n: (self.out_dir / f"{n}.csv").open("w", newline="", encoding="utf-8")
                               for n in ("apprentices", "findings", "matrix")}
            self._csv = {
                "apprentices": csv.writer(self._csv_files["apprentices"]),
                "findings": csv.writer(self._csv_files["findings"]),
                "matrix": csv.writer(self._csv_files["matrix"]),
            }
            self._csv["apprentices"].writerow(["id", "name", "gateway_ready", "reasons", "pieces", "months_on_programme"])
            self._csv["findings"].writerow(["apprentice", "file", "code", "severity", "message"])
            self._csv["matrix"].writerow(["apprentice", "ksb", "method", "file", "score", "accepted", "counts",
                                          "quote", "location"])
            self._html_body = tempfile.NamedTemporaryFile("w+", encoding="utf-8", suffix=".html", delete=False)
            self._wb = Workbook(write_only=True)
            self._cohort_sheet = self._wb.create_sheet("Cohort")
            self._cohort_sheet.append(["Apprentice", "Name", "Gateway ready", "Reasons", "Pieces",
                                       *self.standard.portfolio_ksbs])

    # -- per apprentice -------------------------------------------------------------------------
    def add(self, apr: ApprenticeReport) -> None:
        data = apr.to_dict()
        if self._json:
            self._json.write(("" if self.count == 0 else ",\n") + json.dumps(data, ensure_ascii=False))
        self.count += 1
        self.summary.append({"id": apr.id, "name": apr.name, "gateway_ready": apr.gateway_ready,
                             "reasons": list(apr.reasons), "pieces": len(apr.evidence)})
        if not self.out_dir:
            return
        self._csv["apprentices"].writerow([apr.id, apr.name or "", "yes" if apr.gateway_ready else "no",
                                           ";".join(apr.reasons), len(apr.evidence), apr.months_on_programme])
        for f in apr.findings:
            self._csv["findings"].writerow([apr.id, f.file or "", f.code, f.severity.value, f.message])
        rows = matrix_rows(apr, self.standard)
        for r in rows:
            self._csv["matrix"].writerow([r[k] for k in ("apprentice", "ksb", "method", "file", "score", "accepted",
                                                         "counts", "quote", "location")])
        self._html_body.write(self._html_section(apr))
        self._xlsx_sheet(apr, rows)
        self._cohort_sheet.append([apr.id, apr.name or "", "yes" if apr.gateway_ready else "no", "; ".join(apr.reasons),
                                   len(apr.evidence)] + [len(apr.coverage.get(k, ())) for k in self.standard.portfolio_ksbs])

    def _html_section(self, apr: ApprenticeReport) -> str:
        e = html.escape
        st = self.standard
        verdict = "Ready for gateway" if apr.gateway_ready else "Not ready for gateway"
        cls = "ready" if apr.gateway_ready else "notready"
        out = [f'<section id="apr-{e(apr.id)}"><h2>{e(apr.id)} {e(apr.name or "")}</h2>',
               f'<p class="{cls}" data-verdict="{"ready" if apr.gateway_ready else "not-ready"}"><b>{verdict}</b>'
               f' &middot; {len(apr.evidence)} pieces &middot; {apr.months_on_programme if apr.months_on_programme is not None else "?"}'
               f' months on programme at {e(apr.as_of)}</p>']
        if apr.reasons:
            out.append("<p>Reasons: " + ", ".join(f"<code>{e(r)}</code>" for r in apr.reasons) + "</p>")
        ksbs = st.portfolio_ksbs
        out.append('<table class="matrix"><tr><th>Evidence</th><th>Type</th>' +
                   "".join(f'<th title="{e(st.ksb(k).statement)}">{k}</th>' for k in ksbs) + "<th>Other KSBs</th></tr>")
        for ev in apr.evidence:
            cells = []
            for k in ksbs:
                s = next((x for x in ev.suggestions if x.ksb == k), None)
                if ev.file in apr.coverage.get(k, ()):
                    quote = s.quotes[0].sentence if s and s.quotes else "confirmed by the tutor"
                    cells.append(f'<td class="yes" title="{e(quote)}">&#10003;</td>')
                elif s is not None and s.score >= 0.4:
                    cells.append(f'<td class="maybe" title="possible ({s.score:.2f}): {e(s.quotes[0].sentence)}">?</td>')
                else:
                    cells.append("<td></td>")
            others = " ".join(s.ksb for s in ev.suggestions if s.accepted and s.ksb not in ksbs)
            out.append(f"<tr><td>{e(ev.file)}</td><td>{e(ev.type.replace('_', ' '))}</td>{''.join(cells)}<td>{e(others)}</td></tr>")
        out.append('<tr><th colspan="2">Covered</th>' + "".join(
            f'<td class="{"yes" if apr.coverage.get(k) else "no"}">{len(apr.coverage.get(k, ()))}</td>' for k in ksbs) +
            "<td></td></tr></table>")
        if apr.proposal:
            out.append(f"<p>Proposal: {e(apr.proposal.file)}, {apr.proposal.words} words.</p>")
        if apr.findings:
            out.append("<table><tr><th>Code</th><th>Severity</th><th>File</th><th>Finding</th></tr>")
            for f in apr.findings:
                out.append(f'<tr class="{f.severity.value}"><td>{f.code}</td><td>{f.severity.value}</td>'
                           f"<td>{e(f.file or '')}</td><td>{e(f.message)}</td></tr>")
            out.append("</table>")
        out.append("</section>\n")
        return "\n".join(out)

    def _xlsx_sheet(self, apr: ApprenticeReport, rows: list[dict[str, Any]]) -> None:
        title = "".join(ch for ch in apr.id if ch not in '[]:*?/\\')[:28] or "apprentice"
        ws = self._wb.create_sheet(title)
        files = [ev.file for ev in apr.evidence]
        # Colours come from two sheet-level rules, not per-cell styles: Excel-native, and a
        # tutor editing a cell keeps the colouring right.
        last = get_column_letter(3 + max(1, len(files)))
        area = f"D2:{last}100"
        ws.conditional_formatting.add(area, FormulaRule(formula=['LEFT(D2,6)="COUNTS"'],
                                                        fill=PatternFill("solid", fgColor=GREEN, bgColor=GREEN)))
        ws.conditional_formatting.add(area, FormulaRule(formula=['LEFT(D2,8)="possible"'],
                                                        fill=PatternFill("solid", fgColor=AMBER, bgColor=AMBER)))
        ws.column_dimensions["C"].width = 60
        for i in range(len(files)):
            ws.column_dimensions[get_column_letter(4 + i)].width = 48
        header = [WriteOnlyCell(ws, value=v) for v in ["KSB", "Method", "Statement", *files]]
        for c in header:
            c.font = _BOLD
        ws.append(header)
        by = {(r["ksb"], r["file"]): r for r in rows}
        # Rows: every KSB the portfolio must cover, plus any other KSB with evidence here.
        shown = set(self.standard.portfolio_ksbs) | {r["ksb"] for r in rows if r["counts"] or (r["score"] or 0) >= 0.4}
        for k in self.standard.ksbs:
            if k.code not in shown:
                continue
            cells: list[Any] = [k.code, k.method or "", k.statement]   # plain values: no cell objects to build
            for f in files:
                r = by.get((k.code, f))
                if r is None:
                    cells.append(None)
                    continue
                mark = "COUNTS" if r["counts"] else ("possible" if (r["score"] or 0) >= 0.4 else "")
                if not mark:
                    cells.append(None)
                    continue
                score = f" {r['score']}" if r["score"] is not None else ""
                where = f" ({r['location']})" if r["location"] else ""
                cells.append(f"{mark}{score}: \"{r['quote']}\"{where}")
            ws.append(cells)

    # -- finish ---------------------------------------------------------------------------------
    def close(self) -> dict[str, Path]:
        written: dict[str, Path] = {}
        if self._json:
            self._json.write("\n]}\n")
            self._json.close()
            written["json"] = self.json_path
        if not self.out_dir:
            return written
        for name, fh in self._csv_files.items():
            fh.close()
            written[f"csv_{name}"] = self.out_dir / f"{name}.csv"
        self._wb.save(self.out_dir / "referencing_matrix.xlsx")
        written["xlsx"] = self.out_dir / "referencing_matrix.xlsx"
        self._html_body.close()
        page = self.out_dir / "report.html"
        ready = sum(1 for s in self.summary if s["gateway_ready"])
        with page.open("w", encoding="utf-8") as out:
            e = html.escape
            out.write(f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Gateway report: "
                      f"{e(self.cohort)}</title><style>{_CSS}</style></head><body>")
            out.write(f"<h1>Gateway report: {e(self.cohort)}</h1><p>{e(self.standard.code)} {e(self.standard.title)} &middot; "
                      f"as of {e(self.as_of.isoformat() if self.as_of else 'each gateway date')} &middot; "
                      f"<b id=\"summary\">{ready} of {len(self.summary)} ready</b></p>")
            out.write('<table id="overview"><tr><th>Apprentice</th><th>Name</th><th>Verdict</th><th>Pieces</th><th>Reasons</th></tr>')
            for s in self.summary:
                cls = "ready" if s["gateway_ready"] else "notready"
                out.write(f'<tr class="{cls}"><td><a href="#apr-{e(s["id"])}">{e(s["id"])}</a></td><td>{e(s["name"] or "")}</td>'
                          f'<td>{"ready" if s["gateway_ready"] else "not ready"}</td><td>{s["pieces"]}</td>'
                          f'<td>{"<br>".join(e(r) for r in s["reasons"])}</td></tr>')
            out.write("</table>")
            with open(self._html_body.name, encoding="utf-8") as body:
                shutil.copyfileobj(body, out)
            out.write(f'<p class="small">Made by portfolio-check on this computer; nothing was sent anywhere. '
                      f'Generated {e(dt.datetime.now().strftime("%Y-%m-%d %H:%M"))}.</p></body></html>')
        Path(self._html_body.name).unlink(missing_ok=True)
        written["html"] = page
        return written
