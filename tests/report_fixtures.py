"""A hand-built result model for renderer tests: hostile names and quotes exactly where a
tutor would see them, without depending on what the tagger happens to quote."""
from __future__ import annotations

from portfolio_check.models import EvidenceResult, Finding, GatewayReport, Readiness, Reason, Severity
from portfolio_check.standards import load_standard
from portfolio_check.store import Decision, DecisionState
from portfolio_check.tagging.base import Quote, Suggestion

STANDARD = load_standard("ST0071")

SCRIPT_FILE = "<img src=x onerror=\"document.title='PWNED-FILE'\">notes.txt"
FORMULA_FILE = "=HYPERLINK(\"http://evil.example\",\"click\").txt"
SCRIPT_QUOTE = "I told the customer <script>document.title='PWNED-QUOTE';window.pwned=1</script> the plan."
FORMULA_QUOTE = "=cmd|' /C calc'!A0 was typed into the call log by the customer."
PLUS_QUOTE = "+44 is the prefix I explained to the caller before escalating."
CONFIRMED_QUOTE = "I escalated the case to my team leader because the refund was above my authority."
REJECTED_QUOTE = "I read the policy on a Tuesday."
NOTE = "Seen the call recording; good example of escalation."


def _s(ksb: str, score: float, accepted: bool, quote: str) -> Suggestion:
    return Suggestion(ksb=ksb, score=score, accepted=accepted, quotes=(Quote(quote, "paragraph 2"),),
                      taggers=("lexical",), reason="test")


def _ev(file: str, suggestions: tuple[Suggestion, ...], kind: str = "text", type_: str = "reflective_account",
        words: int = 420) -> EvidenceResult:
    return EvidenceResult(file=file, sha256="0" * 64, kind=kind, words=words, type=type_, type_confidence=0.9,
                          suggestions=suggestions, cited=(), cited_not_evidenced=(), findings=(), readable=True)


def hostile_report(apr_id: str = "apr-x", name: str = "=Alex <b>Taylor</b>") -> tuple[GatewayReport, dict]:
    """An apprentice whose pieces carry script and formula text, with a confirmed, a suggested,
    a rejected and a weak suggestion, and the decision log state behind them."""
    pieces = (
        _ev(SCRIPT_FILE, (_s("K7", 0.9, True, SCRIPT_QUOTE), _s("K9", 0.5, False, PLUS_QUOTE))),
        _ev(FORMULA_FILE, (_s("S8", 0.8, True, FORMULA_QUOTE),)),
        _ev("good_piece.docx", (_s("K2", 0.9, True, CONFIRMED_QUOTE), _s("B1", 0.85, True, REJECTED_QUOTE)),
            kind="docx", type_="witness_testimony"),
    )
    coverage = {"K7": (SCRIPT_FILE,), "S8": (FORMULA_FILE,), "K2": ("good_piece.docx",), "K5": ("good_piece.docx",)}
    decisions = {
        (apr_id, "good_piece.docx"): DecisionState(
            current={"K2": Decision(apr_id, "good_piece.docx", "K2", "confirm", note=NOTE),
                     "B1": Decision(apr_id, "good_piece.docx", "B1", "reject", note="not about behaviour"),
                     "K5": Decision(apr_id, "good_piece.docx", "K5", "add", note="K5 shown in the table")}),
    }
    finding = Finding("PC601", Severity.WARNING, "=SUM(1+1) <script>document.title='PWNED-FINDING'</script>",
                      file=SCRIPT_FILE)
    apr = GatewayReport(id=apr_id, name=name, readiness=Readiness.NOT_READY,
                        reasons=(Reason("ksb_uncovered", "K10"),), evidence=pieces, findings=(finding,),
                        coverage=coverage, months_on_programme=13, as_of="2025-03-03", pieces=len(pieces),
                        standard="ST0071")
    return apr, decisions
