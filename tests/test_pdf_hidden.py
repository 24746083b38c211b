"""Text a reader cannot see is neither counted nor credited (issue 13, case 2).

Each test draws its own PDF with reportlab: a visible paragraph about something else, and a
K7-worthy paragraph hidden by one trick. The control draws the same paragraph visibly, so a
K7 suggestion is known to follow from that text when a reader can see it."""
from __future__ import annotations

import textwrap

import pytest
from reportlab.lib.colors import Color, navy, white
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from portfolio_check.models import Role
from portfolio_check.parse import parse_file
from portfolio_check.standards import load_standard
from portfolio_check.tagging import TaggingEngine
from portfolio_check.wordcount import document_word_count

VISIBLE = "This document describes my first week on the team and the rota I followed."
K7_TEXT = ("A passenger's wheelchair was damaged on the outbound flight. I referred the claim to our special "
           "assistance team because repairs to mobility equipment need specialist assessment and approval above "
           "my authority.")
K7_WORDS = len(K7_TEXT.split())


@pytest.fixture(scope="module")
def engine():
    return TaggingEngine(load_standard("ST0071"))


def _lines(c: canvas.Canvas, x: float, y: float, text: str, size: float = 11, mode: int = 0) -> None:
    t = c.beginText(x, y)
    t.setFont("Helvetica", size, leading=size * 1.3)
    if mode:
        t.setTextRenderMode(mode)
    for line in textwrap.wrap(text, 75):
        t.textLine(line)
    c.drawText(t)


def _pdf(path, trick: str | None, pages: int = 1):
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    for p in range(1, pages + 1):
        _lines(c, 72, 720, VISIBLE)
        if p == pages:
            c.saveState()
            if trick == "visible":
                _lines(c, 72, 600, K7_TEXT)
            elif trick == "invisible":
                _lines(c, 72, 600, K7_TEXT, mode=3)
            elif trick == "white":
                c.setFillColor(white)
                _lines(c, 72, 600, K7_TEXT)
            elif trick == "transparent":
                c.setFillColor(Color(0, 0, 0, alpha=0))
                _lines(c, 72, 600, K7_TEXT)
            elif trick == "tiny":
                _lines(c, 72, 600, K7_TEXT, size=0.5)
            elif trick == "scaled":                 # 12 pt text under a 0.1 scale: 1.2 pt on paper
                c.scale(0.1, 0.1)
                _lines(c, 720, 6000, K7_TEXT, size=12)
            elif trick == "offpage":
                _lines(c, 700, 600, K7_TEXT)        # right of a 612 pt wide page
            c.restoreState()
        if pages > 1:                               # a line of its own, so pages are not all running headers
            _lines(c, 72, 500, f"On {('Monday', 'Tuesday', 'Wednesday', 'Thursday')[p % 4]} I shadowed a colleague.")
        _lines(c, 72, 400, "The rota covered early and late shifts across the week.")
        c.showPage()
    c.save()
    return path


def _visible_text(doc) -> str:
    return " ".join(b.text for b in doc.blocks if b.role not in (Role.HEADER, Role.FOOTER))


def test_control_visible_k7_text_is_read_and_credited(tmp_path, engine):
    doc = parse_file(_pdf(tmp_path / "visible.pdf", "visible"))
    assert "special assistance team" in _visible_text(doc) and not doc.findings
    assert any(s.ksb == "K7" and s.accepted for s in engine.tag_document(doc).suggestions)


@pytest.mark.parametrize("trick,reason", [
    ("invisible", "invisible (render mode 3)"), ("white", "white on a white page"),
    ("transparent", "fully transparent"), ("tiny", "under 2 pt"), ("scaled", "under 2 pt"),
    ("offpage", "outside the page")])
def test_hidden_text_is_not_counted_quoted_or_credited(tmp_path, engine, trick, reason):
    visible = parse_file(_pdf(tmp_path / "plain.pdf", None))
    doc = parse_file(_pdf(tmp_path / f"{trick}.pdf", trick))
    text = _visible_text(doc)
    assert VISIBLE in text and "wheelchair" not in text and "assistance" not in text
    assert document_word_count(doc) == document_word_count(visible)
    found = [f for f in doc.findings if f.code == "PC131"]
    assert len(found) == 1 and len(doc.findings) == 1, doc.findings
    f = found[0]
    assert f.severity.value == "warning" and f.where == "page 1"
    assert f"{K7_WORDS} {reason} on page 1" in f.message and f"{trick}.pdf holds {K7_WORDS} words" in f.message
    assert "wheelchair" not in f.message                       # findings never carry evidence text
    tagged = engine.tag_document(doc)
    assert not any(s.ksb == "K7" for s in tagged.suggestions)
    assert not any("wheelchair" in q.sentence for s in tagged.suggestions for q in s.quotes)


def test_finding_names_the_page_of_a_longer_file(tmp_path):
    doc = parse_file(_pdf(tmp_path / "three.pdf", "white", pages=3))
    f = next(f for f in doc.findings if f.code == "PC131")
    assert f.where == "page 3" and "on page 3" in f.message


def test_white_text_on_a_dark_banner_is_visible(tmp_path):
    path = tmp_path / "banner.pdf"
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    _lines(c, 72, 720, VISIBLE)
    c.setFillColor(navy)
    c.rect(60, 560, 500, 70, fill=1, stroke=0)
    c.setFillColor(white)
    _lines(c, 72, 610, K7_TEXT)
    c.save()
    doc = parse_file(path)
    assert "special assistance team" in _visible_text(doc)
    assert "PC131" not in {f.code for f in doc.findings}


def test_ocr_layer_over_a_scan_is_kept(tmp_path):
    """Scanners put invisible text over the page image: the reader sees those words."""
    from PIL import Image

    img = tmp_path / "scan.png"
    Image.new("RGB", (850, 1100), (250, 250, 245)).save(img)
    path = tmp_path / "ocr.pdf"
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    c.drawImage(ImageReader(str(img)), 0, 0, width=612, height=792)
    _lines(c, 72, 700, K7_TEXT, mode=3)
    c.save()
    doc = parse_file(path)
    assert "special assistance team" in _visible_text(doc)
    assert "PC131" not in {f.code for f in doc.findings}


def test_a_file_whose_only_text_is_hidden_says_so_in_its_one_finding(tmp_path):
    path = tmp_path / "allhidden.pdf"
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    c.setFillColor(white)
    _lines(c, 72, 700, K7_TEXT)
    c.save()
    doc = parse_file(path)
    assert [f.code for f in doc.findings] == ["PC112"]
    assert f"{K7_WORDS} words of text a reader cannot see" in doc.findings[0].message
