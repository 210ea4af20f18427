"""PDF writer: the report printed by headless Chromium from the print variant of the HTML page.

Why Chromium (measured on the sample report, docs/performance.md): its PDF is tagged (a
structure tree, /MarkInfo, /Lang) with bookmarks from the headings and named destinations; it
prints faster than LibreOffice converts the .docx and several times faster than WeasyPrint; its
engine is Microsoft Edge's, which every council laptop has; and the HTML page's accessibility
work carries over.  The browser is driven through apr/writers/chromium.py.

Contents page numbers.  Chromium cannot fill in ``target-counter()``, so the PDF is printed
twice in one tab: a quick first print (untagged, and with every chart replaced by a blank image
of the same size, which halves its time) tells on which page each heading lands, read from the
PDF's named destinations; the numbers go into fixed-width slots in the contents, so nothing
moves; the second print is the tagged PDF.  Its pages are read again, and should a number still
differ the numbers are corrected and it is printed again, at most twice more.  The numbers are
kept in apr's per-user cache (apr/cache.py, kind "pages"), keyed by the page printed and the
browser: a rebuild of the same report skips the first print, and the check after the tagged
print still catches a wrong guess.

Finishing (pypdf reads, apr appends).  Chromium's bytes are the same for the same page except
in two places, both overwritten in place with text of the same length, so nothing else moves:
its creation and modification dates, which come from the clock, become the report's date from
apr.toml; and the ids of table header cells in the structure tree ("node00000521", used by data
cells' /Headers and the /IDTree), numbered by the browser's count of page nodes so far, which
depends on what the tab did before (one print or two, so a first build and a rebuild would
differ), are renumbered 1, 2, 3 ... in the order they first appear in the file; the /IDTree,
which must list them sorted, is replaced in the update by one sorted list, and its old objects
are emptied in place (their order followed the browser's numbers).  Then an incremental
update is appended (a few objects, not a rewrite of the 1.7 MB file, which took pypdf 0.5 s): the
document information (title naming the partnership, author, subject, keywords, the fixed
dates), XMP metadata with the PDF/UA-1 identification (pdfuaid:part 1) and dc:title, and a
file /ID made from the content.  The same document therefore gives byte-identical PDFs.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
from xml.sax.saxutils import escape as xml_escape

from apr.document.nodes import Document, DocumentMeta
from apr.writers.chromium import Browser, BrowserError, CommandLineBrowser, Page, start_browser
from apr.writers.html import render_html

MAX_REPRINTS = 2
BLANK_GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
# Replace every chart by a blank image of the same proportions (for the first, quick print).
BLANK_IMAGES = """(() => {
  const images = [...document.images].filter(i => i.getAttribute('width'));
  for (const i of images) {
    i.style.aspectRatio = i.getAttribute('width') + ' / ' + i.getAttribute('height');
    i.dataset.aprSrc = i.src; i.src = '%s';
  }
  return Promise.all(images.map(i => i.decode().catch(() => 0))).then(() => images.length);
})()""".replace("%s", BLANK_GIF)
# Put the charts back and the page numbers into the contents' slots.
FILL_IN = """((numbers) => {
  const images = [...document.querySelectorAll('img[data-apr-src]')];
  for (const i of images) { i.src = i.dataset.aprSrc; delete i.dataset.aprSrc; }
  for (const slot of document.querySelectorAll('[data-page-of]')) {
    slot.textContent = numbers[slot.dataset.pageOf] ?? '';
  }
  return Promise.all(images.map(i => i.decode().catch(() => 0))).then(() => images.length);
})(%s)"""
CONTENTS_TARGETS = "[...document.querySelectorAll('[data-page-of]')].map(s => s.dataset.pageOf)"


def render_pdf(document: Document, title: str, browser: Browser | None = None,
               cached: bool = False) -> bytes:
    """Return the report as a tagged PDF/UA-1 file titled ``title`` (same document -> same
    bytes), printed by ``browser`` (or by a browser started and closed here), which starts
    quitting as soon as the printing is done.  With ``cached``, the contents' page numbers of
    the last print of the same page are tried first."""
    html = render_html(document, for_print=True, running_title=title)
    own = browser is None
    if own:
        browser = start_browser()
        if browser is None:
            raise BrowserError("no browser found")
    try:
        memo = PageNumbers(html, browser.executable) if cached else None
        if isinstance(browser, CommandLineBrowser):
            printed = print_by_command_line(browser, html, memo)
        else:
            printed = print_with_page_numbers(browser.open_page(html), memo)
        browser.close_in_background()
        return finish_pdf(printed, document.meta, title)
    finally:
        if own:
            browser.close()


class PageNumbers:
    """The contents' page numbers of a page last printed, in apr's per-user cache."""

    def __init__(self, html: str, browser: str) -> None:
        from apr.cache import store
        self.store = store("pages")
        self.name = hashlib.sha256(f"{browser}\0{html}".encode()).hexdigest()

    def get(self) -> dict[str, str] | None:
        data = self.store.read(self.name) if self.store else None
        try:
            return json.loads(data) if data else None
        except ValueError:
            return None

    def put(self, numbers: dict[str, str]) -> None:
        if self.store:
            self.store.write(self.name, json.dumps(numbers, sort_keys=True).encode())


def print_with_page_numbers(page: Page, memo: PageNumbers | None = None) -> bytes:
    """Return the tagged PDF of the page, its contents showing the page of each entry."""
    targets = page.evaluate(CONTENTS_TARGETS)
    if not targets:
        page.evaluate(FILL_IN % "{}")
        return page.print_pdf(tagged=True)
    numbers = memo.get() if memo else None
    if numbers is None:
        page.evaluate(BLANK_IMAGES)
        numbers = heading_pages(page.print_pdf(tagged=False, meanwhile=_load_pypdf), targets)
    for _ in range(MAX_REPRINTS + 1):
        page.evaluate(FILL_IN % json.dumps(numbers))
        printed = page.print_pdf(tagged=True, meanwhile=_load_pypdf)
        found = heading_pages(printed, targets)
        if found == numbers:
            if memo:
                memo.put(numbers)
            return printed
        numbers = found
    raise BrowserError("the contents' page numbers kept moving between prints")


SLOT = re.compile(r'<span class="page-no" data-page-of="([^"]*)"></span>')


def print_by_command_line(browser: CommandLineBrowser, html: str,
                          memo: PageNumbers | None = None) -> bytes:
    """Return the tagged PDF of ``html`` printed without the pipe: the page numbers are
    written into the HTML itself between prints (each print is a browser of its own)."""
    from html import unescape
    targets = [unescape(t) for t in SLOT.findall(html)]
    numbers = (memo.get() if memo else None) or (
        heading_pages(browser.print_html(html), targets) if targets else {})
    for _ in range(MAX_REPRINTS + 1):
        filled = SLOT.sub(lambda m, numbers=numbers: m.group(0).replace(
            "></span>", f">{numbers.get(unescape(m.group(1)), '')}</span>"), html)
        printed = browser.print_html(filled)
        found = heading_pages(printed, targets)
        if found == numbers:
            if memo and targets:
                memo.put(numbers)
            return printed
        numbers = found
    raise BrowserError("the contents' page numbers kept moving between prints")


def _load_pypdf() -> None:
    """Import pypdf (about 0.15 s) while the browser prints, not after."""
    import pypdf  # noqa: F401


def heading_pages(pdf: bytes, targets: list[str]) -> dict[str, str]:
    """Return the page number (as printed, the cover being 1) of each target id, from the
    PDF's named destinations."""
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(pdf))
    pages: dict[str, str] = {}
    for name, destination in reader.named_destinations.items():
        number = reader.get_destination_page_number(destination)
        if number >= 0:
            pages[str(name).lstrip("/")] = str(number + 1)
    return {t: pages[t] for t in targets if t in pages}


# -- finishing --------------------------------------------------------------------------------
CHROMIUM_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}\+00'00'\)")
NODE_ID = re.compile(rb"\(node(\d{8})\)")


def renumber_node_ids(pdf: bytes) -> bytes:
    """Return ``pdf`` with the structure tree's node ids numbered 1, 2, 3 ... in the order
    they first appear, each keeping its length (no byte moves)."""
    new: dict[bytes, int] = {}
    for old in NODE_ID.findall(pdf):
        new.setdefault(old, len(new) + 1)
    if len(new) > 99_999_999:
        return pdf
    return NODE_ID.sub(lambda m: b"(node%08d)" % new[m.group(1)], pdf)


def sorted_id_tree(reader) -> tuple[list[int], bytes] | None:
    """Return the object numbers of the structure tree's /IDTree (its root first) and a
    replacement for the root: the same ids and elements as one sorted /Names list (None when
    there is no /IDTree)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject
    tree = reader.trailer["/Root"].get("/StructTreeRoot")
    ref = tree.get_object().raw_get("/IDTree") if tree is not None else None
    if ref is None or not hasattr(ref, "idnum"):
        return None
    pairs, numbers, stack = [], [], [ref]
    while stack:
        node_ref = stack.pop()
        numbers.append(node_ref.idnum)
        node = node_ref.get_object()
        names = node.get("/Names", ArrayObject())
        pairs += [(str(names[i]), names[i + 1].indirect_reference or names[i + 1])
                  for i in range(0, len(names) - 1, 2)]
        stack += list(node.get("/Kids", ArrayObject()))[::-1]
    flat = ArrayObject(item for key, value in sorted(pairs, key=lambda p: p[0])
                       for item in (create_string(key), value))
    return numbers, _serialise(DictionaryObject({NameObject("/Names"): flat}))


def create_string(text: str):
    from pypdf.generic import create_string_object
    return create_string_object(text)


def emptied(data: bytes, reader, numbers: list[int]) -> bytes:
    """Return ``data`` with the objects ``numbers`` emptied in place (``<<>>`` and spaces, the
    same length, so every offset holds)."""
    out = bytearray(data)
    for number in numbers:
        start = out.index(b"obj", reader.xref[0][number]) + 3
        end = out.index(b"endobj", start)
        if end - start >= 5:
            out[start:end] = b"\n<<>>".ljust(end - start)
    return bytes(out)


def pdf_date(meta: DocumentMeta) -> str:
    """Return the report's date (apr.toml's board date) as a PDF date, 2024-06-26 ->
    D:20240626000000+00'00' (the start of the Unix epoch when the report has none)."""
    digits = re.sub(r"\D", "", meta.date_iso)[:8] if meta.date_iso else ""
    return f"D:{digits if len(digits) == 8 else '19700101'}000000+00'00'"


def finish_pdf(pdf: bytes, meta: DocumentMeta, title: str) -> bytes:
    """Return the printed PDF with fixed dates, the document information, PDF/UA-1 XMP
    metadata and a content-derived /ID, appended as an incremental update."""
    from pypdf import PdfReader
    date = pdf_date(meta)
    data = CHROMIUM_DATE.sub(lambda m: b"/%s (%s)" % (m.group(1), date.encode()), pdf)
    data = renumber_node_ids(data)
    reader = PdfReader(io.BytesIO(data))
    id_tree = sorted_id_tree(reader)
    if id_tree:
        data = emptied(data, reader, id_tree[0])
    size = int(reader.trailer["/Size"])
    root_ref = reader.trailer.raw_get("/Root")
    info_number, metadata_number = size, size + 1
    catalog = _catalog(reader, metadata_number)
    objects = {
        root_ref.idnum: _serialise(catalog),
        info_number: _serialise(_info(meta, title, date, reader)),
        metadata_number: _metadata_stream(xmp(meta, title, date)),
    }
    if id_tree:
        objects[id_tree[0][0]] = id_tree[1]
    return _append_update(data, objects, size + 2, root_ref.idnum, info_number)


def _catalog(reader, metadata_number: int):
    from pypdf.generic import BooleanObject, DictionaryObject, IndirectObject, NameObject
    catalog = DictionaryObject(reader.trailer["/Root"])
    catalog[NameObject("/Metadata")] = IndirectObject(metadata_number, 0, reader)
    catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)})
    return catalog


def _info(meta: DocumentMeta, title: str, date: str, reader):
    from pypdf.generic import DictionaryObject, NameObject, create_string_object
    producer = str(reader.metadata.get("/Producer", "")) if reader.metadata else ""
    values = {"/Title": title, "/Author": meta.author, "/Subject": meta.subject,
              "/Keywords": meta.keywords, "/Creator": "apr", "/Producer": producer,
              "/CreationDate": date, "/ModDate": date}
    return DictionaryObject({NameObject(k): create_string_object(v)
                             for k, v in values.items() if v})


def _serialise(obj) -> bytes:
    stream = io.BytesIO()
    obj.write_to_stream(stream)
    return stream.getvalue()


def xmp(meta: DocumentMeta, title: str, date: str) -> bytes:
    """Return the XMP metadata packet: Dublin Core title, author, subject and language, the
    dates, and the PDF/UA-1 identification."""
    when = f"{date[2:6]}-{date[6:8]}-{date[8:10]}T00:00:00Z"
    text = {k: xml_escape(v) for k, v in (("title", title), ("author", meta.author),
                                          ("subject", meta.subject))}
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
  xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text["title"]}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{text["author"]}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text["subject"]}</rdf:li></rdf:Alt>\
</dc:description>
<dc:language><rdf:Bag><rdf:li>{xml_escape(meta.language or "en-GB")}</rdf:li></rdf:Bag>\
</dc:language>
<xmp:CreateDate>{when}</xmp:CreateDate>
<xmp:ModifyDate>{when}</xmp:ModifyDate>
<xmp:MetadataDate>{when}</xmp:MetadataDate>
<xmp:CreatorTool>apr</xmp:CreatorTool>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()


def _metadata_stream(packet: bytes) -> bytes:
    return (b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(packet)
            + packet + b"\nendstream")


def _append_update(data: bytes, objects: dict[int, bytes], size: int, root: int,
                   info: int) -> bytes:
    """Return ``data`` with ``objects`` appended as an incremental update (PDF 7.5.6): the
    objects, a cross-reference section for them and a trailer pointing to the previous one."""
    previous = int(re.findall(rb"startxref\s+(\d+)", data[-1024:])[-1])
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for number in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (number, offsets[number])
    file_id = hashlib.sha256(data).hexdigest()[:32].encode()
    out += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /Prev %d /ID [<%s> <%s>] >>\n"
            b"startxref\n%d\n%%%%EOF\n" % (size, root, info, previous, file_id, file_id, xref))
    return bytes(out)
