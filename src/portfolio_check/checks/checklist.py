"""Seed 001's gateway checklist, item by item, from the record and the rules' findings.

Why: a tutor and an EPAO read the gateway as a list (12 months, English, maths, declaration
by apprentice, employer and provider, portfolio, project brief), each met or not; the
reasons say why not, this says where each item stands, missing facts included.
"""
from __future__ import annotations

from typing import Iterable

from ..models import ChecklistItem
from .gateway import ApprenticeContext, months_between
from .registry import Hit


def checklist(ctx: ApprenticeContext, hits: Iterable[Hit]) -> tuple[ChecklistItem, ...]:
    rec, gw = ctx.folder.record, ctx.standard.gateway
    codes = {h.finding.code for h in hits}
    items: list[ChecklistItem] = []

    def add(item: str, ok: bool | None, detail: str = "", required: bool = True) -> None:
        status = "not required" if not required else ("missing" if ok is None else ("met" if ok else "not met"))
        items.append(ChecklistItem(item, status, detail))

    need = gw.get("on_programme_months")
    months = months_between(rec.start_date, ctx.as_of) if rec.start_date else None
    add(f"{need or 0} months on programme", None if months is None else months >= (need or 0),
        f"{months} months at {ctx.as_of.isoformat()}" if months is not None else "start_date missing",
        required=bool(need))
    add(f"English at level {gw.get('english_level')}", rec.english_l2, rec.english_basis or "",
        required=bool(gw.get("english_level")))
    add(f"Maths at level {gw.get('maths_level')}", rec.maths_l2, rec.maths_basis or "",
        required=bool(gw.get("maths_level")))
    for who, signed in rec.declaration or (("apprentice", None), ("employer", None), ("provider", None)):
        add(f"Gateway declaration signed by the {who}", signed, required=bool(gw.get("declaration_required")))
    port = gw["portfolio"]
    portfolio_ok = not codes & {"PC301", "PC302", "PC401"}
    add("Portfolio of evidence", portfolio_ok,
        f"{len(ctx.evidence)} pieces ({port['min_pieces']}-{port['max_pieces']} allowed)")
    if ctx.standard.proposal_required:
        add("Project brief (proposal)", None if ctx.proposal is None else "PC210" not in codes,
            f"{ctx.proposal.file}, {ctx.proposal.words} words" if ctx.proposal else "none in project/")
    return tuple(items)
