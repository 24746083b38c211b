"""Peak memory and time of reading hostile PDFs: builds the bombs of tests/test_pdf_budget.py
(1 GiB content stream, 1 GiB object stream, Flate over Flate, a bomb after 21 MB of data, a
1 GiB stream behind an empty-password AES-128 encryption) and parses all of them in one fresh
process, printing each file's findings, the seconds taken and the peak resident memory.

    PYTHONPATH=src python bench/pdf_bombs.py
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pdf_builder import TEXT_PAGE, classic_pdf, deflate_zeros, object_stream_bomb, one_page_pdf, stream_obj  # noqa: E402

CHILD = """
import json, resource, sys, time
from portfolio_check.parse import parse_file
t = time.time()
codes = {p.rsplit('/', 1)[-1]: [f.code for f in parse_file(p).findings] for p in sys.argv[1:]}
print(json.dumps({"findings": codes, "seconds": round(time.time() - t, 2),
                  "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}, indent=1))
"""


def main() -> int:
    d = Path(tempfile.mkdtemp(prefix="pc-bombs-"))
    zeros = deflate_zeros(1 << 30)
    pages = (b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    files = {
        "content_bomb.pdf": one_page_pdf(zeros, flate=True),
        "objstm_bomb.pdf": object_stream_bomb(1 << 30),
        "double_flate.pdf": classic_pdf([*pages, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                                         b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n"
                                         % len(zlib.compress(zeros, 9)) + zlib.compress(zeros, 9) + b"\nendstream"]),
        "bomb_in_21mb.pdf": classic_pdf([*pages, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                                         b"/Resources << /Font << /F1 5 0 R >> >> /Contents [4 0 R 7 0 R] >>",
                                         stream_obj(TEXT_PAGE % b"Visible", flate=False),
                                         b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                                         stream_obj(os.urandom(21 << 20), flate=False), stream_obj(zeros)]),
    }
    for name, data in files.items():
        (d / name).write_bytes(data)
    try:
        import pikepdf
        with pikepdf.open(d / "content_bomb.pdf") as pdf:
            pdf.save(d / "encrypted_bomb.pdf", encryption=pikepdf.Encryption(user="", owner="o", R=4, aes=True))
    except ImportError:
        print("pikepdf not installed: the encrypted bomb is skipped", file=sys.stderr)
    out = subprocess.run([sys.executable, "-c", CHILD, *map(str, sorted(d.glob("*.pdf")))],
                         capture_output=True, text=True)
    print(out.stdout or out.stderr)
    return out.returncode


if __name__ == "__main__":
    sys.exit(main())
