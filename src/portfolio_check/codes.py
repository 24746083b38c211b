"""The catalogue of every finding code: family, severity, whether it blocks, what it means and
which gateway reason it gives.

Why one catalogue: tutors filter on codes, inspectors see them in exported reports and
``--select/--ignore`` names them, so a code's meaning, severity and reason must live in one
place. The README's code tables are generated from here (``python -m portfolio_check.codes
--markdown``) and a test fails when the README differs. Codes never change meaning once
released: add new ones, never renumber.

Reason kinds are the machine-readable vocabulary of ``expected.csv``; ``REASON_ORDER`` is the
order they are listed in, and :func:`reason_rank` puts a kind it does not know last instead
of raising.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from .models import Severity

FAMILIES = {
    "1": "reading", "2": "length", "3": "evidence count", "4": "KSB coverage",
    "5": "attestation, record and dates", "6": "personal data", "7": "authenticity and duplicates",
}


@dataclass(frozen=True)
class Code:
    """One finding code. ``reason`` is the gateway reason kind a blocking finding gives, with
    ``payload`` describing what follows the colon (``<file>``, ``<n>``, ``<codes>``)."""

    code: str
    title: str
    severity: Severity
    blocking: bool = False
    reason: str | None = None
    payload: str = ""

    @property
    def family(self) -> str:
        return FAMILIES.get(self.code[2], "other")

    @property
    def reason_text(self) -> str:
        if not self.reason:
            return ""
        return f"{self.reason}:{self.payload}" if self.payload else self.reason


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

CATALOGUE: tuple[Code, ...] = (
    # PC1xx reading (see "Bad files"): a file that cannot be read blocks as unreadable
    Code("PC101", "empty file", E, True, "unreadable", "<file>"),
    Code("PC102", "not a format portfolio-check reads (random bytes; images when OCR is not installed)", E, True, "unreadable", "<file>"),
    Code("PC103", "extension and content disagree; read by its content", W),
    Code("PC104", "damaged zip, PDF or archive member", E, True, "unreadable", "<file>"),
    Code("PC105", "password-protected", E, True, "unreadable", "<file>"),
    Code("PC106", "legacy Word 97-2003 `.doc`", E, True, "unreadable", "<file>"),
    Code("PC107", "a zip but not a Word document (main part missing)", E, True, "unreadable", "<file>"),
    Code("PC108", "damaged XML inside a Word document", E, True, "unreadable", "<file>"),
    Code("PC109", "over the size limit (zip or decompression bomb), refused before inflating", E, True, "unreadable", "<file>"),
    Code("PC110", "XML entities present and deliberately not expanded", W),
    Code("PC111", "macro-enabled document: text read, macros never run", W),
    Code("PC112", "no readable text (0 words), never reported as a short count", E, True, "unreadable", "<file>"),
    Code("PC113", "scanned pages with no text layer, not read (no OCR, or over the OCR budget)", W),
    Code("PC114", "scanned pages read by OCR: quotes may hold misread words; handwriting and signatures are not read", W),
    Code("PC115", "only the first pages of a very long PDF were read", W),
    Code("PC116", "document properties unreadable (text unaffected)", I),
    Code("PC117", "not UTF-8; read with a fallback encoding", I),
    Code("PC118", "damaged but repaired on reading; text may be incomplete", W),
    Code("PC119", "e-mail attachment, forwarded message part or PDF embedded file in a format that is not read: listed by name", W),
    Code("PC120", "the file system refused to open the file", E, True, "unreadable", "<file>"),
    Code("PC130", "PDF decompression bomb: a stream over 48 MB or all streams over 256 MB inflated; refused before any PDF library decodes it", E, True, "unreadable", "<file>"),
    Code("PC131", "PDF text a reader cannot see (render mode 3, white on the white page, transparent, under 2 pt, outside the page): not counted, not used as evidence; words, reason and pages given", W),
    Code("PC132", "attachments (e-mail, forwarded messages, PDF embedded files) nested over 3 levels deep or past 20 per file: skipped, named", W),
    Code("PC135", "an optional part (styles, numbering, settings, notes, a header) or a symbol could not be read: skipped, the body was read", W),
    Code("PC136", "two zip members with the same name: the last was read, another reader may show other text", W),
    Code("PC137", "embedded content (altChunk HTML/RTF, OLE object) not read or counted", W),
    Code("PC138", "over the per-file time or text budget: not analysed", E, True, "unreadable", "<file>"),
    Code("PC139", "a symbolic link or junction to another file: not followed, not read", E, True, "unreadable", "<file>"),
    Code("PC199", "portfolio-check failed on this file (a fault in the tool, not the file): please report it", E, True, "unreadable", "<file>"),
    # PC2xx length
    Code("PC201", "project report over its word limit", E),
    Code("PC202", "project report under its word limit", E),
    Code("PC203", "the word count stated on the title page differs from the assessed count", W),
    Code("PC204", "no report body found to count", E),
    Code("PC205", "proposal over its word limit (report check)", E),
    Code("PC206", "the standard sets no report word limit", I),
    Code("PC210", "proposal over its word limit", E, True, "proposal_over_limit", "<n>"),
    Code("PC211", "no proposal (project brief) in `project/`", E, True, "proposal_missing"),
    # PC3xx evidence count
    Code("PC301", "fewer evidence pieces than the standard allows", E, True, "evidence_count_low", "<n>"),
    Code("PC302", "more evidence pieces than the standard allows", E, True, "evidence_count_high", "<n>"),
    Code("PC303", "pieces that add no portfolio KSB: the smallest covering set and the redundant pieces", I),
    Code("PC304", "files in an apprentice's folder outside portfolio/ and project/: not read", W),
    # PC4xx coverage
    Code("PC401", "a KSB of the portfolio's method that no piece is credited with yet", E, True, "ksb_uncovered", "<codes>"),
    Code("PC402", "a piece cites a KSB code it does not evidence (a claim is never coverage)", W),
    Code("PC403", "a piece evidences no KSB clearly", W),
    Code("PC404", "decisions made on an earlier version of a file that has since changed (still applied)", W),
    Code("PC405", "portfolio KSBs covered only by suggestions no tutor has confirmed (ready pending review)", I),
    Code("PC406", "decisions made on a file that was renamed now apply to it under its new name (same content)", I),
    Code("PC407", "decisions made on a file no longer in the portfolio, under its name or its content: not applied", W),
    # PC5xx record, attestation, dates
    Code("PC500", "`apprentice.yaml` missing or unreadable", E, True, "record_missing"),
    Code("PC508", "`apprentice.yaml` without a required fact, or with a value that cannot be read", E, True,
         "record_incomplete", "<fields>"),
    Code("PC509", "the standard the apprentice record names is not known", E, True, "standard_unknown", "<code>"),
    Code("PC501", "witness testimony without a required part of its sign-off (signature, date, job title, "
                  "as the standard requires) or dated outside the programme", E, True, "witness_incomplete", "<file>"),
    Code("PC502", "witness testimony signed by the apprentice", E, True, "witness_incomplete", "<file>"),
    Code("PC503", "a scanned witness testimony that cannot be checked", W),
    Code("PC504", "gateway declaration not signed by apprentice, employer and provider", E, True, "declaration_unsigned"),
    Code("PC505", "under the minimum months on programme at the as-of date (`--as-of`, else `gateway_date`, else today)",
         E, True, "on_programme_short"),
    Code("PC506", "English at the standard's level (or an allowed alternative) not achieved", E, True, "english_missing"),
    Code("PC507", "maths at the standard's level (or an allowed alternative) not achieved", E, True, "maths_missing"),
    Code("PC510", "observation record without the observer's name, role or date", W),
    Code("PC520", "a piece dated before the apprentice started", W),
    Code("PC521", "a piece dated after the gateway / as-of date", W),
    Code("PC522", "a piece dated in the future", W),
    Code("PC590", "the `id:` in `apprentice.yaml` differs from the folder name (decisions follow the id)", I),
    # PC6xx personal data
    Code("PC601", "a customer's e-mail address left in", E, True, "pii", "<file>"),
    Code("PC602", "a customer's phone number left in", E, True, "pii", "<file>"),
    Code("PC603", "a customer's postal address left in", E, True, "pii", "<file>"),
    Code("PC604", "a customer's account, card, policy or sort code number left in", E, True, "pii", "<file>"),
    Code("PC605", "a National Insurance number left in", E, True, "pii", "<file>"),
    Code("PC606", "a customer's full name left in", E, True, "pii", "<file>"),
    # PC7xx authenticity and duplicates
    Code("PC701", "the same evidence twice, within an apprentice or across the cohort (both named)", E, True,
         "duplicate", "<file>"),
    Code("PC702", "nearly the same evidence twice (an edited copy, another format), both named", E, True,
         "duplicate", "<file>"),
    Code("PC703", "a policy document rather than the apprentice's work", W),
    Code("PC704", "a certificate (training done, not learning shown)", I),
)

BY_CODE: dict[str, Code] = {c.code: c for c in CATALOGUE}

# The order reasons are listed in (the expected.csv order); kinds not listed sort last.
REASON_ORDER: tuple[str, ...] = (
    "record_missing", "record_incomplete", "standard_unknown",
    "evidence_count_low", "evidence_count_high", "ksb_uncovered", "proposal_over_limit", "proposal_missing",
    "pii", "witness_incomplete", "duplicate", "unreadable", "english_missing", "maths_missing",
    "declaration_unsigned", "on_programme_short",
)
_RANK = {k: i for i, k in enumerate(REASON_ORDER)}


def reason_rank(kind: str) -> int:
    """Where a reason kind is listed; never raises (an unknown kind goes after every known one)."""
    return _RANK.get(kind, len(REASON_ORDER))


def lookup(code: str) -> Code:
    """The catalogue entry of a code; an uncatalogued code is a programming error, said plainly."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"{code} is not in the code catalogue (portfolio_check/codes.py)") from None


def matches(code: str, patterns: tuple[str, ...] | list[str]) -> bool:
    """flake8-style: a pattern selects every code it prefixes ("PC6" = all personal data)."""
    return any(code.startswith(p.strip().upper()) for p in patterns if p.strip())


# ---------------------------------------------------------------------------- README tables
def markdown(table: str = "scan") -> str:
    """The README table: ``scan`` (PC2xx-PC7xx) or ``bad-files`` (PC1xx)."""
    if table == "bad-files":
        rows = ["| code | meaning | severity |", "|---|---|---|"]
        rows += [f"| {c.code} | {c.title} | {c.severity.value} |" for c in CATALOGUE if c.code.startswith("PC1")]
        return "\n".join(rows)
    rows = ["| code | check | severity | blocks gateway: reason |", "|---|---|---|---|"]
    for c in CATALOGUE:
        if c.code.startswith("PC1"):
            continue
        reason = f"`{c.reason_text}`" if c.blocking else ""
        rows.append(f"| {c.code} | {c.title} | {c.severity.value} | {reason} |")
    return "\n".join(rows)


MARKERS = {"scan": ("<!-- codes:scan:start -->", "<!-- codes:scan:end -->"),
           "bad-files": ("<!-- codes:bad-files:start -->", "<!-- codes:bad-files:end -->")}


def render_readme(text: str) -> str:
    """``text`` (the README) with each generated table replaced by the catalogue's."""
    for table, (start, end) in MARKERS.items():
        i, j = text.index(start) + len(start), text.index(end)
        text = text[:i] + "\n" + markdown(table) + "\n" + text[j:]
    return text


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m portfolio_check.codes", description=__doc__.split("\n")[0])
    p.add_argument("--markdown", choices=["scan", "bad-files"], nargs="?", const="scan",
                   help="print a README code table")
    p.add_argument("--update-readme", metavar="README", help="rewrite the generated tables in this README")
    args = p.parse_args(argv)
    if args.update_readme:
        from pathlib import Path
        path = Path(args.update_readme)
        path.write_text(render_readme(path.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    print(markdown(args.markdown or "scan"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
