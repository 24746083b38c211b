"""Build tiny DOCX packages from raw WordprocessingML, for parser unit tests."""
import zipfile

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
NS = (W + ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
      ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
      ' xmlns:v="urn:schemas-microsoft-com:vml" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
      ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
      ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"')
CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def p(text: str, style: str | None = None, extra_ppr: str = "") -> str:
    style_xml = '<w:pStyle w:val="%s"/>' % style if style else ""
    ppr = f"<w:pPr>{style_xml}{extra_ppr}</w:pPr>" if style or extra_ppr else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def build(path, body: str, *, styles: str = "", numbering: str = "", footnotes: str = "",
          header: str = "", settings: str = "", compression: int = zipfile.ZIP_STORED,
          raw_parts: dict[str, str] | None = None, extra_members: list[tuple[str, str]] = ()) -> None:
    """``raw_parts`` replaces a part's whole XML (e.g. to add a DOCTYPE); ``extra_members`` are
    written after the rest, duplicates of existing names included."""
    parts = {"word/document.xml": f'<?xml version="1.0"?><w:document {NS}><w:body>{body}</w:body></w:document>'}
    rels, overrides = [], [("/word/document.xml", f"{CT_MAIN}.document.main+xml")]
    for name, xml, kind, root in (("styles", styles, "styles", "w:styles"), ("numbering", numbering, "numbering", "w:numbering"),
                                  ("footnotes", footnotes, "footnotes", "w:footnotes"), ("header1", header, "header", "w:hdr"),
                                  ("settings", settings, "settings", "w:settings")):
        if xml:
            parts[f"word/{name}.xml"] = f'<?xml version="1.0"?><{root} {NS}>{xml}</{root}>'
            rels.append(f'<Relationship Id="r{name}" Type="{REL}/{kind}" Target="{name}.xml"/>')
            overrides.append((f"/word/{name}.xml", f"{CT_MAIN}.{kind}+xml"))
    for name, xml in (raw_parts or {}).items():
        parts[name] = xml
    with zipfile.ZipFile(path, "w", compression=compression) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   + "".join(f'<Override PartName="{n}" ContentType="{c}"/>' for n, c in overrides) + "</Types>")
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="r1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/_rels/document.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + "".join(rels) + "</Relationships>")
        for name, xml in parts.items():
            z.writestr(name, xml)
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # zipfile warns on a duplicate name: that is the point
            for name, xml in extra_members:
                z.writestr(name, xml)
