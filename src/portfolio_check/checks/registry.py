"""The rule engine: every check is a small function registered with the codes it emits, its
scope and the standard keys its parameters come from (pandera / flake8 style).

Scopes: ``file`` checks run once per piece inside the analysis (their findings are cached with
the piece); ``apprentice`` checks see one apprentice's record, pieces, coverage and project
folder; ``cohort`` checks see facts gathered across apprentices (duplicates). Every check runs,
every finding is collected, none is raised. Which findings block, and with which reason, is
the code catalogue's business (:mod:`portfolio_check.codes`), not the check's: a check says
what it found, the engine turns blocking codes into reasons in catalogue order. ``select`` and
``ignore`` (by code or prefix) drop findings before any reason is derived, so an ignored rule
neither shows nor blocks.
"""
from __future__ import annotations

import re

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Literal

from .. import codes as catalogue
from ..models import Finding, Reason

Scope = Literal["file", "apprentice", "cohort"]


@dataclass(frozen=True)
class Hit:
    """A finding and what its reason needs: ``payload`` (default: the finding's file) and
    ``blocks`` (False for a finding that informs but must not block again, e.g. the original
    of a duplicated piece)."""

    finding: Finding
    payload: str | None = None
    blocks: bool = True


@dataclass(frozen=True)
class Check:
    name: str
    codes: tuple[str, ...]
    scope: Scope
    fn: Callable[[Any], Iterable[Hit | Finding]]
    params: tuple[str, ...] = ()      # where in the standard its parameters sit ("gateway.portfolio.max_pieces")


REGISTRY: list[Check] = []


def check(*codes: str, scope: Scope = "apprentice", name: str = "", params: tuple[str, ...] = ()):
    """Register a check under the codes it emits (each must be in the catalogue)."""
    for c in codes:
        catalogue.lookup(c)

    def deco(fn):
        REGISTRY.append(Check(name or fn.__name__, tuple(codes), scope, fn, params))
        return fn

    return deco


@dataclass(frozen=True)
class Selection:
    """flake8-style ``select``/``ignore`` by code or prefix ("PC6", "PC703")."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def allows(self, code: str) -> bool:
        if self.select and not catalogue.matches(code, self.select):
            return False
        return not catalogue.matches(code, self.ignore)

    @classmethod
    def parse(cls, select: str | Iterable[str] | None = None, ignore: str | Iterable[str] | None = None,
              base: "Selection | None" = None) -> "Selection":
        """From CLI text ("PC5,PC6") or settings lists; given values replace ``base``'s."""
        def split(v):
            if v is None:
                return None
            items = v.split(",") if isinstance(v, str) else list(v)
            return tuple(str(i).strip().upper() for i in items if str(i).strip())
        base = base or cls()
        s, i = split(select), split(ignore)
        out = cls(base.select if s is None else s, base.ignore if i is None else i)
        out.validate()
        return out

    def validate(self) -> None:
        """ValueError for a pattern that names no rule. A typo must never switch rules off
        unseen: ``--select PC50l`` once selected nothing, so nothing blocked and a not-ready
        apprentice was "ready". A pattern is "PC" and 1-3 digits that start a catalogue code;
        a bare "PC" (every rule) is refused too: ignoring every rule is never a check."""
        known = [c.code for c in catalogue.CATALOGUE]
        bad = [p for p in self.select + self.ignore
               if not re.fullmatch(r"PC\d{1,3}", p) or not any(code.startswith(p) for code in known)]
        if bad:
            raise ValueError(f"unknown rule code or prefix: {', '.join(bad)} (a code such as PC501, or a "
                             "prefix such as PC5 for every PC5xx rule; the README's tables list them)")

    def describe(self) -> str:
        """What the selection leaves out, in words ("" when every rule runs)."""
        parts = ([f"only {', '.join(self.select)}"] if self.select else []) + \
                ([f"not {', '.join(self.ignore)}"] if self.ignore else [])
        return "; ".join(parts)


ALL = Selection()


def checks_for(scope: Scope) -> list[Check]:
    return [c for c in REGISTRY if c.scope == scope]


def run(scope: Scope, ctx: Any) -> list[Hit]:
    """Every registered check of ``scope`` on ``ctx``; all hits collected in registry order."""
    hits: list[Hit] = []
    for c in checks_for(scope):
        for h in c.fn(ctx):
            hits.append(h if isinstance(h, Hit) else Hit(h))
    return hits


def reasons(hits: Iterable[Hit]) -> tuple[Reason, ...]:
    """The blocking reasons of these hits, once each, in catalogue order."""
    out: list[Reason] = []
    for h in hits:
        entry = catalogue.BY_CODE.get(h.finding.code)
        if not h.blocks or entry is None or not entry.blocking or not entry.reason:
            continue
        payload = h.payload if h.payload is not None else (h.finding.file or "" if entry.payload else "")
        r = Reason(entry.reason, payload if entry.payload else "")
        if r not in out:
            out.append(r)
    return tuple(sorted(out, key=lambda r: catalogue.reason_rank(r.kind)))


def select(hits: Iterable[Hit], selection: Selection) -> list[Hit]:
    return [h for h in hits if selection.allows(h.finding.code)]
