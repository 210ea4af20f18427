"""Write styles/reference.docx: the house Word styles apr's docx writer uses.

Run from the repository root:  python3 scripts/make_reference_docx.py [OUTPUT]

Starts from python-docx's default template and (re)defines every style named in
``apr.writers.docx.REQUIRED_STYLES``: a clean Arial 11pt, en-GB, A4 look with good contrast.
A partnership can restyle its report by editing a copy of the output in Word (keep the style
names).  The output is deterministic: fixed core properties, fixed zip dates, stable order.
"""
from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apr.writers.docx import REQUIRED_STYLES, normalise_docx_zip  # noqa: E402

NAVY = "002D54"      # Scottish Government navy: 13.9:1 on white
GREY = "3D3D3D"
RED = "C00000"
LINK = "0563C1"
FONT = "Arial"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
TEXT_WIDTH_TWIPS = 9638  # A4 (11906) minus 2 x 2 cm margins (1134 each)


def _font(size_pt: float | None = None, *, bold: bool = False, italic: bool = False,
          color: str | None = None) -> str:
    """Return rPr children for a style (size in points)."""
    parts = []
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if size_pt:
        half = int(size_pt * 2)
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    return "".join(parts)


def _spacing(before: int = 0, after: int = 160, line: int = 276) -> str:
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="auto"/>'


def _border_box(color: str, size: int = 8) -> str:
    sides = "".join(
        f'<w:{side} w:val="single" w:sz="{size}" w:space="4" w:color="{color}"/>'
        for side in ("top", "left", "bottom", "right")
    )
    return f"<w:pBdr>{sides}</w:pBdr>"


CALLOUT_BORDER = f'<w:pBdr><w:left w:val="single" w:sz="24" w:space="8" w:color="{NAVY}"/></w:pBdr>'
CALLOUT_SHADE = '<w:shd w:val="clear" w:color="auto" w:fill="E8EEF4"/>'
CALLOUT_IND = '<w:ind w:left="227" w:right="113"/>'
TOC_TABS = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH_TWIPS}"/></w:tabs>'

# (style id, name, based on, next, pPr inner XML, rPr inner XML, extra header XML)
# pPr children must follow schema order: keepNext, keepLines, pageBreakBefore, numPr, pBdr,
# shd, tabs, spacing, ind, contextualSpacing, jc, outlineLvl.
PARAGRAPH_STYLES: list[tuple[str, str, str | None, str | None, str, str]] = [
    # Normal's spacing lives in docDefaults, so the table style's compact spacing can win.
    ("Normal", "Normal", None, None, "", ""),
    ("Title", "Title", "Normal", "Normal", "<w:keepNext/>" + _spacing(240, 240, 240),
     _font(28, bold=True, color=NAVY)),
    ("Subtitle", "Subtitle", "Normal", "Normal", _spacing(0, 480),
     _font(16, color=GREY)),
    ("Heading1", "heading 1", "Normal", "Normal",
     "<w:keepNext/><w:keepLines/>" + _spacing(360, 120, 240) + '<w:outlineLvl w:val="0"/>',
     _font(16, bold=True, color=NAVY)),
    ("Heading2", "heading 2", "Normal", "Normal",
     "<w:keepNext/><w:keepLines/>" + _spacing(280, 100, 240) + '<w:outlineLvl w:val="1"/>',
     _font(14, bold=True, color=NAVY)),
    ("Heading3", "heading 3", "Normal", "Normal",
     "<w:keepNext/><w:keepLines/>" + _spacing(240, 80, 240) + '<w:outlineLvl w:val="2"/>',
     _font(12, bold=True, color=NAVY)),
    ("Heading4", "heading 4", "Normal", "Normal",
     "<w:keepNext/><w:keepLines/>" + _spacing(200, 60, 240) + '<w:outlineLvl w:val="3"/>',
     _font(11, bold=True, color=GREY)),
    ("Lead", "Lead", "Normal", "Normal", _spacing(0, 240), _font(13)),
    ("Note", "Note", "Normal", "Normal", _spacing(0, 120), _font(10, color=GREY)),
    ("TableSource", "Table Source", "Normal", "Normal", _spacing(60, 60, 240),
     _font(9, color=GREY)),
    ("Caption", "caption", "Normal", "Normal", "<w:keepNext/>" + _spacing(240, 80, 240),
     _font(10, bold=True, color=NAVY)),
    ("ToBeCompleted", "To Be Completed", "Normal", "Normal",
     _border_box(RED, 12) + '<w:shd w:val="clear" w:color="auto" w:fill="FFF2CC"/>'
     + _spacing(120, 240), _font(11, bold=True, color="000000")),
    ("CalloutTitle", "Callout Title", "Normal", "CalloutText",
     "<w:keepNext/>" + CALLOUT_BORDER + CALLOUT_SHADE + _spacing(240, 0) + CALLOUT_IND,
     _font(12, bold=True, color=NAVY)),
    ("CalloutText", "Callout Text", "Normal", "CalloutText",
     CALLOUT_BORDER + CALLOUT_SHADE + _spacing(0, 0) + CALLOUT_IND, ""),
    ("CoverOrganisation", "Cover Organisation", "Normal", "Title", _spacing(2400, 480, 240),
     _font(16, bold=True, color=NAVY)),
    ("CoverDate", "Cover Date", "Normal", "Normal", _spacing(240, 240, 240),
     _font(14, color=GREY)),
    ("DraftMarking", "Draft Marking", "Normal", "Normal",
     _border_box(RED, 18) + _spacing(480, 240, 240) + '<w:ind w:left="113" w:right="6000"/>'
     + '<w:jc w:val="center"/>', _font(28, bold=True, color=RED)),
    ("TOCHeading", "TOC Heading", "Heading1", "Normal", '<w:outlineLvl w:val="9"/>', ""),
    ("TOC1", "toc 1", "Normal", "Normal", TOC_TABS + _spacing(120, 60, 240),
     _font(11, bold=True)),
    ("TOC2", "toc 2", "Normal", "Normal", TOC_TABS + _spacing(0, 60, 240)
     + '<w:ind w:left="284"/>', ""),
    ("TOC3", "toc 3", "Normal", "Normal", TOC_TABS + _spacing(0, 60, 240)
     + '<w:ind w:left="567"/>', _font(10)),
]

LIST_STYLES = [("ListBullet", "List Bullet"), ("ListNumber", "List Number")]

# Built-in styles apr redefines: their linked "... Char" styles would only confuse the style pane.
LINKED_CHAR_STYLES = ["TitleChar", "SubtitleChar", "Heading1Char", "Heading2Char",
                      "Heading3Char", "Heading4Char"]

TABLE_BORDER = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>'
APR_TABLE = f"""
<w:style {nsdecls('w')} w:type="table" w:customStyle="1" w:styleId="APRTable">
  <w:name w:val="APR Table"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>{''.join(TABLE_BORDER.format(s) for s in
                           ('top', 'left', 'bottom', 'right', 'insideH', 'insideV'))}</w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="0" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
      <w:bottom w:w="0" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>
    <w:tblPr/>
    <w:trPr><w:tblHeader/></w:trPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{NAVY}"/></w:tcPr>
  </w:tblStylePr>
  <w:tblStylePr w:type="lastRow">
    <w:rPr><w:b/><w:bCs/></w:rPr>
    <w:tblPr/>
    <w:tcPr><w:tcBorders>
      <w:top w:val="double" w:sz="4" w:space="0" w:color="{GREY}"/>
    </w:tcBorders></w:tcPr>
  </w:tblStylePr>
</w:style>"""

HYPERLINK = f"""
<w:style {nsdecls('w')} w:type="character" w:styleId="Hyperlink">
  <w:name w:val="Hyperlink"/>
  <w:basedOn w:val="DefaultParagraphFont"/>
  <w:uiPriority w:val="99"/>
  <w:unhideWhenUsed/>
  <w:rPr><w:color w:val="{LINK}"/><w:u w:val="single"/></w:rPr>
</w:style>"""


def _paragraph_style(style_id: str, name: str, based_on: str | None, next_id: str | None,
                     ppr: str, rpr: str) -> str:
    default = ' w:default="1"' if style_id == "Normal" else ""
    custom = "" if name in _BUILT_IN else ' w:customStyle="1"'
    return (
        f'<w:style {nsdecls("w")} w:type="paragraph"{default}{custom} w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/>'
        + (f'<w:basedOn w:val="{based_on}"/>' if based_on else "")
        + (f'<w:next w:val="{next_id}"/>' if next_id else "")
        + '<w:uiPriority w:val="1"/><w:qFormat/>'
        + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
        + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
        + "</w:style>"
    )


_BUILT_IN = {"Normal", "Title", "Subtitle", "heading 1", "heading 2", "heading 3", "heading 4",
             "caption", "TOC Heading", "toc 1", "toc 2", "toc 3"}


def _replace_style(styles_el, style_id: str, xml: str) -> None:
    """Put the style defined by ``xml`` in place of any style with the same id."""
    new = parse_xml(xml)
    old = _find(styles_el, style_id)
    if old is not None:
        old.addprevious(new)
        styles_el.remove(old)
    else:
        styles_el.append(new)


def _find(styles_el, style_id: str):
    for style in styles_el.findall(qn("w:style")):
        if style.get(qn("w:styleId")) == style_id:
            return style
    return None


def _list_style(styles_el, style_id: str, name: str) -> str:
    """Return the list style's XML, keeping the numbering (numId) the template gives it."""
    old = _find(styles_el, style_id)
    num_id = old.find(f'{qn("w:pPr")}/{qn("w:numPr")}/{qn("w:numId")}').get(qn("w:val"))
    ppr = (f'<w:numPr><w:numId w:val="{num_id}"/></w:numPr>' + _spacing(0, 80)
           + "<w:contextualSpacing/>")
    return _paragraph_style(style_id, name, "Normal", None, ppr, "")


def _set_doc_defaults(styles_el) -> None:
    """Arial 11pt, en-GB, 1.15 line spacing: the defaults of every part of the document."""
    rpr_default = styles_el.find(f'{qn("w:docDefaults")}/{qn("w:rPrDefault")}')
    rpr_default.getparent().replace(rpr_default, parse_xml(
        f'<w:rPrDefault {nsdecls("w")}><w:rPr>'
        f'<w:rFonts w:ascii="{FONT}" w:eastAsia="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>'
        '<w:sz w:val="22"/><w:szCs w:val="22"/>'
        '<w:lang w:val="en-GB" w:eastAsia="en-US" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault>"))
    ppr_default = styles_el.find(f'{qn("w:docDefaults")}/{qn("w:pPrDefault")}')
    ppr_default.getparent().replace(ppr_default, parse_xml(
        f'<w:pPrDefault {nsdecls("w")}><w:pPr>{_spacing(0, 160)}</w:pPr></w:pPrDefault>'))


def _set_settings(document) -> None:
    """Spelling language en-GB for the theme fonts too."""
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = parse_xml(f'<w:themeFontLang {nsdecls("w")}/>')
        settings.find(qn("w:mathPr")).addnext(lang)
    lang.set(qn("w:val"), "en-GB")


def _drop_extra_parts(document) -> None:
    """Drop the template's thumbnail and its stale stylesWithEffects copy of the styles."""
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            document.part.rels.pop(rid)


def _set_page(document) -> None:
    """A4 portrait, 2 cm side margins (room for a six-year indicator table), 2.54 cm top and
    bottom."""
    for section in document.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.0))
        for side in ("top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.54))
        section.header_distance = section.footer_distance = Cm(1.25)


def _set_core_properties(document) -> None:
    props = document.core_properties
    fixed = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    props.title = "apr house style"
    props.subject = "Reference styles for Annual Performance Reports"
    props.author = props.last_modified_by = "apr"
    props.comments = ""
    props.keywords = "apr; reference document; styles"
    props.language = "en-GB"
    props.created = props.modified = props.last_printed = fixed
    props.revision = 1


def build_reference() -> bytes:
    """Return the bytes of the reference document."""
    document = docx.Document()
    styles_el = document.styles.element
    _set_doc_defaults(styles_el)
    for row in PARAGRAPH_STYLES:
        _replace_style(styles_el, row[0], _paragraph_style(*row))
    for style_id, name in LIST_STYLES:
        _replace_style(styles_el, style_id, _list_style(styles_el, style_id, name))
    _replace_style(styles_el, "APRTable", APR_TABLE)
    _replace_style(styles_el, "Hyperlink", HYPERLINK)
    for style_id in LINKED_CHAR_STYLES:
        old = _find(styles_el, style_id)
        if old is not None:
            styles_el.remove(old)
    _set_settings(document)
    _drop_extra_parts(document)
    _set_page(document)
    _set_core_properties(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_docx_zip(buffer.getvalue())


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "styles" / "reference.docx"
    data = build_reference()
    out.write_bytes(data)
    from apr.writers.docx import missing_styles

    missing = missing_styles(out)
    if missing:
        print(f"{out}: error: styles not defined: {', '.join(missing)}", file=sys.stderr)
        return 1
    print(f"wrote {out} ({len(data)} bytes, {len(REQUIRED_STYLES)} apr styles)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
