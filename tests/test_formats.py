"""TXT, Markdown, EML and PDF evidence come back in the same shape as DOCX."""
from email.message import EmailMessage

from portfolio_check.models import Role
from portfolio_check.parse import parse_file
from portfolio_check.wordcount import document_word_count


def test_markdown_structure(samples):
    doc = parse_file(samples / "cohort" / "apr-001" / "portfolio" / "06_cpd_log.md")
    assert doc.kind == "markdown"
    assert doc.blocks[0].role is Role.HEADING and doc.blocks[0].text == "CPD log"
    assert "**" not in doc.text()
    assert all(b.location.line for b in doc.blocks)


def test_text_crlf_and_legacy_encoding(tmp_path):
    f = tmp_path / "log.txt"
    f.write_bytes("Caf\xe9 call log\r\n\r\nSecond para\r\n".encode("cp1252"))
    doc = parse_file(f)
    assert [b.text for b in doc.blocks] == ["Café call log", "Second para"]
    assert [x.code for x in doc.findings] == ["PC117"]


def test_eml_headers_body_and_attachment(tmp_path, samples):
    msg = EmailMessage()
    msg["From"] = "Advisor <a@employer.example>"
    msg["To"] = "Coach <c@provider.example>"
    msg["Subject"] = "FW: case notes"
    msg.set_content("Plain body with several words.")
    msg.add_alternative("<html><body><p>HTML body</p></body></html>", subtype="html")
    md = (samples / "cohort" / "apr-001" / "portfolio" / "06_cpd_log.md").read_bytes()
    msg.add_attachment(md, maintype="text", subtype="markdown", filename="cpd.md")
    msg.add_attachment(b"\x89PNG....", maintype="image", subtype="png", filename="photo.png")
    f = tmp_path / "m.eml"
    f.write_bytes(bytes(msg))
    doc = parse_file(f)
    assert doc.kind == "email"
    assert doc.properties["subject"] == "FW: case notes"
    assert doc.properties["attachments"] == ["cpd.md", "photo.png"]
    assert "Plain body" in doc.text() and "HTML body" not in doc.text()
    assert len(doc.attachments) == 1 and "CPD log" in doc.attachments[0].text()
    assert "PC119" in {x.code for x in doc.findings}


def test_html_only_email(tmp_path):
    msg = EmailMessage()
    msg["From"] = "x@y.example"
    msg["Subject"] = "s"
    msg.set_content("<html><body><p>First</p><p>Second <b>bold</b></p><script>bad()</script></body></html>", subtype="html")
    f = tmp_path / "h.eml"
    f.write_bytes(bytes(msg))
    text = parse_file(f).text()
    assert "First" in text and "Second bold" in text and "bad()" not in text


def test_pdf_pages_and_footers(samples):
    doc = parse_file(samples / "cohort" / "apr-001" / "portfolio" / "03_call_log_complex_cases.pdf")
    assert doc.kind == "pdf" and doc.metadata.pages == 1
    assert [b.text for b in doc.blocks if b.role is Role.FOOTER] == ["Page 1 of 1"]


def test_an_unread_scan_is_reported_as_image_only(shared, ocr_off):
    scan = parse_file(shared / "dev-cohort" / "apr-d03" / "portfolio" / "02_witness_testimony_T_Ashworth_scan.pdf")
    assert scan.image_only_pages == (1,) and scan.ocr_pages == () and not scan.blocks
    assert "PC113" in {x.code for x in scan.findings}


def test_encrypted_pdfs_are_reported(shared):
    for name in ("plumber__password-example.pdf", "pypdf__r6-user-password.pdf", "pdfminer__aes-256-r6.pdf"):
        doc = parse_file(shared / "corpus" / "pdf-real" / "files" / name)
        assert [x.code for x in doc.findings] == ["PC105"], name
    owner_only = parse_file(shared / "corpus" / "pdf-real" / "files" / "pypdf__r4-owner-password.pdf")
    assert "PC105" not in {x.code for x in owner_only.findings}


def test_real_pdfs_never_raise(shared):
    for f in sorted((shared / "corpus" / "pdf-real" / "files").glob("*.pdf")):
        doc = parse_file(f)
        assert doc.kind == "pdf"
        assert doc.blocks or doc.findings, f.name


def test_empty_text_file_is_a_finding_not_a_zero_count(tmp_path):
    f = tmp_path / "blank.txt"
    f.write_text("   \n\n  ")
    doc = parse_file(f)
    assert [x.code for x in doc.findings] == ["PC112"] and document_word_count(doc) == 0


def test_hyphenated_line_ends_rejoined(tmp_path):
    from portfolio_check.parse.pdf import _paragraphs
    out = _paragraphs(["customer-", "focused service and ", "more text."], trailing_space_wraps=True)
    assert out == [(0, "customer-focused service and more text.")]
