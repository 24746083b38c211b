"""OCR of scanned PDF pages: seconds a page and what it costs a scan, in one run.

For each scanned PDF given (default: the two scans of the dev cohorts and a generated one),
parses it with OCR off (the extraction floor: PDFium finds no text layer) and with OCR on,
as a scan worker does (one Tesseract thread), and prints the seconds of each and their ratio,
and the words OCR read. Measures; asserts nothing.

    python bench/ocr_speed.py [--repeat 3] [FILE.pdf ...]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from portfolio_check.parse import ocr, parse_file  # noqa: E402

SHARED = REPO.parent / "shared"
DEFAULT = [SHARED / "dev-cohort" / "apr-d03" / "portfolio" / "02_witness_testimony_T_Ashworth_scan.pdf",
           SHARED / "dev-cohort-2" / "apr-e05" / "portfolio" / "07 Customer letter (scanned).pdf"]


def generated_scan(folder: Path) -> Path:
    """A 3-page A4 scan at 200 dpi of a plain reflective account (Pillow's default font)."""
    from PIL import Image, ImageDraw, ImageFont

    text = ("I checked the plant guarantee, which covers hardy plants for twelve months with a receipt, "
            "and explained that refunds over fifty pounds need the duty manager's approval. ") * 6
    font = ImageFont.load_default(size=34)
    pages = []
    for _ in range(3):
        img = Image.new("L", (1654, 2339), 255)
        draw = ImageDraw.Draw(img)
        for i, line in enumerate(textwrap.wrap(text, 70)):
            draw.text((120, 150 + 50 * i), line, fill=0, font=font)
        pages.append(img)
    out = folder / "generated_3_page_scan.pdf"
    pages[0].save(out, resolution=200, save_all=True, append_images=pages[1:])
    return out


def timed(path: Path, repeat: int, ocr_on: bool) -> tuple[float, int, int]:
    os.environ["PORTFOLIO_CHECK_OCR"] = "1" if ocr_on else "0"
    ocr.engine.cache_clear()
    times, doc = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        doc = parse_file(path)
        times.append(time.perf_counter() - start)
    assert doc is not None
    return statistics.median(times), len(doc.ocr_pages), len(doc.text().split())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    os.environ["PORTFOLIO_CHECK_OCR"] = "1"
    ocr.engine.cache_clear()
    found = ocr.engine()
    if found is None:
        print("no OCR engine: install tesseract-ocr and tesseract-ocr-eng", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        files = args.files or [*DEFAULT, generated_scan(Path(tmp))]
        print(f"{found.id}, one thread per call; median of {args.repeat} parses each; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        per_page = []
        for path in files:
            floor, _, _ = timed(path, args.repeat, ocr_on=False)
            with_ocr, pages, words = timed(path, args.repeat, ocr_on=True)
            if pages:
                per_page.append((with_ocr - floor) / pages)
            print(f"  {path.name[:48]:<48} OCR off {floor:6.3f} s   on {with_ocr:6.2f} s   x{with_ocr / floor:7.1f}   "
                  f"{pages} page(s) read, {words} words")
        if per_page:
            print(f"  OCR seconds a page (median over files): {statistics.median(per_page):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
