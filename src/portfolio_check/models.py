"""Result types shared by every layer.

Everything a parser, counter, tagger or check produces is a frozen dataclass: results are
values that can be cached, compared in tests and serialised to JSON without surprises.
Front-ends (CLI, notebooks, widgets) only ever read these.
"""
from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any


class Role(str, enum.Enum):
    """What a block of text is in its document; the word counter and tagger key off this."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"
    HEADER = "header"
    FOOTER = "footer"
    FOOTNOTE = "footnote"
    ENDNOTE = "endnote"
    TEXT_BOX = "text_box"
    CAPTION = "caption"
    TOC = "toc"


class Severity(str, enum.Enum):
    ERROR = "error"      # blocks the gateway or makes a file unusable
    WARNING = "warning"  # a tutor should look, but it does not block on its own
    INFO = "info"        # context worth knowing


@dataclass(frozen=True)
class Location:
    """Where a block sits: a page for PDFs, a paragraph index for flowing formats. ``ocr``:
    the text was read from a scan by OCR, so a quote from it says so (a misread word is then
    the scan's reading, not the apprentice's spelling)."""

    page: int | None = None
    paragraph: int | None = None
    line: int | None = None
    ocr: bool = False

    def describe(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        where = ", ".join(parts) or "document"
        return f"{where} (read by OCR)" if self.ocr else where


@dataclass(frozen=True)
class Block:
    """One run of text with a role.

    ``level`` is the heading level (1 = top) or the list nesting level. ``label`` is the list
    bullet/number Word would draw for a list item ("1.", "a)", "•"): it is kept apart from
    ``text`` because Word counts it, the EPA rule does not, and a tutor may want either.
    ``style`` is the source style name when the format has one. ``page_break_before`` marks a
    block that starts on a new page (explicit break or section break), which the report
    splitter uses to find title pages and annexes. ``bold`` says the whole block is bold.
    """

    role: Role
    text: str
    location: Location = field(default_factory=Location)
    level: int | None = None
    label: str = ""
    style: str = ""
    page_break_before: bool = False
    bold: bool = False
    in_toc_field: bool = False
    table: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["role"] = self.role.value
        return d


@dataclass(frozen=True)
class Finding:
    """A coded, plain-English observation about one file or apprentice.

    ``code`` is stable (PC1xx reading, PC2xx length, PC3xx evidence count, PC4xx coverage,
    PC5xx attestation and dates, PC6xx personal data, PC7xx duplicates and authenticity).
    Messages never contain evidence text or personal data values.
    """

    code: str
    severity: Severity
    message: str
    file: str | None = None
    where: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "where": self.where,
        }


@dataclass(frozen=True)
class DocMetadata:
    author: str | None = None
    created: str | None = None
    modified: str | None = None
    pages: int | None = None
    title: str | None = None


@dataclass(frozen=True)
class Document:
    """What every parser returns: ordered blocks, metadata and reading findings.

    ``kind`` is the format actually detected from the content (docx, pdf, text, markdown,
    email), which may differ from what the file name says. ``attachments`` holds parsed
    attachments of an email. ``image_only_pages`` lists pages with no text layer (scans);
    ``ocr_pages`` those of them whose text was read by OCR (:mod:`.parse.ocr`).
    ``properties`` holds format-specific facts (email headers, Word settings that change the
    count such as ``doNotIncludeSubdocsInStats``).
    """

    path: str
    kind: str
    blocks: tuple[Block, ...] = ()
    metadata: DocMetadata = field(default_factory=DocMetadata)
    findings: tuple[Finding, ...] = ()
    attachments: tuple["Document", ...] = ()
    image_only_pages: tuple[int, ...] = ()
    ocr_pages: tuple[int, ...] = ()
    properties: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def is_scan(self) -> bool:
        """A scan (or photo) whose only text, if any, came from OCR. OCR reads print, not
        handwriting, so a sign-off on such a form (a signature, a handwritten title or date)
        is never judged present or absent from it: the tutor looks at the scan."""
        return bool(self.image_only_pages) and all(
            b.location.ocr for b in self.blocks if b.role is not Role.FOOTER and b.text.strip())

    @property
    def readable(self) -> bool:
        """False when the file could not be read at all (an error finding and no text)."""
        return not any(f.severity is Severity.ERROR for f in self.findings) or bool(self.blocks)

    def all_blocks(self) -> list[Block]:
        """The document's blocks followed by those of its attachments (an e-mail's files)."""
        blocks = list(self.blocks)
        for att in self.attachments:
            blocks.extend(att.blocks)
        return blocks

    def text(self, roles: set[Role] | None = None) -> str:
        return "\n".join(b.text for b in self.blocks if roles is None or b.role in roles)


# ---------------------------------------------------------------------------- vocabularies
class Readiness(str, enum.Enum):
    """The three gateway states, the same words in every output (CLI, JSON, CSV, HTML, XLSX,
    DataFrames, widget).

    ``PENDING`` means every fact is met but some portfolio KSB is covered only by suggestions
    no tutor has confirmed yet: the machine's guess is not a verdict a tutor can sign.
    """

    READY = "ready"
    PENDING = "ready pending review"
    NOT_READY = "not ready"

    @property
    def label(self) -> str:
        return {"ready": "Ready for gateway", "ready pending review": "Ready pending review",
                "not ready": "Not ready for gateway"}[self.value]


class DecisionAction(str, enum.Enum):
    """What a tutor can do to a suggestion (the decision log's ``action`` values)."""

    CONFIRM = "confirm"
    REJECT = "reject"
    ADD = "add"
    WITHDRAW = "withdraw"
    NOTE = "note"


class EvidenceType(str, enum.Enum):
    """What kind of piece a file is; the witness, observation and authenticity checks key off it."""

    WITNESS_TESTIMONY = "witness_testimony"
    REFLECTIVE_ACCOUNT = "reflective_account"
    CUSTOMER_FEEDBACK = "customer_feedback"
    EMAIL_THREAD = "email_thread"
    CALL_LOG = "call_log"
    MEETING_NOTES = "meeting_notes"
    ONE_TO_ONE_REVIEW = "one_to_one_review"
    PERSONAL_DEVELOPMENT_PLAN = "personal_development_plan"
    OBSERVATION_RECORD = "observation_record"
    PRODUCT = "product"
    TRAINING_CERTIFICATE = "training_certificate"
    POLICY_DOCUMENT = "policy_document"
    OTHER = "other"

    @classmethod
    def parse(cls, value: str | None) -> "EvidenceType":
        """Never raises: a type a tagger invents later reads as OTHER."""
        try:
            return cls(value or "other")
        except ValueError:
            return cls.OTHER


class Reason(str):
    """A machine-readable gateway reason: ``kind`` plus an optional ``payload``.

    Its text is the expected.csv vocabulary (``"duplicate:file.docx"``, ``"maths_missing"``),
    so it is a ``str`` (joins, comparisons and JSON work unchanged) with typed parts. The order
    reasons are listed in comes from the code catalogue (``codes.reason_rank``), which never
    raises for a kind it does not know.
    """

    __slots__ = ()

    def __new__(cls, kind: str, payload: str | None = None) -> "Reason":
        if payload is None:          # Reason("kind:payload") (also how pickle rebuilds one)
            return super().__new__(cls, kind)
        return super().__new__(cls, f"{kind}:{payload}" if payload != "" else kind)

    @property
    def kind(self) -> str:
        return self.partition(":")[0]

    @property
    def payload(self) -> str:
        return self.partition(":")[2]


# ---------------------------------------------------------------------------- results
if TYPE_CHECKING:
    from .standards import ReportLimit
    from .tagging.base import Suggestion
    from .wordcount import ReportParts


@dataclass(frozen=True)
class PieceDate:
    """When a piece was written, and where that date was read from (text, e-mail header, metadata)."""

    date: str            # ISO date
    source: str          # "text" | "email" | "metadata"

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "source": self.source}


@dataclass(frozen=True)
class EvidenceResult:
    """One portfolio file, analysed once: what the checks, reports and widgets need of it.

    It keeps suggestions with their quotes, per-file findings and duplicate fingerprints, not
    the text, so a cohort of thousands of files never sits in memory.
    """

    file: str                      # name inside portfolio/ (sub-folders kept)
    sha256: str
    kind: str
    words: int
    type: str
    type_confidence: float
    suggestions: tuple["Suggestion", ...]
    cited: tuple[str, ...]
    cited_not_evidenced: tuple[str, ...]
    findings: tuple[Finding, ...]
    readable: bool
    text_hash: str = ""            # normalised text, for exact duplicates that differ in bytes
    signature: tuple[int, ...] = field(default=(), repr=False)
    pages: int | None = None
    date: PieceDate | None = None
    author: str | None = None
    attestation: "Attestation | None" = None

    @property
    def accepted(self) -> tuple[str, ...]:
        return tuple(s.ksb for s in self.suggestions if s.accepted)

    @property
    def evidence_type(self) -> EvidenceType:
        return EvidenceType.parse(self.type)

    def to_dict(self) -> dict[str, Any]:
        out = {"file": self.file, "sha256": self.sha256, "kind": self.kind, "words": self.words,
               "type": self.type, "type_confidence": self.type_confidence,
               "suggestions": [s.to_dict() for s in self.suggestions],
               "cited": list(self.cited), "cited_not_evidenced": list(self.cited_not_evidenced),
               "findings": [f.to_dict() for f in self.findings], "readable": self.readable}
        if self.date is not None:
            out["date"] = self.date.to_dict()
        if self.author:
            out["author"] = self.author
        if self.attestation is not None:
            out["attestation"] = self.attestation.to_dict()
        return out


@dataclass(frozen=True)
class Attestation:
    """A witness testimony's or observation record's sign-off, as read from the piece."""

    signature: bool
    date: bool
    job_title: bool
    witness_name: str | None = None
    relationship: bool = False
    date_value: str | None = None        # ISO date when the sign-off date could be read
    job_title_value: str | None = None
    # A scanned form: its sign-off is for the tutor's eye, never read from OCR text.
    scanned: bool = False

    def missing(self, requires: tuple[str, ...] = ("signature", "date", "job_title")) -> list[str]:
        """The required parts that are absent, in plain words ("job title")."""
        have = {"signature": self.signature, "date": self.date, "job_title": self.job_title,
                "relationship": self.relationship}
        return [r.replace("_", " ") for r in requires if not have.get(r, False)]

    def to_dict(self) -> dict[str, Any]:
        return {"signature": self.signature, "date": self.date, "job_title": self.job_title,
                "relationship": self.relationship, "date_value": self.date_value,
                "job_title_value": self.job_title_value, "scanned": self.scanned}


@dataclass(frozen=True)
class SectionResult:
    """KSB suggestions for one body section of a project report."""

    heading: str
    words: int
    suggestions: tuple["Suggestion", ...] = ()
    cited_not_evidenced: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"heading": self.heading, "words": self.words,
                "suggestions": [s.to_dict() for s in self.suggestions],
                "cited_not_evidenced": list(self.cited_not_evidenced)}


@dataclass(frozen=True)
class ReportCheck:
    """A project report against the standard's word limit: the breakdown, verdict and findings,
    and (when the standard has a report method) suggestions per section."""

    file: str
    parts: "ReportParts"
    assessed: int
    limit: "ReportLimit | None"
    within: bool | None
    findings: tuple[Finding, ...] = ()
    sections: tuple[SectionResult, ...] | None = None
    ksbs_missing: tuple[str, ...] | None = None

    @property
    def verdict(self) -> str:
        return {True: "within limit", False: "outside limit", None: "no limit set"}[self.within]

    @property
    def extra(self) -> dict[str, Any]:
        """The section results as plain data (what ``to_dict`` adds); kept for notebooks."""
        if self.sections is None:
            return {}
        return {"sections": [s.to_dict() for s in self.sections], "ksbs_missing": list(self.ksbs_missing or ())}

    def plot(self):
        """Word-count breakdown with the limit band drawn (matplotlib figure)."""
        from .plots import word_count_breakdown
        return word_count_breakdown(self)

    @property
    def sections_table(self):
        """Body sections with their words and accepted KSBs (pandas DataFrame)."""
        import pandas as pd
        rows = [{"section": s.heading, "words": s.words,
                 "ksbs": " ".join(x.ksb for x in s.suggestions if x.accepted)} for s in self.sections or ()]
        return pd.DataFrame(rows, columns=["section", "words", "ksbs"])

    @property
    def breakdown(self):
        """Words per part and whether the limit counts it (pandas DataFrame)."""
        import pandas as pd
        from .wordcount import PARTS
        counted = set(self.limit.counts) if self.limit else set()
        return pd.DataFrame([{"part": p, "words": self.parts.words[p], "counted": p in counted} for p in PARTS])

    def to_dict(self) -> dict[str, Any]:
        limit = None
        if self.limit is not None:
            limit = {"min": self.limit.min_words, "max": self.limit.max_words, "within": self.within,
                     "target": self.limit.target_words, "tolerance_pct": self.limit.tolerance_pct,
                     "policy": self.limit.policy, "counts": list(self.limit.counts)}
        out = {
            "file": self.file,
            "words": dict(self.parts.words),
            "assessed": self.assessed,
            "limit": limit,
            "verdict": self.verdict,
            "stated_word_count": self.parts.stated_word_count,
            "findings": [f.to_dict() for f in self.findings],
        }
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class ProposalCheck:
    """The project proposal (brief) due at gateway: its word count against the limit."""

    file: str
    words: int
    limit: int | None = None
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "words": self.words, "limit": self.limit,
                "findings": [f.to_dict() for f in self.findings]}


@dataclass(frozen=True)
class GatewayReport:
    """One apprentice's gateway verdict with everything behind it.

    ``readiness`` is the verdict (see :class:`Readiness`); ``reasons`` the blocking reasons in
    catalogue order; ``coverage`` maps each KSB to the pieces counting for it (tutor decisions
    outrank suggestions); ``pending`` lists the portfolio KSBs whose coverage rests only on
    suggestions no tutor has confirmed; ``covering_set``/``redundant`` the smallest set of pieces
    that keeps every covered portfolio KSB covered and the pieces it leaves out; ``read_first``
    the pieces PC401 names for an uncovered KSB.
    """

    id: str
    name: str | None
    readiness: Readiness
    reasons: tuple[Reason, ...]
    evidence: tuple[EvidenceResult, ...]
    findings: tuple[Finding, ...]
    coverage: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    proposal: ProposalCheck | None = field(default=None, hash=False, compare=False)
    report: ReportCheck | None = field(default=None, hash=False, compare=False)
    months_on_programme: int | None = None
    as_of: str = ""
    decisions_applied: int = 0
    pieces: int = 0
    standard: str = ""
    pending: tuple[str, ...] = ()
    covering_set: tuple[str, ...] | None = None
    redundant: tuple[str, ...] = ()
    checklist: tuple["ChecklistItem", ...] = ()
    # uncovered-or-not portfolio KSB -> up to three (file, score) of its best suggestions not
    # accepted and not rejected, best first: where a tutor reads first for an uncovered KSB
    read_first: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        # Reasons arrive as text from caches and old callers; they are always typed here.
        if not all(type(r) is Reason for r in self.reasons):
            object.__setattr__(self, "reasons", tuple(Reason(str(r)) for r in self.reasons))

    @property
    def gateway_ready(self) -> bool:
        """True for ready and for ready pending review: no gateway rule fails."""
        return self.readiness is not Readiness.NOT_READY

    def summary(self) -> "GatewayReport":
        """The verdict without per-file detail (what a streaming scan keeps in memory)."""
        return dataclasses.replace(self, evidence=(), coverage={}, report=None, read_first={})

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "gateway_ready": self.gateway_ready,
                "readiness": self.readiness.value, "standard": self.standard,
                "reasons": list(self.reasons), "months_on_programme": self.months_on_programme,
                "pending": list(self.pending),
                "evidence": [e.to_dict() for e in self.evidence],
                "findings": [f.to_dict() for f in self.findings],
                "coverage": {k: list(v) for k, v in self.coverage.items()},
                "proposal": self.proposal.to_dict() if self.proposal else None,
                "report": self.report.to_dict() if self.report else None,
                "covering_set": list(self.covering_set) if self.covering_set is not None else None,
                "redundant": list(self.redundant),
                "read_first": {k: [{"file": f, "score": round(sc, 3)} for f, sc in v] for k, v in self.read_first.items()},
                "checklist": [c.to_dict() for c in self.checklist]}


@dataclass(frozen=True)
class ChecklistItem:
    """One line of the gateway checklist (seed 001): what it is, whether it is met, and why."""

    item: str
    status: str           # "met" | "not met" | "missing" | "not required"
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "status": self.status, "detail": self.detail}


def to_jsonable(value: Any) -> Any:
    """The one JSON serializer: every result type to plain JSON data (``to_dict`` where a type
    defines its own shape, enums as their value, tuples as lists)."""
    if hasattr(value, "to_dict"):
        return to_jsonable(value.to_dict())
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str) or value is None or isinstance(value, (bool, int, float)):
        return str(value) if isinstance(value, str) else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a result type")


def dumps(value: Any, **kwargs: Any) -> str:
    """JSON text of any result (UTF-8 kept as is, never evidence text in logs: callers decide)."""
    import json
    kwargs.setdefault("ensure_ascii", False)
    return json.dumps(to_jsonable(value), **kwargs)
