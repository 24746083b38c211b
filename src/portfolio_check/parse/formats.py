"""Name the format of a file portfolio-check does not read, so the finding tells the tutor what
the file *is* ("an OpenDocument text file", "a JPEG image") instead of calling everything a
broken Word document. Only names; nothing here reads the file's content beyond its signature.
"""
from __future__ import annotations

import zipfile

_IMAGE_MAGICS = (
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
)

_ODF = {
    "application/vnd.oasis.opendocument.text": "an OpenDocument text file (.odt, LibreOffice/OpenOffice Writer)",
    "application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation (.odp)",
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods)",
}

_OOXML_FOLDERS = (("ppt/", "a PowerPoint presentation (.pptx)"), ("xl/", "an Excel workbook (.xlsx)"),
                  ("visio/", "a Visio drawing (.vsdx)"))


def image_format(head: bytes) -> str | None:
    """The image format named by the file's first bytes, if it is one."""
    for magic, name in _IMAGE_MAGICS:
        if head.startswith(magic):
            return name
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "a HEIC image"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "a WebP image"
    return None


def zip_format(zf: zipfile.ZipFile) -> str | None:
    """What a zip that is not a Word document is: OpenDocument, PowerPoint, Excel; None if unknown."""
    names = zf.namelist()
    if "mimetype" in names:
        try:
            mime = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
        except (OSError, zipfile.BadZipFile, RuntimeError, ValueError):
            mime = ""
        if mime in _ODF:
            return _ODF[mime]
        if mime.startswith("application/vnd.oasis.opendocument"):
            return "an OpenDocument file"
    for folder, name in _OOXML_FOLDERS:
        if any(n.startswith(folder) for n in names) and not any(n.startswith("word/") for n in names):
            return name
    return None


ASK = "portfolio-check reads Word (.docx), PDF, text, Markdown and e-mail (.eml); ask for it as .docx or PDF"
