"""Hostile DOCX files, each built here (issue 10 items 3, 4, 5, 6): bombs in every compression
method, absurd numbering, bad optional parts, duplicate members, unread embedded content and
invisible padding. Each is refused or read with a finding that names what happened."""
from __future__ import annotations

import struct
import time
import tracemalloc
import zipfile

import pytest
from docx_builder import NS, build, p

from portfolio_check.parse import parse_file
from portfolio_check.wordcount import document_word_count

BODY = p("I planned the team rota and reviewed it with my manager every week.")


def _codes(doc) -> set[str]:
    return {f.code for f in doc.findings}


def _lie_about_size(path, member: str, claimed: int) -> None:
    """Rewrite the uncompressed size of ``member`` in the central directory and local header."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    i = 0
    while True:
        i = data.find(b"PK\x01\x02", i)
        if i < 0:
            break
        n = struct.unpack("<H", data[i + 28:i + 30])[0]
        if bytes(data[i + 46:i + 46 + n]) == name:
            data[i + 24:i + 28] = struct.pack("<L", claimed)
            local = struct.unpack("<L", data[i + 42:i + 46])[0]
            data[local + 22:local + 26] = struct.pack("<L", claimed)
        i += 4
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA, zipfile.ZIP_DEFLATED])
def test_member_lying_about_its_size_is_refused_in_bounded_memory(tmp_path, method):
    path = tmp_path / "bomb.docx"
    filler = p("padding " * 50) * (60_000 if method != zipfile.ZIP_BZIP2 else 50_000)   # 23-27 MB of XML
    build(path, BODY + filler, compression=method)
    _lie_about_size(path, "word/document.xml", 4096)
    tracemalloc.start()
    try:
        doc = parse_file(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert _codes(doc) == {"PC109"}, doc.findings
    assert peak < 16 * 1024 * 1024, f"{peak:,} bytes held while refusing a lying member"


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_honest_bzip2_and_lzma_members_are_read(tmp_path, method):
    path = tmp_path / "odd-but-honest.docx"
    build(path, BODY, compression=method)
    doc = parse_file(path)
    assert "team rota" in doc.text()
    assert not any(f.severity.value == "error" for f in doc.findings)


def test_numbering_start_of_10_to_the_15_finishes(tmp_path):
    numbering = ('<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1000000000000000"/>'
                 '<w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    item = p("A numbered point about the rota.", extra_ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
    path = tmp_path / "roman.docx"
    build(path, item * 3, numbering=numbering)
    start = time.perf_counter()
    doc = parse_file(path)
    assert time.perf_counter() - start < 30        # the old code never finished
    labels = [b.label for b in doc.blocks]
    assert labels == ["1000000000000000.", "1000000000000001.", "1000000000000002."]


def test_small_roman_labels_unchanged(tmp_path):
    from portfolio_check.parse.numbering import format_number
    assert [format_number(n, "lowerRoman") for n in (1, 4, 9, 14, 1994, 3999)] == \
        ["i", "iv", "ix", "xiv", "mcmxciv", "mmmcmxcix"]
    assert format_number(28, "upperLetter") == "BB"


DTD = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>'


@pytest.mark.parametrize("part,root,xml,named", [
    # each of these made the old parser give PC104/PC108 and 0 words for a fine document.xml
    ("word/numbering.xml", "w:numbering",
     '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="&e;"/></w:abstractNum>', "numbering"),
    ("word/styles.xml", "w:styles",
     '<w:style w:styleId="a"><w:pPr><w:numPr><w:ilvl w:val="&e;"/></w:numPr></w:pPr></w:style>', "styles"),
    ("word/settings.xml", "w:settings", "<w:zoom/>&undeclared;", "settings"),
])
def test_a_bad_optional_part_costs_only_that_part(tmp_path, part, root, xml, named):
    path = tmp_path / "bad-part.docx"
    kind = part.split("/")[1].split(".")[0]
    build(path, BODY, **{kind: "<w:x/>"}, raw_parts={part: f"{DTD}<{root} {NS}>{xml}</{root}>"})
    doc = parse_file(path)
    assert "team rota" in doc.text()
    assert document_word_count(doc) > 10
    assert not any(f.severity.value == "error" for f in doc.findings), doc.findings
    skipped = next(f for f in doc.findings if f.code == "PC135")
    assert f"the {named} part" in skipped.message
    assert "PC110" in _codes(doc)                 # and the DTD itself is still reported


def test_out_of_range_symbol_costs_only_the_symbol(tmp_path):
    path = tmp_path / "sym.docx"
    sym = '<w:p><w:r><w:sym w:font="Wingdings" w:char="FFFFFFFFFFFFFFFFFFFFFFFF"/><w:t>Tick</w:t></w:r></w:p>'
    build(path, BODY + sym)
    doc = parse_file(path)
    assert "team rota" in doc.text() and "Tick" in doc.text()
    assert "PC135" in _codes(doc)
    assert "symbol" in next(f.message for f in doc.findings if f.code == "PC135")


def test_duplicate_member_names_are_reported(tmp_path):
    path = tmp_path / "dupe.docx"
    other = f'<?xml version="1.0"?><w:document {NS}><w:body>{p("Different text a second reader sees.")}</w:body></w:document>'
    build(path, BODY, extra_members=[("word/document.xml", other)])
    doc = parse_file(path)
    assert "PC136" in _codes(doc)
    assert "word/document.xml" in next(f.message for f in doc.findings if f.code == "PC136")


def test_alt_chunk_and_ole_object_are_reported_as_unread(tmp_path):
    path = tmp_path / "embedded.docx"
    alt = '<w:altChunk r:id="rAlt"/>'
    ole = ('<w:p><w:r><w:object><v:shape id="s1"/><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" '
           'ProgID="Excel.Sheet.12" r:id="rOle"/></w:object></w:r></w:p>')
    build(path, BODY + alt + ole)
    doc = parse_file(path)
    msg = next(f.message for f in doc.findings if f.code == "PC137")
    assert "altChunk" in msg and "OLE" in msg
    assert "team rota" in doc.text()


@pytest.mark.parametrize("rpr,why", [
    ('<w:vanish/>', "hidden"),
    ('<w:color w:val="FFFFFF"/>', "white on white"),
    ('<w:sz w:val="2"/>', "1-point"),
])
def test_invisible_padding_is_excluded_and_reported(tmp_path, rpr, why):
    padding = " ".join(["stakeholder", "budget", "risk", "team", "leadership"] * 40)
    hidden = f'<w:p><w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{padding}</w:t></w:r></w:p>'
    path = tmp_path / "padded.docx"
    build(path, BODY + hidden)
    doc = parse_file(path)
    assert "stakeholder" not in doc.text()
    assert document_word_count(doc) < 20
    f = next(f for f in doc.findings if f.code == "PC131")
    assert why in f.message and "200 word" in f.message
    assert "stakeholder" not in f.message        # the finding never quotes the text


def test_white_text_on_a_shaded_run_is_visible(tmp_path):
    shaded = ('<w:p><w:r><w:rPr><w:color w:val="FFFFFF"/><w:shd w:val="clear" w:fill="1F3864"/></w:rPr>'
              '<w:t>White on navy is a real heading.</w:t></w:r></w:p>')
    path = tmp_path / "banner.docx"
    build(path, BODY + shaded)
    doc = parse_file(path)
    assert "White on navy" in doc.text() and "PC131" not in _codes(doc)
