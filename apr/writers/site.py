"""The report as a website: a folder of pages, one per main section, or their bodies alone.

``write_site(document)`` returns every file of the folder ``--format site`` writes, keyed by
its path inside the folder: ``index.html`` (the cover, the key facts and the contents), one page
per main section (``foreword.html``, ``about.html``, one per outcome, ``core-indicators.html``,
``finance.html`` ...; every appendix on ``appendices.html``), ``report.css`` shared by all
pages, and the charts and cover pictures under ``images/``. Each page has the partnership's
header (logo and header links), a contents panel (beside the text on wide screens, above it on
narrow ones), previous and next links, and the footer links. Nothing needs a server: the folder
can be opened from disk, hosted as it is, or copied page by page.

``render_fragments(document)`` returns the folder ``--format fragments`` writes for a council
website's own templates: each section's body alone (its ``<h1>`` heading and content, no
``<html>``, ``<head>``, header or footer) as ``<section>.html``, the same ``images/``, the
stylesheet, and ``contents.html``, the list of sections in order.

The body of each page is written by apr/writers/html.py's ``HtmlWriter``, as in the single
page, with two differences: headings start at ``<h1>`` on each page, and pictures are files.
Links between sections (the contents, "see Appendix 1") point at the page that holds the target.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from apr.document.nodes import Contents, Document, Heading, PageBreak
from apr.writers.html import HtmlWriter, _environment, _image_type, brand_links, page_css

SITE_TEMPLATE = "site.html.j2"
CSS_FILE = "report.css"
IMAGES = "images"
SPLIT_LEVEL2 = ("outcomes",)       # sections whose level-2 headings get a page each
GROUPED = {"appendix-": ("appendices", "Appendices")}   # id prefix -> one page for all
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}


@dataclass
class Page:
    """One page of the site: its file name, its title and the blocks it shows."""

    slug: str
    title: str
    blocks: list = field(default_factory=list)
    top_level: int = 1          # the heading level shown as the page's <h1>
    own_heading: bool = False   # the page's <h1> is written by the shell, not a block
    body: str = ""

    @property
    def file(self) -> str:
        return f"{self.slug}.html"


def split_pages(doc: Document) -> list[Page]:
    """Return the pages of the site: the opening blocks (key facts) on the index page, then
    one page per level-1 section, the outcomes one page each, the appendices together."""
    pages = [Page("index", doc.meta.title)]
    splitting = False       # inside a section whose level-2 headings get a page each
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 1:
            splitting = block.id in SPLIT_LEVEL2
            group = _group(block)
            if group is None:
                pages.append(Page(block.id, block.text))
            elif pages[-1].slug != group[0]:
                pages.append(Page(group[0], group[1], own_heading=True, top_level=0))
        elif isinstance(block, Heading) and block.level == 2 and splitting:
            pages.append(Page(block.id, block.text, top_level=2))
        if not isinstance(block, (Contents, PageBreak)):
            pages[-1].blocks.append(block)
    return _unique_slugs(pages)


def _group(heading: Heading) -> tuple[str, str] | None:
    return next((g for prefix, g in GROUPED.items() if heading.id.startswith(prefix)), None)


def _unique_slugs(pages: list[Page]) -> list[Page]:
    seen: set[str] = set()
    for page in pages:
        slug = re.sub(r"[^a-z0-9-]+", "-", page.slug.replace("--", "-").lower()).strip("-")
        base, n = slug or "section", 1
        while slug in seen or not slug:
            n += 1
            slug = f"{base}-{n}"
        seen.add(slug)
        page.slug = slug
    return pages


class SiteWriter(HtmlWriter):
    """HtmlWriter for pages of a site: headings from <h1> per page, pictures as files."""

    def __init__(self, doc: Document) -> None:
        super().__init__(doc)
        self.files: dict[str, bytes] = {}
        self.min_level = 1
        self.level_shift = 0

    def start_page(self, page: Page) -> None:
        """Make the page's first heading its <h1>; with a shell <h1>, start below it."""
        self.previous_level = 1 if page.own_heading else 0
        self.level_shift = 1 - page.top_level

    def heading_level(self, node: Heading) -> int:
        return max(self.min_level, min(node.level + self.level_shift, self.previous_level + 1, 6))

    def image_src(self, data: bytes, name: str) -> str:
        mime, _ = _image_type(data, name)
        path = f"{IMAGES}/{name}.{EXTENSIONS[mime]}"
        self.files[path] = data
        return path


def _render_pages(doc: Document) -> tuple[list[Page], SiteWriter]:
    writer = SiteWriter(doc)
    pages = split_pages(doc)
    for page in pages:
        writer.start_page(page)
        page.body = writer.render_blocks(page.blocks)
    _link_across(pages)
    return pages, writer


def _link_across(pages: list[Page]) -> None:
    """Point every ``href="#id"`` at the page that holds the id (the page alone for its own
    first heading)."""
    where: dict[str, str] = {}
    for page in pages:
        for found in re.finditer(r'\bid="([^"]+)"', page.body):
            where.setdefault(found.group(1), page.file)

    for page in pages:
        def target(match: re.Match, page: Page = page) -> str:
            anchor = match.group(1)
            file = where.get(anchor)
            if file is None or file == page.file:
                return match.group(0)
            return f'href="{file}#{anchor}"'
        page.body = re.sub(r'href="#([^"]+)"', target, page.body)


def write_site(document: Document, stylesheet: str | None = None) -> dict[str, bytes]:
    """Return every file of the website, keyed by its path inside the site's folder."""
    pages, writer = _render_pages(document)
    meta = document.meta
    logo = writer.image_src(meta.logo, "logo") if meta.logo else ""
    cover = writer.image_src(meta.cover_image, "cover") if meta.cover_image else ""
    template = _environment().get_template(SITE_TEMPLATE)
    files = {CSS_FILE: page_css(document, stylesheet).encode("utf-8")}
    for i, page in enumerate(pages):
        html = template.render(
            meta=meta, lang=meta.language or "en-GB", page=page, pages=pages,
            previous=pages[i - 1] if i else None,
            next=pages[i + 1] if i + 1 < len(pages) else None,
            is_draft=meta.status.strip().lower() == "draft",
            body=Markup(page.body), logo_src=logo, cover_src=cover, css_href=CSS_FILE,
            links=brand_links(meta))
        files[page.file] = html.encode("utf-8")
    files.update(writer.files)
    return files


def render_fragments(document: Document, stylesheet: str | None = None) -> dict[str, bytes]:
    """Return each section's body alone (no page shell), its pictures as files, the stylesheet
    and ``contents.html`` (the sections in order), keyed by path inside the folder."""
    pages, writer = _render_pages(document)
    files = {CSS_FILE: page_css(document, stylesheet).encode("utf-8")}
    for page in pages:
        head = f"<h1>{escape(page.title)}</h1>\n" if page.own_heading or page.slug == "index" \
            else ""
        files[page.file] = f'<div class="apr-report">\n{head}{page.body}\n</div>\n'.encode()
    items = "".join(f'<li><a href="{p.file}">{escape(p.title)}</a></li>' for p in pages)
    files["contents.html"] = f'<nav class="apr-contents"><ol>{items}</ol></nav>\n'.encode()
    files.update(writer.files)
    return files
