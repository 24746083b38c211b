"""Every file of ../shared/corpus/malformed/ gives one clear finding (or, for the valid control
files, a normal parse), no exception escapes, and a whole run stays in bounded memory."""
import csv
import json
import subprocess
import sys
import zipfile

import pytest

from portfolio_check.parse import parse_file
from portfolio_check.wordcount import document_word_count

from peak_memory import PEAK_MB_SOURCE

# file (relative to malformed/) -> finding codes any one of which is right.
EXPECTED = {
    "real/poi__ExternalEntityInText.docx": {"PC110"},
    "real/poi__truncated62886.docx": {"PC104"},
    "real/tika__testWORD_truncated.docx": {"PC104"},
    "real/poi__clusterfuzz-POIXWPFFuzzer-4791943399604224.docx": {"PC104"},
    "real/poi__clusterfuzz-POIXWPFFuzzer-5564805011079168.docx": {"PC104"},
    "real/poi__crash-517626e815e0afa9decd0ebb6d1dee63fb9907dd.docx": {"PC104"},
    "real/poi__zero-length.docx": {"PC112"},
    "real/poi__bug53475-password-is-pass.docx": {"PC105"},
    "real/tika__testWORD_protected_passtika.docx": {"PC105"},
    "real/oxsdk__document_with_password.docx": {"PC105"},
    "real/poi__hello_world_binary_doc_named.docm": {"PC106"},
    "real/poi__SimpleMacro.docm": {"PC111"},
    "real/qpdf__bad-xref.pdf": {"PC118"},
    "real/qpdf__xref-errors.pdf": {"PC118"},
    "real/qpdf__append-xref-loop.pdf": {"PC118"},
    "real/qpdf__issue-141a.pdf": {"PC103", "PC104", "PC102"},
    "real/pdfjs__GHOSTSCRIPT-698804-1-fuzzed.pdf": {"PC112", "PC104"},
    "real/pdfjs__PDFBOX-3148-2-fuzzed.pdf": {"PC118", "PC112"},
    "real/plumber__empty.pdf": {"PC101"},
    "generated/empty.docx": {"PC101"},
    "generated/empty.pdf": {"PC101"},
    "generated/truncated.docx": {"PC104"},
    "generated/truncated.pdf": {"PC104"},
    "generated/random_bytes.pdf": {"PC102"},
    "generated/random_bytes.docx": {"PC102"},
    "generated/pdf_header_then_garbage.pdf": {"PC104"},
    "generated/pdf_renamed.docx": {"PC103"},
    "generated/docx_renamed.pdf": {"PC103"},
    "generated/plain_text_renamed.docx": {"PC103"},
    "generated/missing_document_xml.docx": {"PC107"},
    "generated/missing_content_types.docx": {"PC107"},
    "generated/missing_package_rels.docx": {"PC118"},
    "generated/rels_target_missing.docx": {"PC107"},
    "generated/plain_zip.docx": {"PC107"},
    "generated/crc_mismatch.docx": {"PC104"},
    "generated/document_not_xml.docx": {"PC108"},
    "generated/document_xml_unclosed.docx": {"PC108"},
    "generated/latin1_bytes_utf8_decl.docx": {"PC108"},
    "generated/xxe_etc_passwd.docx": {"PC110"},
    "generated/xxe_network.docx": {"PC110"},
    "generated/billion_laughs.docx": {"PC108", "PC110"},
    "generated/deep_xml_nesting.docx": {"PC108"},
    "generated/zip_bomb_1_2GB.docx": {"PC109"},
    "generated/macro_enabled.docm": {"PC111"},
    "generated/macro_enabled_named.docx": {"PC111"},
    "generated/password_protected_pw-Passw0rd.docx": {"PC105"},
    "generated/no_extension": {"PC103"},
}
# Files the manifest says must parse normally: file -> words.
VALID = {
    "generated/control_valid.docx": 22,
    "generated/Rapport de stage – Zoë Ångström (version finale) 😀.docx": 8,
    "generated/-starts-with-dash.docx": 8,
    "generated/UPPER_CASE_EXTENSION.DOCX": 8,
    "real/oxsdk__NoDocProps.docx": 93,
    "real/oxsdk__InvalidDocProps.docx": 93,
    "real/mammoth__utf8-bom.docx": 7,
    "real/docx2python__renamed_document_xml.docx": 7,
}
# Damaged files PDFium repairs with readable text and no structural sign we can detect
# (the manifest allows "recovered" or "limited extraction"): they must still parse to text.
RECOVERED_SILENTLY = {"real/qpdf__damaged-stream.pdf", "real/qpdf__bad-token-startxref.pdf", "real/qpdf__eof-reading-token.pdf",
                      "real/pdfjs__bomb_giant.pdf", "real/docx2python__invalid_tag_name.docx"}


def _manifest(shared):
    return list(csv.DictReader(open(shared / "corpus" / "malformed" / "manifest.csv", encoding="utf-8")))


def test_every_manifest_file_is_accounted_for(shared):
    files = {r["file"] for r in _manifest(shared)}
    known = set(EXPECTED) | set(VALID) | RECOVERED_SILENTLY | {"generated/pdf_2000_pages.pdf"}
    long_names = {f for f in files if "very_long_name" in f or "deeply_nested" in f or "NFD" in f}
    assert files - known == long_names


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_bad_file_gives_its_finding(shared, rel):
    doc = parse_file(shared / "corpus" / "malformed" / rel)
    codes = {f.code for f in doc.findings}
    assert codes & EXPECTED[rel], (rel, codes)
    name = (shared / "corpus" / "malformed" / rel).name
    assert all(name in f.message for f in doc.findings)      # every message names the file


def test_valid_files_parse_normally(shared):
    base = shared / "corpus" / "malformed"
    for rel, words in VALID.items():
        doc = parse_file(base / rel)
        assert not [f for f in doc.findings if f.severity.value == "error"], rel
        assert document_word_count(doc) == words, rel
    for r in _manifest(shared):
        if "very_long_name" in r["file"] or "deeply_nested" in r["file"] or "NFD" in r["file"]:
            assert document_word_count(parse_file(base / r["file"])) == 8, r["file"]


def test_silently_repaired_files_still_give_text(shared):
    for rel in RECOVERED_SILENTLY:
        doc = parse_file(shared / "corpus" / "malformed" / rel)
        assert any(b.text.strip() for b in doc.blocks), rel


def test_zip_bomb_is_refused_before_inflating(shared, monkeypatch):
    opened = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *a, **k):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *a, **k)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    doc = parse_file(shared / "corpus" / "malformed" / "generated" / "zip_bomb_1_2GB.docx")
    assert doc.findings[0].code == "PC109"
    assert "word/document.xml" not in opened


def _xxe_docx(path, target):
    body = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file://{target}">]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            '<w:p><w:r><w:t>Before &xxe; after</w:t></w:r></w:p></w:body></w:document>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", body)


def test_xxe_never_reads_the_file_it_points_at(tmp_path, shared):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-CANARY-4417")
    evil = tmp_path / "evil.docx"
    _xxe_docx(evil, secret)
    doc = parse_file(evil)
    text = doc.text()
    assert "TOPSECRET" not in text and "Before" in text
    assert "PC110" in {f.code for f in doc.findings}
    for rel in ("generated/xxe_etc_passwd.docx", "real/poi__ExternalEntityInText.docx"):
        text = parse_file(shared / "corpus" / "malformed" / rel).text()
        assert "root:" not in text and "/bin/" not in text


def test_whole_corpus_in_one_process_stays_under_500_mb(shared):
    """Parse every malformed file (the 1.2 GB zip bomb and the 2,000-page PDF included) in a
    fresh process and read its peak resident memory."""
    script = PEAK_MB_SOURCE + (
        "import json, sys, pathlib\n"
        "from portfolio_check.parse import parse_file\n"
        "root = pathlib.Path(sys.argv[1])\n"
        "n = 0\n"
        "for p in sorted(root.rglob('*')):\n"
        "    if p.is_file() and p.suffix not in ('.py', '.csv', '.txt'):\n"
        "        parse_file(p); n += 1\n"
        "print(json.dumps({'files': n, 'peak_mb': peak_mb()}))\n")
    out = subprocess.run([sys.executable, "-c", script, str(shared / "corpus" / "malformed")],
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out)
    assert result["files"] >= 60
    assert result["peak_mb"] < 500, result


def test_two_thousand_page_pdf_is_read_whole(shared):
    doc = parse_file(shared / "corpus" / "malformed" / "generated" / "pdf_2000_pages.pdf")
    assert doc.metadata.pages == 2000 and not doc.findings
    # 296,000 words in all: 4 of each page's 148 are its "Page N of 2000" line, which is a
    # running header (Word never counts headers), so the body holds 288,000.
    headers = [b for b in doc.blocks if b.role.value == "header"]
    assert len(headers) == 2000 and headers[41].text == "Page 42 of 2000"
    assert document_word_count(doc) == 296000 - 4 * 2000


def test_page_budget_is_reported(shared):
    from portfolio_check.parse.pdf import parse_pdf
    path = shared / "corpus" / "malformed" / "generated" / "pdf_2000_pages.pdf"
    doc = parse_pdf(path, b"", max_pages=50)
    assert "PC115" in {f.code for f in doc.findings}
    assert {b.location.page for b in doc.blocks} <= set(range(1, 51))
