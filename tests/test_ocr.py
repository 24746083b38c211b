"""Scanned PDF pages read by OCR (Tesseract), and what happens when they cannot be.

The scans made here are pictures of text saved as PDF (no text layer), as a phone scanner or
a photocopier writes them, in a sector neither dev cohort uses (a garden centre)."""
from __future__ import annotations

import os
import stat
import textwrap
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from portfolio_check import Workbench
from portfolio_check.evidence import analyse_file
from portfolio_check.parse import ocr, parse_file

REFLECTION = (
    "A customer brought back a dead olive tree she had bought three weeks earlier and wanted a "
    "full refund of sixty pounds. I checked our plant guarantee, which covers hardy plants for "
    "twelve months with a receipt, and explained that I could only offer a replacement or a "
    "credit note myself, because refunds over fifty pounds need the duty manager's approval. "
    "I phoned the duty manager, who agreed the refund, and I told the customer exactly when the "
    "money would reach her card.")


def _picture(paragraphs: list[str]) -> Image.Image:
    """An A4 page at 200 dpi, greyscale, with the paragraphs typed on it (Pillow's own font)."""
    font = ImageFont.load_default(size=34)
    img = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(img)
    y = 150
    for para in paragraphs:
        for line in textwrap.wrap(para, 70):
            draw.text((120, y), line, fill=0, font=font)
            y += 50
        y += 50
    return img


def scanned_pdf(path: Path, paragraphs: list[str], pages: int = 1) -> Path:
    """An image-only PDF: each page a 200 dpi greyscale picture of the paragraphs."""
    images = [_picture(paragraphs) for _ in range(pages)]
    images[0].save(path, resolution=200, save_all=True, append_images=images[1:])
    return path


def test_a_scanned_page_is_read_by_ocr_with_a_clear_finding(tmp_path, tesseract):
    doc = parse_file(scanned_pdf(tmp_path / "reflection scan.pdf", [REFLECTION]))
    assert doc.image_only_pages == (1,) and doc.ocr_pages == (1,)
    codes = {f.code: f for f in doc.findings}
    assert "PC113" not in codes and "PC114" in codes
    assert "misread" in codes["PC114"].message and "handwriting" in codes["PC114"].message
    text = doc.text()
    # Wrapped lines are one paragraph again, and Tesseract's "|" for a lone "I" is mended.
    assert len(doc.blocks) == 1
    assert "I could only offer a replacement or a credit note myself" in text
    assert "| " not in text and "I phoned the duty manager" in text


def test_a_scan_gets_ranked_quoted_suggestions_like_any_piece(tmp_path, tesseract):
    """The refund over the desk's limit went to the duty manager: K9 (limits of authority)."""
    result = Workbench().tag(scanned_pdf(tmp_path / "reflection scan.pdf", [REFLECTION]))
    accepted = {s.ksb: s for s in result.suggestions if s.accepted}
    assert "K9" in accepted, [(s.ksb, round(s.score, 2)) for s in result.suggestions[:5]]
    quote = accepted["K9"].quotes[0]
    assert quote.location.startswith("page 1") and " ".join(quote.sentence.split()) in " ".join(REFLECTION.split())
    # A misread word in the quote is then the scan's reading, not the apprentice's spelling.
    assert quote.location.endswith("(read by OCR)")


def test_the_dev_cohorts_scanned_witness_testimony_is_read(shared, tesseract):
    path = shared / "dev-cohort" / "apr-d03" / "portfolio" / "02_witness_testimony_T_Ashworth_scan.pdf"
    doc = parse_file(path)
    assert doc.ocr_pages == (1,)
    assert "only the Accommodation Manager can agree to release someone" in " ".join(doc.text().split())


def test_a_sign_off_on_a_scan_is_left_to_the_tutors_eye(shared, tesseract):
    """OCR reads print, not a signature: the sign-off is neither passed nor failed from it."""
    path = shared / "dev-cohort" / "apr-d03" / "portfolio" / "02_witness_testimony_T_Ashworth_scan.pdf"
    engine = Workbench().tagger
    ev = analyse_file(path, path.name, engine)
    codes = [f.code for f in ev.findings]
    assert "PC503" in codes and "PC501" not in codes
    assert ev.type == "witness_testimony" and ev.words > 150


def test_with_ocr_off_a_scan_is_reported_unread(tmp_path, ocr_off):
    doc = parse_file(scanned_pdf(tmp_path / "scan.pdf", [REFLECTION]))
    assert doc.ocr_pages == () and not doc.blocks
    [finding] = [f for f in doc.findings if f.code == "PC113"]
    assert "PORTFOLIO_CHECK_OCR=0" in finding.message and "still counts as a submitted piece" in finding.message


def test_without_tesseract_the_finding_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    ocr.engine.cache_clear()
    try:
        doc = parse_file(scanned_pdf(tmp_path / "scan.pdf", [REFLECTION]))
    finally:
        monkeypatch.undo()
        ocr.engine.cache_clear()
    [finding] = [f for f in doc.findings if f.code == "PC113"]
    assert "install tesseract-ocr" in finding.message


def test_a_page_is_drawn_in_a_memory_capped_child_whose_failure_is_a_finding(tmp_path, tesseract, monkeypatch):
    """A page can hide a decompression bomb where no check sees it (a form, an annotation, a
    JPEG larger than its dictionary says): PDFium draws it in a child that caps its own memory.
    Here the cap is set below what any drawing needs, so the child fails as a bomb would."""
    monkeypatch.setattr(ocr, "RENDER_MEMORY_BYTES", 16 << 20)
    doc = parse_file(scanned_pdf(tmp_path / "scan.pdf", [REFLECTION]))
    assert doc.ocr_pages == () and not doc.blocks
    [finding] = [f for f in doc.findings if f.code == "PC113"]
    assert "needed more memory or time than a page may have" in finding.message


def test_a_page_that_takes_too_long_to_draw_is_killed_at_its_timeout(tmp_path, tesseract, monkeypatch):
    monkeypatch.setattr(ocr, "_RENDER_CHILD", "import time; time.sleep(60)")
    monkeypatch.setattr(ocr, "PAGE_TIMEOUT_S", 1.0)
    doc = parse_file(scanned_pdf(tmp_path / "scan.pdf", [REFLECTION]))
    [finding] = [f for f in doc.findings if f.code == "PC113"]
    assert "drawing the page took over 1 s" in finding.message


def test_ocr_that_hangs_is_killed_at_its_timeout(tmp_path):
    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    with pytest.raises(ocr.Unread, match="OCR took over 1 s"):
        ocr.recognise(b"not an image", ocr.OcrEngine(str(fake), "5.3.0"), timeout=1.0)


def test_only_the_first_scanned_pages_are_read_and_the_rest_are_named(tmp_path, tesseract, monkeypatch):
    monkeypatch.setattr(ocr, "MAX_PAGES", 1)
    doc = parse_file(scanned_pdf(tmp_path / "long scan.pdf", [REFLECTION], pages=2))
    assert doc.ocr_pages == (1,)
    [finding] = [f for f in doc.findings if f.code == "PC113"]
    assert "page 2" in finding.message and "only the first 1 scanned pages" in finding.message


def test_tesseracts_bar_for_a_capital_i_is_mended():
    assert ocr.as_lines("|am sure |'m right. |t was late, | know.") == "I am sure I'm right. It was late, I know."
    assert ocr.as_lines("Kingsmere University | Accommodation Services") == "Kingsmere University | Accommodation Services"


def test_ocr_text_is_mended_into_paragraphs():
    raw = ("I explained that | could only\n\noffer a credit note.\n\nNew paragraph here\nwrapped.\n\f")
    assert ocr.as_lines(raw).split("\n") == [
        "I explained that I could only ", "offer a credit note.", "", "New paragraph here ", "wrapped.", "", ""]


def test_the_cache_key_names_the_ocr_engine(tesseract, ocr_off):
    """A scan cached unread on a machine without OCR must not be served once OCR is there."""
    from portfolio_check.scan import fingerprint
    from portfolio_check.standards import load_standard
    from portfolio_check.tagging import TaggingConfig

    st = load_standard("ST0071")
    assert fingerprint(st, TaggingConfig()).endswith("|none")
    os.environ.pop("PORTFOLIO_CHECK_OCR", None)
    ocr.engine.cache_clear()
    assert fingerprint(st, TaggingConfig()).endswith("|" + ocr.engine_id()) and ocr.engine_id().startswith("tesseract ")


# -- photos and image scans ---------------------------------------------------------------------
STATEMENT = ("Witness statement. I am the duty manager at Greenacre Garden Centre. Priya dealt with a customer "
             "who wanted a refund of sixty pounds for a dead olive tree. She explained that refunds over fifty "
             "pounds need my approval, rang me straight away and told the customer when the money would be back "
             "on her card.")


def test_a_phone_photo_stored_sideways_is_read_upright(tmp_path, tesseract):
    """Phones store the sensor's pixels and an EXIF orientation; read as stored, the text is
    sideways and OCR returns gibberish."""
    photo = tmp_path / "witness statement.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6                       # "rotate 90 degrees clockwise to view"
    _picture([STATEMENT]).convert("RGB").rotate(90, expand=True).save(photo, quality=85, exif=exif)
    doc = parse_file(photo)
    assert doc.kind == "image" and doc.ocr_pages == (1,) and doc.image_only_pages == (1,)
    assert [f.code for f in doc.findings] == ["PC114"]
    assert "the duty manager at Greenacre Garden Centre" in doc.text()


def test_a_multi_page_tiff_scan_is_read_page_by_page(tmp_path, tesseract):
    scan = tmp_path / "fax.tiff"
    _picture([STATEMENT]).save(scan, save_all=True, append_images=[_picture([REFLECTION])])
    doc = parse_file(scan)
    assert doc.ocr_pages == (1, 2) and doc.metadata.pages == 2
    assert {b.location.page for b in doc.blocks} == {1, 2}
    assert "olive tree she had bought" in " ".join(b.text for b in doc.blocks if b.location.page == 2)


def test_a_photographed_witness_statement_leaves_its_sign_off_to_the_tutor(tmp_path, tesseract):
    photo = tmp_path / "witness statement.png"
    _picture([STATEMENT, "Signed: (handwritten)   Date: 12 March 2025"]).save(photo)
    ev = analyse_file(photo, photo.name, Workbench().tagger)
    assert ev.type == "witness_testimony"
    codes = [f.code for f in ev.findings]
    assert "PC503" in codes and "PC501" not in codes and "PC114" in codes


def test_an_image_without_ocr_is_named_with_what_to_do(tmp_path, ocr_off):
    photo = tmp_path / "witness statement.png"
    _picture([STATEMENT]).save(photo)
    (finding,) = parse_file(photo).findings
    assert finding.code == "PC102" and "PNG image" in finding.message and "PORTFOLIO_CHECK_OCR=0" in finding.message


def _png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims width x height pixels: a decompression bomb in picture form."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
                     + chunk(b"IEND", b""))
    return path


@pytest.mark.parametrize("side", [9_000, 30_000])   # over our limit; over Pillow's own too
def test_an_image_too_large_to_decode_is_refused_before_decoding(tmp_path, tesseract, side):
    doc = parse_file(_png_header_only(tmp_path / "huge.png", side, side))
    (finding,) = doc.findings
    assert finding.code == "PC113" and "too large to decode safely" in finding.message
    assert "still counts as a submitted piece" in finding.message and not doc.blocks


# -- a scan or photo pasted into a Word document -------------------------------------------------
def _docx_of_picture(path: Path, png: bytes) -> Path:
    """A Word document whose only content is one pasted picture, as Word writes it."""
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    body = (f'<w:document xmlns:w="{w}" xmlns:r="{r}" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:body><w:p><w:r><w:drawing>'
            '<a:graphic><a:graphicData><a:blip r:embed="rId7"/></a:graphicData></a:graphic>'
            '</w:drawing></w:r></w:p></w:body></w:document>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                   '<Default Extension="png" ContentType="image/png"/>'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships"><Relationship Id="r1" Type="{rel}/officeDocument" '
                   'Target="word/document.xml"/></Relationships>')
        z.writestr("word/_rels/document.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="{rel}/image" '
                   'Target="media/image1.png"/></Relationships>')
        z.writestr("word/document.xml", body)
        z.writestr("word/media/image1.png", png)
    return path


def _png(img: Image.Image) -> bytes:
    import io
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def test_a_scan_pasted_into_word_is_read_by_ocr(tmp_path, tesseract):
    doc = parse_file(_docx_of_picture(tmp_path / "witness statement.docx", _png(_picture([STATEMENT]))))
    assert doc.kind == "docx" and doc.ocr_pages == (1,)
    (finding,) = doc.findings
    assert finding.code == "PC114" and "pasted scan or photo" in finding.message
    assert "the duty manager at Greenacre Garden Centre" in doc.text()


def test_without_ocr_a_word_file_of_pictures_says_what_it_holds(tmp_path, ocr_off):
    doc = parse_file(_docx_of_picture(tmp_path / "witness statement.docx", _png(_picture([STATEMENT]))))
    (finding,) = doc.findings
    assert finding.code == "PC112" and "1 picture(s)" in finding.message and "PORTFOLIO_CHECK_OCR=0" in finding.message


def test_a_date_read_from_a_scan_says_so(tmp_path, tesseract):
    """OCR can misread a date ("2021" for "2024"): its source tells the tutor to look."""
    from portfolio_check.dating import piece_date

    doc = parse_file(scanned_pdf(tmp_path / "witness scan.pdf", [STATEMENT, "Date: 12 March 2025"]))
    dated = piece_date(doc)
    assert dated is not None and str(dated.date) == "2025-03-12"
    assert dated.source == "stated date field (read by OCR)"


def test_a_scanned_testimony_is_never_called_unsigned_in_the_pack_or_dated_from_ocr(shared, tesseract):
    """The EPAO's evidence list must not say 'Not signed' of a hand-signed scan, and a date
    OCR read from the form must not fail the sign-off: both are for the tutor's eye (PC503)."""
    from portfolio_check.report.pack import _sign_off

    path = shared / "dev-cohort" / "apr-d03" / "portfolio" / "02_witness_testimony_T_Ashworth_scan.pdf"
    ev = analyse_file(path, path.name, Workbench().tagger)
    assert ev.attestation is not None and ev.attestation.scanned and not ev.attestation.date_value
    assert _sign_off(ev).startswith("Scanned form:") and "Not signed" not in _sign_off(ev)


def test_a_jpeg_of_thousands_of_scans_is_refused_before_decoding(tmp_path, tesseract):
    """libjpeg decodes each scan of a progressive JPEG over the whole picture, in C code no
    timer stops: 2,000 repeats of one scan would hang the file."""
    import io
    buf = io.BytesIO()
    _picture([STATEMENT]).save(buf, format="JPEG", progressive=True)
    data = buf.getvalue()
    last = data.rindex(b"\xff\xda")
    photo = tmp_path / "statement.jpg"
    photo.write_bytes(data[:-2] + data[last:-2] * 2000 + b"\xff\xd9")
    (finding,) = parse_file(photo).findings
    assert finding.code == "PC113" and "scans, too many to decode safely" in finding.message


def test_a_tiff_frame_with_no_size_is_named_and_the_others_are_read(tmp_path, tesseract):
    import io
    import struct
    buf = io.BytesIO()
    _picture([STATEMENT]).save(buf, format="TIFF", save_all=True, append_images=[_picture([REFLECTION])])
    data = bytearray(buf.getvalue())
    first = struct.unpack_from("<I", data, 4)[0]
    second = struct.unpack_from("<I", data, first + 2 + 12 * struct.unpack_from("<H", data, first)[0])[0]
    for k in range(struct.unpack_from("<H", data, second)[0]):
        entry = second + 2 + 12 * k
        if struct.unpack_from("<H", data, entry)[0] == 256:                 # ImageWidth -> 0
            kind = struct.unpack_from("<H", data, entry + 2)[0]
            struct.pack_into("<H" if kind == 3 else "<I", data, entry + 8, 0)
    scan = tmp_path / "fax.tif"
    scan.write_bytes(bytes(data))
    doc = parse_file(scan)
    assert doc.ocr_pages == (1,)
    assert any(f.code == "PC113" and "a frame has no size" in f.message for f in doc.findings)


def test_frames_past_the_page_budget_are_never_visited(tmp_path, tesseract, monkeypatch):
    """Counting a TIFF's frames walks its whole chain (quadratic in Pillow), and an APNG may
    claim two billion: frames are visited one by one, never more than the budget and one."""
    monkeypatch.setattr(ocr, "MAX_PAGES", 2)
    tiny = Image.new("L", (8, 8), 255)
    scan = tmp_path / "many.tif"
    tiny.save(scan, save_all=True, append_images=[tiny.copy() for _ in range(300)])
    doc = parse_file(scan)
    assert doc.metadata.pages == 2
    assert any("only the first 2 pages" in f.message for f in doc.findings)


def test_a_damaged_later_frame_keeps_the_pages_read_before_it(tmp_path, tesseract):
    import io
    buf = io.BytesIO()
    _picture([STATEMENT]).save(buf, format="TIFF", save_all=True, append_images=[_picture([REFLECTION])])
    data = buf.getvalue()
    scan = tmp_path / "fax.tif"
    scan.write_bytes(data[: len(data) * 3 // 4])        # the second frame's strips cut off
    doc = parse_file(scan)
    assert 1 in doc.ocr_pages and "the duty manager at Greenacre Garden Centre" in doc.text()


# -- pages turned with nothing to say so ---------------------------------------------------------
GIBBERISH = ("‘puedo Jay UO xDeG aq Pjnom AQUOW 34} UBYM J9WO SND 3yj pjo} pue Aeme jYHIess aw Hue ‘;}eAoudde "
             "AW paeau spunod Ay JaAO SpUNJaJ JEU} PaUle|dxa SUS “8dJ} SAI|O peap e JO} SpUNOd AjxIS JO puNjas")


@pytest.fixture()
def osd(tesseract) -> None:
    """Tesseract's orientation data, which Debian's tesseract-ocr pulls in (tesseract-ocr-osd)."""
    if not ocr.engine().osd:
        if os.environ.get("CI"):
            pytest.fail("tesseract has no osd data: .ci/run must apt-get install tesseract-ocr-osd")
        pytest.skip("tesseract's osd data not installed on this machine")


@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
def test_a_picture_turned_without_exif_is_read_upright(tmp_path, osd, degrees):
    """A page scanned upside down or a photo saved without its orientation tag: Pillow's
    rotate turns counter-clockwise, and no EXIF says how to undo it."""
    photo = tmp_path / f"statement {degrees}.png"
    _picture([STATEMENT]).rotate(degrees, expand=True).save(photo)
    doc = parse_file(photo)
    assert doc.ocr_pages == (1,) and [f.code for f in doc.findings] == ["PC114"]
    text = " ".join(doc.text().split())
    assert "the duty manager at Greenacre Garden Centre" in text and "refunds over fifty pounds" in text


def test_a_pdf_scanned_upside_down_is_read_upright(tmp_path, osd):
    scan = tmp_path / "upside down scan.pdf"
    _picture([REFLECTION]).rotate(180).save(scan, resolution=200)
    doc = parse_file(scan)
    assert doc.ocr_pages == (1,)
    assert "I could only offer a replacement or a credit note myself" in " ".join(doc.text().split())


def test_a_scan_pasted_upside_down_into_word_is_read_upright(tmp_path, osd):
    doc = parse_file(_docx_of_picture(tmp_path / "statement.docx", _png(_picture([STATEMENT]).rotate(180))))
    assert doc.ocr_pages == (1,) and "the duty manager at Greenacre Garden Centre" in doc.text()


def test_only_a_reading_that_looks_like_gibberish_asks_which_way_up():
    assert ocr._looks_turned(GIBBERISH)
    assert not ocr._looks_turned(STATEMENT) and not ocr._looks_turned(REFLECTION)
    assert not ocr._looks_turned("sf'ypd")        # too few characters for OSD to tell


def test_when_osd_cannot_tell_the_reading_as_it_lies_stands(osd, monkeypatch):
    """OSD refuses a page of a few characters ("Too few characters", exit 1): no error, and
    the page keeps its first reading."""
    img = Image.new("L", (1654, 2339), 255)
    ImageDraw.Draw(img).text((120, 150), "Ref 2291-B", fill=0, font=ImageFont.load_default(size=34))
    png = _png(img.rotate(180))
    found = ocr.engine()
    assert found.id.endswith("/eng+osd")
    assert ocr.orientation(png, found) == 0
    asked = []
    monkeypatch.setattr(ocr, "_looks_turned", lambda text: True)      # ask OSD even about this page
    monkeypatch.setattr(ocr, "orientation", lambda *a, **k: asked.append(1) or 0)
    assert ocr.read(png, found, ocr.Budget()) == ocr.recognise(png, found) and asked == [1]


def test_orientation_is_charged_to_the_files_budget(monkeypatch):
    """A page read as gibberish with the file's seconds spent is left as read: OSD never runs."""
    budget = ocr.Budget()

    def spent(png, found, timeout):
        budget.started -= ocr.TIME_BUDGET_S
        return GIBBERISH

    monkeypatch.setattr(ocr, "recognise", spent)
    monkeypatch.setattr(ocr, "orientation", lambda *a, **k: pytest.fail("OSD ran past the budget"))
    assert ocr.read(b"png", ocr.OcrEngine("tesseract", "5.3.0", osd=True), budget) == GIBBERISH


def test_without_osd_data_pages_are_read_as_they_lie(tmp_path, monkeypatch):
    """No osd.traineddata in ``tesseract --list-langs``: no orientation pass, and the cache key
    says so (a turned page read there is not the reading a machine with OSD gives)."""
    fake = tmp_path / "tesseract"
    fake.write_text('#!/bin/sh\ncase "$1" in --version) echo "tesseract 5.3.0";; '
                    '--list-langs) printf "List of available languages (1):\\neng\\n";; esac\n')
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.delenv("PORTFOLIO_CHECK_OCR", raising=False)
    monkeypatch.setattr(ocr.shutil, "which", lambda name: str(fake))
    ocr.engine.cache_clear()
    try:
        engine = ocr.engine()
        assert engine is not None and not engine.osd and ocr.engine_id() == "tesseract 5.3.0/eng"
    finally:
        monkeypatch.undo()
        ocr.engine.cache_clear()
    monkeypatch.setattr(ocr, "recognise", lambda png, found, timeout: GIBBERISH)
    monkeypatch.setattr(ocr, "orientation", lambda *a, **k: pytest.fail("OSD asked without its data"))
    assert ocr.read(b"png", engine, ocr.Budget()) == GIBBERISH
