"""HTML writer: parse the real output (stdlib html.parser) and check structure and accessibility."""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

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
from apr.writers.html import HtmlWriter, render_html

# A 1 x 1 pixel PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5E"
    "rkJggg=="
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


# ---------- a small DOM built with html.parser ----------------------------------------------

@dataclass
class El:
    tag: str
    attrs: dict[str, str | None]
    children: list = field(default_factory=list)
    parent: El | None = None

    def iter(self, tag: str | None = None):
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, El):
                yield from child.iter(tag)

    def find(self, tag: str) -> El | None:
        return next(self.iter(tag), None)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class TreeBuilder(HTMLParser):
    """Builds an El tree and fails on mis-nested or unclosed elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = El("#document", {})
        self.stack = [self.root]
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        el = El(tag, dict(attrs), parent=self.stack[-1])
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> TreeBuilder:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements: " + ", ".join(
        e.tag for e in builder.stack[1:])
    return builder


# ---------- documents built in code ---------------------------------------------------------

def meta(status: str = "draft") -> DocumentMeta:
    return DocumentMeta(
        title="Annual Performance Report 2024/25", subtitle="Health and social care",
        author="Chief Officer", subject="APR", organisation="Example HSCP",
        date_label="July 2025", status=status,
    )


def sample_table(table_id: str = "tab-finance", **kw) -> Table:
    return Table(
        id=table_id, caption="Spend by service, 2024/25",
        columns=["Service", "Budget (£k)", "Spend (£k)"],
        rows=[
            [Cell("Adult social care", header=True), Cell("1,200"), Cell("1,150")],
            [Cell("Primary care", header=True), Cell("800"), Cell("790")],
            [Cell("Total", header=True, bold=True), Cell("2,000", bold=True),
             Cell("1,940", bold=True)],
        ],
        source="Partnership finance ledger", units="£ thousand",
        notes=["Figures are rounded.", "Provisional."],
        align=["left", "right", "right"], total_row=True, **kw,
    )


def full_document(status: str = "draft") -> Document:
    """One of every node type, with headings at every level."""
    return Document(meta(status), [
        Contents(),
        PageBreak(),
        Heading(1, "Introduction", "introduction"),
        Paragraph([Run("This report covers "), Run("2024/25", bold=True), Run(".")], role="lead"),
        Paragraph([Run("Read the "), Run("guidance", italic=True, link="https://www.gov.scot/"),
                   Run(" and "), Run("finance", link="#finance"), Run(".")]),
        Paragraph([Run("Dangerous <script>alert('x')</script> & more")]),
        Paragraph([Run("A note.")], role="note"),
        Todo("Describe the year's main achievements."),
        Heading(2, "Our localities", "localities"),
        ListBlock([[Run("North")], [Run("South", bold=True)]]),
        ListBlock([[Run("First")], [Run("Second")]], ordered=True),
        Heading(3, "North locality", "north"),
        Heading(4, "Care homes", "care-homes"),
        Heading(1, "Finance", "finance"),
        sample_table(),
        Figure(id="fig-ni1", caption="Adults able to look after their health",
               alt="Line chart: rising from 90% to 93%",
               png=PNG, source="Health and Care Experience Survey",
               data=Table(id="fig-ni1-data",
                          caption="Data for figure: adults able to look after their health",
                          columns=["Year", "Percent"],
                          rows=[[Cell("2022", header=True), Cell("90", align="right")]])),
        Callout("Case study: Mrs A",
                [Paragraph([Run("Supported at home.")]), Heading(2, "Outcome", "outcome")]),
    ])


@pytest.fixture(scope="module")
def page() -> TreeBuilder:
    return parse(render_html(full_document()))


# ---------- tests ---------------------------------------------------------------------------

def test_page_is_html5_with_language_title_and_viewport(page):
    html = page.root.find("html")
    assert page.doctype.lower() == "doctype html"
    assert html.attrs["lang"] == "en-GB"
    assert page.root.find("meta").attrs.get("charset") == "utf-8"
    assert any(m.attrs.get("name") == "viewport" for m in page.root.iter("meta"))
    assert "Annual Performance Report 2024/25" in page.root.find("title").text


def test_css_is_inlined_and_nothing_is_fetched(page):
    assert "font-family" in page.root.find("style").text
    assert page.root.find("link") is None and page.root.find("script") is None
    for img in page.root.iter("img"):
        assert img.attrs["src"].startswith("data:image/png;base64,")


def test_custom_css_replaces_the_stylesheet():
    html = render_html(full_document(), css="body { color: #000; }")
    assert "body { color: #000; }" in html and "font-family" not in html
    with pytest.raises(ValueError, match="</style"):
        render_html(full_document(), css="</style><script>")


def test_skip_link_is_first_focusable_and_targets_main(page):
    body = page.root.find("body")
    first_focusable = next(e for e in body.iter() if e.tag == "a" or "tabindex" in e.attrs)
    assert first_focusable.attrs["href"] == "#main"
    assert page.root.find("main").attrs["id"] == "main"


def test_landmarks(page):
    header = page.root.find("header")
    assert header.attrs.get("role") == "banner"
    assert header.find("h1").text == "Annual Performance Report 2024/25"
    assert "Example HSCP" in header.text and "July 2025" in header.text
    assert page.root.find("footer") is not None
    nav = page.root.find("nav")
    assert page.root.find("main") in nav.ancestors()


def test_exactly_one_h1_and_heading_levels_never_skip(page):
    levels = [int(e.tag[1]) for e in page.root.iter() if re.fullmatch(r"h[1-6]", e.tag)]
    assert levels.count(1) == 1 and levels[0] == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, levels


def test_heading_mapping_and_ids(page):
    by_id = {e.attrs.get("id"): e.tag for e in page.root.iter() if re.fullmatch(r"h[1-6]", e.tag)}
    assert by_id["introduction"] == "h2"
    assert by_id["localities"] == "h3"
    assert by_id["north"] == "h4"
    assert by_id["care-homes"] == "h5"


def test_a_skipped_level_is_lifted():
    doc = Document(meta(), [Heading(1, "A", "a"), Heading(4, "B", "b"), Heading(2, "C", "c")])
    tags = [e.tag for e in parse(render_html(doc)).root.iter() if re.fullmatch(r"h[2-6]", e.tag)]
    assert tags == ["h2", "h3", "h3"]


def test_contents_links_to_level_1_and_2_headings(page):
    nav = page.root.find("nav")
    assert nav.text.startswith("Contents")
    label = nav.attrs.get("aria-label") or next(
        e.text for e in nav.iter() if e.attrs.get("id") == nav.attrs.get("aria-labelledby"))
    assert label == "Contents"
    hrefs = [a.attrs["href"] for a in nav.iter("a")]
    assert hrefs == ["#introduction", "#localities", "#finance"]
    ids = {e.attrs.get("id") for e in page.root.iter()}
    assert all(h[1:] in ids for h in hrefs)


def test_ids_are_unique(page):
    ids = [e.attrs["id"] for e in page.root.iter() if "id" in e.attrs]
    assert len(ids) == len(set(ids))


def test_duplicate_heading_ids_are_made_unique_and_contents_follows():
    doc = Document(meta(), [Contents(), Heading(1, "A", "same"), Heading(1, "B", "same")])
    tree = parse(render_html(doc))
    assert [h.attrs["id"] for h in tree.root.iter("h2")][1:] == ["same", "same-2"]
    assert [a.attrs["href"] for a in tree.root.find("nav").iter("a")] == ["#same", "#same-2"]


def test_every_image_has_alt_text(page):
    images = list(page.root.iter("img"))
    assert images
    assert all(img.attrs.get("alt", "").strip() for img in images)


def test_figure_without_alt_falls_back_to_caption():
    doc = Document(meta(), [Figure(id="f", caption="Spend by year", alt="", png=PNG)])
    assert parse(render_html(doc)).root.find("img").attrs["alt"] == "Spend by year"


def test_figure_has_caption_source_and_data_table(page):
    figure = page.root.find("figure")
    assert figure.find("figcaption").text == "Adults able to look after their health"
    assert "Health and Care Experience Survey" in figure.text
    details = figure.find("details")
    assert details.find("summary").text == "Data for Adults able to look after their health"
    assert details.find("table").find("caption") is not None


def test_tables_have_caption_scoped_headers_and_scroll_region(page):
    tables = list(page.root.iter("table"))
    assert len(tables) == 2
    for table in tables:
        caption = table.find("caption")
        assert caption is not None and caption.text.strip()
        wrap = table.parent
        assert wrap.attrs["class"] == "table-wrap" and wrap.attrs["role"] == "region"
        assert wrap.attrs["tabindex"] == "0"
        assert wrap.attrs["aria-labelledby"] == caption.attrs["id"]
        assert all(th.attrs.get("scope") == "col" for th in table.find("thead").iter("th"))
        for row in table.find("tbody").iter("tr"):
            first = next(c for c in row.children if isinstance(c, El))
            assert first.tag == "th" and first.attrs["scope"] == "row"


def test_table_alignment_total_row_and_meta(page):
    table = page.root.find("table")
    assert "num" in table.find("tbody").find("td").attrs["class"]
    assert list(table.find("tbody").iter("tr"))[-1].attrs["class"] == "total"
    after = table.parent.parent.children
    meta_p = next(e for e in after if isinstance(e, El) and e.attrs.get("class") == "table-meta")
    assert "£ thousand" in meta_p.text and "Partnership finance ledger" in meta_p.text
    notes = next(e for e in after if isinstance(e, El) and e.attrs.get("class") == "table-notes")
    assert [li.text for li in notes.iter("li")] == ["Figures are rounded.", "Provisional."]


def test_todo_is_visibly_marked(page):
    todos = [p for p in page.root.iter("p") if p.attrs.get("class") == "todo"]
    assert todos and todos[0].find("strong").text == "To be completed:"
    assert "main achievements" in todos[0].text


def test_paragraph_roles_become_classes(page):
    classes = {p.attrs.get("class") for p in page.root.find("main").iter("p")}
    assert {"lead", "note", "todo"} <= classes


def test_runs_bold_italic_link(page):
    main = page.root.find("main")
    assert any(s.text == "2024/25" for s in main.iter("strong"))
    link = next(a for a in main.iter("a") if a.attrs["href"] == "https://www.gov.scot/")
    assert link.find("em").text == "guidance"
    assert any(a.attrs["href"] == "#finance" for a in main.iter("a"))


def test_unsafe_link_is_not_a_link():
    doc = Document(meta(), [Paragraph([Run("click", link="javascript:alert(1)")])])
    html = render_html(doc)
    assert "javascript:" not in html and "click" in html


def test_text_is_escaped():
    doc = full_document()
    doc.meta.title = "Report <b>bold</b>"
    html = render_html(doc)
    tree = parse(html)
    assert tree.root.find("script") is None
    assert "&lt;script&gt;alert(" in html
    assert any("<script>alert('x')</script>" in p.text for p in tree.root.iter("p"))
    assert tree.root.find("h1").text == "Report <b>bold</b>"


def test_draft_banner_only_in_draft():
    draft = parse(render_html(full_document("draft")))
    final = parse(render_html(full_document("final")))

    def banner(tree):
        return [e for e in tree.root.iter() if "draft-banner" in (e.attrs.get("class") or "")]

    assert banner(draft) and "DRAFT" in banner(draft)[0].text
    assert not banner(final) and "DRAFT" not in final.root.find("body").text


def test_callout_is_labelled_aside_without_breaking_heading_order(page):
    aside = page.root.find("aside")
    label_id = aside.attrs["aria-labelledby"]
    title = next(e for e in aside.iter() if e.attrs.get("id") == label_id)
    assert title.tag == "p" and title.text == "Case study: Mrs A"
    assert "Supported at home." in aside.text


def test_page_break_renders_nothing_visible(page):
    breaks = [e for e in page.root.iter("div") if e.attrs.get("class") == "page-break"]
    assert breaks and breaks[0].text == ""


def test_output_is_deterministic():
    assert render_html(full_document()) == render_html(full_document())


EXAMPLES = {
    Heading: Heading(1, "H", "h"),
    Paragraph: Paragraph([Run("p")]),
    ListBlock: ListBlock([[Run("i")]]),
    Table: sample_table(),
    Figure: Figure(id="f", caption="c", alt="a", png=PNG),
    Callout: Callout("t", [Paragraph([Run("x")])]),
    Todo: Todo("t"),
    PageBreak: PageBreak(),
    Contents: Contents(),
}


@pytest.mark.parametrize("node_type", nodes.BLOCK_TYPES, ids=lambda t: t.__name__)
def test_every_node_type_has_a_visitor_and_renders(node_type):
    assert node_type in HtmlWriter.visitors, f"HtmlWriter has no visitor for {node_type.__name__}"
    assert node_type in EXAMPLES, f"add an example {node_type.__name__} to EXAMPLES"
    parse(render_html(Document(meta(), [EXAMPLES[node_type]])))


def test_unknown_node_type_fails_loudly():
    class Mystery:
        pass

    with pytest.raises(TypeError, match="no visitor for Mystery"):
        render_html(Document(meta(), [Mystery()]))


def test_image_that_is_not_an_image_is_refused():
    with pytest.raises(ValueError, match="not a PNG"):
        render_html(Document(meta(), [Figure(id="f", caption="c", alt="a", png=b"nonsense")]))
