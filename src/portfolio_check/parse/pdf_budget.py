"""A bounded pre-scan of every compressed stream in a PDF, run before any PDF library decodes it.

PDFium and pdfminer inflate a stream whole when they need it, with no limit: a page whose
content stream is 1 GiB of zeros (1 MB on disk), an object stream padded the same way, or
either hidden in a large file, costs gigabytes of memory before any text comes out. Both
libraries find streams through the cross-reference table, which is itself a stream that can
be a bomb, so the check cannot ask them. Instead this module walks the raw bytes for every
``stream`` keyword, reads the dictionary before it for its filters, and inflates each Flate
stream (and Flate-over-Flate chains) with ``zlib.decompressobj(max_length=...)`` while
discarding the output, counts what a final LZW or RunLength filter would produce (both can
expand a few hundred KB into a gigabyte), and undoes an ASCII85/ASCIIHex armour first: memory stays at one chunk, and the first byte past the budget stops
the walk. The end of a Flate stream is found by zlib itself, so a lying ``/Length`` changes
nothing.

Budgets: one stream may inflate to :data:`STREAM_CAP`, the file's streams together to
:data:`TOTAL_CAP`, and the walk may take :data:`SCAN_SECONDS`. Image streams are not counted:
reading text never decodes an image. Streams of an encrypted file are ciphertext until
decrypted, so they are inflated only when a decrypting callback is given.
"""
from __future__ import annotations

import mmap
import re
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

STREAM_CAP = 48 * 1024 * 1024       # a single stream inflating past this is a bomb
TOTAL_CAP = 256 * 1024 * 1024       # all non-image streams of one file together
SCAN_SECONDS = 20.0
_CHUNK = 256 * 1024                 # raw bytes fed to zlib at a time
_OUT = 1024 * 1024                  # inflated bytes produced at a time (then dropped)
_DICT_WINDOW = 64 * 1024            # how far back from "stream" its dictionary may start

_STREAM_KW = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_OBJ_HEAD = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+obj\b")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9#]+)")
_NAME = re.compile(rb"/([A-Za-z0-9#]+)")
_LENGTH = re.compile(rb"/Length\s+(\d{1,12})(?!\s+\d+\s+R)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_ENCRYPT = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_XREF = re.compile(rb"/Type\s*/XRef\b")
_FLATE = {b"FlateDecode", b"Fl"}
_LZW = {b"LZWDecode", b"LZW"}
_RL = {b"RunLengthDecode", b"RL"}
_A85 = {b"ASCII85Decode", b"A85"}
_AHX = {b"ASCIIHexDecode", b"AHx"}
_EARLY0 = re.compile(rb"/EarlyChange\s+0\b")
ASCII_LIMIT = 64 * 1024 * 1024      # an ASCII-armoured stream larger than this is not pre-decoded

Decrypt = Callable[[int, int, bytes], bytes]


@dataclass(frozen=True)
class StreamScan:
    """What the pre-scan saw. ``over_budget`` is a plain-English reason when the file must not
    be handed to a PDF library; ``damaged`` counts Flate streams that do not inflate."""

    streams: int = 0
    inflated: int = 0
    damaged: int = 0
    encrypted: bool = False
    over_budget: str | None = None
    timed_out: bool = False


class _Over(Exception):
    pass


class _Slow(Exception):
    pass


class _LzwSize:
    """Counts what an LZW stream decodes to without building any string: each table entry is
    kept as its length only (one int), so a 1 GiB LZW bomb (about 800 KB of codes) is seen to
    pass the cap after a few dozen KB. Code widths follow the PDF rules, EarlyChange included."""

    def __init__(self, cap: int, early: int = 1) -> None:
        self.cap, self.early = cap, early
        self.total = 0
        self.eof = False
        self._buf = self._bits = 0
        self._reset()

    def _reset(self) -> None:
        self.lens = [1] * 256 + [0, 0]
        self.width = 9
        self.prev: int | None = None

    def feed(self, data: bytes) -> None:
        buf, bits, lens = self._buf, self._bits, self.lens
        for byte in data:
            buf = (buf << 8) | byte
            bits += 8
            while bits >= self.width and not self.eof:
                bits -= self.width
                code = buf >> bits
                buf &= (1 << bits) - 1
                if code == 256:
                    self._reset()
                    lens = self.lens
                    continue
                if code == 257:
                    self.eof = True
                    break
                nxt = len(lens)
                if self.prev is None:
                    if code > 255:
                        raise zlib.error("LZW stream starts with a table code")
                    out = 1
                else:
                    if code < nxt:
                        out = lens[code]
                        new = lens[self.prev] + 1
                    elif code == nxt:
                        out = new = lens[self.prev] + 1
                    else:
                        raise zlib.error("LZW code past the table")
                    if nxt < 4096:
                        lens.append(new)
                        nxt += 1
                self.width = min(12, max(9, (nxt + self.early).bit_length()))
                self.prev = code
                self.total += out
                if self.total > self.cap:
                    raise _Over
            if self.eof:
                break
        self._buf, self._bits = buf, bits


class _RunLengthSize:
    """Counts what a RunLengthDecode stream decodes to (at most 128 bytes per 2 on disk)."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.total = 0
        self.eof = False
        self._skip = 0
        self._repeat = False

    def feed(self, data: bytes) -> None:
        i, n = 0, len(data)
        while i < n and not self.eof:
            if self._skip:
                take = min(self._skip, n - i)
                i += take
                self._skip -= take
                continue
            if self._repeat:
                i += 1
                self._repeat = False
                continue
            length = data[i]
            i += 1
            if length == 128:
                self.eof = True
            elif length < 128:
                self._skip = length + 1
                self.total += length + 1
            else:
                self.total += 257 - length
                self._repeat = True
            if self.total > self.cap:
                raise _Over


def _inflate_size(feed: Callable[[], bytes], layers: int, cap: int,
                  tail: Callable[[int], _LzwSize | _RunLengthSize] | None = None) -> tuple[int, int]:
    """Inflate ``layers`` chained Flate filters from ``feed`` without keeping the output,
    then count the bytes a final LZW or RunLength filter (``tail``) would decode to.

    Returns (decoded bytes of the last filter, raw bytes consumed). Raises :class:`_Over`
    past ``cap`` and ``zlib.error`` for data that does not decode.
    """
    decoders = [zlib.decompressobj() for _ in range(layers)]
    counter = tail(cap) if tail else None
    total = 0
    consumed = 0

    def push(level: int, data: bytes) -> None:
        nonlocal total
        if level == layers:                 # only reached with a tail counter
            counter.feed(data)              # type: ignore[union-attr]
            return
        d = decoders[level]
        while data and not d.eof:
            out = d.decompress(data, _OUT)
            data = d.unconsumed_tail
            if level + 1 < layers or counter is not None:
                push(level + 1, out)
            else:
                total += len(out)
                if total > cap:
                    raise _Over
        # data left after the end of the zlib stream (endstream, padding) is ignored

    def done() -> bool:
        if layers:
            return decoders[0].eof
        return counter.eof                  # type: ignore[union-attr]

    while not done():
        chunk = feed()
        if not chunk:
            break
        push(0, chunk)
        if layers:
            consumed += len(chunk) - len(decoders[0].unused_data)
    if counter is not None:
        total = counter.total
    return total, consumed


def _ascii_decode(kind: bytes, mm, start: int, limit: int) -> bytes | None:
    """Decode an ASCII85 / ASCIIHex first filter up to its end marker (never more than
    ``limit`` raw bytes): these only shrink data, so the Flate/LZW filters behind them are
    checked on the real bytes. None when the data does not decode."""
    import base64
    import binascii

    marker = b"~>" if kind in _A85 else b">"
    end = mm.find(marker, start, start + limit)
    if end < 0:
        return None
    raw = mm[start:end]
    try:
        if kind in _A85:
            return base64.a85decode(raw.lstrip().removeprefix(b"<~"), adobe=False)
        hexed = b"".join(raw.split())
        return bytes.fromhex((hexed + b"0" if len(hexed) % 2 else hexed).decode("ascii"))
    except (ValueError, binascii.Error):
        return None


_NEAR_WINDOW = 4 * 1024             # a stream dictionary is almost always this close


def _dictionary_before(mm, end: int) -> tuple[bytes | None, "re.Match[bytes] | None"]:
    """The bytes before a "stream" keyword at ``end`` back to (at most ``_DICT_WINDOW``) and the
    last object head in them; None bytes when no dictionary ends there (">>").

    The near window is tried first, and the full one only when the near one cannot answer
    (all blank, no head, or a head so close to its edge that its number may be cut): copying
    and searching 64 KB for each of a 2,000-page file's streams was most of reading it."""
    for window in (_NEAR_WINDOW, _DICT_WINDOW):
        start = max(0, end - window)
        final = start == 0 or window == _DICT_WINDOW      # nothing further back to look at
        before = mm[start:end]
        stripped = before.rstrip()
        if not stripped and not final:
            continue
        if not stripped.endswith(b">>"):
            return None, None
        heads = list(_OBJ_HEAD.finditer(before))
        if final or (heads and heads[-1].start() >= 16):
            return before, heads[-1] if heads else None
    return None, None


def scan_streams(path: Path, decrypt: Decrypt | None = None,
                 stream_cap: int = STREAM_CAP, total_cap: int = TOTAL_CAP,
                 seconds: float = SCAN_SECONDS) -> StreamScan:
    """Walk every stream of the file at ``path`` within the budgets (see the module doc)."""
    size = path.stat().st_size
    if size == 0:
        return StreamScan()
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        encrypted = _ENCRYPT.search(mm) is not None
        started = time.monotonic()
        streams = inflated = damaged = 0
        pos = 0
        while True:
            if time.monotonic() - started > seconds:
                return StreamScan(streams, inflated, damaged, encrypted, timed_out=True)
            m = _STREAM_KW.search(mm, pos)
            if m is None:
                break
            start = m.end()
            pos = start
            before, head = _dictionary_before(mm, m.start())
            if before is None:
                continue                          # the word "stream" inside data, not a keyword
            if head is None:
                continue
            attrs = before[head.end():]
            length = _LENGTH.search(attrs)
            if _IMAGE.search(attrs):
                if length:
                    pos = start + int(length.group(1))
                continue
            fm = _FILTER.search(attrs)
            names = _NAME.findall(fm.group(1)) if fm else []
            armour = names[0] if names and names[0] in _A85 | _AHX else None
            chain = names[1:] if armour else names
            layers = 0
            for n in chain:
                if n not in _FLATE:
                    break
                layers += 1
            rest = chain[layers:]
            tail: Callable[[int], _LzwSize | _RunLengthSize] | None = None
            if len(rest) == 1 and rest[0] in _LZW:
                early = 0 if _EARLY0.search(attrs) else 1
                tail = lambda cap, early=early: _LzwSize(cap, early)  # noqa: E731
            elif len(rest) == 1 and rest[0] in _RL:
                tail = _RunLengthSize
            if (not layers and tail is None) or (rest and tail is None):
                if length:
                    pos = start + int(length.group(1))
                continue
            streams += 1
            cap = min(stream_cap, total_cap - inflated)
            declared = min(size, start + int(length.group(1))) if length else size
            source: bytes | None = None
            if encrypted and not _XREF.search(attrs):    # cross-reference streams are never encrypted
                if decrypt is None:
                    continue
                # Ciphertext has no end marker of its own: take the declared length, bounded
                # by the file, decrypt it (no larger than it is on disk), then inflate.
                if not length:
                    continue
                try:
                    source = decrypt(int(head.group(1)), int(head.group(2)), mm[start:declared])
                except Exception:  # noqa: BLE001 - undecryptable: PDFium will say so
                    continue
            if armour:
                source = _ascii_decode(armour, source if source is not None else mm,
                                       0 if source is not None else start, ASCII_LIMIT)
                if source is None:
                    damaged += 1
                    continue
            deadline = started + seconds
            if source is not None:
                chunks = iter([source[i:i + _CHUNK] for i in range(0, len(source), _CHUNK)])

                def feed() -> bytes:
                    if time.monotonic() > deadline:
                        raise _Slow
                    return next(chunks, b"")
            else:
                # Flate finds its own end; LZW and RunLength have end codes that may be
                # missing, so without Flate the declared length (if any) bounds the read.
                cursor = [start]
                stop = size if layers else declared

                def feed() -> bytes:
                    if time.monotonic() > deadline:
                        raise _Slow
                    chunk = mm[cursor[0]:min(stop, cursor[0] + _CHUNK)]
                    cursor[0] += len(chunk)
                    return chunk
            try:
                got, consumed = _inflate_size(feed, layers, cap, tail)
            except _Slow:
                return StreamScan(streams, inflated, damaged, encrypted, timed_out=True)
            except _Over:
                whole = "a single compressed stream" if cap == stream_cap else "its compressed streams together"
                limit = stream_cap if cap == stream_cap else total_cap
                return StreamScan(streams, inflated, damaged, encrypted, over_budget=(
                    f"{whole} would inflate past {limit // 2**20} MB (a decompression bomb); "
                    "it was not decoded"))
            except zlib.error:
                damaged += 1
                continue
            inflated += got
            if source is None and layers:
                pos = start + max(consumed, 0)
            elif length:
                pos = start + int(length.group(1))
    return StreamScan(streams, inflated, damaged, encrypted)


def _pdfminer_decrypter(path: Path) -> tuple[Decrypt | None, object]:
    """A decrypting callback for a file whose user password is empty (None if it has one).

    Returns the open file handle too, which the caller closes. pdfminer reads only the
    cross-reference data and the /Encrypt dictionary here; the pre-scan has already bounded
    the unencrypted streams (the cross-reference stream among them) before this runs."""
    import logging

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    fh = path.open("rb")
    try:
        doc = PDFDocument(PDFParser(fh), password="")
    except Exception:  # noqa: BLE001 - a real password, or a structure pdfminer cannot read
        fh.close()
        return None, None
    if doc.decipher is None:
        fh.close()
        return None, None
    decipher = doc.decipher
    return _fast_rc4(decipher) or (lambda objid, genno, data: decipher(objid, genno, data, {})), fh


def _fast_rc4(decipher) -> Decrypt | None:
    """RC4 through ``cryptography`` instead of pdfminer's pure-Python cipher (about 1 MB a
    second there: a 20 MB RC4 file would take minutes). Same per-object key as pdfminer's
    ``decrypt_rc4`` (PDF 32000-1, algorithm 1). None when the file does not use RC4."""
    import hashlib
    import struct

    try:
        from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
        from cryptography.hazmat.primitives.ciphers import Cipher
    except ImportError:  # older cryptography: pdfminer's own cipher still works, slowly
        return None
    handler = getattr(decipher, "__self__", None)
    key = getattr(handler, "key", None)
    if handler is None or key is None:
        return None
    cfm = getattr(handler, "cfm", None)       # V1-V3 handlers have none: always RC4
    if cfm is not None:                       # V4/V5: RC4 only when the stream filter says V2
        method = cfm.get(getattr(handler, "stmf", ""))
        if getattr(method, "__func__", None) is not type(handler).decrypt_rc4:
            return None

    def decrypt(objid: int, genno: int, data: bytes) -> bytes:
        k = key + struct.pack("<L", objid)[:3] + struct.pack("<L", genno)[:2]
        k = hashlib.md5(k).digest()[:min(len(k), 16)]  # noqa: S324 - the PDF spec's key derivation
        return Cipher(ARC4(k), mode=None).decryptor().update(data)
    return decrypt


def scan_pdf(path: Path) -> StreamScan:
    """The pre-scan of :func:`scan_streams`, repeated with decryption for a file encrypted
    with an empty user password (which every viewer opens without asking), so a bomb cannot
    hide behind encryption that any reader removes."""
    scan = scan_streams(path)
    if not scan.encrypted or scan.over_budget or scan.timed_out:
        return scan
    decrypt, fh = _pdfminer_decrypter(path)
    if decrypt is None:
        return scan
    try:
        return scan_streams(path, decrypt=decrypt)
    finally:
        fh.close()  # type: ignore[union-attr]
