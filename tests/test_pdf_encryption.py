"""Encrypted PDFs (issue 13, case 3): an empty user password is no protection at all (every
viewer opens the file without asking), so such files are read like any other, with no
"damaged" finding; a real user password still gives PC105. A bomb cannot hide behind the
encryption either. The files are made with pikepdf (qpdf) from a reportlab page."""
from __future__ import annotations

import pikepdf
import pytest
from reportlab.pdfgen import canvas

from pdf_builder import deflate_zeros
from portfolio_check.parse import parse_file

WORDS = "Encrypted but readable evidence about a customer complaint."
ALGORITHMS = {"RC4 R3": 3, "AES-128 R4": 4, "AES-256 R6": 6}


def _encryption(r: int, user: str) -> pikepdf.Encryption:
    kw: dict = dict(user=user, owner="owner-secret", R=r)
    if r == 4:
        kw["aes"] = True
    if r < 4:
        kw.update(aes=False, metadata=False)
    return pikepdf.Encryption(**kw)


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    path = tmp_path_factory.mktemp("enc") / "plain.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, WORDS)
    c.save()
    return path


def _save(plain, out, r, user, **kw):
    with pikepdf.open(plain) as pdf:
        pdf.save(out, encryption=_encryption(r, user), **kw)
    return out


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("object_streams", [False, True])
def test_empty_user_password_is_read_with_no_damage_finding(plain, tmp_path, algorithm, object_streams):
    kw = {"object_stream_mode": pikepdf.ObjectStreamMode.generate} if object_streams else {}
    path = _save(plain, tmp_path / "open.pdf", ALGORITHMS[algorithm], "", **kw)
    with pikepdf.open(path) as check:
        assert check.is_encrypted                     # the file really is encrypted
    doc = parse_file(path)
    assert doc.text().strip() == WORDS
    assert not [f for f in doc.findings if f.severity.value != "info"], doc.findings
    assert "PC118" not in {f.code for f in doc.findings}


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_user_password_keeps_pc105(plain, tmp_path, algorithm):
    doc = parse_file(_save(plain, tmp_path / "locked.pdf", ALGORITHMS[algorithm], "s3cret-user"))
    assert [f.code for f in doc.findings] == ["PC105"]
    assert "locked.pdf is password-protected" in doc.findings[0].message and not doc.blocks


@pytest.fixture(scope="module")
def bomb():
    return deflate_zeros(1 << 30)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_bomb_behind_an_empty_password_is_refused(plain, bomb, tmp_path, algorithm):
    with pikepdf.open(plain) as pdf:
        s = pikepdf.Stream(pdf, b"")
        s.write(bomb, filter=pikepdf.Name.FlateDecode)     # already compressed: qpdf keeps it so
        pdf.pages[0].obj.Contents = pdf.make_indirect(s)
        path = tmp_path / "bomb.pdf"
        pdf.save(path, encryption=_encryption(ALGORITHMS[algorithm], ""))
    doc = parse_file(path)
    assert [f.code for f in doc.findings] == ["PC130"] and "decompression bomb" in doc.findings[0].message
