"""The marks apr leaves in a Word draft so that ``apr absorb`` can find where text came from.

Each narrative paragraph, heading and list item is wrapped in a bookmark ``apr_n_<hash>``;
each paragraph the templates generated in ``apr_g_<hash>``; each table's caption in
``apr_t_<hash>``.  Word keeps bookmarks when people edit, move and copy text, and shows them
only in Insert > Bookmark.  A custom XML part (``customXml/itemN.xml``, which Word and
LibreOffice keep when they save) maps every mark to what it stands for: the narrative file,
its lines and a hash of those lines and of the whole file at build time; or the section a
generated paragraph sits in; and the text the mark held when apr wrote it.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from lxml import etree

NS = "urn:apr:absorb-marks:1"
ITEM_ID = "{6F7A2B1E-4C3D-4E5F-8A9B-0C1D2E3F4A5B}"   # fixed: the build is deterministic
RT_CUSTOM_XML = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                 "customXml")
RT_CUSTOM_XML_PROPS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                       "customXmlProps")
CT_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
PREFIXES = {"narrative": "apr_n_", "generated": "apr_g_", "table": "apr_t_"}


def digest(text: str) -> str:
    """Return the SHA-256 of TEXT as hex (what the marks record of a file or its lines)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Mark:
    """One mark: its bookmark name, kind ("narrative", "generated", "table") and details."""

    name: str
    kind: str
    text: str = ""
    file: str = ""          # narrative: the name under content/ without .md
    first: int = 0
    last: int = 0
    sha256: str = ""        # narrative: of lines first..last as built
    section: str = ""       # the heading the mark sits under
    section_id: str = ""    # the anchor of the section (level 1 heading) around it
    data: str = ""          # a table: its name in the document and source line


# characters XML cannot hold; the Word writer leaves them out of the text too (writers/docx.py)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


@dataclass
class Marks:
    """Every mark of a draft and the hash of every narrative file it was built from."""

    marks: dict[str, Mark] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)   # narrative name -> sha256

    def to_xml(self) -> bytes:
        root = etree.Element(f"{{{NS}}}marks", nsmap={None: NS})
        for name, sha in sorted(self.files.items()):
            etree.SubElement(root, f"{{{NS}}}file", name=_xml_safe(name), sha256=sha)
        for mark in self.marks.values():
            attrs = {k: _xml_safe(str(v)) for k, v in vars(mark).items() if v and k != "text"}
            etree.SubElement(root, f"{{{NS}}}mark", attrs).text = _xml_safe(mark.text)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    @classmethod
    def from_xml(cls, data: bytes) -> Marks:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        marks = cls()
        for el in root.iter(f"{{{NS}}}file"):
            marks.files[el.get("name")] = el.get("sha256")
        known = set(Mark.__dataclass_fields__) - {"text", "first", "last"}
        for el in root.iter(f"{{{NS}}}mark"):
            attrs = {k: v for k, v in el.attrib.items() if k in known}
            lines = [el.get(k, "0") for k in ("first", "last")]
            if "name" not in attrs or "kind" not in attrs or not all(x.isdigit() for x in lines):
                continue      # not a mark apr wrote: ignored
            marks.marks[attrs["name"]] = Mark(text=el.text or "", first=int(lines[0]),
                                              last=int(lines[1]), **attrs)
        return marks


class MarkRecorder:
    """Names the marks as the Word writer writes blocks, then adds the part that maps them."""

    def __init__(self, sources: dict[str, str]):
        self.sources = sources            # narrative name -> text as read at build time
        self.marks = Marks({}, {name: digest(text) for name, text in sources.items()})
        self.section = self.section_id = ""
        self.heading = ""

    def on_heading(self, text: str, ident: str, level: int) -> None:
        """Remember the heading later marks sit under."""
        self.heading = text
        if level == 1:
            self.section, self.section_id = text, ident

    def name(self, kind: str, key: str) -> str:
        """Return a new bookmark name for a mark of KIND (stable for the same document)."""
        seed = f"{kind}:{key}:{len(self.marks.marks)}"
        return PREFIXES[kind] + hashlib.sha1(seed.encode()).hexdigest()[:12]

    def record(self, name: str, kind: str, text: str, origin=None, data: str = "") -> None:
        """Record mark NAME of KIND holding TEXT, from the narrative ORIGIN if any."""
        mark = Mark(name, kind, text, section=self.heading, section_id=self.section_id,
                    data=data)
        if kind != "narrative":     # generated text: its hash is enough to see an edit
            mark.text, mark.sha256 = "", digest(text)
        if origin is not None:
            mark.file, mark.first, mark.last = origin.name, origin.first, origin.last
            lines = self.sources.get(origin.name, "").split("\n")[origin.first - 1:origin.last]
            mark.sha256 = digest("\n".join(lines))
        self.marks.marks[name] = mark

    def add_part(self, document_part) -> None:
        """Add the custom XML part with the marks (and its properties part) to the package."""
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part
        package = document_part.package
        item_uri = package.next_partname("/customXml/item%d.xml")
        props_uri = PackURI(item_uri.replace("/item", "/itemProps"))
        item = Part(item_uri, "application/xml", self.marks.to_xml(), package)
        props = Part(props_uri, CT_PROPS, _props_xml(), package)
        item.relate_to(props, RT_CUSTOM_XML_PROPS)
        document_part.relate_to(item, RT_CUSTOM_XML)


def _props_xml() -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
            f'<ds:datastoreItem ds:itemID="{ITEM_ID}" xmlns:ds="{DS}"><ds:schemaRefs>'
            f'<ds:schemaRef ds:uri="{NS}"/></ds:schemaRefs></ds:datastoreItem>').encode()
