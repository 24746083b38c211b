"""Files in formats portfolio-check does not read are named for what they are."""
from __future__ import annotations

import zipfile

import pytest

from portfolio_check.parse import parse_file
from portfolio_check.tagging.evidence_type import classify


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("name, members, expected", [
    ("notes.odt", {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"},
     "OpenDocument text (.odt)"),
    ("slides.pptx", {"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"},
     "PowerPoint presentation (.pptx)"),
    ("figures.xlsx", {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<w/>"}, "Excel workbook (.xlsx)"),
])
def test_other_office_formats_are_named_not_called_word(tmp_path, name, members, expected):
    doc = parse_file(_zip(tmp_path / name, members))
    (finding,) = [f for f in doc.findings if f.code == "PC107"]
    assert expected in finding.message and ".docx or PDF" in finding.message


def test_a_photo_of_a_certificate_is_an_image_and_not_typed_from_its_name(tmp_path, ocr_off):
    """Without OCR an image is named for what it is, with what to install to read it."""
    photo = tmp_path / "training_certificate.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    doc = parse_file(photo)
    (finding,) = [f for f in doc.findings if f.code == "PC102"]
    assert "JPEG image" in finding.message and "corrupt" not in finding.message
    assert "only by OCR" in finding.message
    assert classify(doc, photo.name).type == "other"


def test_a_damaged_photo_is_reported_damaged_when_ocr_could_read_it(tmp_path, tesseract):
    photo = tmp_path / "training_certificate.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    doc = parse_file(photo)
    (finding,) = doc.findings
    assert finding.code == "PC104" and "JPEG image" in finding.message and "damaged" in finding.message
    assert classify(doc, photo.name).type == "other"
