"""Apprentice-scope rules: seed 001's gateway checklist and the portfolio rules, one small
function each, every parameter read from the standard.

A missing fact is a failure, never a pass: no record, a record without a required field, no
proposal, an unknown standard each block with their own reason. Checks say what they found;
which findings block and with which reason is the code catalogue's (see ``registry``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from ..models import EvidenceResult, Finding, ProposalCheck, ReportCheck, Severity
from .registry import Hit, check

if TYPE_CHECKING:
    from ..discover import ApprenticeFolder
    from ..standards import Standard


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (12 months from 2023-09-11 is 2024-09-11)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


@dataclass
class ApprenticeContext:
    """Everything an apprentice-scope rule may read (built by the scan, never by a rule)."""

    folder: ApprenticeFolder
    standard: Standard
    as_of: dt.date
    evidence: list[EvidenceResult]
    coverage: dict[str, list[str]]                 # KSB -> files counting for it (accepted or decided)
    proposal: ProposalCheck | None = None
    report: ReportCheck | None = None
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)   # (file, other, "exact"|"near")
    originals: list[tuple[str, str, str]] = field(default_factory=list)    # (original file, its copy, kind)
    stale: dict[str, tuple[str, ...]] = field(default_factory=dict)        # file -> KSBs decided on an old version
    confirmed: dict[str, list[str]] = field(default_factory=dict)          # KSB -> files a tutor confirmed/added
    # KSB -> up to HINT_PIECES (file, score), best first, of its suggestions not accepted and not
    # rejected by a tutor: where to look first when no piece covers it (see nearest_misses)
    closest: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    standard_problem: str | None = None            # the record names a standard that cannot be used
    renamed: dict[str, str] = field(default_factory=dict)     # decisions followed: old file name -> new one
    orphaned: dict[str, int] = field(default_factory=dict)    # decided file gone, nothing to follow -> decisions
    today: dt.date = field(default_factory=dt.date.today)


HINT_PIECES = 3     # pieces PC401 names per uncovered KSB: few enough to read, more than the one best


def nearest_misses(candidates: Iterable[tuple[str, str, float]]) -> dict[str, tuple[tuple[str, float], ...]]:
    """For each KSB, the pieces to read first when it is uncovered: its ``HINT_PIECES`` best
    (file, score) among ``candidates`` (KSB, file, score), best first, one entry per file.

    Why more than one: on writers the tagger never saw, the single best not-accepted suggestion
    named a piece that shows the KSB for about half the uncovered KSBs (bench/tagging_blind.py);
    the next pieces down are often the ones that do, and reading two more costs a tutor little."""
    best: dict[str, dict[str, float]] = {}
    for ksb, file, score in candidates:
        per_file = best.setdefault(ksb, {})
        if score > per_file.get(file, -1.0):
            per_file[file] = score
    return {ksb: tuple(sorted(per_file.items(), key=lambda fs: -fs[1])[:HINT_PIECES])
            for ksb, per_file in best.items()}


# ---------------------------------------------------------------------------- the record
@check("PC500", "PC508", "PC509", name="apprentice record", params=("gateway",))
def record(ctx: ApprenticeContext):
    rec = ctx.folder.record
    aid = ctx.folder.id
    if not rec.exists:
        yield Finding("PC500", Severity.ERROR, f"{aid}: {'; '.join(rec.problems)}: the gateway facts (start date, "
                      "English, maths, declaration) cannot be checked.", file="apprentice.yaml")
        return
    if rec.incomplete:
        yield Hit(Finding("PC508", Severity.ERROR, f"{aid}: apprentice.yaml: {'; '.join(rec.problems)}.",
                          file="apprentice.yaml"), payload=",".join(rec.incomplete))
    if ctx.standard_problem:
        yield Hit(Finding("PC509", Severity.ERROR, f"{aid}: {ctx.standard_problem}", file="apprentice.yaml"),
                  payload=rec.standard or "")


@check("PC590", name="apprentice id")
def apprentice_id(ctx: ApprenticeContext):
    """Decisions are keyed by the record's ``id:``; say so when the folder is named otherwise, so a
    tutor who renamed a folder knows why the decisions still apply (and a typo in ``id:`` shows)."""
    if ctx.folder.id_differs:
        yield Finding("PC590", Severity.INFO, f"{ctx.folder.id}: apprentice.yaml gives id {ctx.folder.id} but the "
                      f"folder is named {ctx.folder.folder_name}; decisions are kept under the id.",
                      file="apprentice.yaml")


@check("PC506", "PC507", name="English and maths", params=("gateway.english_level", "gateway.maths_level"))
def english_maths(ctx: ApprenticeContext):
    rec, gw = ctx.folder.record, ctx.standard.gateway
    if gw.get("english_level") and rec.english_l2 is False:
        yield Finding("PC506", Severity.ERROR, f"{ctx.folder.id}: English at level {gw['english_level']} (or an "
                      "allowed alternative: EHCP Entry Level 3, British Sign Language) is not recorded as achieved.")
    if gw.get("maths_level") and rec.maths_l2 is False:
        yield Finding("PC507", Severity.ERROR, f"{ctx.folder.id}: maths at level {gw['maths_level']} (or EHCP "
                      "Entry Level 3) is not recorded as achieved.")


@check("PC504", name="gateway declaration", params=("gateway.declaration_required",))
def declaration(ctx: ApprenticeContext):
    rec = ctx.folder.record
    if not ctx.standard.gateway.get("declaration_required") or not rec.exists:
        return
    unsigned = [who for who, signed in rec.declaration if signed is False]
    if unsigned:
        yield Finding("PC504", Severity.ERROR, f"{ctx.folder.id}: the gateway declaration is not signed by the "
                      f"{', '.join(unsigned)}.")


@check("PC505", name="time on programme", params=("gateway.on_programme_months",))
def on_programme(ctx: ApprenticeContext):
    need = ctx.standard.gateway.get("on_programme_months")
    start = ctx.folder.record.start_date
    if not need or start is None:
        return
    months = months_between(start, ctx.as_of)
    if months < need:
        yield Finding("PC505", Severity.ERROR, f"{ctx.folder.id}: {months} months on programme at "
                      f"{ctx.as_of.isoformat()}; {need} are needed (from {start.isoformat()}).")


# ---------------------------------------------------------------------------- the portfolio
@check("PC301", "PC302", name="evidence count",
       params=("gateway.portfolio.min_pieces", "gateway.portfolio.max_pieces"))
def evidence_count(ctx: ApprenticeContext):
    port = ctx.standard.gateway["portfolio"]
    n = len(ctx.evidence)
    lo, hi = port["min_pieces"], port["max_pieces"]
    if lo is not None and n < lo:
        yield Hit(Finding("PC301", Severity.ERROR, f"{ctx.folder.id}: {n} pieces of evidence; at least {lo} are needed."),
                  payload=str(n))
    elif hi is not None and n > hi:
        yield Hit(Finding("PC302", Severity.ERROR, f"{ctx.folder.id}: {n} pieces of evidence; at most {hi} are allowed."),
                  payload=str(n))


@check("PC304", name="files outside portfolio/")
def misplaced_files(ctx: ApprenticeContext):
    out = ctx.folder.misplaced
    if out:
        shown = ", ".join(out[:5]) + (f" and {len(out) - 5} more" if len(out) > 5 else "")
        yield Finding("PC304", Severity.WARNING,
                      f"{ctx.folder.id}: {len(out)} file(s) outside portfolio/ and project/ are not read ({shown}). "
                      "Evidence must be in <apprentice>/portfolio/ (lower case), the proposal and report in project/.")


@check("PC401", "PC402", "PC405", name="KSB coverage", params=("gateway.portfolio.serves_method", "ksbs[].method"))
def ksb_coverage(ctx: ApprenticeContext):
    required = list(ctx.standard.portfolio_ksbs)
    if not required:
        yield Finding("PC405", Severity.INFO, f"{ctx.folder.id}: {ctx.standard.code} maps no KSB to the portfolio's "
                      f"method ({ctx.standard.portfolio_method}), so coverage cannot be checked automatically: "
                      "ready pending review at best.")
    missing = [k for k in required if not ctx.coverage.get(k)]
    if missing:
        # The tagger's nearest miss for each, so the tutor knows which piece to read first (a
        # confirmation there covers it); never a suggestion the tutor rejected.
        hints = [f"{k} in " + ", ".join(f"{file} ({score:.2f})" for file, score in ctx.closest[k])
                 for k in missing if ctx.closest.get(k)]
        hint = f" Closest suggestions, not accepted: {'; '.join(hints)}." if hints else ""
        # "Credited", not "evidenced": on writers unlike its training text, all 9 blind apprentices
        # had KSBs their pieces show that no suggestion was accepted for (bench/tagging_blind.py).
        yield Hit(Finding("PC401", Severity.ERROR, f"{ctx.folder.id}: no piece credited yet with {' '.join(missing)} "
                          f"({ctx.standard.portfolio_method} KSBs must each be evidenced at least once): no tutor "
                          "has confirmed them and no suggestion for them was accepted. The tagger misses evidence, "
                          f"so read the pieces and confirm or add what they show.{hint}"),
                  payload=" ".join(missing))
    for ev in ctx.evidence:
        for code in ev.cited_not_evidenced:
            yield Finding("PC402", Severity.WARNING,
                          f"{ev.file} cites {code} but does not evidence it clearly enough to count.", file=ev.file)
    pending = pending_ksbs(ctx)
    if pending and not missing:
        yield Finding("PC405", Severity.INFO, f"{ctx.folder.id}: {len(pending)} portfolio KSBs rest on suggestions "
                      f"no tutor has confirmed yet ({' '.join(pending)}): ready pending review.")


def pending_ksbs(ctx: ApprenticeContext) -> list[str]:
    """Portfolio KSBs covered, but not by any piece a tutor confirmed for it."""
    return [k for k in ctx.standard.portfolio_ksbs if ctx.coverage.get(k) and not ctx.confirmed.get(k)]


@check("PC404", name="stale decisions")
def stale_decisions(ctx: ApprenticeContext):
    for file, ksbs in ctx.stale.items():
        yield Finding("PC404", Severity.WARNING,
                      f"{file} has changed since {len(ksbs)} decision(s) were made on it "
                      f"({' '.join(sorted(ksbs))}); they still apply: re-confirm or withdraw them.", file=file)


@check("PC406", "PC407", name="decisions on renamed or removed files")
def moved_decisions(ctx: ApprenticeContext):
    """A decision is never dropped in silence: followed to a renamed file, or reported."""
    for old, new in sorted(ctx.renamed.items()):
        yield Finding("PC406", Severity.INFO, f"Decisions made on {old} now apply to {new}: the same file, "
                      "renamed.", file=new)
    for old, n in sorted(ctx.orphaned.items()):
        yield Finding("PC407", Severity.WARNING,
                      f"{n} decision(s) and note(s) were made on {old}, which is no longer in the portfolio under "
                      "that name or with that content: they are not applied. If it was renamed and edited, "
                      "decide again on the new file (the old decisions stay in the log).", file=old)


@check("PC501", name="witness and observation dates", params=("gateway.witness_testimony.requires",))
def sign_off_dates(ctx: ApprenticeContext):
    """A sign-off dated in the future, before the start or after the gateway is no valid sign-off."""
    start = ctx.folder.record.start_date
    for ev in ctx.evidence:
        att = ev.attestation
        if ev.type != "witness_testimony" or att is None or att.scanned or not att.date_value:
            continue
        if any(f.code == "PC501" for f in ev.findings):
            continue                              # already incomplete: one reason per testimony
        when = dt.date.fromisoformat(att.date_value)
        problem = None
        if when > ctx.today:
            problem = "is in the future"
        elif start and when < start:
            problem = f"is before the apprentice started ({start:%d %B %Y})"
        elif when > ctx.as_of:
            problem = f"is after the gateway / as-of date ({ctx.as_of:%d %B %Y})"
        if problem:
            yield Finding("PC501", Severity.ERROR, f"{ev.file}: the witness testimony's sign-off date "
                          f"({when:%d %B %Y}) {problem}.", file=ev.file)


@check("PC520", "PC521", "PC522", name="piece dates")
def piece_dates(ctx: ApprenticeContext):
    from ..dating import PieceDate, date_problem
    start = ctx.folder.record.start_date
    for ev in ctx.evidence:
        if ev.date is None:
            continue
        p = date_problem(ev.file, PieceDate(dt.date.fromisoformat(ev.date.date), ev.date.source), start, ctx.as_of,
                         today=ctx.today)
        if p:
            yield Finding(p.code, Severity.WARNING, p.message, file=ev.file)


@check("PC701", "PC702", name="duplicates")
def duplicates(ctx: ApprenticeContext):
    for file, other, kind in ctx.duplicates:
        code = "PC701" if kind == "exact" else "PC702"
        msg = (f"{file} is the same evidence as {other}." if kind == "exact"
               else f"{file} is nearly the same text as {other} (near-duplicate).")
        yield Finding(code, Severity.ERROR, msg, file=file)
    for file, copy, kind in ctx.originals:
        code = "PC701" if kind == "exact" else "PC702"
        yield Hit(Finding(code, Severity.WARNING, f"{file} has a {'copy' if kind == 'exact' else 'near copy'}: "
                          f"{copy}. Submit one of them.", file=file), blocks=False)


@check("PC303", name="smallest covering set", params=("gateway.portfolio.max_pieces",))
def covering_set(ctx: ApprenticeContext):
    plan = cover_plan(ctx)
    if plan is None or not plan.redundant:
        return
    hi = ctx.standard.gateway["portfolio"]["max_pieces"]
    extra = (f" To reach the maximum of {hi}, drop {', '.join(plan.drop_to_limit)}."
             if plan.drop_to_limit else "")
    yield Finding("PC303", Severity.INFO, f"{ctx.folder.id}: {len(plan.keep)} pieces cover every portfolio KSB the "
                  f"{len(ctx.evidence)} pieces cover; {', '.join(plan.redundant)} add none.{extra}"
                  + ("" if plan.exact else " (greedy: the portfolio is too large for the exact search)"))


def cover_plan(ctx: ApprenticeContext):
    """The smallest set of pieces keeping every covered portfolio KSB covered (selection.py)."""
    from ..selection import Piece, smallest_cover
    wanted = set(ctx.standard.portfolio_ksbs)
    if not ctx.evidence or not wanted:
        return None
    pieces = []
    for ev in ctx.evidence:
        ksbs = frozenset(k for k, files in ctx.coverage.items() if k in wanted and ev.file in files)
        confirmed = sum(1 for k, files in ctx.confirmed.items() if ev.file in files)
        score = sum(s.score for s in ev.suggestions if s.accepted)
        signed = bool(ev.attestation and ev.attestation.signature)
        pieces.append(Piece(ev.file, ksbs, preference=confirmed * 10 + score + (1 if ev.date else 0) + signed))
    return smallest_cover(pieces, ctx.standard.gateway["portfolio"]["max_pieces"])


# ---------------------------------------------------------------------------- the project folder
@check("PC210", "PC211", name="proposal", params=("gateway.proposal.max_words", "gateway.proposal.file_patterns"))
def proposal(ctx: ApprenticeContext):
    if not ctx.standard.proposal_required:
        return
    if ctx.proposal is None:
        pats = ", ".join(ctx.standard.proposal_patterns)
        yield Finding("PC211", Severity.ERROR, f"{ctx.folder.id}: no project proposal (brief) found in project/ "
                      f"(a file named like {pats}); the brief is due at gateway.")
        return
    limit = ctx.standard.proposal_max_words
    if limit is not None and ctx.proposal.words > limit:
        yield Hit(Finding("PC210", Severity.ERROR, f"{ctx.proposal.file}: the proposal has {ctx.proposal.words} words; "
                          f"the limit is {limit}.", file=ctx.proposal.file), payload=str(ctx.proposal.words))


@check("PC201", "PC202", "PC203", "PC204", "PC205", "PC206", name="report length",
       params=("gateway.report", "report_policies"))
def report_length(ctx: ApprenticeContext):
    """The report check's length findings (made by report_check, the report's own rule)."""
    import dataclasses
    if ctx.report:
        for f in ctx.report.findings:
            if f.code.startswith("PC2"):
                yield dataclasses.replace(f, file=ctx.report.file)
