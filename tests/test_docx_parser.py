"""DOCX features that change what a tutor reads or counts; each is a trap for naive extraction."""
from docx_builder import build, p

from portfolio_check.models import Role
from portfolio_check.parse import parse_file
from portfolio_check.wordcount import document_word_count


def _parse(tmp_path, body, **kw):
    f = tmp_path / "t.docx"
    build(f, body, **kw)
    return parse_file(f)


def test_tracked_changes_show_the_final_text(tmp_path):
    body = ('<w:p><w:r><w:t xml:space="preserve">I </w:t></w:r>'
            '<w:del w:id="1" w:author="x"><w:r><w:delText>never </w:delText></w:r></w:del>'
            '<w:ins w:id="2" w:author="x"><w:r><w:t xml:space="preserve">always </w:t></w:r></w:ins>'
            '<w:r><w:t>escalate.</w:t></w:r></w:p>')
    doc = _parse(tmp_path, body)
    assert doc.text() == "I always escalate."


def test_fields_count_their_displayed_result_not_their_code(tmp_path):
    body = ('<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://x.example" </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>our policy</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
            '<w:p><w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple></w:p>')
    doc = _parse(tmp_path, body)
    assert [b.text for b in doc.blocks] == ["See our policy", "7"]


def test_text_box_counted_once_not_again_from_fallback(tmp_path):
    box = ('<w:txbxContent><w:p><w:r><w:t>Boxed words here</w:t></w:r></w:p></w:txbxContent>')
    body = ('<w:p><w:r><w:t xml:space="preserve">Body </w:t></w:r><w:r><mc:AlternateContent>'
            f'<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
            f'<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>'
            '</mc:AlternateContent></w:r></w:p>')
    doc = _parse(tmp_path, body)
    boxes = [b for b in doc.blocks if b.role is Role.TEXT_BOX]
    assert [b.text for b in boxes] == ["Boxed words here"]
    assert document_word_count(doc) == 4


def test_nested_tables_and_content_controls_in_order(tmp_path):
    inner = '<w:tbl><w:tr><w:tc>' + p("inner cell") + '</w:tc></w:tr></w:tbl>'
    body = (p("Before")
            + '<w:tbl><w:tr><w:tc>' + p("outer one") + inner + '</w:tc><w:sdt><w:sdtContent><w:tc>' + p("control cell")
            + '</w:tc></w:sdtContent></w:sdt></w:tr></w:tbl>'
            + '<w:sdt><w:sdtPr/><w:sdtContent>' + p("In a content control") + '</w:sdtContent></w:sdt>')
    doc = _parse(tmp_path, body)
    assert [(b.role.value, b.text) for b in doc.blocks] == [
        ("paragraph", "Before"), ("table_cell", "outer one"), ("table_cell", "inner cell"),
        ("table_cell", "control cell"), ("paragraph", "In a content control")]


def test_hidden_text_and_footnote_marks_are_not_text(tmp_path):
    body = ('<w:p><w:r><w:t xml:space="preserve">Shown </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r>'
            '<w:r><w:footnoteReference w:id="1"/></w:r></w:p>')
    notes = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> The note.</w:t></w:r></w:p></w:footnote>')
    doc = _parse(tmp_path, body, footnotes=notes)
    assert [(b.role.value, b.text.strip()) for b in doc.blocks] == [("paragraph", "Shown "[:-1]), ("footnote", "The note.")]


def test_list_labels_computed_from_numbering(tmp_path):
    numbering = ('<w:abstractNum w:abstractNumId="0">'
                 '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
                 '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
                 '</w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>')

    def item(text, num, lvl=0):
        return p(text, extra_ppr=f'<w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr>')

    body = item("One", 1) + item("Sub a", 1, 1) + item("Sub b", 1, 1) + item("Two", 1) + item("Sub again", 1, 1) + item("Dot", 2)
    doc = _parse(tmp_path, body, numbering=numbering)
    assert [(b.label, b.text) for b in doc.blocks] == [
        ("1.", "One"), ("a)", "Sub a"), ("b)", "Sub b"), ("2.", "Two"), ("a)", "Sub again"), ("•", "Dot")]
    assert all(b.role is Role.LIST_ITEM for b in doc.blocks)


def test_headings_from_styles_and_outline_levels(tmp_path):
    styles = ('<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="MyHead"><w:name w:val="My Head"/><w:basedOn w:val="Heading2"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/></w:style>')
    doc = _parse(tmp_path, p("Findings", "MyHead") + p("Table 1: Data", "Caption") + p("Plain", extra_ppr='<w:outlineLvl w:val="0"/>'), styles=styles)
    assert [(b.role.value, b.level) for b in doc.blocks] == [("heading", 2), ("caption", None), ("heading", 1)]


def test_headers_read_once_and_settings_honoured(tmp_path):
    doc = _parse(tmp_path, p("Body words"), header=p("Running header"),
                 settings="<w:doNotIncludeSubdocsInStats/>")
    assert [b.role.value for b in doc.blocks] == ["paragraph", "header"]
    assert doc.properties["doNotIncludeSubdocsInStats"] is True
    assert document_word_count(doc) == 2


def test_page_breaks_mark_the_next_block(tmp_path):
    body = p("Title") + '<w:p><w:r><w:br w:type="page"/></w:r></w:p>' + p("Contents") + p("Next", extra_ppr="<w:pageBreakBefore/>")
    doc = _parse(tmp_path, body)
    assert [b.page_break_before for b in doc.blocks] == [False, True, True]
