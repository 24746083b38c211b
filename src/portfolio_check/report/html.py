"""The HTML report: one self-contained page a tutor opens in any browser and can print.

Rendered with Jinja2 templates shipped in ``report/templates`` with autoescaping on, so a file
name or a quote holding HTML or ``<script>`` is shown as text and never runs; a
Content-Security-Policy that allows no script at all is the second lock on the same door.
Quotes sit in ``<details>`` (expandable on screen) and the print stylesheet opens them, so a
printed or PDF copy shows every quote. Columns that would be empty everywhere are left out.

Sections stream into a temporary file inside the output folder (never the system temp folder,
never kept after an interruption) while the overview, which needs every verdict, is written
last, on top.
"""
from __future__ import annotations

import datetime as dt
import functools
import shutil
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from .matrix import LEGEND, MatrixRow, Status
from .words import READINESS_CSS, readiness_words, reason_words

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

    from ..models import GatewayReport as ApprenticeReport
    from ..standards import Standard


@functools.lru_cache(maxsize=1)
def environment() -> "jinja2.Environment":
    import jinja2
    return jinja2.Environment(loader=jinja2.PackageLoader("portfolio_check", "report/templates"),
                              autoescape=True, trim_blocks=False, undefined=jinja2.StrictUndefined)


def stylesheet() -> "Markup":
    """Our own stylesheet, marked safe: autoescaping it would turn its quotes (font names) into
    entities that CSS does not decode, and the page would lose its fonts."""
    from markupsafe import Markup
    return Markup(environment().loader.get_source(environment(), "style.css")[0])


@dataclass(frozen=True)
class Reason:
    code: str
    words: str


def reasons(apr: "ApprenticeReport") -> list[Reason]:
    return [Reason(str(r), reason_words(r)) for r in apr.reasons]


@dataclass(frozen=True)
class Piece:
    file: str
    type: str
    cells: tuple[MatrixRow | None, ...]
    other: tuple[str, ...]
    quotes: tuple[MatrixRow, ...]
    notes: tuple[str, ...]


def pieces(apr: "ApprenticeReport", standard: "Standard", rows: list[MatrixRow],
           notes: dict[str, list[str]]) -> list[Piece]:
    """Per evidence piece: the matrix cells of the portfolio's KSBs, the other KSBs that count,
    and the rows behind them (for the quotes)."""
    ksbs = list(standard.portfolio_ksbs)
    order = {k: i for i, k in enumerate(standard.codes)}
    by = {(r.ksb, r.file): r for r in rows}
    out = []
    for ev in apr.evidence:
        mine = sorted((r for r in rows if r.file == ev.file), key=lambda r: order.get(r.ksb, 10**6))
        other = tuple(r.ksb for r in mine if r.ksb not in ksbs and r.counts)
        out.append(Piece(ev.file, str(ev.type).replace("_", " "), tuple(by.get((k, ev.file)) for k in ksbs),
                         other, tuple(mine), tuple(notes.get(ev.file, ()))))
    return out


def render_section(apr: "ApprenticeReport", standard: "Standard", rows: list[MatrixRow],
                   notes: dict[str, list[str]]) -> str:
    ps = pieces(apr, standard, rows, notes)
    ksbs = [standard.ksb(k) for k in standard.portfolio_ksbs]
    covered = [len(apr.coverage.get(k.code, ())) for k in ksbs]
    return environment().get_template("apprentice.html.j2").render(
        apr=apr, verdict=readiness_words(apr), verdict_css=READINESS_CSS[apr.readiness.value], reasons=reasons(apr), ksbs=ksbs, pieces=ps,
        show_other=any(p.other for p in ps), covered=covered)


class HtmlWriter:
    """Sections into ``body`` as apprentices arrive; the page into ``page`` at the end."""

    def __init__(self, body: IO[str], standard: "Standard", as_of: dt.date | None, cohort: str,
                 rules_left_out: str = ""):
        self._body = body
        self.rules_left_out = rules_left_out
        self.standard = standard
        self.as_of = as_of
        self.cohort = cohort
        self.summary: list[dict[str, Any]] = []

    def add(self, apr: "ApprenticeReport", rows: list[MatrixRow], notes: dict[str, list[str]],
            standard: "Standard | None" = None) -> None:
        self.summary.append({"id": apr.id, "name": apr.name or "", "ready": apr.gateway_ready,
                             "readiness": apr.readiness.value, "css": READINESS_CSS[apr.readiness.value],
                             "pieces": len(apr.evidence), "reasons": reasons(apr)})
        self._body.write(render_section(apr, standard or self.standard, rows, notes))

    def finish(self, page: IO[str]) -> None:
        env = environment()
        self._body.flush()
        self._body.seek(0)
        page.write(env.get_template("head.html.j2").render(
            title=f"Gateway report: {self.cohort}", css=stylesheet(), standard=self.standard,
            as_of=self.as_of.isoformat() if self.as_of else None, summary=self.summary,
            ready=sum(1 for s in self.summary if s["ready"]),
            pending=sum(1 for s in self.summary if s["readiness"] == "ready pending review"), legend=LEGEND,
            rules_left_out=self.rules_left_out))
        shutil.copyfileobj(self._body, page)
        page.write(env.get_template("foot.html.j2").render(
            generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M")))


__all__ = ["HtmlWriter", "render_section", "environment", "stylesheet", "Status"]
