"""List labels ("1.", "2.3", "a)", "iv.", "•") computed the way Word draws them.

Word never stores the numbers of a numbered list: it computes them from ``numbering.xml``
while laying out. Desktop Word counts those labels as words, the EPA limit does not, so the
parser keeps the label apart from the paragraph text and the counter decides.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree


def _ln(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _val(el) -> str | None:
    for k, v in el.attrib.items():
        if k.endswith("}val"):
            return v
    return None


def _attr(el, name: str) -> str | None:
    for k, v in el.attrib.items():
        if k.endswith("}" + name):
            return v
    return None


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None   # lvlRestart: restart after this (1-based) level; 0 = never
    is_legal: bool = False


# Word's UI allows list values up to 32767; past that (a start value is just a number in the
# XML, 10^15 in a hostile file) a roman or letter label would be millions of characters, so the
# decimal value is shown instead. Labels are computed with divmod, never by counting up to n.
MAX_LABEL_VALUE = 32767


def _roman(n: int) -> str:
    if n <= 0 or n > MAX_LABEL_VALUE:
        return str(n) if n > 0 else "0"
    vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
            (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = []
    for v, s in vals:
        count, n = divmod(n, v)
        out.append(s * count)
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter: a..z, aa..zz, aaa..
    if n <= 0:
        return "0"
    if n > MAX_LABEL_VALUE:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("decimal", "decimalEnclosedCircle", "decimalEnclosedFullstop", "decimalEnclosedParen",
               "decimalHalfWidth", "decimalFullWidth", "ordinal", "cardinalText", "ordinalText"):
        return str(n)
    if fmt == "decimalZero":
        if abs(n) > 10 ** 6:
            return str(n)
        return f"{n:02d}"
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class Numbering:
    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)                      # numId -> abstractNumId
    overrides: dict[str, dict[int, _Level | int]] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> "Numbering":
        return cls()

    @classmethod
    def from_xml(cls, root: etree._Element) -> "Numbering":
        n = cls()
        for el in root:
            ln = _ln(el)
            if ln == "abstractNum":
                aid = _attr(el, "abstractNumId") or ""
                n.abstract[aid] = {int(_attr(lvl, "ilvl") or 0): _parse_level(lvl) for lvl in el if _ln(lvl) == "lvl"}
            elif ln == "num":
                nid = _attr(el, "numId") or ""
                for c in el:
                    if _ln(c) == "abstractNumId":
                        n.nums[nid] = _val(c) or ""
                    elif _ln(c) == "lvlOverride":
                        ilvl = int(_attr(c, "ilvl") or 0)
                        for o in c:
                            if _ln(o) == "startOverride":
                                n.overrides.setdefault(nid, {})[ilvl] = int(_val(o) or 1)
                            elif _ln(o) == "lvl":
                                n.overrides.setdefault(nid, {})[ilvl] = _parse_level(o)
        return n

    def _level(self, num_id: str, ilvl: int) -> _Level | None:
        ov = self.overrides.get(num_id, {}).get(ilvl)
        if isinstance(ov, _Level):
            return ov
        levels = self.abstract.get(self.nums.get(num_id, ""), {})
        lvl = levels.get(ilvl)
        if lvl is not None and isinstance(ov, int):
            lvl = _Level(start=ov, fmt=lvl.fmt, text=lvl.text, restart=lvl.restart, is_legal=lvl.is_legal)
        return lvl

    def label(self, num_id: str, ilvl: int) -> str:
        """The label of the next paragraph in list ``num_id`` at level ``ilvl``; advances it."""
        ilvl = max(0, min(ilvl, 8))
        lvl = self._level(num_id, ilvl)
        if lvl is None:
            return ""
        # Lists sharing an abstract definition continue each other unless the instance
        # overrides its start, which is how Word behaves for "continue numbering".
        key = num_id if num_id in self.overrides else "abs:" + self.nums.get(num_id, num_id)
        counters = self.counters.setdefault(key, [0] * 9)
        if counters[ilvl] == 0:
            counters[ilvl] = lvl.start
        else:
            counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            dl = self._level(num_id, deeper)
            if dl is None or dl.restart is None or dl.restart > ilvl:
                counters[deeper] = 0
        if lvl.fmt == "bullet":
            return lvl.text
        out = lvl.text
        for i in range(ilvl + 1):
            token = f"%{i + 1}"
            if token in out:
                li = self._level(num_id, i)
                fmt = "decimal" if (lvl.is_legal and li is not None) else (li.fmt if li else "decimal")
                value = counters[i] if counters[i] else (li.start if li else 1)
                out = out.replace(token, format_number(value, fmt))
        return out


def _parse_level(el) -> _Level:
    lvl = _Level()
    for c in el:
        ln = _ln(c)
        if ln == "start":
            try:
                lvl.start = int(_val(c) or 1)
            except ValueError:
                pass
        elif ln == "numFmt":
            lvl.fmt = _val(c) or "decimal"
        elif ln == "lvlText":
            lvl.text = _val(c) or ""
        elif ln == "lvlRestart":
            try:
                lvl.restart = int(_val(c) or 0)
            except ValueError:
                pass
        elif ln == "isLgl":
            lvl.is_legal = _val(c) in (None, "1", "true", "on")
    return lvl
