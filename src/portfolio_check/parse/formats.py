"""Names of the formats portfolio-check does not read, so a tutor is told what the file is.

Why: "it is not a Word document" is no help for a PowerPoint file or an OpenDocument text, and
"corrupt or random data" is wrong for a photo of a certificate. Naming the format tells the
tutor what to ask the apprentice for (the same content saved as .docx or PDF).
"""
from __future__ import annotations

import zipfile

MAGIC = (
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"RIFF", "a RIFF media file (WebP image, WAV or AVI)"),
    (b"{\\rtf", "a Rich Text Format (.rtf) document"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
)
HEIC_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"hevc")

OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": "an OpenDocument text (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods)",
    "application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation (.odp)",
}
ZIP_FOLDERS = (("ppt/", "a PowerPoint presentation (.pptx)"), ("xl/", "an Excel workbook (.xlsx)"),
               ("visio/", "a Visio drawing (.vsdx)"))
ASK = "ask for it to be saved as .docx or PDF"


def describe_bytes(head: bytes) -> str | None:
    """The name of a format recognised from its first bytes, or None."""
    for magic, name in MAGIC:
        if head.startswith(magic):
            return name
    if head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        return "a HEIC photo"
    return None


def describe_zip(zf: zipfile.ZipFile) -> str | None:
    """The name of a zip-based office format that is not a Word document, or None."""
    names = zf.namelist()
    if "mimetype" in names:
        info = zf.getinfo("mimetype")
        if info.file_size <= 200:
            mimetype = zf.read("mimetype").decode("ascii", errors="replace").strip()
            return OPENDOCUMENT.get(mimetype, f"an OpenDocument file ({mimetype[:60]})")
    for folder, name in ZIP_FOLDERS:
        if any(n.startswith(folder) for n in names):
            return name
    return None
