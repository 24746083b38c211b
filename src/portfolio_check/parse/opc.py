"""A guarded reader for OPC packages (the zip container of DOCX files).

python-docx's own loader inflates every part of a package before anything can look at sizes
and stops on a dangling relationship to an optional part (a missing ``docProps/core.xml``), so
the DOCX parser reads the container through this small layer instead:

* sizes are checked from the zip directory *before* anything is inflated (zip bombs), and each
  member is then inflated by our own streaming loop, for every method (stored, deflate, bzip2,
  lzma), that stops the moment the output passes the size the directory declared: a directory
  that lies cannot make us hold more than the declared (already capped) size, and the whole
  package is capped too. (``zipfile`` bounds deflate output per read but not bzip2 or lzma,
  which inflated a 6 GB bomb.) CRC-32 is checked at the end, as ``zipfile`` does;
* XML is parsed with entity resolution, DTD loading and network access off and without
  ``huge_tree`` (XXE, billion laughs, absurd nesting), and a DOCTYPE is reported;
* the main part is found through ``_rels/.rels`` like Word does, so renamed parts still work.
"""
from __future__ import annotations

import bz2
import lzma
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .formats import ASK, describe_zip

# One XML part; a 2,500-word report is ~200 KB and a 300-page document a few MB. lxml's tree
# costs about 6.7 times the XML's bytes (57 MB of document.xml -> 385 MB of tree, measured), so
# this cap, with the tagger loaded, keeps one worker under 500 MB (bench/hostile_files.py).
MAX_MEMBER_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024      # everything we would ever inflate from one package
MAX_RATIO = 200                          # deflate rarely beats 100:1 on real XML

RT_OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                      "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


class PackageError(Exception):
    """A package we refuse or cannot read; ``code`` is the PC1xx finding code."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


@dataclass
class Relationship:
    rel_id: str
    rel_type: str
    target: str          # resolved part name inside the zip, or the external URL
    external: bool


@dataclass
class Package:
    path: Path
    zf: zipfile.ZipFile
    content_types: dict[str, str] = field(default_factory=dict)
    saw_doctype: bool = False
    repaired: str | None = None
    inflated: int = 0                         # bytes inflated so far from this package
    duplicates: tuple[str, ...] = ()          # member names stored more than once

    # -- reading -----------------------------------------------------------------------------
    def has(self, name: str) -> bool:
        try:
            self.zf.getinfo(name)
            return True
        except KeyError:
            return False

    def read(self, name: str) -> bytes:
        info = self.zf.getinfo(name)
        if info.file_size > MAX_MEMBER_BYTES:
            raise PackageError("PC109", f"part {name} would inflate to {info.file_size:,} bytes, over the "
                                        f"{MAX_MEMBER_BYTES // (1024 * 1024)} MB limit")
        budget = min(MAX_MEMBER_BYTES, MAX_TOTAL_BYTES - self.inflated)
        if info.file_size > budget:
            raise PackageError("PC109", f"reading part {name} would take the package past the "
                                        f"{MAX_TOTAL_BYTES // (1024 * 1024)} MB it may inflate to")
        data = inflate_member(self.path, info, info.file_size)
        self.inflated += len(data)
        return data

    def xml(self, name: str) -> etree._Element:
        data = self.read(name)
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        head = data[:2048]
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            self.saw_doctype = True
        return etree.fromstring(data, safe_parser())

    def rels(self, part: str) -> list[Relationship]:
        """Relationships of a part ('' for the package itself), targets resolved."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels") if part else "_rels/.rels"
        if not self.has(rels_name):
            return []
        root = self.xml(rels_name)
        out = []
        for el in root:
            if etree.QName(el).localname != "Relationship":
                continue
            target = el.get("Target", "")
            external = el.get("TargetMode") == "External"
            if not external:
                if target.startswith("/"):
                    target = target.lstrip("/")
                else:
                    target = posixpath.normpath(posixpath.join(folder, target))
            out.append(Relationship(el.get("Id", ""), el.get("Type", ""), target, external))
        return out

    def main_part(self) -> str:
        for rel in self.rels(""):
            if rel.rel_type in RT_OFFICE_DOCUMENT and not rel.external:
                if not self.has(rel.target):
                    raise PackageError("PC107", f"the main document part ({rel.target}) is missing")
                return rel.target
        if self.has("word/document.xml"):
            self.repaired = "it has no package relationships; the usual main part was read instead"
            return "word/document.xml"
        raise PackageError("PC107", "it has no main document part")

    def content_type(self, part: str) -> str:
        override = self.content_types.get("/" + part)
        if override:
            return override
        ext = part.rsplit(".", 1)[-1].lower()
        return self.content_types.get("ext:" + ext, "")


def open_package(path: Path) -> Package:
    """Open a zip as an OPC package after checking its directory for bombs and damage."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise PackageError("PC104", f"it is not a readable zip archive ({exc})") from exc
    except (OSError, EOFError, ValueError) as exc:
        raise PackageError("PC104", f"it is a damaged zip archive ({exc})") from exc
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        zf.close()
        raise PackageError("PC109", f"its contents would inflate to {total:,} bytes, over the "
                                    f"{MAX_TOTAL_BYTES // (1024 * 1024)} MB limit (a zip bomb?); nothing was inflated")
    for i in infos:
        if i.compress_size and i.file_size > 10 * 1024 * 1024 and i.file_size / i.compress_size > MAX_RATIO:
            zf.close()
            raise PackageError("PC109", f"part {i.filename} would inflate {i.file_size // i.compress_size}:1 "
                                        "(a zip bomb?); nothing was inflated")
    seen: set[str] = set()
    dupes: list[str] = []
    for i in infos:
        if i.filename in seen and i.filename not in dupes:
            dupes.append(i.filename)
        seen.add(i.filename)
    pkg = Package(path=path, zf=zf, duplicates=tuple(dupes))
    other = describe_zip(zf)
    if other:
        zf.close()
        raise PackageError("PC107", f"it is {other}, not a Word document: portfolio-check reads .docx, PDF, "
                                    f"e-mail and text; {ASK}")
    if not pkg.has("[Content_Types].xml"):
        zf.close()
        raise PackageError("PC107", "it is a zip archive but not a Word document (no [Content_Types].xml)")
    root = pkg.xml("[Content_Types].xml")
    for el in root:
        ln = etree.QName(el).localname
        if ln == "Default":
            pkg.content_types["ext:" + el.get("Extension", "").lower()] = el.get("ContentType", "")
        elif ln == "Override":
            pkg.content_types[el.get("PartName", "")] = el.get("ContentType", "")
    return pkg


_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")   # signature .. name length, extra length (30 bytes)


def _decompressor(method: int, first: bytes):
    """A streaming decompressor for ``method`` and how many leading bytes of the data it skips."""
    if method == zipfile.ZIP_DEFLATED:
        return zlib.decompressobj(-15), 0
    if method == zipfile.ZIP_BZIP2:
        return bz2.BZ2Decompressor(), 0
    if method == zipfile.ZIP_LZMA:
        # Zip's LZMA: 2-byte version, 2-byte properties size, the properties, then raw LZMA1.
        if len(first) < 4:
            raise PackageError("PC104", "an LZMA part has no header")
        psize = struct.unpack("<H", first[2:4])[0]
        if len(first) < 4 + psize:
            raise PackageError("PC104", "an LZMA part has a truncated header")
        filt = lzma._decode_filter_properties(lzma.FILTER_LZMA1, first[4:4 + psize])  # noqa: SLF001
        return lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=[filt]), 4 + psize
    raise PackageError("PC104", f"a part uses compression method {method}, which Word never writes")


def inflate_member(path: Path, info: zipfile.ZipInfo, declared: int) -> bytes:
    """Inflate one member, never producing more than ``declared`` bytes.

    Reads the compressed bytes straight from the file (bounded by the directory's compressed
    size) and feeds them to a decompressor asked for at most the remaining allowance each time,
    so a member whose directory entry under-states its size is refused (PC109) after at most
    ``declared`` + one chunk of output, whatever its method.
    """
    if info.flag_bits & 0x1:
        raise PackageError("PC105", "a part of the archive is encrypted")
    with open(path, "rb") as fh:
        fh.seek(info.header_offset)
        header = fh.read(_LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise PackageError("PC104", f"part {info.filename} has a damaged local header")
        fields = _LOCAL_HEADER.unpack(header)
        fh.seek(fields[-2] + fields[-1], 1)      # name and extra field
        remaining = info.compress_size
        out = bytearray()
        crc = 0
        if info.compress_type == zipfile.ZIP_STORED:
            if remaining > declared:
                raise PackageError("PC109", f"part {info.filename} is larger than its directory says")
            data = fh.read(remaining)
            if len(data) != remaining:
                raise PackageError("PC104", f"part {info.filename} is cut short")
            out += data
        else:
            first = fh.read(min(remaining, _CHUNK))
            remaining -= len(first)
            dec, skip = _decompressor(info.compress_type, first)
            pending = first[skip:]
            while True:
                allowance = declared - len(out) + 1       # one byte more proves a lie
                if info.compress_type == zipfile.ZIP_DEFLATED:
                    piece = dec.decompress(pending, allowance)
                    pending = dec.unconsumed_tail
                    done = dec.eof
                else:
                    piece = dec.decompress(pending, allowance)
                    pending = b""
                    done = dec.eof
                out += piece
                if len(out) > declared:
                    raise PackageError("PC109", f"part {info.filename} inflates past the "
                                                f"{declared:,} bytes its directory declares (a zip bomb?)")
                if done:
                    break
                needs_input = (not pending) if info.compress_type == zipfile.ZIP_DEFLATED else dec.needs_input
                if needs_input:
                    if remaining <= 0:
                        break
                    pending = fh.read(min(remaining, _CHUNK))
                    if not pending:
                        break
                    remaining -= len(pending)
        data = bytes(out)
    crc = zlib.crc32(data)
    if crc != info.CRC or len(data) != declared:
        raise zipfile.BadZipFile(f"Bad CRC-32 or size for part {info.filename}")
    return data
