"""Raw PDF bytes for hostile-input tests, written by hand so a test controls every byte
(a 1 GiB content stream is compressed in chunks and never held in memory)."""
from __future__ import annotations

import struct
import zlib

TEXT_PAGE = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def deflate_zeros(n_bytes: int, fill: bytes = b"\0", prefix: bytes = b"") -> bytes:
    """``prefix`` then ``n_bytes`` of ``fill``, Flate-compressed a MiB at a time."""
    c = zlib.compressobj(9)
    out = [c.compress(prefix)]
    block = fill * (1 << 20)
    for _ in range(n_bytes >> 20):
        out.append(c.compress(block))
    out.append(c.flush())
    return b"".join(out)


def stream_obj(data: bytes, extra: bytes = b"", flate: bool = True) -> bytes:
    filt = b" /Filter /FlateDecode" if flate else b""
    return b"<< /Length %d%s %s >>\nstream\n" % (len(data), filt, extra) + data + b"\nendstream"


def classic_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """Objects numbered from 1 in order, a classic xref table, trailer and %%EOF."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def one_page_pdf(content: bytes, flate: bool = False, extra_objects: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF whose page draws ``content`` (optionally Flate-compressed already)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            stream_obj(content, flate=flate),
            FONT, *extra_objects]
    return classic_pdf(objs)


def object_stream_bomb(pad_bytes: int) -> bytes:
    """A PDF 1.5 file whose catalog, page tree and page live in an object stream padded with
    ``pad_bytes`` of spaces after them, found through a cross-reference stream."""
    inner = [b"<< /Type /Catalog /Pages 2 0 R >>",
             b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"]
    body = b""
    index = []
    for i, o in enumerate(inner, 1):
        index.append(b"%d %d" % (i, len(body)))
        body += o + b"\n"
    header = b" ".join(index) + b"\n"
    objstm = deflate_zeros(pad_bytes, fill=b" ", prefix=header + body)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offs = {}
    content = TEXT_PAGE % b"Object stream bomb"
    for num, body_ in ((4, stream_obj(content, flate=False)), (5, FONT),
                       (6, b"<< /Type /ObjStm /N 3 /First %d /Length %d /Filter /FlateDecode >>\nstream\n"
                        % (len(header), len(objstm)) + objstm + b"\nendstream")):
        offs[num] = len(out)
        out += b"%d 0 obj\n" % num + body_ + b"\nendobj\n"
    offs[7] = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 2, 6, i) for i in range(3)]
    rows += [struct.pack(">BIH", 1, offs[n], 0) for n in (4, 5, 6, 7)]
    xdata = b"".join(rows)
    out += (b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(xdata)
            + xdata + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % offs[7]
    return bytes(out)


def lzw_pack(codes: list[int], early: int = 1) -> bytes:
    """Pack LZW codes MSB-first with the code widths a PDF decoder expects (EarlyChange)."""
    acc = nbits = 0
    out = bytearray()
    table, prev, width = 258, None, 9
    for code in codes:
        acc = (acc << width) | code
        nbits += width
        while nbits >= 8:
            nbits -= 8
            out.append((acc >> nbits) & 0xFF)
        acc &= (1 << nbits) - 1
        if code == 256:
            table, prev = 258, None
        elif code == 257:
            break
        else:
            if prev is not None and table < 4096:
                table += 1
            prev = code
        width = max(9, min(12, (table + early).bit_length()))
    if nbits:
        out.append((acc << (8 - nbits)) & 0xFF)
    return bytes(out)


def lzw_encode(data: bytes) -> bytes:
    """A plain LZW encoder for short test data (no table reset: keep it under ~3,000 codes)."""
    table = {bytes([i]): i for i in range(256)}
    nxt, w, codes = 258, b"", [256]
    for byte in data:
        wc = w + bytes([byte])
        if wc in table:
            w = wc
            continue
        codes.append(table[w])
        table[wc] = nxt
        nxt += 1
        w = bytes([byte])
    if w:
        codes.append(table[w])
    codes.append(257)
    assert nxt < 4000, "test data too long for lzw_encode"
    return lzw_pack(codes)


def lzw_zeros(n_bytes: int) -> bytes:
    """An LZW stream of at least ``n_bytes`` zeros, built from its codes directly: after the
    first 0, code 256+k stands for k zeros, so one table's worth of codes holds ~7 MB."""
    codes, total = [], 0
    while total < n_bytes:
        codes += [256, 0]
        total += 1
        for code in range(258, 4094):
            codes.append(code)
            total += code - 256
    return lzw_pack(codes + [257])
