"""Text on a PDF page that a reader cannot see, kept out of the text we count and tag.

A PDF can carry text no viewer shows: drawn in render mode 3 or 7 (invisible, clip only),
filled in white on the white page, fully transparent, at a size no one can read, or placed
outside the page's visible box. Copied into a portfolio it pads the word count and can earn a
KSB from words the assessor never sees. PDFium reports each text object's render mode, fill
colour, font size and transform (``FPDFTextObj_*``, ``FPDFPageObj_*``) and, for every
character of the text page, the text object that drew it (``FPDFText_GetTextObject``), so the
hidden objects are found first and their characters dropped from the page text.

Invisible text whose middle lies on an image drawn before it is the OCR layer of a scan (the
reader sees those words in the picture) and is kept. "White" is hidden only on the page's own white: a white title on a dark banner is visible,
so white text over a filled, non-white shape or an image drawn before it is kept.

Pages with no hidden object (nearly all) keep PDFium's ordinary fast text extraction.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MIN_SIZE_PT = 2.0          # effective font size below which text is unreadable
WHITE = 245                # each of R, G, B at or above this counts as white
_INVISIBLE_MODES = {3, 7}  # neither fill nor stroke (7 adds the text to the clip path only)
_STROKE_MODES = {1, 5}

INVISIBLE = "invisible (render mode 3)"
WHITE_TEXT = "white on a white page"
TRANSPARENT = "fully transparent"
TINY = f"under {MIN_SIZE_PT:g} pt"
OFF_PAGE = "outside the page"


@dataclass(frozen=True)
class PageText:
    """One page's visible text and what was held back (``hidden`` is reason -> text)."""

    text: str
    hidden: tuple[tuple[str, str], ...] = ()


def _addr(ptr) -> int | None:
    return ctypes.cast(ptr, ctypes.c_void_p).value


def _colour(getter, obj) -> tuple[int, int, int, int]:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return (0, 0, 0, 255)
    return (r.value, g.value, b.value, a.value)


def _bounds(obj) -> tuple[float, float, float, float] | None:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom),
                                          ctypes.byref(right), ctypes.byref(top)):
        return None
    return (left.value, bottom.value, right.value, top.value)


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _is_white(c: tuple[int, int, int, int]) -> bool:
    return min(c[:3]) >= WHITE


def _centre_in(box, area) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return area[0] <= x <= area[2] and area[1] <= y <= area[3]


def _text_reason(obj, level: int, page_box, painted: list, images: list) -> str | None:
    """Why a text object cannot be seen, or None when it can."""
    mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj)
    if mode in _INVISIBLE_MODES:
        box = _bounds(obj)
        if box is not None and any(_centre_in(box, im) for im in images):
            return None     # an OCR layer over a scanned image: the reader sees the words in the image
        return INVISIBLE
    getter = pdfium_c.FPDFPageObj_GetStrokeColor if mode in _STROKE_MODES else pdfium_c.FPDFPageObj_GetFillColor
    colour = _colour(getter, obj)
    if colour[3] == 0:
        return TRANSPARENT
    box = _bounds(obj)
    size = ctypes.c_float()
    if pdfium_c.FPDFTextObj_GetFontSize(obj, ctypes.byref(size)):
        m = pdfium_c.FS_MATRIX()
        scale = 1.0
        if pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
            scale = abs(m.a * m.d - m.b * m.c) ** 0.5
        if 0 < size.value * scale < MIN_SIZE_PT:
            return TINY
    if box is not None and level == 0 and not _overlaps(box, page_box):
        return OFF_PAGE
    if _is_white(colour) and not (box is not None and any(_overlaps(box, p) for p in painted)):
        return WHITE_TEXT
    return None


def _hidden_objects(page: pdfium.PdfPage) -> dict[int, str]:
    """Address of each hidden text object on the page -> the reason it is hidden."""
    left, bottom, right, top = page.get_bbox()
    page_box = (left, bottom, right, top)
    painted: list[tuple[float, float, float, float]] = []
    images: list[tuple[float, float, float, float]] = []
    hidden: dict[int, str] = {}
    for obj in page.get_objects(max_depth=4):
        raw = obj.raw
        kind = pdfium_c.FPDFPageObj_GetType(raw)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            why = _text_reason(raw, obj.level, page_box, painted, images)
            if why:
                hidden[_addr(raw)] = why
        elif kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_SHADING):
            box = _bounds(raw)
            if box:
                painted.append(box)
                if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    images.append(box)
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            fillmode, stroke = ctypes.c_int(), ctypes.c_int()
            if (pdfium_c.FPDFPath_GetDrawMode(raw, ctypes.byref(fillmode), ctypes.byref(stroke))
                    and fillmode.value and not _is_white(_colour(pdfium_c.FPDFPageObj_GetFillColor, raw))):
                box = _bounds(raw)
                if box:
                    painted.append(box)
    return hidden


def _chars(tp: pdfium.PdfTextPage, hidden: dict[int, str]) -> PageText:
    n = pdfium_c.FPDFText_CountChars(tp.raw)
    visible: list[str] = []
    held: dict[str, list[str]] = {}
    last_reason = None
    for i in range(max(0, n)):
        ch = chr(pdfium_c.FPDFText_GetUnicode(tp.raw, i))
        reason = hidden.get(_addr(pdfium_c.FPDFText_GetTextObject(tp.raw, i)))
        if reason is None:
            visible.append(ch)
            last_reason = None
        else:
            parts = held.setdefault(reason, [])
            if last_reason != reason and parts:
                parts.append(" ")
            parts.append(ch)
            last_reason = reason
    text = "".join(visible).encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return PageText(text, tuple((k, "".join(v)) for k, v in held.items()))


def page_text(page: pdfium.PdfPage, tp: pdfium.PdfTextPage) -> PageText:
    """The page's text as a reader sees it, and the hidden text by reason."""
    try:
        hidden = _hidden_objects(page)
    except pdfium.PdfiumError:
        hidden = {}
    if not hidden:
        return PageText(tp.get_text_range())
    return _chars(tp, hidden)
