"""Word-compatible word counting and the parts of a project report.

The rules follow desktop Microsoft Word (see ``../shared/corpus/WORDCOUNT-RULES.md``): a word
is a maximal run of non-space characters, so "real-time", "and/or", "e.g.", "1,250", "3.5%"
and URLs are one word each; every Chinese, Japanese or Korean character is a word of its own;
a footnote reference mark is not a word; fields count by their displayed result. Where Word's
behaviour is open, the choice is a :class:`CountOptions` setting with a documented default.

A report is split into parts (title page, contents, body text, body tables, list labels,
footnotes, references, annexes, headers/footers) so that a standard's policy profile can say
which parts its limit applies to: ST0071 counts body text and body tables.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .models import Block, Document, Role

# Scripts Word counts one word per character.
_CJK_RANGES = (
    (0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3040, 0x30FF), (0x3100, 0x312F), (0x3130, 0x318F),
    (0x3190, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF), (0xFF01, 0xFF60), (0x20000, 0x2FA1F),
)
_DASHES = {"-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"}
_WS = re.compile(r"[ \t\n\r\f\v\u2028\u2029\u1680\u2000-\u200a\u202f\u205f\u3000\u000b]+")
_WS_NBSP = re.compile(r"[ \t\n\r\f\v\u2028\u2029\u1680\u2000-\u200a\u202f\u205f\u3000\u000b\u00a0]+")


_CJK = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES) + "]")


@dataclass(frozen=True)
class CountOptions:
    """Choices where Word's behaviour is open or user-configurable.

    * ``count_lone_dashes``: a dash standing alone between spaces ("a – b") counts as a word.
      Default True, as Word 2007+ is reported to and as the dev reports' ground truth does.
    * ``nbsp_separates``: a non-breaking space separates words. Default True (it is still a
      space to Word's counter; it only stops a line break).
    * ``include_notes_and_boxes``: Word's "Include textboxes, footnotes and endnotes" box.
      Default True (ticked in desktop Word); a document's ``w:doNotIncludeSubdocsInStats``
      setting turns it off for that document when ``honour_document_setting`` is True.
    * ``include_list_labels``: count list bullets and numbers in the document total. Word
      2007 files in the corpus do (oxsdk style_1: +20 words for 24 list paragraphs), a Word
      2010 file does not (pydocx num-having-numbering-part: "1." not counted). Default False
      (current Word); :meth:`for_word_version` turns it on for files saved by Word 2007.
    * ``trailing_space_counts``: Word 2007's statistic counts a paragraph that ends in a space
      as one more word (poi sample.docx: 230 = 228 tokens + 2 such paragraphs). Off by default.

    Report parts never depend on the last two: list labels are always reported as their own
    part (``body_list_labels``) and the EPA policy decides whether they count.
    """

    count_lone_dashes: bool = True
    nbsp_separates: bool = True
    include_notes_and_boxes: bool = True
    honour_document_setting: bool = True
    include_list_labels: bool = False
    trailing_space_counts: bool = False

    @classmethod
    def for_word_version(cls, app_version: str | None) -> "CountOptions":
        """The profile matching the Word version that saved a file (docProps/app.xml AppVersion)."""
        try:
            major = int(str(app_version).split(".")[0])
        except (TypeError, ValueError):
            return cls()
        if major <= 12:
            return cls(include_list_labels=True, trailing_space_counts=True)
        return cls()


DEFAULT_OPTIONS = CountOptions()


def count_words(text: str, options: CountOptions = DEFAULT_OPTIONS) -> int:
    """Words in ``text`` by desktop Word's rules."""
    if not text:
        return 0
    splitter = _WS_NBSP if options.nbsp_separates else _WS
    n = 0
    for token in splitter.split(text):
        if not token:
            continue
        if not options.count_lone_dashes and all(ch in _DASHES for ch in token):
            continue
        if _CJK.search(token):
            # Each CJK character is a word; the non-CJK runs between them are words too.
            n += len(_CJK.findall(token)) + len(_CJK.sub(" ", token).split())
            continue
        if all(unicodedata.category(ch) in ("So", "Sk", "Cf", "Mn") or ch in "\ufe0f\u200d" for ch in token):
            continue   # a lone emoji or invisible mark is not a word
        n += 1
    return n


def document_word_count(doc: Document, options: CountOptions | None = None) -> int:
    """The whole-document count Word's Review > Word Count dialog shows (headers/footers out).

    Without ``options`` the profile of the Word version that saved the file is used.
    """
    if options is None:
        options = CountOptions.for_word_version(doc.properties.get("app_version"))
    include_subdocs = options.include_notes_and_boxes
    if options.honour_document_setting and doc.properties.get("doNotIncludeSubdocsInStats"):
        include_subdocs = False
    total = 0
    for b in doc.blocks:
        if b.role in (Role.HEADER, Role.FOOTER):
            continue
        if b.role in (Role.FOOTNOTE, Role.ENDNOTE, Role.TEXT_BOX) and not include_subdocs:
            continue
        total += count_words(b.text, options)
        if options.trailing_space_counts and b.text.strip() and b.text[-1:] in (" ", "\u00a0"):
            total += 1
        if options.include_list_labels and b.label:
            total += count_words(b.label, options)
    return total


# --------------------------------------------------------------------------------------------
# Report parts
# --------------------------------------------------------------------------------------------
PARTS = ("title_page", "contents", "body_text", "body_tables", "body_list_labels",
         "footnotes", "references", "annexes", "headers_footers")

_CONTENTS = re.compile(r"^\s*(table of contents|contents|content)\s*:?\s*$", re.I)
_REFERENCES = re.compile(r"^\s*(\d+(\.\d+)*\.?\s+)?(references?( list)?|bibliography|works cited|sources( and references)?|reference list)\s*:?\s*$", re.I)
_ANNEX = re.compile(r"^\s*(annex(e|es)?|appendix|appendices)\b(\s*[A-Z0-9IVX]{1,4}\b)?", re.I)
_ANNEX_ONLY = re.compile(r"^\s*(annex(e|es)?|appendix|appendices)\s*:?\s*$", re.I)
_TOC_ENTRY = re.compile(r"(\t\s*\d{1,3}\s*$)|(\.{3,}\s*\d{1,3}\s*$)|(\s\d{1,3}\s*$)")
_STATED = re.compile(
    r"(?:word\s*count|words?\s*(?:used|total)|total\s*words?|length)[^0-9\n]{0,120}?(\d{1,3}(?:[,.\u00a0 ]\d{3})+|\d{3,6})"
    r"|(\d{1,3}(?:[,\u00a0 ]\d{3})+|\d{3,6})\s*words\b", re.I)


@dataclass(frozen=True)
class Section:
    """A body section: its heading and the blocks under it (for section-level tagging)."""

    heading: str
    words: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ReportParts:
    words: dict[str, int]
    blocks: dict[str, tuple[Block, ...]] = field(hash=False, compare=False)
    sections: tuple[Section, ...] = ()
    stated_word_count: int | None = None

    def total(self, parts) -> int:
        return sum(self.words[p] for p in parts)


def _is_annex_start(b: Block, prev_page_break: bool) -> bool:
    text = b.text.strip()
    if not text or not _ANNEX.match(text):
        return False
    if _ANNEX_ONLY.match(text) and b.role in (Role.HEADING, Role.PARAGRAPH):
        return True     # "APPENDICES" on its own line
    if b.role is Role.HEADING:
        return True
    # Annexes typed in normal text: short, at the top of a page, or bold.
    short = count_words(text) <= 14
    return short and (b.page_break_before or prev_page_break or b.bold)


def _is_references_start(b: Block) -> bool:
    text = b.text.strip()
    return bool(_REFERENCES.match(text)) and (b.role in (Role.HEADING, Role.PARAGRAPH)) and count_words(text) <= 5


def _looks_like_toc_entry(b: Block) -> bool:
    return b.role is Role.TOC or b.in_toc_field or bool(_TOC_ENTRY.search(b.text.rstrip()))


def _looks_like_body_start(b: Block) -> bool:
    if b.role is Role.HEADING:
        return True
    return b.role is Role.PARAGRAPH and count_words(b.text) > 40


def stated_word_count(blocks) -> int | None:
    """The word count an apprentice states on the title page ("Word count: 2,493")."""
    for b in blocks:
        m = _STATED.search(b.text)
        if m:
            raw = m.group(1) or m.group(2)
            digits = re.sub(r"[^0-9]", "", raw)
            if digits:
                value = int(digits)
                if 50 <= value <= 200000:
                    return value
    return None


def split_report(doc: Document, options: CountOptions = DEFAULT_OPTIONS) -> ReportParts:
    """Assign every block of a report to one part and count each part."""
    flow = [b for b in doc.blocks if b.role not in (Role.HEADER, Role.FOOTER, Role.FOOTNOTE, Role.ENDNOTE)]
    assigned: dict[str, list[Block]] = {p: [] for p in PARTS}
    assigned["headers_footers"] = [b for b in doc.blocks if b.role in (Role.HEADER, Role.FOOTER)]
    assigned["footnotes"] = [b for b in doc.blocks if b.role in (Role.FOOTNOTE, Role.ENDNOTE)]
    is_pdf = doc.kind == "pdf"

    # 1. Title page: the first page, when a page break (or PDF page) ends it early and it
    #    holds no body text.
    i = 0
    first_page_end = None
    for idx, b in enumerate(flow):
        if idx > 0 and (b.page_break_before if not is_pdf else (b.location.page or 1) > (flow[0].location.page or 1)):
            first_page_end = idx
            break
    if first_page_end is not None:
        first_page = flow[:first_page_end]
        words = sum(count_words(b.text) for b in first_page)
        has_body = any(_CONTENTS.match(b.text) for b in first_page) or any(
            b.role is Role.PARAGRAPH and count_words(b.text) > 60 for b in first_page)
        if words <= 250 and not has_body:
            assigned["title_page"] = list(first_page)
            i = first_page_end

    # 2. Contents: a "Contents" heading (or a TOC field) and its entries.
    j = i
    while j < len(flow) and not flow[j].text.strip():
        j += 1
    if j < len(flow) and (_CONTENTS.match(flow[j].text) or _looks_like_toc_entry(flow[j]) and flow[j].role is Role.TOC):
        k = j + 1 if _CONTENTS.match(flow[j].text) else j
        while k < len(flow):
            b = flow[k]
            if k > j and b.page_break_before and not (b.role is Role.TOC or b.in_toc_field):
                break
            if not (_looks_like_toc_entry(b) or b.role is Role.TOC) and _looks_like_body_start(b) and k > j:
                break
            k += 1
        assigned["contents"] = list(flow[j:k])
        i = k

    # 3. Body, references and annexes, in document order.
    part = "body"
    prev_break = False
    current_heading: Block | None = None
    sections: list[tuple[Block | None, list[Block]]] = []
    for b in flow[i:]:
        if part != "annexes" and _is_annex_start(b, prev_break):
            part = "annexes"
        elif _is_references_start(b):
            part = "references"
        elif part == "references" and b.role is Role.HEADING and not _ANNEX.match(b.text):
            part = "body"   # a heading after the references returns to body text
        prev_break = b.page_break_before and not b.text.strip()
        if part == "body":
            if b.role is Role.TABLE_CELL:
                assigned["body_tables"].append(b)
            else:
                assigned["body_text"].append(b)
            if b.role is Role.HEADING and (b.level or 1) <= _top_level(flow):
                current_heading = b
                sections.append((b, []))
            elif not sections:
                sections.append((None, []))
            sections[-1][1].append(b)
            if b.label:
                assigned["body_list_labels"].append(b)
        else:
            assigned[part].append(b)

    words = {p: 0 for p in PARTS}
    for p, blocks in assigned.items():
        if p == "body_list_labels":
            words[p] = sum(count_words(b.label, options) for b in blocks)
        else:
            words[p] = sum(count_words(b.text, options) for b in blocks)
    secs = tuple(Section(heading=(h.text.strip() if h else ""),
                         words=sum(count_words(b.text, options) for b in blocks if b is not h),
                         blocks=tuple(blocks)) for h, blocks in sections if blocks)
    stated = stated_word_count(assigned["title_page"] or flow[:40])
    return ReportParts(words=words, blocks={p: tuple(v) for p, v in assigned.items()}, sections=secs,
                       stated_word_count=stated)


def _top_level(flow) -> int:
    levels = [b.level for b in flow if b.role is Role.HEADING and b.level and b.level > 0]
    return min(levels) if levels else 1
