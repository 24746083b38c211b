"""PDF decompression bombs are refused before any library inflates them (issue 13, case 1).

Each test builds its own hostile file; the files parse in a fresh process so its peak
resident memory can be read. Before the pre-scan each of these cost over 2 GB."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib

import pytest

import base64

from pdf_builder import (TEXT_PAGE, classic_pdf, deflate_zeros, lzw_encode, lzw_zeros, object_stream_bomb,
                         one_page_pdf, stream_obj)
from portfolio_check.parse import parse_file
from portfolio_check.parse.pdf_budget import STREAM_CAP, _LzwSize, scan_streams

from peak_memory import PEAK_MB_SOURCE

GIB = 1 << 30


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    d = tmp_path_factory.mktemp("bombs")
    zeros = deflate_zeros(GIB)                           # 1 GiB of zeros, ~1 MB compressed
    files = {
        "content_bomb.pdf": one_page_pdf(zeros, flate=True),
        "objstm_bomb.pdf": object_stream_bomb(GIB),
        # A stream declaring 10 bytes: zlib finds the real end, the lie changes nothing.
        "lying_length.pdf": one_page_pdf(zeros, flate=True).replace(
            b"<< /Length %d /Filter" % len(zeros), b"<< /Length 10 /Filter", 1),
        # Flate over Flate: ~4 KB on disk, 1 GiB at the end of the chain.
        "double_flate.pdf": classic_pdf([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(zlib.compress(zeros, 9))
            + zlib.compress(zeros, 9) + b"\nendstream"]),
    }
    # LZW: ~800 KB of codes for 1 GiB; RunLength: 2 bytes per 128 (256 MB from 4 MB);
    # Flate behind an ASCII85 armour.
    files["lzw_bomb.pdf"] = _page_with(lzw_zeros(GIB), b"/LZWDecode")
    files["runlength_bomb.pdf"] = _page_with(b"\x81\x00" * (1 << 21) + b"\x80", b"/RunLengthDecode")
    files["ascii85_flate_bomb.pdf"] = _page_with(base64.a85encode(zeros) + b"~>", b"[/ASCII85Decode /FlateDecode]")
    # The bomb hidden in a 21 MB file: readable first content stream, 21 MB of incompressible
    # data in an unfiltered stream (files over 20 MB used to skip the check), then the bomb.
    junk = stream_obj(os.urandom(21 * 1024 * 1024), flate=False)
    files["bomb_in_21mb.pdf"] = classic_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents [4 0 R 7 0 R] >>",
        stream_obj(TEXT_PAGE % b"Visible words before the bomb", flate=False),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", junk, stream_obj(zeros)])
    for name, data in files.items():
        (d / name).write_bytes(data)
    return d


BOMBS = ["content_bomb.pdf", "objstm_bomb.pdf", "lying_length.pdf", "double_flate.pdf", "bomb_in_21mb.pdf",
         "lzw_bomb.pdf", "runlength_bomb.pdf", "ascii85_flate_bomb.pdf"]


def _page_with(data: bytes, filters: bytes) -> bytes:
    """A one-page PDF whose content stream is ``data`` encoded with ``filters``."""
    content = b"<< /Length %d /Filter %s >>\nstream\n" % (len(data), filters) + data + b"\nendstream"
    return classic_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        content, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


@pytest.mark.parametrize("filters,encode", [
    (b"/LZWDecode", lzw_encode),
    (b"/RunLengthDecode", lambda d: bytes([len(d) - 1]) + d + b"\x80"),
    (b"[/ASCII85Decode /FlateDecode]", lambda d: base64.a85encode(zlib.compress(d)) + b"~>"),
    (b"[/ASCIIHexDecode /FlateDecode]", lambda d: zlib.compress(d).hex().encode() + b">")])
def test_pages_in_other_filters_read_normally(tmp_path, filters, encode):
    """The same filters on an ordinary page: counted within budget, text read, no finding."""
    path = tmp_path / "page.pdf"
    path.write_bytes(_page_with(encode(TEXT_PAGE % b"Words in an older filter"), filters))
    scan = scan_streams(path)
    assert scan.streams == 1 and scan.inflated == len(TEXT_PAGE % b"Words in an older filter")
    doc = parse_file(path)
    assert doc.text().strip() == "Words in an older filter" and not doc.findings


def test_lzw_size_matches_a_real_decoder():
    from pdfminer.lzw import lzwdecode

    data = b"Customer service evidence, quoted at length. " * 50 + os.urandom(400)
    for encoded in (lzw_encode(data), lzw_zeros(3 << 20)):
        counter = _LzwSize(1 << 40)
        counter.feed(encoded)
        assert counter.eof and counter.total == len(lzwdecode(encoded))


def test_the_builders_make_readable_pdfs(tmp_path):
    """Without their padding the same files read normally, so a refusal below is the bomb's."""
    small = tmp_path / "objstm_small.pdf"
    small.write_bytes(object_stream_bomb(1 << 20))
    doc = parse_file(small)
    assert doc.text().strip() == "Object stream bomb" and not doc.findings
    page = tmp_path / "content_small.pdf"
    page.write_bytes(one_page_pdf(zlib.compress(TEXT_PAGE % b"Compressed page text") + b"", flate=True))
    doc = parse_file(page)
    assert doc.text().strip() == "Compressed page text" and not doc.findings


@pytest.mark.parametrize("name", BOMBS)
def test_bomb_gives_one_budget_finding_and_no_text(bombs, name):
    doc = parse_file(bombs / name)
    assert [f.code for f in doc.findings] == ["PC130"], doc.findings
    f = doc.findings[0]
    assert f.severity.value == "error" and name in f.message and "decompression bomb" in f.message
    assert f"{STREAM_CAP // 2**20} MB" in f.message
    assert not doc.blocks


def test_scan_stops_at_the_cap_not_at_the_end(bombs):
    scan = scan_streams(bombs / "content_bomb.pdf")
    assert scan.over_budget and scan.inflated <= STREAM_CAP


def test_every_bomb_parses_in_under_500_mb(bombs):
    script = PEAK_MB_SOURCE + (
        "import json, sys, pathlib\n"
        "from portfolio_check.parse import parse_file\n"
        "out = {}\n"
        "for p in sys.argv[1:]:\n"
        "    out[pathlib.Path(p).name] = [f.code for f in parse_file(p).findings]\n"
        "out['peak_mb'] = peak_mb()\n"
        "print(json.dumps(out))\n")
    res = subprocess.run([sys.executable, "-c", script, *[str(bombs / b) for b in BOMBS]],
                         capture_output=True, text=True, check=True, env=os.environ)
    result = json.loads(res.stdout)
    assert all(result[b] == ["PC130"] for b in BOMBS), result
    assert result["peak_mb"] < 500, result


def test_total_budget_catches_many_streams_each_under_the_cap(tmp_path):
    """Many streams each just under the per-stream cap add up past the file's budget."""
    part = deflate_zeros(STREAM_CAP - (1 << 20))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [%s] >>"
            % b" ".join(b"%d 0 R" % n for n in range(4, 10))]
    objs += [stream_obj(part) for _ in range(6)]
    p = tmp_path / "many.pdf"
    p.write_bytes(classic_pdf(objs))
    doc = parse_file(p)
    assert [f.code for f in doc.findings] == ["PC130"]
    assert "streams together" in doc.findings[0].message


@pytest.mark.parametrize("pad", [0, 100, 4000, 4090, 5000, 60000])
def test_a_streams_dictionary_is_found_however_far_back_it_starts(pad):
    # The near window is a shortcut: a dictionary 60 KB long, one whose head straddles the near
    # window's edge, or one after 5 KB of blank space must give the head a full search gives.
    from portfolio_check.parse.pdf_budget import _DICT_WINDOW, _OBJ_HEAD, _dictionary_before
    body = b"%PDF-1.4\n" + b"x" * 9000 + b"\n123456 0 obj\n<< /Length 5 /Filter /FlateDecode" + b" " * pad + b">>\n"
    data = body + b"stream\n"
    end = len(body)
    full = data[max(0, end - _DICT_WINDOW):end]
    want = list(_OBJ_HEAD.finditer(full))[-1]
    before, head = _dictionary_before(data, end)
    assert head is not None and head.group(1) == want.group(1) == b"123456"
    assert before[head.end():] == full[want.end():]          # the same dictionary text
    assert _dictionary_before(b"1 0 obj\n(just data) stream\n", 20) == (None, None)
