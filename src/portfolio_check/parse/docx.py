"""DOCX: the text Word shows, in document order, with the role of every block.

What a plain ``Document.paragraphs`` walk misses and this parser handles, because each of
these changes a word count or a KSB quote:

* tables (nested too), content controls (``w:sdt``), smart tags and custom XML wrappers;
* text boxes, counted once: DrawingML text boxes are stored twice (``mc:Choice`` and a VML
  ``mc:Fallback`` copy) and only the Choice is read;
* fields by their displayed result (TOC entries, hyperlinks, PAGE), never their codes;
* tracked changes as Word shows the final text: insertions in, deletions and moved-from out;
* footnotes and endnotes, headers and footers, each part once;
* list labels ("1.", "a)", "•") computed from ``numbering.xml`` and kept apart from the text;
* text a reader cannot see (``w:vanish``, white on white with no shading, 1-pt type) is left
  out of the text, the count and the KSB evidence, and reported (PC131), so padding is visible;
* embedded content we do not read (``w:altChunk`` HTML/RTF, OLE objects) is reported (PC137);
* a bad optional part (styles, numbering, settings, notes, a header) or a bad symbol costs only
  that part: the body is still read and a warning names what was skipped (PC135).
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..models import Block, DocMetadata, Document, Finding, Location, Role, Severity
from . import codes, image, ocr
from .registry import register
from .numbering import Numbering
from .opc import Package, PackageError, open_package
from .sniff import Kind

W_NS = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main")
REL_BASE = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
            "http://purl.oclc.org/ooxml/officeDocument/relationships/")
MACRO_CT = "application/vnd.ms-word.document.macroEnabled.main+xml"

# Containers whose children are read as if inline in their parent.
_TRANSPARENT_INLINE = {"hyperlink", "smartTag", "customXml", "ins", "moveTo", "sdtContent", "fldSimple",
                       "dir", "bdo", "Choice", "oMathPara", "oMath", "e", "num", "den", "sub", "sup",
                       "deg", "lim", "fName", "rad", "nary", "d", "f", "sSub", "sSup", "sSubSup",
                       "func", "limLow", "limUpp", "bar", "box", "borderBox", "acc", "groupChr",
                       "m", "mr", "eqArr", "sPre"}
_SKIP = {"del", "moveFrom", "pPr", "rPr", "sdtPr", "sdtEndPr", "Fallback", "commentRangeStart",
         "commentRangeEnd", "bookmarkStart", "bookmarkEnd", "proofErr", "permStart", "permEnd",
         "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"}
_TRUE = {None, "1", "true", "on"}


def _ln(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _wattr(el: etree._Element, name: str) -> str | None:
    for ns in W_NS:
        v = el.get(f"{{{ns}}}{name}")
        if v is not None:
            return v
    return None


def _child(el: etree._Element, name: str) -> etree._Element | None:
    for c in el:
        if _ln(c) == name:
            return c
    return None


def _on(el: etree._Element | None) -> bool:
    return el is not None and _wattr(el, "val") in _TRUE


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    outline: int | None = None
    num_id: str | None = None
    ilvl: int = 0
    bold: bool | None = None


@dataclass
class _Styles:
    by_id: dict[str, _Style] = field(default_factory=dict)
    default_para: str | None = None

    def chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            st = self.by_id[style_id]
            yield st
            style_id = st.based_on

    def name(self, style_id: str | None) -> str:
        st = self.by_id.get(style_id or "")
        return st.name if st else (style_id or "")

    def outline(self, style_id: str | None) -> int | None:
        for st in self.chain(style_id):
            if st.outline is not None:
                return st.outline
            m = re.fullmatch(r"heading\s*([1-9])", st.name.strip().lower())
            if m:
                return int(m.group(1)) - 1
        return None

    def numbering(self, style_id: str | None) -> tuple[str | None, int]:
        for st in self.chain(style_id):
            if st.num_id is not None:
                return st.num_id, st.ilvl
        return None, 0

    def bold(self, style_id: str | None) -> bool:
        for st in self.chain(style_id):
            if st.bold is not None:
                return st.bold
        return False


def _load_styles(pkg: Package, part: str | None) -> _Styles:
    styles = _Styles()
    if not part:
        return styles
    root = pkg.xml(part)
    for el in root:
        if _ln(el) != "style":
            continue
        sid = _wattr(el, "styleId") or ""
        st = _Style()
        for c in el:
            ln = _ln(c)
            if ln == "name":
                st.name = _wattr(c, "val") or ""
            elif ln == "basedOn":
                st.based_on = _wattr(c, "val")
            elif ln == "pPr":
                ol = _child(c, "outlineLvl")
                if ol is not None and (_wattr(ol, "val") or "").isdigit():
                    st.outline = int(_wattr(ol, "val"))
                num = _child(c, "numPr")
                if num is not None:
                    nid = _child(num, "numId")
                    lvl = _child(num, "ilvl")
                    st.num_id = _wattr(nid, "val") if nid is not None else None
                    st.ilvl = int(_wattr(lvl, "val") or 0) if lvl is not None else 0
            elif ln == "rPr":
                b = _child(c, "b")
                if b is not None:
                    st.bold = _on(b)
        styles.by_id[sid] = st
        if _wattr(el, "type") == "paragraph" and _wattr(el, "default") in ("1", "true"):
            styles.default_para = sid
    return styles


@dataclass
class _Field:
    phase: str = "code"      # "code" until fldChar separate, then "result"
    instr: str = ""


@dataclass
class _Para:
    """Text gathered from one paragraph while walking its runs."""

    parts: list[str] = field(default_factory=list)
    bold_chars: int = 0
    plain_chars: int = 0
    page_break_at: int | None = None   # text length when a page break was met
    text_boxes: list[etree._Element] = field(default_factory=list)
    in_toc: bool = False


@dataclass
class _Issues:
    """What the walk had to leave out, shared by every walker over one package."""

    skipped: list[str] = field(default_factory=list)          # optional parts / items not read
    embedded: dict[str, int] = field(default_factory=dict)    # kind -> how many
    hidden: dict[str, int] = field(default_factory=dict)      # why -> words left out


def _invisible(rpr: etree._Element) -> str | None:
    """Why a run's text cannot be seen on the page, or None. Direct formatting only."""
    if _on(_child(rpr, "vanish")) or _on(_child(rpr, "specVanish")):
        return "hidden (w:vanish)"
    sz = _child(rpr, "sz")
    val = _wattr(sz, "val") if sz is not None else None
    if val and val.isdigit() and int(val) <= 2:
        return "1-point or smaller"
    color = _child(rpr, "color")
    if color is not None and (_wattr(color, "val") or "").upper() == "FFFFFF":
        shd = _child(rpr, "shd")
        fill = (_wattr(shd, "fill") or "auto").upper() if shd is not None else "AUTO"
        highlight = _child(rpr, "highlight")
        shaded = fill not in ("AUTO", "FFFFFF") or (highlight is not None and _wattr(highlight, "val") not in (None, "none", "white"))
        if not shaded:
            return "white on white"
    return None


class _Walker:
    def __init__(self, styles: _Styles, numbering: Numbering, story: Role | None = None,
                 issues: _Issues | None = None):
        self.styles = styles
        self.numbering = numbering
        self.issues = issues if issues is not None else _Issues()
        self.story = story            # None for the main body; HEADER/FOOTER/FOOTNOTE/... otherwise
        self.blocks: list[Block] = []
        self.fields: list[_Field] = []
        self.paragraph_no = 0
        self.table_no = 0
        self.pending_page_break = False
        self.section_types: list[str] = []
        self.section_index = 0

    # -- fields --------------------------------------------------------------------------------
    def _showing(self) -> bool:
        return all(f.phase == "result" for f in self.fields)

    def _in_toc(self) -> bool:
        return any(f.instr.strip().upper().startswith("TOC") for f in self.fields)

    # -- inline content --------------------------------------------------------------------------
    def _run(self, run: etree._Element, para: _Para, bold_para: bool) -> None:
        rpr = _child(run, "rPr")
        hidden = False
        why_hidden: str | None = None
        bold = bold_para
        if rpr is not None:
            why_hidden = _invisible(rpr)
            hidden = why_hidden is not None
            b = _child(rpr, "b")
            rstyle = _child(rpr, "rStyle")
            if b is not None:
                bold = _on(b)
            elif rstyle is not None and self.styles.bold(_wattr(rstyle, "val")):
                bold = True
        for c in run:
            ln = _ln(c)
            if ln == "fldChar":
                kind = _wattr(c, "fldCharType")
                if kind == "begin":
                    self.fields.append(_Field())
                elif kind == "separate" and self.fields:
                    self.fields[-1].phase = "result"
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if ln == "instrText":
                if self.fields and self.fields[-1].phase == "code":
                    self.fields[-1].instr += c.text or ""
                continue
            if ln in ("drawing", "pict", "AlternateContent", "object"):
                if ln == "object" and any(_ln(x) == "OLEObject" for x in c.iter()):
                    self.issues.embedded["an embedded (OLE) object"] = self.issues.embedded.get("an embedded (OLE) object", 0) + 1
                para.text_boxes.extend(self._text_boxes(c))
                continue
            if ln == "ruby":
                base = _child(c, "rubyBase")   # the base text; the phonetic guide (w:rt) is not read
                if base is not None:
                    self._inline(base, para, bold)
                continue
            if not self._showing() or hidden:
                if hidden and self._showing() and ln == "t" and (c.text or "").strip() and why_hidden:
                    self.issues.hidden[why_hidden] = self.issues.hidden.get(why_hidden, 0) + len(c.text.split())
                if ln == "br" and _wattr(c, "type") == "page":
                    para.page_break_at = sum(map(len, para.parts))
                continue
            text = ""
            if ln == "t":
                text = c.text or ""
            elif ln == "tab" or ln == "ptab":
                text = "\t"
            elif ln in ("br", "cr"):
                if _wattr(c, "type") == "page":
                    para.page_break_at = sum(map(len, para.parts))
                text = "\n"
            elif ln == "noBreakHyphen":
                text = "-"
            elif ln == "sym":
                code = _wattr(c, "char") or ""
                try:
                    text = chr(int(code, 16))
                except (ValueError, OverflowError):   # not hex, or past U+10FFFF: only the symbol is lost
                    text = ""
                    self.issues.skipped.append(f"a symbol character (w:sym {code[:12]!r})")
            elif ln == "AlternateContent":
                continue
            if text:
                para.parts.append(text)
                n = len(text.strip())
                if bold:
                    para.bold_chars += n
                else:
                    para.plain_chars += n

    def _inline(self, el: etree._Element, para: _Para, bold_para: bool) -> None:
        for c in el:
            ln = _ln(c)
            if ln in _SKIP:
                continue
            if ln == "r":
                self._run(c, para, bold_para)
            elif ln == "fldSimple":
                instr = (_wattr(c, "instr") or "").strip().upper()
                if instr.startswith("TOC"):
                    para.in_toc = True
                self._inline(c, para, bold_para)
            elif ln == "AlternateContent":
                choice = _child(c, "Choice")
                if choice is not None:
                    for sub in choice:
                        para.text_boxes.extend(self._text_boxes(sub))
                    self._inline(choice, para, bold_para)
            elif ln in _TRANSPARENT_INLINE or ln == "sdt":
                self._inline(c, para, bold_para)

    def _text_boxes(self, el: etree._Element) -> list[etree._Element]:
        """The ``w:txbxContent`` elements under a drawing, never under an mc:Fallback."""
        found = []
        stack = [el]
        while stack:
            node = stack.pop()
            for c in node:
                ln = _ln(c)
                if ln == "Fallback":
                    continue
                if ln == "txbxContent":
                    found.append(c)
                    continue
                stack.append(c)
        found.reverse()
        return found

    # -- block content -------------------------------------------------------------------------
    def body(self, container: etree._Element, cell_table: int | None = None) -> None:
        for c in container:
            ln = _ln(c)
            if ln == "p":
                self.paragraph(c, cell_table)
            elif ln == "tbl":
                self.table(c)
            elif ln == "sdt":
                content = _child(c, "sdtContent")
                if content is not None:
                    self.body(content, cell_table)
            elif ln in ("customXml", "ins", "moveTo", "smartTag"):
                self.body(c, cell_table)
            elif ln == "AlternateContent":
                choice = _child(c, "Choice")
                if choice is not None:
                    self.body(choice, cell_table)
            elif ln == "altChunk":
                self.issues.embedded["an embedded document (w:altChunk)"] = \
                    self.issues.embedded.get("an embedded document (w:altChunk)", 0) + 1
            elif ln == "sectPr":
                continue

    def table(self, tbl: etree._Element) -> None:
        self.table_no += 1
        tid = self.table_no
        for row in tbl:
            if _ln(row) == "sdt":
                content = _child(row, "sdtContent")
                rows = list(content) if content is not None else []
            else:
                rows = [row]
            for r in rows:
                if _ln(r) != "tr":
                    continue
                for cell in r:
                    cl = _ln(cell)
                    if cl == "tc":
                        self.body(cell, cell_table=tid)
                    elif cl == "sdt":
                        content = _child(cell, "sdtContent")
                        if content is not None:
                            for tc in content:
                                if _ln(tc) == "tc":
                                    self.body(tc, cell_table=tid)

    def paragraph(self, p: etree._Element, cell_table: int | None = None) -> None:
        self.paragraph_no += 1
        ppr = _child(p, "pPr")
        style_id = None
        num_id: str | None = None
        ilvl = 0
        outline = None
        page_break_before = self.pending_page_break
        self.pending_page_break = False
        ends_section = False
        if ppr is not None:
            ps = _child(ppr, "pStyle")
            style_id = _wattr(ps, "val") if ps is not None else None
            num = _child(ppr, "numPr")
            if num is not None:
                nid = _child(num, "numId")
                lvl = _child(num, "ilvl")
                num_id = _wattr(nid, "val") if nid is not None else None
                ilvl = int(_wattr(lvl, "val") or 0) if lvl is not None else 0
            ol = _child(ppr, "outlineLvl")
            if ol is not None and (_wattr(ol, "val") or "").isdigit():
                outline = int(_wattr(ol, "val"))
            if _on(_child(ppr, "pageBreakBefore")):
                page_break_before = True
            ends_section = _child(ppr, "sectPr") is not None
        style_id = style_id or self.styles.default_para
        if num_id is None:
            num_id, style_ilvl = self.styles.numbering(style_id)
            if num_id is not None and not (ppr is not None and _child(ppr, "numPr") is not None):
                ilvl = style_ilvl
        if outline is None:
            outline = self.styles.outline(style_id)
        style_name = self.styles.name(style_id)
        bold_para = self.styles.bold(style_id)

        was_in_toc = self._in_toc()
        para = _Para()
        self._inline(p, para, bold_para)
        in_toc = was_in_toc or para.in_toc or self._in_toc()
        text = "".join(para.parts)
        if para.page_break_at is not None:
            if text[: para.page_break_at].strip():
                self.pending_page_break = True   # the break is after the text: next block is on a new page
            else:
                page_break_before = True
        if ends_section:
            self.section_index += 1
            nxt = self.section_types[self.section_index] if self.section_index < len(self.section_types) else "nextPage"
            if nxt != "continuous":
                self.pending_page_break = True

        label = ""
        if num_id not in (None, "0"):
            label = self.numbering.label(num_id, ilvl)

        lname = style_name.lower()
        if self.story is not None:
            role = self.story
        elif cell_table is not None:
            role = Role.TABLE_CELL
        elif in_toc or re.fullmatch(r"toc ?\d|toc heading|table of contents\s*\d*", lname) and lname != "toc heading":
            role = Role.TOC
        elif lname in ("title", "subtitle"):
            role = Role.HEADING
            outline = -1
        elif outline is not None and 0 <= outline < 9:
            role = Role.HEADING
        elif lname.startswith("caption") or lname == "table caption":
            role = Role.CAPTION
        elif num_id not in (None, "0") and label != "":
            role = Role.LIST_ITEM
        elif num_id not in (None, "0") and lname.startswith("list"):
            role = Role.LIST_ITEM
        else:
            role = Role.PARAGRAPH
        level = None
        if role is Role.HEADING:
            level = (outline if outline is not None else 0) + 1
        elif role is Role.LIST_ITEM:
            level = ilvl + 1

        total = para.bold_chars + para.plain_chars
        bold = total > 0 and para.bold_chars >= total
        if text.strip() or label:
            self.blocks.append(Block(role=role, text=text, location=Location(paragraph=self.paragraph_no),
                                     level=level, label=label, style=style_name,
                                     page_break_before=page_break_before, bold=bold,
                                     in_toc_field=in_toc, table=cell_table))
        elif page_break_before:
            self.pending_page_break = True   # carry an empty page-break paragraph's break forward
        for box in para.text_boxes:
            self._text_box(box)

    def _text_box(self, content: etree._Element) -> None:
        inner = _Walker(self.styles, self.numbering, story=self.story or Role.TEXT_BOX, issues=self.issues)
        inner.paragraph_no = self.paragraph_no
        inner.body(content)
        self.blocks.extend(inner.blocks)


def _core_metadata(pkg: Package, findings: list[Finding], name: str, props: dict) -> DocMetadata:
    author = created = modified = title = None
    pages = None
    for rel in pkg.rels(""):
        try:
            if rel.rel_type.endswith("/core-properties") and pkg.has(rel.target):
                root = pkg.xml(rel.target)
                for el in root:
                    ln = _ln(el)
                    val = (el.text or "").strip() or None
                    if ln == "creator":
                        author = val
                    elif ln == "created":
                        created = val
                    elif ln == "modified":
                        modified = val
                    elif ln == "title":
                        title = val
            elif rel.rel_type.endswith("/extended-properties") and pkg.has(rel.target):
                root = pkg.xml(rel.target)
                for el in root:
                    if _ln(el) == "Pages" and (el.text or "").strip().isdigit():
                        pages = int(el.text.strip())
                    elif _ln(el) == "AppVersion":
                        props["app_version"] = (el.text or "").strip()
                    elif _ln(el) == "Application":
                        props["application"] = (el.text or "").strip()
        except (etree.XMLSyntaxError, PackageError, KeyError, zipfile.BadZipFile):
            findings.append(Finding(codes.METADATA, Severity.INFO,
                                    f"{name}: document properties (author, dates) could not be read; the text was read normally.",
                                    file=name))
    return DocMetadata(author=author, created=created, modified=modified, pages=pages, title=title)


def _rel_suffix(rel_type: str) -> str:
    for base in REL_BASE:
        if rel_type.startswith(base):
            return rel_type[len(base):]
    return rel_type.rsplit("/", 1)[-1]


def _notes(pkg: Package, part: str, styles: _Styles, numbering: Numbering, role: Role,
           issues: _Issues | None = None) -> list[Block]:
    root = pkg.xml(part)
    blocks: list[Block] = []
    for note in root:
        if _ln(note) not in ("footnote", "endnote"):
            continue
        if (_wattr(note, "type") or "normal") != "normal":
            continue   # separators and continuation notices
        w = _Walker(styles, numbering, story=role, issues=issues)
        w.body(note)
        nid = _wattr(note, "id")
        for b in w.blocks:
            blocks.append(Block(role=b.role, text=b.text, location=Location(paragraph=int(nid) if (nid or "").lstrip("-").isdigit() else None),
                                label=b.label, style=b.style))
    return blocks


@register(Kind.DOCX)
def parse_docx(path: Path, head: bytes) -> Document:
    name = path.name
    findings: list[Finding] = []
    try:
        pkg = open_package(path)
    except PackageError as exc:
        return Document(path=str(path), kind="docx",
                        findings=(Finding(exc.code, Severity.ERROR, f"{name} cannot be read: {exc}.", file=name),))
    try:
        return _parse_package(pkg, path, findings)
    except PackageError as exc:
        return Document(path=str(path), kind="docx",
                        findings=(Finding(exc.code, Severity.ERROR, f"{name} cannot be read: {exc}.", file=name),))
    except etree.XMLSyntaxError as exc:
        msg = str(exc)
        if "depth" in msg.lower():
            why = "its XML is nested too deeply to read safely"
        elif "encoding" in msg.lower() or "utf" in msg.lower():
            why = "its XML contains bytes that are not valid in its declared encoding"
        elif "entit" in msg.lower():
            why = "its XML uses entities that are not allowed"
        else:
            why = "its XML is not well-formed (damaged or hand-edited)"
        return Document(path=str(path), kind="docx",
                        findings=(Finding(codes.XML_INVALID, Severity.ERROR, f"{name} cannot be read: {why}.", file=name),))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        return Document(path=str(path), kind="docx",
                        findings=(Finding(codes.CORRUPT, Severity.ERROR,
                                          f"{name} cannot be read: a part of the archive is damaged ({exc}).", file=name),))
    finally:
        pkg.zf.close()


def _parse_package(pkg: Package, path: Path, findings: list[Finding]) -> Document:
    name = path.name
    main = pkg.main_part()
    if pkg.content_type(main) == MACRO_CT:
        findings.append(Finding(codes.MACROS, Severity.WARNING,
                                f"{name} is a macro-enabled document: its text was read and its macros were "
                                "ignored (never run). Ask for it to be saved as a plain .docx.", file=name))
    rels = {r.rel_id: r for r in pkg.rels(main)}
    by_type: dict[str, list[str]] = {}
    for r in rels.values():
        if not r.external:
            by_type.setdefault(_rel_suffix(r.rel_type), []).append(r.target)

    def first(kind: str) -> str | None:
        for t in by_type.get(kind, []):
            if pkg.has(t):
                return t
        return None

    issues = _Issues()

    def optional(what: str, load, default):
        """An optional part that cannot be read costs only itself (a bomb still stops the file)."""
        try:
            return load()
        except PackageError as exc:
            if exc.code in (codes.TOO_LARGE, codes.ENCRYPTED):
                raise
        except (etree.XMLSyntaxError, ValueError, KeyError, IndexError, EOFError, zipfile.BadZipFile):
            pass
        issues.skipped.append(what)
        return default

    styles = optional("the styles part (headings may be read as paragraphs)",
                      lambda: _load_styles(pkg, first("styles")), None) or _Styles()
    numbering = optional("the numbering part (list labels are missing)",
                         lambda: Numbering.from_xml(pkg.xml(first("numbering"))) if first("numbering") else Numbering.empty(),
                         None) or Numbering.empty()
    settings: dict[str, object] = {}
    settings_part = first("settings")
    if settings_part:
        sroot = optional("the settings part", lambda: pkg.xml(settings_part), None)
        if sroot is not None:
            settings["doNotIncludeSubdocsInStats"] = any(_ln(c) == "doNotIncludeSubdocsInStats" and _on(c) for c in sroot)

    root = pkg.xml(main)
    body = _child(root, "body")
    if body is None:
        raise PackageError(codes.NOT_WORD, "its main part has no document body")
    walker = _Walker(styles, numbering, issues=issues)
    walker.section_types = [(_wattr(t, "val") if (t := _child(s, "type")) is not None else "nextPage")
                            for s in body.iter(*(f"{{{ns}}}sectPr" for ns in W_NS))]
    walker.body(body)
    blocks = list(walker.blocks)

    for kind, role in (("footnotes", Role.FOOTNOTE), ("endnotes", Role.ENDNOTE)):
        part = first(kind)
        if part:
            blocks.extend(optional(f"the {kind} part ({part})",
                                   lambda: _notes(pkg, part, styles, numbering, role, issues), []))
    for kind, role in (("header", Role.HEADER), ("footer", Role.FOOTER)):
        for part in sorted(set(by_type.get(kind, []))):
            if not pkg.has(part):
                continue

            def story(part=part, role=role) -> list[Block]:
                w = _Walker(styles, numbering, story=role, issues=issues)
                w.body(pkg.xml(part))
                return w.blocks
            blocks.extend(optional(f"a {kind} ({part})", story, []))

    if pkg.repaired:
        findings.append(Finding(codes.RECOVERED, Severity.WARNING,
                                f"{name} is damaged ({pkg.repaired}); check the text is complete.", file=name))
    if pkg.saw_doctype:
        findings.append(Finding(codes.ENTITIES, Severity.WARNING,
                                f"{name} declares XML entities (a DTD); they were not expanded, for safety, so any text "
                                "they stand for is missing.", file=name))
    findings.extend(_issue_findings(pkg, issues, name))
    metadata = _core_metadata(pkg, findings, name, settings)
    pictures: tuple[int, ...] = ()
    read: tuple[int, ...] = ()
    if not any(b.text.strip() for b in blocks):
        images = [t for t in dict.fromkeys(by_type.get("image", [])) if pkg.has(t)]
        if images:
            ocr_text, read, why = _pasted_scans(pkg, images, name)
            pictures = tuple(range(1, len(images) + 1))
            blocks.extend(ocr_text)
            findings.extend(why)
        else:
            findings.append(Finding(codes.NO_TEXT, Severity.ERROR,
                                    f"{name} contains no readable text (0 words).", file=name))
    return Document(path=str(path), kind="docx", blocks=tuple(blocks), metadata=metadata,
                    findings=tuple(findings), properties=settings, image_only_pages=pictures, ocr_pages=read)


def _pasted_scans(pkg: Package, images: list[str], name: str) -> tuple[list[Block], tuple[int, ...], list[Finding]]:
    """A document whose only content is pictures (a scan or photo pasted into Word): each
    picture read by OCR as a page, within the OCR budgets. Without OCR, or when no picture
    gives words, the piece has no readable text, and the finding says it is pictures."""
    found = ocr.engine()
    blocks: list[Block] = []
    read: list[int] = []
    unread: set[str] = set()
    budget = ocr.Budget("pictures")
    for k, part in enumerate(images, 1):
        if found is None:
            break
        try:
            budget.next_page()
        except ocr.Unread as exc:
            unread.add(str(exc))
            break
        try:
            text = image.read_picture(pkg.read(part), found, budget)
        except ocr.Unread as exc:
            unread.add(str(exc))
            continue
        except PackageError as exc:
            unread.add(str(exc))
            continue
        page_blocks = image.ocr_blocks(text, k, len(blocks))
        if sum(len(b.text.split()) for b in page_blocks) >= 3:
            blocks += page_blocks
            read.append(k)
        else:
            unread.add("OCR found no words on them")
    if read:
        return blocks, tuple(read), [Finding(
            codes.OCR_READ, Severity.WARNING,
            f"{name} holds no typed text, only {len(images)} picture(s) (a pasted scan or photo); "
            f"{len(read)} read by OCR ({found.id if found else 'OCR'}): quotes from OCR text may hold misread words, "
            "and handwriting and signatures are not read: check the pictures by eye.", file=name)]
    if found is None:
        hint = ocr.unavailable("them by OCR")
    else:
        hint = "OCR did not read them" + (": " + "; ".join(sorted(r for r in unread if r)) if any(unread) else "")
    return [], (), [Finding(codes.NO_TEXT, Severity.ERROR,
                            f"{name} contains no readable text (0 words): its content is {len(images)} picture(s), "
                            f"a pasted scan or photo perhaps ({hint}).", file=name)]


def _issue_findings(pkg: Package, issues: _Issues, name: str) -> list[Finding]:
    """One warning per kind of thing left out, naming it; never quoting the text itself."""
    out: list[Finding] = []
    if issues.skipped:
        seen = list(dict.fromkeys(issues.skipped))
        shown = "; ".join(seen[:5]) + (f"; and {len(seen) - 5} more" if len(seen) > 5 else "")
        out.append(Finding(codes.PART_SKIPPED, Severity.WARNING,
                           f"{name}: part of the document could not be read and was skipped ({shown}); "
                           "the main text was read.", file=name))
    if pkg.duplicates:
        out.append(Finding(codes.DUPLICATE_MEMBER, Severity.WARNING,
                           f"{name}: the archive holds two parts with the same name "
                           f"({', '.join(pkg.duplicates[:3])}); the last copy was read, and another program may "
                           "show different text. Ask for the file to be saved again from Word.", file=name))
    if issues.embedded:
        what = ", ".join(f"{n} × {k}" for k, n in issues.embedded.items())
        out.append(Finding(codes.EMBEDDED_UNREAD, Severity.WARNING,
                           f"{name}: embedded content was not read or counted ({what}); check it by eye.",
                           file=name))
    if issues.hidden:
        what = ", ".join(f"{n} word(s) {k}" for k, n in issues.hidden.items())
        out.append(Finding(codes.HIDDEN_TEXT, Severity.WARNING,
                           f"{name}: text a reader cannot see was left out of the word count and the KSB "
                           f"evidence ({what}).", file=name))
    return out
