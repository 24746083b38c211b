"""A guarded reader for OPC packages (the zip container of DOCX files).

python-docx's own loader inflates every part of a package before anything can look at sizes
and stops on a dangling relationship to an optional part (a missing ``docProps/core.xml``), so
the DOCX parser reads the container through this small layer instead:

* sizes are checked from the zip directory *before* anything is inflated (zip bombs), and each
  member is read with a hard byte cap in case the directory lies;
* XML is parsed with entity resolution, DTD loading and network access off and without
  ``huge_tree`` (XXE, billion laughs, absurd nesting), and a DOCTYPE is reported;
* the main part is found through ``_rels/.rels`` like Word does, so renamed parts still work.
"""
from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

MAX_MEMBER_BYTES = 64 * 1024 * 1024      # one XML part; a 2,500-word report is ~200 KB
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
        with self.zf.open(info) as fh:
            data = fh.read(MAX_MEMBER_BYTES + 1)
        if len(data) > MAX_MEMBER_BYTES:
            raise PackageError("PC109", f"part {name} inflates past the size limit")
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
    pkg = Package(path=path, zf=zf)
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
