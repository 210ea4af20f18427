"""The sample report in Word, checked point by point against the publication-quality list of
issue 6: headings, contents, tables, captions, alt text, properties, page numbers, draft
marking, links and styles, by reopening the built .docx and querying its XML."""
from __future__ import annotations

import shutil

import docx
import pytest
from docx.oxml.ns import qn

from apr.document import nodes as n
from apr.document.chart_data import move_chart_data
from apr.findings import AprError
from apr.resources import styles_dir
from apr.writers.docx import REQUIRED_STYLES
from tests.conftest import copy_sample

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


@pytest.fixture(scope="module")
def word(publication):
    return docx.Document(str(publication.report["docx"]))


@pytest.fixture(scope="module")
def body(word):
    return word.element.body


def style_names(word) -> dict[str, str]:
    return {s.style_id: s.name for s in word.styles}


def paragraph_style(p, names: dict[str, str]) -> str:
    style = p.find("w:pPr/w:pStyle", NS)
    return names.get(style.get(qn("w:val")), "") if style is not None else "Normal"


def test_headings_use_heading_styles_in_order(word, body, publication):
    names = style_names(word)
    levels = [int(paragraph_style(p, names).split()[-1]) for p in body.iter(qn("w:p"))
              if paragraph_style(p, names).startswith("Heading ")]
    assert levels[0] == 1 and len(levels) > 30
    assert [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1] == []
    # Word carries the chart data in a closing appendix (apr/document/chart_data.py)
    expected = [h.text for h in move_chart_data(publication.document).headings(1)]
    assert expected[-1].endswith(": Data for the charts")
    found = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert found == expected


def test_contents_field_is_dirty_and_prefilled_with_links(word, body):
    begin = body.xpath(".//w:fldChar[@w:fldCharType='begin'][@w:dirty='true']")
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert begin and any(i.strip().startswith("TOC ") for i in instructions)
    entries = [p for p in word.paragraphs if p.style.name.lower() in ("toc 1", "toc 2", "toc 3")]
    assert len(entries) > 20
    anchors = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    links = body.xpath(".//w:hyperlink[@w:anchor]")
    assert links and all(link.get(qn("w:anchor")) in anchors for link in links)
    settings = word.settings.element.find(qn("w:updateFields"))
    assert settings is not None and settings.get(qn("w:val")) == "true"


def data_tables(body, publication) -> list:
    """Return the tables of data: all but the key-facts grid, a layout of big figures."""
    facts = {b.title for b in publication.document.walk()
             if isinstance(b, n.Callout) and b.role == "key_facts"}
    tables = body.findall(qn("w:tbl"))
    layout = [t for t in tables if t.find("w:tblPr/w:tblCaption", NS).get(qn("w:val")) in facts]
    assert len(layout) == len(facts) == 1
    return [t for t in tables if t not in layout]


def test_tables_repeat_a_header_row_and_merge_nothing(body, publication):
    tables = data_tables(body, publication)
    assert len(tables) > 20
    for table in tables:
        rows = table.findall(qn("w:tr"))
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
        assert table.find("w:tblPr/w:tblCaption", NS).get(qn("w:val")).strip()
        assert not table.xpath(".//w:gridSpan | .//w:vMerge | .//w:hMerge")


def test_every_table_has_a_caption_before_and_units_or_source_after(word, body, publication):
    names = style_names(word)
    for table in data_tables(body, publication):
        before, after = table.getprevious(), table.getnext()
        assert paragraph_style(before, names) == "Caption", "".join(before.itertext())
        following = [after, after.getnext()]
        text = " ".join("".join(p.itertext()) for p in following)
        assert any(paragraph_style(p, names) == "Table Source" for p in following), text
        assert "Units:" in text or "Source:" in text, text


def test_every_image_has_alt_text_and_a_caption(word, body):
    pictures = body.xpath(".//wp:inline | .//wp:anchor")
    assert len(pictures) >= 10
    for pic in pictures:
        assert pic.find("wp:docPr", NS).get("descr", "").strip()
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert sum(c.startswith("Figure ") for c in captions) >= 10


def test_document_properties_and_language(word, publication):
    meta = publication.document.meta
    props = word.core_properties
    assert (props.title, props.subject, props.author) == (meta.full_title, meta.subject,
                                                          meta.author)
    assert props.title == ("Strathlinn Health and Social Care Partnership: "
                           "Annual Performance Report 2023/24")
    assert props.language == "en-GB"
    lang = word.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(qn("w:val")) == "en-GB"
    assert props.created.year == int(meta.date_iso[:4])  # from apr.toml, not the clock


def test_footer_has_page_numbers_and_header_marks_the_draft(word, publication):
    assert publication.document.meta.status == "draft"
    for section in word.sections:
        footer = section.footer._element
        assert any("PAGE" in t.text for t in footer.iter(qn("w:instrText")))
        assert "DRAFT" in "".join(section.header._element.itertext())
    assert any(p.style.name == "Draft Marking" and p.text == "DRAFT" for p in word.paragraphs)


def test_final_report_has_no_draft_marking(tmp_path):
    from apr.pipeline import build
    project = copy_sample(tmp_path / "sample")
    toml = project / "apr.toml"
    toml.write_text(toml.read_text().replace('status = "draft"', 'status = "final"', 1))
    path, = build(project, 2023, ("docx",)).outputs
    final = docx.Document(str(path))
    assert not any(p.style.name == "Draft Marking" for p in final.paragraphs)
    assert "DRAFT" not in "".join(final.sections[0].header._element.itertext())


def test_external_and_internal_links_work(word, body):
    external = body.xpath(".//w:hyperlink[@r:id]")
    assert external
    for link in external:
        rel = word.part.rels[link.get(qn("r:id"))]
        assert rel.is_external and rel.target_ref.startswith(("https://", "http://", "mailto:"))


def test_styles_come_from_the_reference_document(word):
    reference = docx.Document(str(styles_dir() / "reference.docx"))
    ours = {s.name: s for s in word.styles}
    for name in ("Heading 1", "Lead", "Table Source", "APR Table"):
        theirs = reference.styles[name]
        assert ours[name].element.xml == theirs.element.xml


def test_a_reference_without_a_style_is_named_and_nothing_written(tmp_path):
    from apr.pipeline import build
    project = copy_sample(tmp_path / "sample")
    shutil.copy(styles_dir() / "reference.docx", project / "house.docx")
    house = docx.Document(str(project / "house.docx"))
    lead = house.styles["Lead"].element
    lead.getparent().remove(lead)
    house.save(str(project / "house.docx"))
    toml = project / "apr.toml"
    toml.write_text(toml.read_text().replace("[report]\n", '[report]\nreference_docx = '
                                             '"house.docx"\n', 1))
    with pytest.raises(AprError) as caught:
        build(project, 2023, ("docx", "html"))
    missing = [f for f in caught.value.findings if f.code == "style.missing"]
    assert len(missing) == 1 and "'Lead'" in missing[0].message
    assert "house.docx" in missing[0].location.file
    assert "Lead" in REQUIRED_STYLES
    assert not (project / "output").exists()
