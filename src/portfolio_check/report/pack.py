"""The gateway pack: what an apprentice's portfolio looks like to the EPAO at gateway.

Seed 001 asks for a "portfolio of evidence referencing matrix" at gateway: every KSB the
portfolio must evidence, against the pieces that evidence it, with where in each piece. The
pack is that matrix plus what the gateway decision rests on: the checklist item by item, the
evidence list (type, date and where the date was read, author, words, witness sign-off) and the
proposal/report word counts. It comes as an XLSX workbook and a printable HTML page (print to
PDF from any browser).

Only what counts appears as evidence: KSBs a tutor confirmed or added, and accepted suggestions
(marked "suggested, not yet reviewed" so nobody mistakes them for a tutor's judgement). A link
a tutor rejected never appears; weak matches neither. The result model's quotes are already
masked, so no customer data reaches the pack.

:func:`build_pack` turns the result model into a :class:`GatewayPack` (plain frozen data, what
tests and other front-ends read); :func:`write_pack` renders it; neither imports the scan.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .matrix import Decisions, MatrixRow, Status, matrix_rows
from .words import reason_words

if TYPE_CHECKING:
    from ..models import EvidenceResult, GatewayReport
    from ..standards import Standard

EVIDENCE_STATUSES = (Status.CONFIRMED, Status.ADDED, Status.SUGGESTED)


@dataclass(frozen=True)
class PackLink:
    """One piece evidencing one KSB, as the EPAO reads it."""

    ksb: str
    ref: str              # E1, E2 ... (the evidence list's numbering)
    file: str
    status: Status
    quote: str
    location: str
    note: str = ""


@dataclass(frozen=True)
class PackKsb:
    code: str
    method: str
    statement: str
    links: tuple[PackLink, ...]

    @property
    def evidenced(self) -> bool:
        return bool(self.links)


@dataclass(frozen=True)
class PackEvidence:
    ref: str
    file: str
    type: str
    date: str
    date_source: str
    author: str
    words: int
    sign_off: str          # witness/observation sign-off in words; "" when the piece needs none
    ksbs: tuple[str, ...]  # the KSBs it evidences in this pack
    needed: str            # "yes"/"no" against the smallest covering set, "" when none was computed


@dataclass(frozen=True)
class PackCheck:
    item: str
    status: str
    detail: str


@dataclass(frozen=True)
class GatewayPack:
    apprentice: str
    name: str
    standard: str
    standard_title: str
    method: str
    as_of: str
    verdict: str
    readiness: str                             # ready | ready pending review | not ready
    reasons: tuple[tuple[str, str], ...]       # (words, code)
    checklist: tuple[PackCheck, ...]
    ksbs: tuple[PackKsb, ...]
    evidence: tuple[PackEvidence, ...]
    word_counts: tuple[tuple[str, str, str], ...]   # (what, file, words and limit in words)
    rejected_left_out: int
    generated: str
    # Said when the suggestions were accepted at a bar learned from the tutor's decisions
    # (learning from decisions), so the EPAO reads "suggested" against the bar that made it.
    acceptance_note: str = ""

    @property
    def file_stem(self) -> str:
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", self.apprentice).strip("._") or "apprentice"
        return f"{safe}-gateway-pack"


def _sign_off(ev: "EvidenceResult") -> str:
    a = ev.attestation
    if a is None:
        return ""
    if a.scanned:
        return "Scanned form: signature, date and job title to be checked on the scan"
    parts = []
    if a.witness_name:
        parts.append(a.witness_name)
    if a.job_title_value:
        parts.append(a.job_title_value)
    elif a.job_title:
        parts.append("job title given")
    if a.date_value:
        parts.append(a.date_value)
    text = ("Signed: " if a.signature else "Not signed: ") + (", ".join(parts) or "no details")
    missing = a.missing()
    return text + (f" (missing: {', '.join(missing)})" if missing else "")


def build_pack(apr: "GatewayReport", standard: "Standard", decisions: Decisions | None = None,
               now: dt.datetime | None = None, acceptance_note: str = "") -> GatewayPack:
    """The pack's content for one apprentice, from the result model and the tutor's decisions."""
    rows = matrix_rows(apr, standard, decisions, include_weak=False)
    refs = {ev.file: f"E{i}" for i, ev in enumerate(apr.evidence, 1)}
    evidence_rows: list[MatrixRow] = [r for r in rows if r.counts and r.status in EVIDENCE_STATUSES]
    rejected = sum(1 for r in rows if r.status is Status.REJECTED)
    by_ksb: dict[str, list[PackLink]] = {}
    for r in evidence_rows:
        by_ksb.setdefault(r.ksb, []).append(PackLink(r.ksb, refs[r.file], r.file, r.status, r.quote, r.location, r.note))
    ksbs = tuple(PackKsb(k.code, k.method or "", k.statement, tuple(by_ksb.get(k.code, ())))
                 for k in standard.ksbs_for_method(standard.portfolio_method))
    evidence = []
    for ev in apr.evidence:
        mine = tuple(k.code for k in ksbs if any(link.file == ev.file for link in k.links))
        needed = "" if apr.covering_set is None else ("yes" if ev.file in apr.covering_set else "no")
        evidence.append(PackEvidence(
            refs[ev.file], ev.file, str(ev.type).replace("_", " "), ev.date.date if ev.date else "",
            {"text": "stated in the piece", "email": "e-mail Date header", "metadata": "document properties"}.get(
                ev.date.source, ev.date.source) if ev.date else "",
            ev.author or "", ev.words, _sign_off(ev), mine, needed))
    counts = []
    if apr.proposal is not None:
        limit = f" (limit {apr.proposal.limit:,})" if apr.proposal.limit else ""
        counts.append(("Project proposal", apr.proposal.file, f"{apr.proposal.words:,} words{limit}"))
    if apr.report is not None:
        counts.append(("Project report", apr.report.file, f"{apr.report.assessed:,} assessed words, {apr.report.verdict}"))
    return GatewayPack(
        apprentice=apr.id, name=apr.name or "", standard=standard.code, standard_title=standard.title,
        method=standard.portfolio_method or "", as_of=apr.as_of, verdict=apr.readiness.label,
        readiness=apr.readiness.value,
        reasons=tuple((reason_words(r), str(r)) for r in apr.reasons),
        checklist=tuple(PackCheck(c.item, c.status, c.detail) for c in apr.checklist),
        ksbs=ksbs, evidence=tuple(evidence), word_counts=tuple(counts), rejected_left_out=rejected,
        generated=(now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M"), acceptance_note=acceptance_note)


# ---------------------------------------------------------------------------- rendering
def render_html(pack: GatewayPack) -> str:
    from markupsafe import Markup

    from .html import environment, stylesheet
    env = environment()
    return env.get_template("pack.html.j2").render(
        pack=pack, css=stylesheet() + Markup(env.loader.get_source(env, "pack.css")[0]),
        legend=[(s, s.words) for s in EVIDENCE_STATUSES])


def _xlsx(pack: GatewayPack, fh: IO[bytes]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from .xlsx import FILLS, RED, cell_value

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    head_fill = PatternFill("solid", fgColor="EEF1F6")
    wb = Workbook()
    wb.remove(wb.active)

    def sheet(title: str, headings: list[str], widths: list[int], rows: list[list], fills: list[str | None] | None = None,
              freeze: str = "A2"):
        ws = wb.create_sheet(title)
        ws.append([cell_value(h) for h in headings])
        for c in ws[1]:
            c.font, c.fill, c.alignment = bold, head_fill, wrap
        for i, row in enumerate(rows):
            ws.append([cell_value(v) for v in row])
            fill = fills[i] if fills else None
            for c in ws[ws.max_row]:
                c.alignment = wrap
                if fill:
                    c.fill = PatternFill("solid", fgColor=fill)
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = freeze
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{max(ws.max_row, 2)}"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToHeight = 0
        return ws

    status_fill = {"met": "D9F2D9", "not met": RED, "missing": RED}
    sheet("Checklist", ["Gateway item", "Status", "Detail"], [46, 14, 60],
          [[c.item, c.status, c.detail] for c in pack.checklist]
          + [["Verdict", pack.verdict, "; ".join(w for w, _ in pack.reasons)]]
          + ([["Suggestions accepted at", "", pack.acceptance_note]] if pack.acceptance_note else [])
          + [[what, "", f"{file}: {words}"] for what, file, words in pack.word_counts],
          [status_fill.get(c.status) for c in pack.checklist]
          + [None] * (1 + bool(pack.acceptance_note) + len(pack.word_counts)))
    refs = [e.ref for e in pack.evidence]
    grid_rows, grid_fills = [], []
    for k in pack.ksbs:
        marks = {link.ref: link.status for link in k.links}
        grid_rows.append([k.code, k.statement, *[(marks[r].symbol + " " + marks[r].value) if r in marks else ""
                                                 for r in refs], len(k.links)])
        grid_fills.append(None if k.links else RED)
    ws = sheet("Matrix", ["KSB", "Statement", *refs, "Pieces"], [7, 60, *[11] * len(refs), 8], grid_rows,
               grid_fills, freeze="C2")
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=2 + len(refs)):
        for c in row:
            for st in EVIDENCE_STATUSES:
                if isinstance(c.value, str) and c.value.endswith(st.value):
                    c.fill = PatternFill("solid", fgColor=FILLS[st])
    ref_rows, ref_fills = [], []
    for k in pack.ksbs:
        for link in k.links:
            ref_rows.append([k.code, k.statement, link.ref, link.file, link.status.words, link.quote or
                             "(added by the tutor; no quote)", link.location, link.note])
            ref_fills.append(FILLS[link.status])
        if not k.links:
            ref_rows.append([k.code, k.statement, "", "", "Not evidenced", "", "", ""])
            ref_fills.append(RED)
    sheet("References", ["KSB", "Statement", "Ref", "Evidence", "Status", "Quote", "Where", "Tutor note"],
          [7, 48, 6, 34, 24, 70, 18, 36], ref_rows, ref_fills, freeze="C2")
    sheet("Evidence", ["Ref", "File", "Type", "Date", "Date from", "Author", "Words", "Witness sign-off",
                       "KSBs evidenced", "In smallest set"], [6, 40, 22, 12, 20, 20, 8, 44, 30, 10],
          [[e.ref, e.file, e.type, e.date, e.date_source, e.author, e.words, e.sign_off, " ".join(e.ksbs), e.needed]
           for e in pack.evidence], freeze="C2")
    wb.properties.title = f"Gateway pack: {pack.apprentice}"
    wb.save(fh)


def write_pack(pack: GatewayPack, out_dir: str | Path) -> dict[str, Path]:
    """``<id>-gateway-pack.xlsx`` and ``.html`` in ``out_dir``, both written atomically and never
    through a link; if either fails, neither is published."""
    import contextlib

    from ..safe_io import atomic_writer, interrupts_held, remove_stale_temp_files
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(out)          # what a killed run left here
    paths = {"xlsx": out / f"{pack.file_stem}.xlsx", "html": out / f"{pack.file_stem}.html"}
    page = render_html(pack)
    with contextlib.ExitStack() as held, contextlib.ExitStack() as stack:
        _xlsx(pack, stack.enter_context(atomic_writer(paths["xlsx"], "wb")))
        stack.enter_context(atomic_writer(paths["html"], "w")).write(page)
        held.enter_context(interrupts_held())     # Ctrl-C from here: both published, never one
    return paths


__all__ = ["GatewayPack", "PackEvidence", "PackKsb", "PackLink", "build_pack", "render_html", "write_pack"]
