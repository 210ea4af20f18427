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
differ (it never has) the numbers are corrected and it is printed again, at most twice more.

Finishing (pypdf reads, apr appends).  Chromium's bytes are the same for the same page except
its creation and modification dates, which come from the clock; they are overwritten in place
with the report's date from apr.toml (same length, so nothing else moves).  Then an incremental
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
from apr.writers.chromium import Browser, BrowserError, Page, start_browser
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
})()""" % BLANK_GIF
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


def render_pdf(document: Document, title: str, browser: Browser | None = None) -> bytes:
    """Return the report as a tagged PDF/UA-1 file titled ``title`` (same document -> same
    bytes), printed by ``browser`` (or by a browser started and closed here)."""
    html = render_html(document, for_print=True, running_title=title)
    own = browser is None
    if own:
        browser = start_browser()
        if browser is None:
            raise BrowserError("no browser found")
    try:
        printed = print_with_page_numbers(browser.open_page(html))
    finally:
        if own:
            browser.close()
    return finish_pdf(printed, document.meta, title)


def print_with_page_numbers(page: Page) -> bytes:
    """Return the tagged PDF of the page, its contents showing the page of each entry."""
    targets = page.evaluate(CONTENTS_TARGETS)
    if not targets:
        page.evaluate(FILL_IN % "{}")
        return page.print_pdf(tagged=True)
    page.evaluate(BLANK_IMAGES)
    numbers = heading_pages(page.print_pdf(tagged=False), targets)
    for _ in range(MAX_REPRINTS + 1):
        page.evaluate(FILL_IN % json.dumps(numbers))
        printed = page.print_pdf(tagged=True)
        found = heading_pages(printed, targets)
        if found == numbers:
            return printed
        numbers = found
    raise BrowserError("the contents' page numbers kept moving between prints")


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
    reader = PdfReader(io.BytesIO(data))
    size = int(reader.trailer["/Size"])
    root_ref = reader.trailer.raw_get("/Root")
    info_number, metadata_number = size, size + 1
    catalog = _catalog(reader, metadata_number)
    objects = {
        root_ref.idnum: _serialise(catalog),
        info_number: _serialise(_info(meta, title, date, reader)),
        metadata_number: _metadata_stream(xmp(meta, title, date)),
    }
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
<?xpacket end="w"?>""".encode("utf-8")


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
