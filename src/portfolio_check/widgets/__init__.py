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
from ..discover import apprentice_folder, read_record
from ..plain import reason_sentence
from ..tagging.calibration import ACCEPTED_AT_LEARNED_BAR
from ..store import states_for

if TYPE_CHECKING:
    from ..api import Workbench
    from ..models import GatewayReport as ApprenticeReport

_STYLE = """<style>
.pc-text{max-height:420px;overflow:auto;border:1px solid #ccd;padding:.5rem .8rem;background:#fff;font-size:.9rem;line-height:1.45}
.pc-text mark{background:#fde68a;padding:0 .1rem}.pc-ok{background:#d9f2d9}.pc-no{background:#f8d7da}.pc-maybe{background:#fff1cc}
.pc-cov td,.pc-cov th{border:1px solid #ccd;padding:.15rem .4rem;font-size:.85rem;text-align:center}
.pc-verdict{padding:.4rem .6rem;border-radius:4px;font-weight:600}
.pc-review .widget-button{white-space:normal;height:auto;min-height:28px;text-overflow:clip;overflow:visible;text-align:left;margin:1px 0}
.pc-note{font-style:italic;color:#334}
</style>"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


# The tutor's name, asked once per notebook session (kernel): every review widget opened after
# the first reuses it, so a tutor types it once, not once per apprentice.
_SESSION_TUTOR: str | None = None


class _ReviewBox(W.VBox):
    """The widget's box, with a text form a person can read where no widget can render (a
    notebook opened before its kernel runs, nbval, a terminal): not ``VBox(children=...``."""

    placeholder: str = "Review widget"

    def __repr__(self) -> str:
        return self.placeholder

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)   # ipywidgets cuts text/plain at 110 characters
        if isinstance(data, dict):
            data["text/plain"] = self.placeholder
        return data


def _short(statement: str, words: int = 6) -> str:
    parts = statement.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


class ReviewWidget:
    """Evidence list, the selected piece with its quotes highlighted, suggestions with
    confirm/reject/withdraw, a searchable add-a-KSB list, notes, the tutor's name, a live
    coverage panel and the verdict.

    Every action is a new line in the decision log (withdraw and undo too: the log is never
    edited), written with the tutor's name, so what the widget did is what an inspector reads.
    """

    def __init__(self, wb: "Workbench", cohort: Path, apprentice: str, tutor: str | None = None):
        global _SESSION_TUTOR
        self.wb = wb
        self.cohort = cohort
        self.apprentice = apprentice
        self.folder = apprentice_folder(cohort, apprentice)   # by stable id: a renamed folder still opens
        self.report: "ApprenticeReport" = wb.scan_apprentice(apprentice, cohort)
        self.selected: str | None = self.report.evidence[0].file if self.report.evidence else None
        self.verdict = W.HTML()
        self.coverage = W.HTML()
        self.pieces = W.Select(rows=min(16, max(4, len(self.report.evidence))), layout=W.Layout(width="100%"),
                               description_allow_html=False)
        self.pieces.observe(self._on_select, names="value")
        self.text = W.HTML()
        self.rows = W.VBox()
        # Name: given here, else from the cohort's settings (tutor:), else the one typed earlier
        # in this session; empty means ask, and nothing is recorded until it is given.
        name = tutor or wb.tutor_name(cohort) or _SESSION_TUTOR or ""
        self.tutor = W.Text(value=name, description="Your name", placeholder="who is deciding (saved with each decision)",
                            layout=W.Layout(width="60%"), style={"description_width": "initial"})
        self.tutor.observe(self._on_tutor, names="value")
        # Add: a searchable list with no default, so one careless click records nothing.
        self._ksb_options = {f"{k.code}: {_short(k.statement, 10)}": k.code for k in wb.standard.ksbs}
        self.add_ksb = W.Combobox(options=list(self._ksb_options), value="", ensure_option=True,
                                  placeholder="type a code or words, then pick from the list",
                                  description="Add KSB", layout=W.Layout(width="70%"))
        self.add_ksb.observe(self._on_add_choice, names="value")
        self.add_button = W.Button(description="Add", button_style="info", disabled=True,
                                   tooltip="Add the chosen KSB to this piece", layout=W.Layout(width="auto"))
        self.add_button.on_click(lambda _b: self._add())
        self.undo_button = W.Button(description="Undo my last decision", icon="undo", layout=W.Layout(width="auto"),
                                    tooltip="Withdraw your most recent decision on this apprentice (a new log line)")
        self.undo_button.on_click(lambda _b: self.undo())
        self.note = W.Textarea(placeholder="A note for the record (saved with your name and the time)",
                               layout=W.Layout(width="70%", height="60px"))
        self.note_button = W.Button(description="Save note", tooltip="Save the note on this piece",
                                    layout=W.Layout(width="auto"))
        self.note_button.on_click(lambda _b: self._save_note())
        self.status = W.HTML()
        left = W.VBox([W.HTML("<b>Evidence</b>"), self.pieces, self.coverage], layout=W.Layout(width="38%"))
        right = W.VBox([self.text, W.HTML("<b>Suggested KSBs</b>"), self.rows,
                        W.HBox([self.add_ksb, self.add_button]), W.HBox([self.note, self.note_button]),
                        self.undo_button, self.status],
                       layout=W.Layout(width="62%"))
        self.widget = _ReviewBox([W.HTML(_STYLE), self.tutor, self.verdict, W.HBox([left, right])])
        self.widget.add_class("pc-review")   # buttons wrap instead of cutting "Confirm K7: ..." short
        self.refresh()

    # -- state -----------------------------------------------------------------------------------
    def _evidence(self, file: str | None):
        return next((e for e in self.report.evidence if e.file == file), None)

    def _decisions(self):
        # renamed files followed, as the scan's coverage does (store.follow_renames)
        return states_for(self.wb.decision_log(self.cohort).states(), self.apprentice, self.report.evidence)

    @property
    def who(self) -> str:
        return self.tutor.value.strip()

    def refresh(self) -> None:
        states = self._decisions()     # one read of the log per refresh
        options = []
        for ev in self.report.evidence:
            st = states.get((self.apprentice, ev.file))
            covered = sum(1 for files in self.report.coverage.values() if ev.file in files)
            flags = []
            if st and st.current:
                flags.append(f"{len(st.current)} decided")
            if st and st.notes:
                flags.append(f"{len(st.notes)} note{'s' if len(st.notes) != 1 else ''}")
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
        self._render_placeholder()

    def _render_placeholder(self) -> None:
        r = self.report
        reasons = "; ".join(reason_sentence(x) for x in r.reasons)
        self.widget.placeholder = (f"Review widget for {r.id}: {r.readiness.label.lower()}, {len(r.evidence)} pieces"
                                   + (f" ({reasons})" if reasons else "")
                                   + ". Run the notebook (Run > Run All Cells) to review the evidence here.")

    def _render_verdict(self) -> None:
        r = self.report
        state = r.readiness.value
        cls = {"ready": "pc-ok", "ready pending review": "pc-maybe"}.get(state, "pc-no")
        tag = {"ready": "ready", "ready pending review": "pending"}.get(state, "not-ready")
        reasons = "".join(f"<li>{_esc(reason_sentence(x))} <code>{_esc(x.partition(':')[0])}</code></li>"
                          for x in r.reasons)
        pending = ""
        if getattr(r, "pending", ()):
            pending = (f"<p>Rests on suggestions no tutor has confirmed yet: {_esc(' '.join(r.pending))}. "
                       "Confirm or reject them below.</p>")
        from ..notebook import is_temporary_copy
        scratch = ('<p class="pc-no" data-scratch="1"><b>Trying it out:</b> this is a temporary copy of the cohort '
                   f"({_esc(str(self.cohort))}); decisions made here are removed when the kernel stops. To record "
                   "real decisions set <code>scratch = False</code> and run the notebook again.</p>"
                   if is_temporary_copy(self.cohort) else "")
        self.verdict.value = (scratch + f'<div class="pc-verdict {cls}" data-verdict="{tag}">'
                              f"{_esc(r.id)} {_esc(r.name or '')}: {_esc(r.readiness.label)}</div>"
                              + (f"<ul>{reasons}</ul>" if reasons else "") + pending)

    def _render_coverage(self, states) -> None:
        # "confirmed" only when a piece that covers the KSB now carries the tutor's confirm or
        # add: a decision on a file that is gone (PC407, not applied) or on another piece
        # confirms nothing the scan counts.
        def confirmed(k, files):
            return any((st := states.get((self.apprentice, f))) is not None and k in st.current
                       and st.current[k].counts for f in files)
        cells = []
        for k in self.wb.standard.portfolio_ksbs:
            files = self.report.coverage.get(k, ())
            if files and confirmed(k, files):
                cls, label = "pc-ok", "confirmed"
            elif files:
                cls, label = "pc-maybe", "suggested"
            else:
                cls, label = "pc-no", "missing"
            # For a missing KSB, the pieces its best suggestions were not accepted on (PC401's
            # hint): the tagger misses evidence, so these are the ones to read first.
            look = "" if files else ", ".join(f"{_esc(f)} ({score:.2f})" for f, score in
                                                 getattr(self.report, "read_first", {}).get(k, ()))
            cells.append(f'<tr class="{cls}" data-ksb="{k}"><th>{k}</th><td>{label}</td><td>{len(files)}</td>'
                         f'<td class="pc-look">{look}</td></tr>')
        self.coverage.value = ('<b>Coverage of the portfolio KSBs</b><table class="pc-cov"><tr><th>KSB</th><th>status</th>'
                               "<th>pieces</th><th>read first (not accepted)</th></tr>" + "".join(cells) + "</table>")

    def _render_piece(self, states=None) -> None:
        ev = self._evidence(self.selected)
        if ev is None:
            self.text.value, self.rows.children = "<i>No evidence files.</i>", ()
            return
        doc = self.wb.parse(self.folder / "portfolio" / ev.file)
        quotes = {q.sentence for s in ev.suggestions for q in s.quotes}
        # The piece is shown with the same masking as its quotes: notebook outputs are saved
        # files too, and a customer's details must not end up in one.
        record = read_record(self.folder)
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
        if states is None:
            states = self._decisions()
        st = states.get((self.apprentice, ev.file))
        notes = "".join(f'<li class="pc-note">{_esc(n.note)} <small>({_esc(n.who)}, {_esc(n.at)})</small></li>'
                        for n in (st.notes if st else ()))
        self.text.value = (f"<b>{_esc(ev.file)}</b> ({_esc(ev.type.replace('_', ' '))})"
                           + (f"<ul>{findings}</ul>" if findings else "")
                           + (f"<div><b>Tutor notes</b><ul>{notes}</ul></div>" if notes else "")
                           + f'<div class="pc-text">{"".join(paras) or "<i>No readable text.</i>"}</div>')
        rows = []
        shown = {s.ksb for s in ev.suggestions}
        decided = dict(st.current) if st else {}
        for s in ev.suggestions:
            rows.append(self._row(ev, s.ksb, s.score, s.accepted, s.quotes[0].sentence if s.quotes else "",
                                  s.quotes[0].location if s.quotes else "", decided.get(s.ksb),
                                  at_learned_bar=ACCEPTED_AT_LEARNED_BAR in s.reason))
        for ksb, d in decided.items():
            if ksb not in shown:
                rows.append(self._row(ev, ksb, None, False, "", "", d))
        self.rows.children = tuple(rows)

    def _row(self, ev, ksb: str, score, accepted: bool, quote: str, where: str, decision,
             at_learned_bar: bool = False) -> W.Widget:
        # "suggested at your cohort's bar": accepted only because learning from decisions lowered it
        status = ("suggested at your cohort's bar" if at_learned_bar else "suggested") if accepted else "possible"
        stale = decision is not None and bool(decision.sha256) and decision.sha256 != ev.sha256
        if decision is not None:
            status = {"confirm": "CONFIRMED", "add": "ADDED", "reject": "REJECTED"}[decision.action]
            if stale:
                status += " (stale: file changed)"
        label = W.HTML(f"<b>{ksb}</b> {'' if score is None else f'{score:.2f}'} <i>{status}</i>",
                       layout=W.Layout(width="16%"))
        # A quote is the apprentice's words (in quotation marks); a note is the tutor's (never quoted).
        parts = []
        if quote:
            parts.append(f"&ldquo;{_esc(quote[:300])}&rdquo; <small>{_esc(where)}</small>")
        elif decision is not None and decision.action == "add":
            parts.append("<i>Added by the tutor.</i>")
        if decision is not None and decision.note:
            parts.append(f'<div class="pc-note"><b>Note</b> ({_esc(decision.who)}): {_esc(decision.note)}</div>')
        text = W.HTML("".join(parts), layout=W.Layout(width="44%"))
        short = self._statement(ksb)
        buttons = []
        # PC404 asks the tutor to re-confirm a decision made on an earlier version of the file:
        # a stale confirm (or add) keeps its Confirm button, a stale reject its Reject button.
        if decision is None or decision.action != "confirm" or stale:
            again = stale and decision.action in ("confirm", "add")
            confirm = W.Button(description=f"{'Re-confirm' if again else 'Confirm'} {ksb}: {short}",
                               button_style="success", layout=W.Layout(width="auto", max_width="100%"),
                               tooltip=f"Confirm that {ev.file} evidences {ksb}"
                                       + (" (as it is now)" if again else ""))
            confirm.on_click(lambda _b, k=ksb: self._decide(k, "confirm"))
            buttons.append(confirm)
        if decision is None or decision.action != "reject" or stale:
            reject = W.Button(description=f"{'Re-reject' if stale and decision.action == 'reject' else 'Reject'} {ksb}",
                              button_style="danger", layout=W.Layout(width="auto"),
                              tooltip=f"Reject {ksb} ({short}) for {ev.file}")
            reject.on_click(lambda _b, k=ksb: self._decide(k, "reject"))
            buttons.append(reject)
        if decision is not None:
            withdraw = W.Button(description=f"Withdraw {ksb}", icon="undo", layout=W.Layout(width="auto"),
                                tooltip=f"Take back the decision on {ksb} (recorded as a withdrawal)")
            withdraw.on_click(lambda _b, k=ksb: self._decide(k, "withdraw"))
            buttons.append(withdraw)
        return W.HBox([label, text, W.VBox(buttons, layout=W.Layout(width="40%"))])

    def _statement(self, ksb: str) -> str:
        try:
            k = self.wb.standard.ksb(ksb)
        except KeyError:
            return ""
        return k.theme or _short(k.statement)

    # -- actions ---------------------------------------------------------------------------------
    def _on_select(self, change) -> None:
        self.selected = change["new"]
        self._render_piece()

    def _on_tutor(self, change) -> None:
        global _SESSION_TUTOR
        if change["new"].strip():
            _SESSION_TUTOR = change["new"].strip()

    def _chosen_ksb(self) -> str | None:
        return self._ksb_options.get(self.add_ksb.value)

    def _on_add_choice(self, _change) -> None:
        self.add_button.disabled = self._chosen_ksb() is None

    def _add(self) -> None:
        ksb = self._chosen_ksb()
        if ksb is None:
            self.status.value = "<small>Pick a KSB from the list first; nothing was recorded.</small>"
            return
        if self._decide(ksb, "add"):
            self.add_ksb.value = ""

    def _ready_to_record(self) -> bool:
        if not self.selected:
            return False
        if not self.who:
            self.status.value = ('<small class="pc-no">Type your name in <b>Your name</b> first: each decision is '
                                 "saved with it. Nothing was recorded.</small>")
            return False
        return True

    def _decide(self, ksb: str, action: str) -> bool:
        if not self._ready_to_record():
            return False
        try:
            d = self.wb.decide(self.apprentice, self.selected, ksb, action, note=self.note.value.strip(),
                               who=self.who, cohort=self.cohort)
        except (OSError, ValueError) as exc:
            # A piece renamed or removed since the list was drawn, a log locked by another tutor
            # for too long: say so here, where the tutor is looking, and show the folder as it is
            # now. A button callback's exception would only reach Jupyter's log console.
            failed = self.selected
            self.report = self.wb.scan_apprentice(self.apprentice, self.cohort)
            if self._evidence(self.selected) is None:
                self.selected = self.report.evidence[0].file if self.report.evidence else None
            self.refresh()
            self.status.value = (f'<small class="pc-no">Not recorded: {action} {_esc(ksb)} on {_esc(failed)}: '
                                 f"{_esc(str(exc))}. The evidence list has been re-read.</small>")
            return False
        self.note.value = ""
        self.report = self.wb.scan_apprentice(self.apprentice, self.cohort)
        self.refresh()
        from ..notebook import is_temporary_copy
        where = " in the temporary copy (removed when the kernel stops)" if is_temporary_copy(self.cohort) else ""
        self.status.value = (f"<small>Saved{where}: {action} {ksb} on {_esc(self.selected)} by {_esc(d.who)} "
                             f"at {_esc(d.at)}.</small>")
        return True

    def undo(self) -> None:
        """Withdraw this tutor's most recent decision on this apprentice that still stands."""
        if not self.who:
            self._ready_to_record()
            return
        log = self.wb.decision_log(self.cohort)
        decisions = log.decisions()                      # oldest first: the log's own order
        # renamed files followed, as the panels show them: a decision made under a piece's old
        # name is withdrawn on the piece as it is named now
        states = states_for(log._states(decisions), self.apprentice, self.report.evidence)
        standing = {d.id: file for (apr, file), st in states.items() if apr == self.apprentice
                    for d in st.current.values()}
        last = next((d for d in reversed(decisions) if d.apprentice == self.apprentice and d.who == self.who
                     and d.id in standing and self._evidence(standing[d.id]) is not None), None)
        if last is None:
            self.status.value = f"<small>No decision of yours on {_esc(self.apprentice)} to undo.</small>"
            return
        self.selected = standing[last.id]
        self._decide(last.ksb, "withdraw")

    def _save_note(self) -> None:
        if not self.note.value.strip() or not self._ready_to_record():
            return
        d = self.wb.decide(self.apprentice, self.selected, None, "note", note=self.note.value.strip(),
                           who=self.who, cohort=self.cohort)
        self.note.value = ""
        self.refresh()
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
        verdict = a.readiness.value      # ready / ready pending review / not ready: the scan's own words
        rows.append(f"<tr><th>{_esc(a.id)}</th>{''.join(cells)}<td>{verdict}</td></tr>")
    return f'<table class="pc-cov"><tr><th>Apprentice</th>{head}<th>Verdict</th></tr>{"".join(rows)}</table>'


def cohort_view(wb: "Workbench", cohort: Path, as_of=None) -> W.Widget:
    result = wb.scan(cohort, as_of=as_of)
    reasons = "".join(f"<tr><th>{_esc(a.id)}</th><td style=\"text-align:left\">"
                      + "<br>".join(f"{_esc(reason_sentence(r))} <code>{_esc(r.partition(':')[0])}</code>"
                                    for r in a.reasons) + "</td></tr>"
                      for a in result.apprentices if not a.gateway_ready)
    ready = sum(a.gateway_ready for a in result.apprentices)
    pending = sum(a.readiness.value == "ready pending review" for a in result.apprentices)
    # as the CLI and report.html say it: a pending apprentice is not simply "ready"
    summary = (f"{ready} of {len(result.apprentices)} ready for gateway"
               + (f" ({pending} pending review: coverage rests on suggestions no tutor has confirmed)" if pending else ""))
    box = _ReviewBox([W.HTML(_STYLE), W.HTML(f"<b>{_esc(summary)}</b>"),
                      W.HTML(heatmap_html(result, wb.standard)),
                      W.HTML(f'<b>Not ready</b><table class="pc-cov">{reasons}</table>' if reasons else ""),
                      W.HTML(f"<p>Learning from decisions: {_esc(result.learning.describe())}.</p>"
                             if result.learning is not None else
                             f"<p>Acceptance bar: {_esc(result.learning_hint.hint())}.</p>"
                             if result.learning_hint is not None and result.learning_hint.hint() else "")])
    box.placeholder = (f"Cohort view of {cohort.name}: {summary}. "
                       "Run the notebook to see the KSB heatmap and the reasons here.")
    return box

