"""Build sample_evidence/ from content.py and report_content.py.

    python sample_evidence/_build/build.py

DOCX files are written with python-docx (footnotes, which python-docx cannot write, are added
as raw XML parts); PDFs with the tiny text-only writer below, so building needs nothing beyond
the package's own dependencies. Output is deterministic apart from zip timestamps.
"""
from __future__ import annotations

import re
import shutil
import sys
import zipfile
from email.message import EmailMessage
from pathlib import Path

import docx
import yaml
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

sys.path.insert(0, str(Path(__file__).parent))
import content  # noqa: E402
import report_content as rc  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COHORT = ROOT / "cohort"
REPORTS = ROOT / "reports"


# ---------------------------------------------------------------- PDF (text only, Helvetica)
def _pdf_escape(s: str) -> str:
    s = s.replace("£", "GBP ").replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    s = s.replace("–", "-").replace("—", "-")
    s = s.encode("latin-1", "replace").decode("latin-1")
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _wrap(text: str, width: int = 90) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if len(cur) + len(w) + 1 > width and cur:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        lines.append(cur)
    return lines


def write_pdf(path: Path, blocks, footer: str | None = None) -> None:
    """A minimal valid PDF: wrapped Helvetica text, 45 lines a page, 'Page X of Y' footers."""
    lines: list[tuple[str, int]] = []
    for kind, text in blocks:
        if kind == "h":
            lines.append((text, 14))
        else:
            for i, ln in enumerate(_wrap(text)):
                lines.append((ln, 11))
        lines.append(("", 11))
    pages = [lines[i:i + 45] for i in range(0, len(lines), 45)] or [[]]
    objs: list[bytes] = []
    n = len(pages)
    font_id = 3 + 2 * n
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    for pno, page in enumerate(pages, 1):
        ops = ["BT"]
        y = 800
        for text, size in page:
            if text:
                ops.append(f"/F1 {size} Tf 1 0 0 1 50 {y} Tm ({_pdf_escape(text)}) Tj")
            y -= 16
        ops.append(f"/F1 9 Tf 1 0 0 1 270 30 Tm (Page {pno} of {n}) Tj")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * (pno - 1)} 0 R "
                    f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode())
        objs.append(b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


# ---------------------------------------------------------------- DOCX
def write_docx(path: Path, blocks) -> None:
    d = docx.Document()
    d.core_properties.author = "portfolio-check sample"
    for kind, value in blocks:
        if kind == "h":
            d.add_heading(value, level=1)
        elif kind == "p":
            d.add_paragraph(value)
        elif kind == "b":
            d.add_paragraph(value, style="List Bullet")
        elif kind == "t":
            t = d.add_table(rows=len(value), cols=len(value[0]))
            t.style = "Table Grid"
            for r, row in enumerate(value):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
    d.save(path)


def write_text(path: Path, blocks) -> None:
    parts = []
    for kind, value in blocks:
        parts.append(f"# {value}" if kind == "h" and path.suffix == ".md" else value)
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def write_eml(path: Path, spec: dict) -> None:
    msg = EmailMessage()
    msg["From"] = spec["from"]
    msg["To"] = spec["to"]
    msg["Subject"] = spec["subject"]
    msg["Date"] = spec["date"]
    msg.set_content("\n\n".join(spec["body"]) + "\n")
    path.write_bytes(bytes(msg))


def write_proposal(path: Path, lines: list[str]) -> None:
    d = docx.Document()
    for i, text in enumerate(lines):
        if i == 0:
            d.add_heading(text, level=1)
        else:
            d.add_paragraph(text)
    d.save(path)


# ---------------------------------------------------------------- report with footnotes
FOOTNOTES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


def _page_break(d) -> None:
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _add_text_with_footnote(paragraph, text: str) -> None:
    before, _, after = text.partition("[fn]")
    paragraph.add_run(before)
    if _:
        run = paragraph.add_run()
        rpr = OxmlElement("w:rPr")
        va = OxmlElement("w:vertAlign")
        va.set(qn("w:val"), "superscript")
        rpr.append(va)
        run._r.append(rpr)
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), "1")
        run._r.append(ref)
        paragraph.add_run(after)


def _add_table(d, rows) -> None:
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            t.cell(r, c).text = cell


def write_report(path: Path) -> None:
    d = docx.Document()
    sec = d.sections[0]
    sec.header.paragraphs[0].text = rc.HEADER
    sec.footer.paragraphs[0].text = rc.FOOTER
    for i, line in enumerate(rc.TITLE_PAGE):
        p = d.add_paragraph(line)
        if i < 3:
            p.runs[0].bold = True
    _page_break(d)
    d.add_heading("Contents", level=1)
    page = 3
    for title, _ in rc.SECTIONS:
        d.add_paragraph(f"{title}\t{page}")
        page += 1 if title[0] in "357" else 0
    d.add_paragraph(f"References\t{page + 1}")
    for title, _ in rc.ANNEXES:
        d.add_paragraph(f"{title}\t{page + 2}")
    _page_break(d)
    for title, body in rc.SECTIONS:
        d.add_heading(title, level=1)
        for item in body:
            if isinstance(item, str):
                _add_text_with_footnote(d.add_paragraph(), item)
            elif item[0] == "bullet":
                d.add_paragraph(item[1], style="List Bullet")
            elif item[0] == "number":
                d.add_paragraph(item[1], style="List Number")
            elif item[0] == "caption":
                d.add_paragraph(item[1], style="Caption")
            elif item[0] == "table":
                _add_table(d, item[1])
    _page_break(d)
    d.add_heading("References", level=1)
    for ref in rc.REFERENCES:
        d.add_paragraph(ref)
    for title, body in rc.ANNEXES:
        _page_break(d)
        d.add_heading(title, level=1)
        for item in body:
            if isinstance(item, str):
                d.add_paragraph(item)
            else:
                _add_table(d, item[1])
    d.save(path)
    _add_footnotes_part(path, rc.FOOTNOTE)


def _add_footnotes_part(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn1" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/footnotes" '
                                    b'Target="footnotes.xml"/></Relationships>')
            zout.writestr(item, data)
        zout.writestr("word/footnotes.xml", FOOTNOTES_XML.format(text=text))
    tmp.replace(path)


def main() -> None:
    if COHORT.exists():
        shutil.rmtree(COHORT)
    REPORTS.mkdir(parents=True, exist_ok=True)
    for apr, spec in content.APPRENTICES.items():
        folder = COHORT / apr
        (folder / "portfolio").mkdir(parents=True)
        (folder / "project").mkdir()
        header = "# Fictional apprentice for portfolio-check's sample cohort\n"
        (folder / "apprentice.yaml").write_text(header + yaml.safe_dump(spec["yaml"], sort_keys=False), encoding="utf-8")
        write_proposal(folder / "project" / "proposal.docx", spec["proposal"])
        for name, fmt, blocks in content.PIECES[apr]:
            target = folder / "portfolio" / name
            {"docx": write_docx, "pdf": write_pdf, "md": write_text, "txt": write_text,
             "eml": write_eml}[fmt](target, blocks)
    write_report(REPORTS / "project_report_draft.docx")
    print(f"wrote {sum(1 for _ in COHORT.rglob('*') if _.is_file())} cohort files and the sample report")


if __name__ == "__main__":
    main()
