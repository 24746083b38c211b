"""Hostile inputs for the OCR paths (scanned PDF pages, picture files), each parsed in a fresh
process: findings, seconds and peak memory. Measures; asserts nothing.

Every case here hung a scan or took gigabytes of memory in the first version of the OCR
paths (found by a hostile-input run on 2026-12-03); the fixes are in ``parse/ocr.py`` (PDF
pages drawn in a memory-capped child that is killed at the page's timeout) and
``parse/image.py`` (what a picture declares is checked before it is decoded).

    PYTHONPATH=src python bench/hostile_ocr.py [--only NAME ...] [--src OTHER_CHECKOUT/src]

Needs Tesseract (``tesseract-ocr``); PORTFOLIO_CHECK_STRICT=1 is set, so a bug in
portfolio-check raises instead of becoming a PC199 finding.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from portfolio_check.parse import parse_file
t = time.monotonic()
doc = parse_file(sys.argv[1])
print(json.dumps({"seconds": time.monotonic() - t, "codes": [f.code for f in doc.findings],
                  "messages": [f.message for f in doc.findings], "ocr_pages": list(doc.ocr_pages),
                  # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forked parent
                  "rss_mb": int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]) / 1024,
                  "children_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


# -- a tiny PDF writer: numbered objects, a correct cross-reference table ---------------------
def pdf(objects: list[bytes], page_ids: list[int]) -> bytes:
    """``objects[0]`` is object 1. Catalog and page tree are appended; pages refer to ``P``."""
    n = len(objects)
    cat, tree = n + 1, n + 2
    objects = [o.replace(b"/Parent P", b"/Parent %d 0 R" % tree) for o in objects]
    objects += [b"<</Type/Catalog/Pages %d 0 R>>" % tree,
                b"<</Type/Pages/Kids[%s]/Count %d>>" % (b" ".join(b"%d 0 R" % i for i in page_ids), len(page_ids))]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Size %d/Root %d 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, cat, xref)
    return bytes(out)


def stream(head: bytes, data: bytes) -> bytes:
    return b"<<" + head + b"/Length %d>>\nstream\n" % len(data) + data + b"\nendstream"


def flate_image(w: int, h: int, row: bytes, cs: bytes = b"/DeviceGray") -> bytes:
    """An image of ``h`` identical rows, compressed as it is built (a few MB for gigapixels)."""
    z = zlib.compressobj(9)
    data = b"".join(z.compress(row) for _ in range(h)) + z.flush()
    return stream(b"/Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace %s/BitsPerComponent 8"
                  b"/Filter/FlateDecode" % (w, h, cs), data)


def small_text_image() -> bytes:
    return flate_image(50, 50, b"\x80" * 50)


def case_pdf_image_hidden_in_forms(folder: Path) -> Path:
    """A 50 px image on the page (so it is OCR'd) and a 40,000 x 40,000 one (1.6 Gpx) four
    form XObjects deep, where a check of the page's own images does not look."""
    objs = [small_text_image(), flate_image(40_000, 40_000, b"\xc0" * 40_000)]       # 1, 2
    inner = 2
    for _ in range(4):
        objs.append(stream(b"/Type/XObject/Subtype/Form/BBox[0 0 612 792]/Resources<</XObject<</X %d 0 R>>>>" % inner,
                           b"q 600 0 0 780 6 6 cm /X Do Q" if inner == 2 else b"/X Do"))
        inner = len(objs)
    objs.append(stream(b"", b"q 50 0 0 50 10 10 cm /S Do Q /F Do"))
    content = len(objs)
    objs.append(b"<</Type/Page/Parent P/MediaBox[0 0 612 792]/Resources<</XObject<</S 1 0 R/F %d 0 R>>>>"
                b"/Contents %d 0 R>>" % (inner, content))
    path = folder / "pdf_image_hidden_in_forms.pdf"
    path.write_bytes(pdf(objs, [len(objs)]))
    return path


def case_pdf_jpeg_larger_than_its_dictionary(folder: Path) -> Path:
    """A DCTDecode image whose dictionary says 100 x 100 while the JPEG is 12,000 x 12,000:
    PDFium decodes the JPEG's own size."""
    buf = io.BytesIO()
    Image.new("L", (12_000, 12_000), 255).save(buf, format="JPEG", quality=50)
    img = stream(b"/Type/XObject/Subtype/Image/Width 100/Height 100/ColorSpace/DeviceGray/BitsPerComponent 8"
                 b"/Filter/DCTDecode", buf.getvalue())
    objs = [img, stream(b"", b"q 600 0 0 780 6 6 cm /I Do Q")]
    objs.append(b"<</Type/Page/Parent P/MediaBox[0 0 612 792]/Resources<</XObject<</I 1 0 R>>>>/Contents 2 0 R>>")
    path = folder / "pdf_jpeg_larger_than_its_dictionary.pdf"
    path.write_bytes(pdf(objs, [3]))
    return path


def case_pdf_one_image_drawn_200_times(folder: Path) -> Path:
    """One 9,999 x 9,999 RGB image (under 100 Mpx) drawn 200 times on one page."""
    objs = [flate_image(9_999, 9_999, b"\xc0" * (9_999 * 3), cs=b"/DeviceRGB"),
            stream(b"", b"q 600 0 0 780 6 6 cm /I Do Q " * 200)]
    objs.append(b"<</Type/Page/Parent P/MediaBox[0 0 612 792]/Resources<</XObject<</I 1 0 R>>>>/Contents 2 0 R>>")
    path = folder / "pdf_one_image_drawn_200_times.pdf"
    path.write_bytes(pdf(objs, [3]))
    return path


def case_pdf_500_blank_scanned_pages(folder: Path) -> Path:
    """500 image-only pages with no words: the 20-page OCR budget counts them too."""
    objs = [small_text_image()]
    pages = []
    for _ in range(500):
        objs.append(stream(b"", b"q 50 0 0 50 10 10 cm /S Do Q"))
        objs.append(b"<</Type/Page/Parent P/MediaBox[0 0 612 792]/Resources<</XObject<</S 1 0 R>>>>"
                    b"/Contents %d 0 R>>" % len(objs))
        pages.append(len(objs))
    path = folder / "pdf_500_blank_scanned_pages.pdf"
    path.write_bytes(pdf(objs, pages))
    return path


def case_jpeg_of_4000_scans(folder: Path) -> Path:
    """A progressive JPEG whose last scan is repeated 4,000 times (libjpeg decodes each)."""
    buf = io.BytesIO()
    Image.new("L", (3_000, 3_000), 255).save(buf, format="JPEG", progressive=True)
    data = buf.getvalue()
    last = data.rindex(b"\xff\xda")
    path = folder / "jpeg_of_4000_scans.jpg"
    path.write_bytes(data[:-2] + data[last:-2] * 4_000 + b"\xff\xd9")
    return path


def _tiff_ifd(entries: list[tuple[int, int, int]], next_ifd: int) -> bytes:
    """One little-endian IFD of (tag, type, value) entries, count 1 each."""
    out = struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        out += struct.pack("<HHII", tag, kind, 1, value) if kind == 4 else struct.pack("<HHIHH", tag, kind, 1, value, 0)
    return out + struct.pack("<I", next_ifd)


def case_tiff_of_80000_frames(folder: Path) -> Path:
    """80,000 one-pixel frames: counting them (``n_frames``) is quadratic in Pillow."""
    out = bytearray(b"II*\x00" + struct.pack("<I", 12) + b"\xff\x00\x00\x00")
    size = 2 + 8 * 12 + 4
    for i in range(80_000):
        nxt = len(out) + size if i < 79_999 else 0
        out += _tiff_ifd([(256, 4, 1), (257, 4, 1), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, 8),
                          (278, 4, 1), (279, 4, 1)], nxt)
    path = folder / "tiff_of_80000_frames.tif"
    path.write_bytes(bytes(out))
    return path


def case_tiff_tile_larger_than_the_picture(folder: Path) -> Path:
    """A 64 x 64 picture whose one Deflate tile is declared 32,768 x 32,768 (1 GiB inflated)."""
    z, mib = zlib.compressobj(6), b"\xff" * (1 << 20)
    tile = b"".join(z.compress(mib) for _ in range(1_024)) + z.flush()
    head = bytearray(b"II*\x00" + struct.pack("<I", 8))
    entries = [(256, 4, 64), (257, 4, 64), (258, 3, 8), (259, 3, 8), (262, 3, 1), (277, 3, 1),
               (322, 4, 32_768), (323, 4, 32_768)]
    ifd_len = 2 + (len(entries) + 2) * 12 + 4
    data_at = 8 + ifd_len
    entries += [(324, 4, data_at), (325, 4, len(tile))]                  # TileOffsets, TileByteCounts
    entries.sort()
    head += _tiff_ifd(entries, 0)
    path = folder / "tiff_tile_larger_than_the_picture.tif"
    path.write_bytes(bytes(head) + tile)
    return path


def case_apng_claiming_2_31_frames(folder: Path) -> Path:
    """An animated PNG of 3 frames whose acTL chunk claims 2,147,483,648."""
    frames = [Image.new("L", (64, 64), v) for v in (255, 200, 150)]
    buf = io.BytesIO()
    frames[0].save(buf, format="PNG", save_all=True, append_images=frames[1:])
    data = bytearray(buf.getvalue())
    at = data.index(b"acTL")
    struct.pack_into(">I", data, at + 4, 0x8000_0000)
    struct.pack_into(">I", data, at + 12, zlib.crc32(bytes(data[at:at + 12])))
    path = folder / "apng_claiming_2_31_frames.png"
    path.write_bytes(bytes(data))
    return path


CASES = {name[5:]: fn for name, fn in sorted(globals().items()) if name.startswith("case_")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", choices=sorted(CASES), default=None)
    ap.add_argument("--timeout", type=float, default=300.0, help="outer limit a case may run (s)")
    ap.add_argument("--src", default=str(REPO / "src"), help="the package to test (another checkout's src/)")
    args = ap.parse_args()
    env = dict(os.environ, PORTFOLIO_CHECK_STRICT="1")
    with tempfile.TemporaryDirectory(prefix="hostile-ocr-") as tmp:
        print(f"{'case':<40}{'seconds':>9}{'parse MB':>10}{'children MB':>13}  findings")
        for name in args.only or sorted(CASES):
            path = CASES[name](Path(tmp))
            start = time.monotonic()
            try:
                done = subprocess.run([sys.executable, "-c", CHILD, str(path), args.src], env=env,
                                      capture_output=True, text=True, timeout=args.timeout)
            except subprocess.TimeoutExpired:
                print(f"{name:<40}{time.monotonic() - start:>9.1f}  OVER THE OUTER LIMIT")
                continue
            if done.returncode != 0:
                print(f"{name:<40}{time.monotonic() - start:>9.1f}  FAILED: {done.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            why = "; ".join(m.split(": ", 1)[-1][:90] for m in r["messages"])
            print(f"{name:<40}{r['seconds']:>9.1f}{r['rss_mb']:>10.0f}{r['children_rss_mb']:>13.0f}  "
                  f"{' '.join(r['codes'])}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
