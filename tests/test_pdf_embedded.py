"""Files embedded in a PDF (issue 13, case 4) are read as attachments under the same depth and
count guards as e-mail attachments, or listed by name when their format is not read.
The files are built with reportlab (the page) and pikepdf (the embedded files)."""
from __future__ import annotations

from email.message import EmailMessage

import pikepdf
import pytest
from reportlab.pdfgen import canvas

from portfolio_check.parse import parse_file
from portfolio_check.parse.attachments import MAX_ATTACHMENTS, MAX_DEPTH
from portfolio_check.standards import load_standard
from portfolio_check.tagging import TaggingEngine

K7_TEXT = ("A passenger's wheelchair was damaged on the outbound flight. I referred the claim to our special "
           "assistance team because repairs to mobility equipment need specialist assessment and approval above "
           "my authority.")


def _page(path, words: str):
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, words)
    c.save()
    return path


def _embed(path, files: dict[str, bytes], out):
    with pikepdf.open(path) as pdf:
        for name, data in files.items():
            pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, data, filename=name)
        pdf.save(out)
    return out


def test_embedded_files_are_read_tagged_or_listed(tmp_path):
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "a@example.org", "b@example.org", "Thanks"
    mail.set_content("Thank you for sorting out my refund so quickly.")
    base = _page(tmp_path / "base.pdf", "Cover page of my evidence pack.")
    path = _embed(base, {"claim.txt": K7_TEXT.encode(), "thanks.eml": mail.as_bytes(),
                         "photo.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 32}, tmp_path / "pack.pdf")
    doc = parse_file(path)
    names = sorted(a.path.rsplit("::", 1)[-1] for a in doc.attachments)
    assert names == ["claim.txt", "thanks.eml"]
    text = "\n".join(b.text for b in doc.all_blocks())
    assert "Cover page of my evidence pack." in text and K7_TEXT in text and "refund so quickly" in text
    unread = [f for f in doc.findings if f.code == "PC119"]
    assert len(unread) == 1 and "embedded file 'photo.png'" in unread[0].message
    assert unread[0].message.startswith("pack.pdf")
    tagged = TaggingEngine(load_standard("ST0071")).tag_document(doc)
    assert any(s.ksb == "K7" and s.accepted for s in tagged.suggestions)


def test_embedded_file_count_guard_names_the_rest(tmp_path):
    base = _page(tmp_path / "base.pdf", "Many files.")
    files = {f"note{i:02d}.txt": f"Note {i} words.".encode() for i in range(1, MAX_ATTACHMENTS + 4)}
    doc = parse_file(_embed(base, files, tmp_path / "many.pdf"))
    assert len(doc.attachments) == MAX_ATTACHMENTS
    limit = [f for f in doc.findings if f.code == "PC132"]
    assert len(limit) == 1 and "3 more" in limit[0].message and "'note23.txt'" in limit[0].message


def test_pdfs_nested_in_pdfs_stop_at_the_depth_guard(tmp_path):
    inner = _page(tmp_path / "level6.pdf", "Level 6 words.")
    for n in range(5, 0, -1):
        page = _page(tmp_path / f"page{n}.pdf", f"Level {n} words.")
        inner = _embed(page, {inner.name: inner.read_bytes()}, tmp_path / f"level{n}.pdf")
    doc = parse_file(inner)
    text = "\n".join(b.text for b in doc.all_blocks())
    assert [n for n in range(1, 7) if f"Level {n} words." in text] == list(range(1, MAX_DEPTH + 2))
    limit = [f for f in doc.findings if f.code == "PC132"]
    assert len(limit) == 1 and f"'level{MAX_DEPTH + 2}.pdf'" in limit[0].message
    assert limit[0].message.startswith("level1.pdf")
