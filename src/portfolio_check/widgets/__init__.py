"""ipywidgets for the tutor: review one apprentice, survey a cohort.

Front-end only: every action goes through :class:`~portfolio_check.api.Workbench` (decide,
scan_apprentice, parse); nothing here decides coverage or verdicts.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as W

from ..checks.pii import redact, scan_pii
from ..discover import read_record

if TYPE_CHECKING:
    from ..api import Workbench
    from ..models import GatewayReport as ApprenticeReport

_STYLE = """<style>
.pc-text{max-height:420px;overflow:auto;border:1px solid #ccd;padding:.5rem .8rem;background:#fff;font-size:.9rem;line-height:1.45}
.pc-text mark{background:#fde68a;padding:0 .1rem}.pc-ok{background:#d9f2d9}.pc-no{background:#f8d7da}.pc-maybe{background:#fff1cc}
.pc-cov td,.pc-cov th{border:1px solid #ccd;padding:.15rem .4rem;font-size:.85rem;text-align:center}
.pc-verdict{padding:.4rem .6rem;border-radius:4px;font-weight:600}
</style>"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


class ReviewWidget:
    """Evidence list, the selected piece with its quotes highlighted, suggestions with
    confirm/reject, an add-a-KSB picker and note, a live coverage panel and the verdict."""

    def __init__(self, wb: "Workbench", cohort: Path, apprentice: str):
        self.wb = wb
        self.cohort = cohort
        self.apprentice = apprentice
        self.report: "ApprenticeReport" = wb.scan_apprentice(apprentice, cohort)
        self.selected: str | None = self.report.evidence[0].file if self.report.evidence else None
        self.verdict = W.HTML()
        self.coverage = W.HTML()
        self.pieces = W.Select(rows=min(16, max(4, len(self.report.evidence))), layout=W.Layout(width="100%"))
        self.pieces.observe(self._on_select, names="value")
        self.text = W.HTML()
        self.rows = W.VBox()
        self.add_ksb = W.Dropdown(options=[(f"{k.code} [{k.method}] {k.statement[:60]}", k.code) for k in wb.standard.ksbs],
                                  description="Add KSB", layout=W.Layout(width="70%"))
        self.add_button = W.Button(description="Add", button_style="info", tooltip="Add this KSB to the piece")
        self.add_button.on_click(lambda _b: self._decide(self.add_ksb.value, "add"))
        self.note = W.Textarea(placeholder="A note for the record (saved with your name and the time)",
                               layout=W.Layout(width="70%", height="60px"))
        self.note_button = W.Button(description="Save note", tooltip="Save the note on this piece")
        self.note_button.on_click(lambda _b: self._save_note())
        self.status = W.HTML()
        left = W.VBox([W.HTML("<b>Evidence</b>"), self.pieces, self.coverage], layout=W.Layout(width="38%"))
        right = W.VBox([self.text, W.HTML("<b>Suggested KSBs</b>"), self.rows,
                        W.HBox([self.add_ksb, self.add_button]), W.HBox([self.note, self.note_button]), self.status],
                       layout=W.Layout(width="62%"))
        self.widget = W.VBox([W.HTML(_STYLE), self.verdict, W.HBox([left, right])])
        self.refresh()

    # -- state -----------------------------------------------------------------------------------
    def _evidence(self, file: str | None):
        return next((e for e in self.report.evidence if e.file == file), None)

    def _decisions(self):
        return self.wb.decision_log(self.cohort).states()

    def refresh(self) -> None:
        states = self._decisions()     # one read of the log per refresh
        options = []
        for ev in self.report.evidence:
            st = states.get((self.apprentice, ev.file))
            covered = sum(1 for files in self.report.coverage.values() if ev.file in files)
            flags = []
            if st and st.current:
                flags.append(f"{len(st.current)} decided")
            if st and st.stale(ev.sha256):
                flags.append("STALE")
            if any(f.severity.value == "error" for f in ev.findings):
                flags.append("needs attention")
            options.append((f"{ev.file} | {ev.type.replace('_', ' ')} | {covered} KSB{'s' if covered != 1 else ''}"
                            + (f" | {', '.join(flags)}" if flags else ""), ev.file))
        self.pieces.unobserve(self._on_select, names="value")
        self.pieces.options = options
        self.pieces.value = self.selected
        self.pieces.observe(self._on_select, names="value")
        self._render_verdict()
        self._render_coverage(states)
        self._render_piece(states)

    def _render_verdict(self) -> None:
        r = self.report
        cls = "pc-ok" if r.gateway_ready else "pc-no"
        text = "Ready for gateway" if r.gateway_ready else "Not ready for gateway"
        reasons = "".join(f"<li><code>{_esc(x)}</code></li>" for x in r.reasons)
        self.verdict.value = (f'<div class="pc-verdict {cls}" data-verdict="{"ready" if r.gateway_ready else "not-ready"}">'
                              f"{_esc(r.id)} {_esc(r.name or '')}: {text}</div>"
                              + (f"<ul>{reasons}</ul>" if reasons else ""))

    def _render_coverage(self, states) -> None:
        confirmed = {d.ksb for (apr, _f), st in states.items() if apr == self.apprentice
                     for d in st.current.values() if d.counts}
        cells = []
        for k in self.wb.standard.portfolio_ksbs:
            files = self.report.coverage.get(k, ())
            if k in confirmed and files:
                cls, label = "pc-ok", "confirmed"
            elif files:
                cls, label = "pc-maybe", "suggested"
            else:
                cls, label = "pc-no", "missing"
            cells.append(f'<tr class="{cls}" data-ksb="{k}"><th>{k}</th><td>{label}</td><td>{len(files)}</td></tr>')
        self.coverage.value = ('<b>Coverage of the portfolio KSBs</b><table class="pc-cov"><tr><th>KSB</th><th>status</th>'
                               "<th>pieces</th></tr>" + "".join(cells) + "</table>")

    def _render_piece(self, states=None) -> None:
        ev = self._evidence(self.selected)
        if ev is None:
            self.text.value, self.rows.children = "<i>No evidence files.</i>", ()
            return
        doc = self.wb.parse(self.cohort / self.apprentice / "portfolio" / ev.file)
        quotes = {q.sentence for s in ev.suggestions for q in s.quotes}
        # The piece is shown with the same masking as its quotes: notebook outputs are saved
        # files too, and a customer's details must not end up in one.
        record = read_record(self.cohort / self.apprentice)
        pii = scan_pii(doc.all_blocks(), doc.properties, record.employer, staff_names=[record.name or ""])
        paras = []
        for b in list(doc.blocks)[:600]:
            t = _esc(redact(pii.redactor.redact(b.text), doc.properties, record.employer))
            for q in sorted(quotes, key=len, reverse=True):
                eq = _esc(q)
                if eq and eq in t:
                    t = t.replace(eq, f"<mark>{eq}</mark>")
            paras.append(f"<p>{t}</p>" if b.role.value != "heading" else f"<h4>{t}</h4>")
        findings = "".join(f"<li>{_esc(f.code)}: {_esc(f.message)}</li>" for f in ev.findings)
        self.text.value = (f"<b>{_esc(ev.file)}</b> ({_esc(ev.type.replace('_', ' '))})"
                           + (f"<ul>{findings}</ul>" if findings else "")
                           + f'<div class="pc-text">{"".join(paras) or "<i>No readable text.</i>"}</div>')
        if states is None:
            states = self._decisions()
        st = states.get((self.apprentice, ev.file))
        rows = []
        shown = {s.ksb for s in ev.suggestions}
        decided = dict(st.current) if st else {}
        for s in ev.suggestions:
            rows.append(self._row(ev, s.ksb, s.score, s.accepted, s.quotes[0].sentence if s.quotes else "",
                                  s.quotes[0].location if s.quotes else "", decided.get(s.ksb)))
        for ksb, d in decided.items():
            if ksb not in shown:
                rows.append(self._row(ev, ksb, None, False, d.note or "(added by the tutor)", "", d))
        self.rows.children = tuple(rows)

    def _row(self, ev, ksb: str, score, accepted: bool, quote: str, where: str, decision) -> W.Widget:
        status = "suggested" if accepted else "possible"
        if decision is not None:
            status = {"confirm": "CONFIRMED", "add": "ADDED", "reject": "REJECTED"}[decision.action]
            if decision.sha256 and decision.sha256 != ev.sha256:
                status += " (stale: file changed)"
        label = W.HTML(f"<b>{ksb}</b> {'' if score is None else f'{score:.2f}'} <i>{status}</i>",
                       layout=W.Layout(width="20%"))
        text = W.HTML(f"&ldquo;{_esc(quote[:300])}&rdquo; <small>{_esc(where)}</small>", layout=W.Layout(width="50%"))
        confirm = W.Button(description=f"Confirm {ksb}", button_style="success", layout=W.Layout(width="auto"),
                           tooltip=f"Confirm that {ev.file} evidences {ksb}")
        reject = W.Button(description=f"Reject {ksb}", button_style="danger", layout=W.Layout(width="auto"),
                          tooltip=f"Reject {ksb} for {ev.file}")
        confirm.on_click(lambda _b, k=ksb: self._decide(k, "confirm"))
        reject.on_click(lambda _b, k=ksb: self._decide(k, "reject"))
        return W.HBox([label, text, confirm, reject])

    # -- actions ---------------------------------------------------------------------------------
    def _on_select(self, change) -> None:
        self.selected = change["new"]
        self._render_piece()

    def _decide(self, ksb: str, action: str) -> None:
        if not self.selected:
            return
        d = self.wb.decide(self.apprentice, self.selected, ksb, action, note=self.note.value.strip(), cohort=self.cohort)
        self.note.value = ""
        self.report = self.wb.scan_apprentice(self.apprentice, self.cohort)
        self.status.value = f"<small>Saved: {action} {ksb} on {_esc(self.selected)} by {_esc(d.who)} at {_esc(d.at)}.</small>"
        self.refresh()

    def _save_note(self) -> None:
        if not self.selected or not self.note.value.strip():
            return
        d = self.wb.decide(self.apprentice, self.selected, None, "note", note=self.note.value.strip(), cohort=self.cohort)
        self.note.value = ""
        self.status.value = f"<small>Note saved on {_esc(self.selected)} by {_esc(d.who)} at {_esc(d.at)}.</small>"


def heatmap_html(result, standard) -> str:
    """KSB x apprentice table coloured by how many pieces evidence each KSB."""
    codes = list(standard.portfolio_ksbs)
    head = "".join(f"<th>{c}</th>" for c in codes)
    rows = []
    for a in result.apprentices:
        cells = []
        for c in codes:
            n = len(a.coverage.get(c, ()))
            cls = "pc-no" if n == 0 else ("pc-maybe" if n == 1 else "pc-ok")
            cells.append(f'<td class="{cls}">{n}</td>')
        verdict = "ready" if a.gateway_ready else "not ready"
        rows.append(f"<tr><th>{_esc(a.id)}</th>{''.join(cells)}<td>{verdict}</td></tr>")
    return f'<table class="pc-cov"><tr><th>Apprentice</th>{head}<th>Verdict</th></tr>{"".join(rows)}</table>'


def cohort_view(wb: "Workbench", cohort: Path, as_of=None) -> W.Widget:
    result = wb.scan(cohort, as_of=as_of)
    reasons = "".join(f"<tr><th>{_esc(a.id)}</th><td>{'<br>'.join(_esc(r) for r in a.reasons)}</td></tr>"
                      for a in result.apprentices if not a.gateway_ready)
    ready = sum(a.gateway_ready for a in result.apprentices)
    return W.VBox([W.HTML(_STYLE), W.HTML(f"<b>{ready} of {len(result.apprentices)} ready for gateway</b>"),
                   W.HTML(heatmap_html(result, wb.standard)),
                   W.HTML(f'<b>Not ready</b><table class="pc-cov">{reasons}</table>' if reasons else "")])

