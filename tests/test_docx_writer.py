"""The Word writer, checked by reopening its .docx with python-docx and querying the XML."""
from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree

from apr.document import nodes
from apr.document.nodes import (
    Callout,
    Cell,
    Contents,
    Document,
    DocumentMeta,
    Figure,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Run,
    Table,
    Todo,
)
from apr.resources import styles_dir
from apr.writers.docx import (
    REQUIRED_STYLES,
    bookmark_names,
    missing_styles,
    normalise_docx_zip,
    write_docx,
)

REFERENCE = styles_dir() / "reference.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSMAP = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
URL = "https://www.publichealthscotland.scot/"


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """Return a valid grey RGB PNG of the given size, built with zlib and struct."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def meta(status: str = "draft") -> DocumentMeta:
    return DocumentMeta(
        title="Annual Performance Report 2024/25",
        subtitle="Health and social care integration",
        author="Example Health and Social Care Partnership",
        subject="Annual Performance Report",
        organisation="Example HSCP",
        date_label="July 2025",
        status=status,
        date_iso="2025-07-31",
    )


def data_table(ident: str = "tbl-ni-1", rows: int = 3) -> Table:
    return Table(
        id=ident,
        caption="Percentage of adults able to look after their health",
        columns=["Year", "Example", "Scotland"],
        rows=[[Cell(f"20{20 + r}/{21 + r}", header=True), Cell(f"{90 + r}.1", align="right"),
               Cell("92.0")] for r in range(rows)] + [[Cell("Total", header=True),
                                                        Cell("100", bold=True), Cell("100")]],
        source="Health and Care Experience Survey",
        units="per cent",
        notes=["Note 1: survey years are two-yearly.", "Note 2: weighted estimates."],
        align=["left", "right", "right"],
        total_row=True,
    )


def full_document(status: str = "draft") -> Document:
    """A document using every block type, links of both kinds and a figure with data."""
    return Document(meta(status), [
        Contents(),
        Heading(1, "Introduction", "introduction"),
        Paragraph([Run("This report sets out our performance.")], role="lead"),
        Paragraph([Run("See "), Run("the national data", link=URL), Run(" and "),
                   Run("our outcomes", link="#outcome-1"), Run("."),
                   Run(" Bold", bold=True), Run(" italic", italic=True)]),
        Paragraph([Run("A note about the figures.")], role="note"),
        Paragraph([Run("Chief officer's foreword.")], role="todo"),
        Paragraph([Run("Source: Public Health Scotland.")], role="source"),
        ListBlock([[Run("first bullet")], [Run("second bullet")]]),
        ListBlock([[Run("step one")], [Run("step two")]], ordered=True),
        ListBlock([[Run("again one")], [Run("again two")]], ordered=True),
        Heading(2, "1. People are able to look after their own health", "outcome-1"),
        data_table(),
        Figure(id="fig-ni-1", caption="Adults able to look after their health, 2015 to 2024",
               alt="Line chart: Example stays about two points below Scotland.",
               png=tiny_png(), width_cm=40.0, source="Public Health Scotland",
               data=data_table("fig-ni-1-data")),
        Heading(3, "Case study", "case-study"),
        Callout("Case study: Home first", [Paragraph([Run("Mrs A went home.")]),
                                            ListBlock([[Run("fewer days in hospital")]])]),
        Todo("Add the locality summary."),
        PageBreak(),
        Heading(4, "Appendix detail", "appendix-detail"),
        Heading(1, "Finance", "finance"),
        Paragraph([Run("Back to the "), Run("introduction", link="#introduction")]),
    ])


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "report.docx"
    write_docx(full_document(), path, REFERENCE)
    return path


@pytest.fixture(scope="module")
def body(written):
    return docx.Document(str(written)).element.body


def xml_part(path: Path, name: str):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def text_of(element) -> str:
    """Return the visible text (w:t) under an element, including field results."""
    return "".join(element.xpath(".//w:t/text()"))


def test_reference_defines_every_required_style():
    assert missing_styles(REFERENCE) == []


def test_reference_is_reproducible(tmp_path):
    import runpy

    script = runpy.run_path(str(Path(__file__).parent.parent / "scripts/make_reference_docx.py"))
    assert script["build_reference"]() == REFERENCE.read_bytes()


def test_reference_defaults_to_en_gb_and_headings_have_outline_levels():
    styles = xml_part(REFERENCE, "word/styles.xml")
    assert styles.xpath("//w:docDefaults//w:lang/@w:val", namespaces=NSMAP) == ["en-GB"]
    for level in range(1, 5):
        outline = styles.xpath(f'//w:style[@w:styleId="Heading{level}"]//w:outlineLvl/@w:val',
                               namespaces=NSMAP)
        assert outline == [str(level - 1)]


def test_headings_use_heading_styles_in_order(written):
    document = docx.Document(str(written))
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.lower().startswith("heading")]
    assert headings == [
        ("Heading 1", "Introduction"),
        ("Heading 2", "1. People are able to look after their own health"),
        ("Heading 3", "Case study"),
        ("Heading 4", "Appendix detail"),
        ("Heading 1", "Finance"),
        ("Heading 1", "Data for the charts"),   # the chart's data, moved to an appendix
    ]


def test_paragraph_roles_map_to_styles(written):
    styles = {p.text: p.style.name for p in docx.Document(str(written)).paragraphs}
    assert styles["This report sets out our performance."] == "Lead"
    assert styles["A note about the figures."] == "Note"
    assert styles["To be completed: Chief officer's foreword."] == "To Be Completed"
    assert styles["To be completed: Add the locality summary."] == "To Be Completed"
    assert styles["Source: Public Health Scotland."] == "Table Source"
    assert styles["Case study: Home first"] == "Callout Title"
    assert styles["Mrs A went home."] == "Callout Text"
    assert styles["first bullet"] == "List Bullet"
    assert styles["step one"] == "List Number"


def test_bold_and_italic_runs(written):
    paragraph = next(p for p in docx.Document(str(written)).paragraphs if "Bold" in p.text)
    runs = {r.text.strip(): r for r in paragraph.runs}
    assert runs["Bold"].bold and not runs["Bold"].italic
    assert runs["italic"].italic


def test_ordered_lists_restart_with_their_own_numbering(written, body):
    num_ids = {}
    for p in body.iter(qn("w:p")):
        text = text_of(p)
        ids = p.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        if text in ("step one", "step two", "again one"):
            num_ids[text] = ids[0]
    assert num_ids["step one"] == num_ids["step two"] != num_ids["again one"]
    numbering = xml_part(written, "word/numbering.xml")
    for num_id in set(num_ids.values()):
        start = numbering.xpath(
            f'//w:num[@w:numId="{num_id}"]/w:lvlOverride/w:startOverride/@w:val', namespaces=NSMAP)
        assert start == ["1"]


def test_every_image_has_alt_text_and_title(body):
    doc_prs = body.xpath(".//wp:docPr")
    assert doc_prs, "the figure was not written"
    for doc_pr in doc_prs:
        assert doc_pr.get("descr").strip()
        assert doc_pr.get("title").strip()
    ids = [int(d.get("id")) for d in doc_prs]
    assert ids == list(range(1, len(ids) + 1))


def test_picture_width_is_capped_to_the_text_width(written):
    document = docx.Document(str(written))
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    shape = document.inline_shapes[0]
    assert 0 < shape.width <= text_width


def test_tables_repeat_header_rows_and_carry_caption_and_description(body):
    tables = body.findall(qn("w:tbl"))
    assert len(tables) == 2  # the data table and, in the appendix, the figure's data
    expected = ["Percentage of adults able to look after their health",
                "Data for Figure 1: Adults able to look after their health, 2015 to 2024"]
    for tbl, wanted in zip(tables, expected, strict=True):
        rows = tbl.findall(qn("w:tr"))
        assert rows[0].xpath("./w:trPr/w:tblHeader")
        assert not any(r.xpath("./w:trPr/w:tblHeader") for r in rows[1:])
        caption = tbl.xpath("./w:tblPr/w:tblCaption/@w:val")[0]
        assert caption == wanted
        assert tbl.xpath("./w:tblPr/w:tblDescription/@w:val")[0] == caption + ". Units: per cent"
        assert tbl.xpath("./w:tblPr/w:tblStyle/@w:val") == ["APRTable"]
        header_runs = rows[0].xpath(".//w:r")
        assert header_runs and all(r.xpath("./w:rPr/w:b") for r in header_runs)
        assert not tbl.xpath(".//w:gridSpan | .//w:vMerge")


def test_table_cells_alignment_and_bold_row_headers(written):
    table = docx.Document(str(written)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Year", "Example", "Scotland"]
    first = table.rows[1].cells
    assert first[0].paragraphs[0].runs[0].bold  # a row header cell
    assert first[1].paragraphs[0].alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT
    assert first[2].paragraphs[0].alignment == 2  # column alignment
    last = table.rows[-1].cells
    assert all(c.paragraphs[0].runs[0].bold for c in last)  # total row


def test_table_caption_above_with_seq_field_and_source_below(body):
    tbl = body.findall(qn("w:tbl"))[0]
    caption = tbl.getprevious()
    assert caption.xpath("./w:pPr/w:pStyle/@w:val") == ["Caption"]
    assert text_of(caption) == (
        "Table 1: Percentage of adults able to look after their health")
    assert "SEQ Table" in "".join(caption.xpath(".//w:instrText/text()"))
    source = tbl.getnext()
    assert source.xpath("./w:pPr/w:pStyle/@w:val") == ["TableSource"]
    assert text_of(source) == (
        "Units: per cent. Source: Health and Care Experience Survey")
    assert text_of(source.getnext()) == "Note 1: survey years are two-yearly."


def test_figure_caption_below_with_seq_field_then_pointer_to_its_data(written, body):
    texts = [p.text for p in docx.Document(str(written)).paragraphs]
    caption = next(t for t in texts if t.startswith("Figure "))
    assert caption == "Figure 1: Adults able to look after their health, 2015 to 2024"
    index = texts.index(caption)
    assert texts[index + 1] == "Source: Public Health Scotland"
    assert texts[index + 2] == ("The figures behind this chart are in the appendix Data for "
                                "the charts: Data for Figure 1.")
    data_caption = "Data for Figure 1: " + caption.removeprefix("Figure 1: ")
    heading = len(texts) - 1 - texts[::-1].index("Data for the charts")   # not the contents
    assert texts.index(data_caption) > heading > index
    link = body.xpath('.//w:hyperlink[.//w:t="Data for Figure 1"]/@w:anchor')
    target = body.xpath(f'.//w:p[w:bookmarkStart/@w:name="{link[0]}"]')
    assert text_of(target[0]) == data_caption


def test_contents_field_is_dirty_and_prefilled_with_headings(written, body):
    instr = body.xpath('.//w:instrText[contains(., "TOC")]')
    assert len(instr) == 1
    assert instr[0].text.strip() == 'TOC \\o "1-2" \\h \\z \\u'
    toc_paragraph = instr[0].getparent().getparent()
    begin = toc_paragraph.xpath('.//w:fldChar[@w:fldCharType="begin"]')[0]
    assert begin.get(qn("w:dirty")) == "true"
    entries = body.xpath('.//w:p[starts-with(w:pPr/w:pStyle/@w:val, "TOC") '
                         'and w:pPr/w:pStyle/@w:val != "TOCHeading"]')
    assert ["".join(e.xpath(".//w:hyperlink//w:t/text()")) for e in entries] == [
        "Introduction", "1. People are able to look after their own health", "Finance",
        "Data for the charts"]                   # two levels: a contents page to take in
    assert [e.xpath("./w:pPr/w:pStyle/@w:val")[0] for e in entries] == [
        "TOC1", "TOC2", "TOC1", "TOC1"]
    assert entries[-1].xpath('.//w:fldChar[@w:fldCharType="end"]')
    settings = xml_part(written, "word/settings.xml")
    assert settings.xpath("//w:updateFields/@w:val", namespaces=NSMAP) == ["true"]
    heading = body.xpath('.//w:p[w:pPr/w:pStyle/@w:val="TOCHeading"]')
    assert text_of(heading[0]) == "Contents"


def test_headings_have_bookmarks_and_internal_links_resolve(body):
    bookmarks = {b.get(qn("w:name")): b for b in body.iter(qn("w:bookmarkStart"))}
    for heading in body.xpath('.//w:p[starts-with(w:pPr/w:pStyle/@w:val, "Heading")]'):
        assert heading.xpath("./w:bookmarkStart")
    for name in bookmarks:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", name)
    anchors = body.xpath(".//w:hyperlink/@w:anchor")
    assert anchors and all(a in bookmarks for a in anchors)
    assert "outcome_1" in anchors and "introduction" in anchors  # links from Runs
    ids = [b.get(qn("w:id")) for b in body.iter(qn("w:bookmarkStart"))]
    assert len(ids) == len(set(ids)) == len(list(body.iter(qn("w:bookmarkEnd"))))


def test_external_link_has_a_relationship(written, body):
    document = docx.Document(str(written))
    rid = body.xpath(".//w:hyperlink/@r:id")[0]
    rel = document.part.rels[rid]
    assert rel.reltype == RT.HYPERLINK and rel.is_external and rel.target_ref == URL
    link = body.xpath(f'.//w:hyperlink[@r:id="{rid}"]')[0]
    assert link.xpath(".//w:rStyle/@w:val") == ["Hyperlink"]


def test_core_properties_and_language(written):
    document = docx.Document(str(written))
    props = document.core_properties
    assert props.title == "Annual Performance Report 2024/25"
    assert props.language == "en-GB"
    assert props.author == "Example Health and Social Care Partnership"
    assert props.revision == 1
    assert props.created.year == 2025 and props.modified == props.created
    styles = xml_part(written, "word/styles.xml")
    assert styles.xpath("//w:docDefaults//w:lang/@w:val", namespaces=NSMAP) == ["en-GB"]


def test_cover_header_and_footer(written):
    document = docx.Document(str(written))
    cover = [(p.style.name, p.text) for p in document.paragraphs[:5]]
    assert cover == [
        ("Cover Organisation", "Example HSCP"),
        ("Title", "Annual Performance Report 2024/25"),
        ("Subtitle", "Health and social care integration"),
        ("Cover Date", "July 2025"),
        ("Draft Marking", "DRAFT"),
    ]
    section = document.sections[0]
    assert section.header.paragraphs[-1].text == (
        "Example HSCP | Annual Performance Report 2024/25 | DRAFT")
    footer = section.footer.paragraphs[-1]
    assert footer.alignment == 1  # centred
    assert "PAGE" in "".join(footer._p.xpath(".//w:instrText/text()"))


def test_no_draft_marking_when_final(tmp_path):
    path = tmp_path / "final.docx"
    write_docx(full_document(status="final"), path, REFERENCE)
    document = docx.Document(str(path))
    assert not [p for p in document.paragraphs if p.style.name == "Draft Marking"]
    assert "DRAFT" not in document.sections[0].header.paragraphs[-1].text
    assert "DRAFT" not in "".join(p.text for p in document.paragraphs)


COVER_STYLES = {"Cover Organisation", "Title", "Subtitle", "Cover Date", "Draft Marking"}


def paper_document(status: str = "draft") -> Document:
    """A board paper: no cover page, a heading block of its own, then numbered sections."""
    paper_meta = meta(status)
    paper_meta.cover = "paper"
    return Document(paper_meta, [
        Paragraph([Run("Example Integration Joint Board", bold=True)]),
        Paragraph([Run("Date of meeting:", bold=True), Run(" 26 June 2025")]),
        Heading(1, "1.0 Purpose of report", "purpose"),
        Paragraph([Run("1.1 This report asks the board to approve the report.")]),
    ])


def test_a_paper_opens_with_its_own_blocks_and_no_cover_page(tmp_path):
    path = tmp_path / "paper.docx"
    write_docx(paper_document(), path, REFERENCE)
    document = docx.Document(str(path))
    assert [(p.style.name, p.text) for p in document.paragraphs] == [
        ("Normal", "Example Integration Joint Board"),
        ("Normal", "Date of meeting: 26 June 2025"),
        ("Heading 1", "1.0 Purpose of report"),
        ("Normal", "1.1 This report asks the board to approve the report."),
    ]
    assert not document.element.body.xpath('.//w:br[@w:type="page"]')
    # a draft paper is still marked, in the header of every page; properties as for a report
    assert document.sections[0].header.paragraphs[-1].text == (
        "Example HSCP | Annual Performance Report 2024/25 | DRAFT")
    assert document.core_properties.title == "Annual Performance Report 2024/25"
    assert document.core_properties.language == "en-GB"
    write_docx(paper_document(status="final"), tmp_path / "final.docx", REFERENCE)
    final = docx.Document(str(tmp_path / "final.docx"))
    assert "DRAFT" not in final.sections[0].header.paragraphs[-1].text


def test_the_report_cover_is_the_default_opening(written):
    document = docx.Document(str(written))
    assert meta().cover == "report"
    assert COVER_STYLES <= {p.style.name for p in document.paragraphs[:6]}
    assert document.paragraphs[5]._p.xpath('.//w:br[@w:type="page"]')


def test_unknown_cover_fails_loudly(tmp_path):
    doc = paper_document()
    doc.meta.cover = "poster"
    with pytest.raises(ValueError, match="meta.cover must be one of report, paper, got 'poster'"):
        write_docx(doc, tmp_path / "x.docx", REFERENCE)


def test_second_write_is_byte_identical(tmp_path, written):
    again = tmp_path / "again.docx"
    write_docx(full_document(), again, REFERENCE)
    assert again.read_bytes() == written.read_bytes()
    with zipfile.ZipFile(again) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"


def test_missing_styles_names_a_removed_style(tmp_path):
    copy = tmp_path / "partnership.docx"
    shutil.copy(REFERENCE, copy)
    document = docx.Document(str(copy))
    styles = document.styles.element
    for style_id in ("Lead", "APRTable"):
        styles.remove(styles.xpath(f'w:style[@w:styleId="{style_id}"]')[0])
    document.save(str(copy))
    assert missing_styles(copy) == ["Lead", "APR Table"]
    with pytest.raises(KeyError, match="Lead"):
        write_docx(full_document(), tmp_path / "out.docx", copy)


def test_dotx_reference_is_accepted(tmp_path):
    data = REFERENCE.read_bytes()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"wordprocessingml.document.main+xml",
                                          b"wordprocessingml.template.main+xml")
            target.writestr(item, content)
    template = tmp_path / "house.dotx"
    template.write_bytes(out.getvalue())
    assert missing_styles(template) == []
    write_docx(full_document(), tmp_path / "from-dotx.docx", template)
    assert docx.Document(str(tmp_path / "from-dotx.docx")).core_properties.language == "en-GB"


def test_reference_body_is_replaced_but_header_settings_kept(tmp_path):
    document = docx.Document(str(REFERENCE))
    document.add_paragraph("Delete me")
    document.sections[0].header_distance = Twips(800)
    reference = tmp_path / "with-body.docx"
    document.save(str(reference))
    write_docx(full_document(), tmp_path / "out.docx", reference)
    out = docx.Document(str(tmp_path / "out.docx"))
    assert "Delete me" not in [p.text for p in out.paragraphs]
    assert out.sections[0].header_distance == Twips(800)


def test_every_block_type_is_handled(tmp_path):
    used = {type(b) for b in full_document().walk()}
    assert used == set(nodes.BLOCK_TYPES)
    for block_type in nodes.BLOCK_TYPES:
        block = next(b for b in full_document().walk() if type(b) is block_type)
        doc = Document(meta(), [block])
        write_docx(doc, tmp_path / f"{block_type.__name__}.docx", REFERENCE)


def test_unknown_block_type_fails_loudly(tmp_path):
    class Marquee:
        pass

    with pytest.raises(TypeError, match="Marquee"):
        write_docx(Document(meta(), [Marquee()]), tmp_path / "x.docx", REFERENCE)


def test_unknown_paragraph_role_fails_loudly(tmp_path):
    with pytest.raises(ValueError, match="'shout'"):
        write_docx(Document(meta(), [Paragraph([Run("x")], role="shout")]),
                   tmp_path / "x.docx", REFERENCE)


def test_bookmark_names_are_valid_unique_and_stable():
    names = bookmark_names(["intro", "1-outcome", "intro", "x" * 60, "x" * 60, "Intro"])
    assert names == ["intro", "b_1_outcome", "intro_2", "x" * 40, "x" * 38 + "_2", "Intro_3"]


def test_normalise_docx_zip_fixes_dates_and_order():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("b.xml", "b")
        z.writestr("[Content_Types].xml", "t")
    result = zipfile.ZipFile(io.BytesIO(normalise_docx_zip(out.getvalue())))
    assert result.namelist() == ["[Content_Types].xml", "b.xml"]
    assert {i.date_time for i in result.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_large_tables_write_quickly(tmp_path):
    import time

    rows = [[Cell(f"r{r}c{c}", align="right") for c in range(10)] for r in range(40)]
    tables = [Table(f"t{i}", f"Table {i}", [f"c{c}" for c in range(10)], rows, source="s")
              for i in range(60)]
    start = time.perf_counter()
    write_docx(Document(meta(), tables), tmp_path / "big.docx", REFERENCE)
    assert time.perf_counter() - start < 10
    assert len(docx.Document(str(tmp_path / "big.docx")).tables) == 60


def test_required_styles_are_named_in_the_module():
    assert "Heading 1" in REQUIRED_STYLES and "APR Table" in REQUIRED_STYLES
