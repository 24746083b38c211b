"""``referencing_matrix.xlsx``: the workbook a tutor filters, annotates and hands on.

Sheets: *Cohort* (one row per apprentice: verdict and reasons in words, pieces per portfolio
KSB), *Findings* (every finding, plain message first, code beside) and one sheet per apprentice
listing each (KSB, piece) link with its status in words (confirmed / added by the tutor,
suggested, rejected, weak match), the quote, where it is, and the tutor's note. Rows are
coloured by status with sheet-level conditional formatting, so a tutor who edits the status
text sees the colour follow. Every sheet has frozen headings, a filter and wrapped text.

Written with openpyxl's write-only workbook, which keeps each sheet in a temporary file of its
own: :meth:`XlsxWriter.discard` removes those on an interrupted scan, since they hold quotes.
"""
from __future__ import annotations

import contextlib
import os
from typing import IO, TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .cells import safe_cell
from .matrix import MatrixRow, Status
from .words import readiness_words, reason_words

if TYPE_CHECKING:
    from ..models import GatewayReport as ApprenticeReport
    from ..standards import Standard

FILLS = {Status.CONFIRMED: "B7E4B7", Status.ADDED: "B7E4B7", Status.SUGGESTED: "E6F5E6",
         Status.REJECTED: "E5E7EB", Status.WEAK: "FFF1CC"}
RED, GREEN, AMBER = "F8D7DA", "D9F2D9", "FFF1CC"
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="EEF1F6")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
MATRIX_HEADINGS = ["KSB", "Method", "KSB statement", "Evidence", "Status", "Counts for gateway",
                   "Quote", "Where", "Tutor note", "Decided by"]
MATRIX_WIDTHS = [7, 8, 48, 34, 24, 10, 70, 18, 36, 14]
_WRAPPED = {"KSB statement", "Evidence", "Quote", "Tutor note", "Reasons", "Finding", "File", "Name"}


def cell_value(value: Any) -> Any:
    """A value an XLSX cell can hold without running or breaking: no formula, no XML-illegal bytes."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return safe_cell(value)


def sheet_title(apprentice_id: str, used: set[str]) -> str:
    base = "".join(ch for ch in apprentice_id if ch not in "[]:*?/\\'")[:28].strip() or "apprentice"
    if base in ("Cohort", "Findings"):
        base = f"{base} 1"
    title, n = base, 2
    while title.lower() in used:
        title, n = f"{base[:25]}~{n}", n + 1
    used.add(title.lower())
    return title


def colour_by_status(ws, status_col: str, last_col: str, last_row: int) -> None:
    area = f"A2:{last_col}{max(2, last_row)}"
    for status, colour in FILLS.items():
        fill = PatternFill("solid", fgColor=colour, bgColor=colour)
        ws.conditional_formatting.add(area, FormulaRule(formula=[f'${status_col}2="{status.words}"'], fill=fill))


class XlsxWriter:
    def __init__(self, standard: "Standard"):
        self.standard = standard
        self.wb = Workbook(write_only=True)
        self._titles: set[str] = set()
        self.cohort = self._sheet("Cohort", ["Apprentice", "Name", "Verdict", "Reasons", "Reason codes", "Pieces",
                                             *standard.portfolio_ksbs],
                                  [14, 22, 20, 60, 30, 8, *[6] * len(standard.portfolio_ksbs)])
        self.findings = self._sheet("Findings", ["Apprentice", "File", "Finding", "Severity", "Code"],
                                    [14, 36, 90, 10, 8])
        self._rows = {"Cohort": 1, "Findings": 1}

    def _sheet(self, title: str, headings: list[str], widths: list[int]):
        ws = self.wb.create_sheet(sheet_title(title, self._titles) if title not in ("Cohort", "Findings") else title)
        self._titles.add(ws.title.lower())
        for i, w in enumerate(widths):
            ws.column_dimensions[get_column_letter(i + 1)].width = w
        ws.freeze_panes = "B2"           # headings and the first column stay in view
        ws.print_title_rows = "1:1"
        row = []
        for h in headings:
            c = WriteOnlyCell(ws, value=h)
            c.font, c.fill, c.alignment = _BOLD, _HEAD_FILL, _WRAP
            row.append(c)
        ws.append(row)
        ws._pc_wrap = [h in _WRAPPED for h in headings]      # which columns wrap
        return ws

    def _append(self, ws, values: list[Any]) -> None:
        cells = []
        for v, wrap in zip(values, ws._pc_wrap + [False] * (len(values) - len(ws._pc_wrap))):
            c = WriteOnlyCell(ws, value=cell_value(v))
            c.alignment = _WRAP if wrap else _TOP
            cells.append(c)
        ws.append(cells)

    def add(self, apr: "ApprenticeReport", rows: list[MatrixRow], standard: "Standard | None" = None) -> None:
        st = standard or self.standard
        # The Cohort sheet's KSB columns are the scan's standard's: an apprentice on another
        # standard gets no counts under them (their own sheet lists their KSBs).
        same = st.code == self.standard.code
        self._append(self.cohort, [apr.id, apr.name or "", readiness_words(apr),
                                   "; ".join(reason_words(r) for r in apr.reasons),
                                   "; ".join(map(str, apr.reasons)), len(apr.evidence),
                                   *[len(apr.coverage.get(k, ())) if same else None
                                     for k in self.standard.portfolio_ksbs]])
        self._rows["Cohort"] += 1
        for f in apr.findings:
            self._append(self.findings, [apr.id, f.file or "", f.message, f.severity.value, f.code])
            self._rows["Findings"] += 1
        ws = self._sheet(apr.id, MATRIX_HEADINGS, MATRIX_WIDTHS)
        order = {k: i for i, k in enumerate(st.codes)}
        ordered = sorted(rows, key=lambda r: (order.get(r.ksb, 10**6), r.file))
        statements = {k.code: k.statement for k in st.ksbs}
        for r in ordered:
            self._append(ws, [r.ksb, r.method, statements.get(r.ksb, ""), r.file, r.status.words,
                              "yes" if r.counts else "no", r.quote, r.location, r.note, r.decided_by])
        # Portfolio KSBs no piece evidences: listed too, so a gap is a row a tutor can see.
        linked = {r.ksb for r in rows if r.counts}
        gaps = [k for k in st.portfolio_ksbs if k not in linked]
        for k in gaps:
            self._append(ws, [k, _method(st, k), statements.get(k, ""), "(no piece)", "Gap: not evidenced",
                              "no", "", "", "", ""])
        last = len(ordered) + len(gaps) + 1
        ws.auto_filter.ref = f"A1:J{last}"
        colour_by_status(ws, "E", "J", last)
        ws.conditional_formatting.add(f"A2:J{max(2, last)}", FormulaRule(
            formula=['$E2="Gap: not evidenced"'], fill=PatternFill("solid", fgColor=RED, bgColor=RED)))

    def _finish_summary_sheets(self) -> None:
        n = len(self.standard.portfolio_ksbs)
        last_col = get_column_letter(6 + n)
        self.cohort.auto_filter.ref = f"A1:{last_col}{self._rows['Cohort']}"
        self.cohort.conditional_formatting.add(f"C2:C{max(2, self._rows['Cohort'])}", FormulaRule(
            formula=['$C2="Ready for gateway"'], fill=PatternFill("solid", fgColor=GREEN, bgColor=GREEN)))
        self.cohort.conditional_formatting.add(f"C2:C{max(2, self._rows['Cohort'])}", FormulaRule(
            formula=['LEFT($C2,20)="Ready pending review"'], fill=PatternFill("solid", fgColor=AMBER, bgColor=AMBER)))
        self.cohort.conditional_formatting.add(f"C2:C{max(2, self._rows['Cohort'])}", FormulaRule(
            formula=['$C2="Not ready for gateway"'], fill=PatternFill("solid", fgColor=RED, bgColor=RED)))
        if n:
            self.cohort.conditional_formatting.add(f"G2:{last_col}{max(2, self._rows['Cohort'])}", FormulaRule(
                formula=["G2=0"], fill=PatternFill("solid", fgColor=RED, bgColor=RED)))
        self.findings.auto_filter.ref = f"A1:E{self._rows['Findings']}"

    def save(self, fh: IO[bytes]) -> None:
        self._finish_summary_sheets()
        self.wb.save(fh)

    def discard(self) -> None:
        """Remove the per-sheet temporary files openpyxl keeps in the system temp folder."""
        for ws in self.wb.worksheets:
            writer = getattr(ws, "_writer", None)
            if writer is None:
                continue
            rows = getattr(ws, "_rows", None)
            if rows is not None:            # end the row stream first, so nothing writes to a closed file
                with contextlib.suppress(Exception):
                    rows.close()
                ws._rows = None
            with contextlib.suppress(Exception):
                writer.close()
            out = getattr(writer, "out", None)
            if isinstance(out, str):
                with contextlib.suppress(OSError):
                    os.remove(out)


def _method(standard: "Standard", code: str) -> str:
    try:
        return standard.ksb(code).method or ""
    except KeyError:
        return ""
