"""The block markup templates render to, parsed into document nodes.

The markup is Markdown (headings, paragraphs, lists, pipe tables, bold, italic, links; raw HTML
off) plus three things of apr's own, each on a line of its own:

* ``<<table KEY>>``, ``<<figure KEY>>``: insert a table or chart that apr built from the data
  (templates write these with ``{{ table("KEY") }}`` and ``{{ figure("KEY") }}``);
* ``<<todo TEXT>>``, ``<<contents>>``, ``<<pagebreak>>``;
* ``::: case-study Title`` ... ``:::``: a boxed case study (also ``::: callout Title``).

An image alone in a paragraph, ``![alt text](images/photo.png "Optional caption")``, becomes a
Figure: a PNG or JPEG file under the parser's ``image_dir`` (the project's ``content/``), with
alt text required.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

from ..config import slugify
from . import nodes as n

DIRECTIVE = re.compile(r"^\s*<<\s*(\w+)\s*(.*?)\s*>>\s*$")
CONTAINER_OPEN = re.compile(r"^\s*:::\s*([\w-]+)\s*(.*?)\s*$")
CONTAINER_CLOSE = re.compile(r"^\s*:::\s*$")
KNOWN_DIRECTIVES = ("todo", "contents", "pagebreak", "table", "figure")
HEADING_ID = re.compile(r"\s*\{\s*#([A-Za-z][\w-]*)\s*\}\s*$")
# Where a narrative file's text starts (``<<source NAME>>``) and ends (``<<source>>``) in the
# rendered report: written by the template context's narrative(), never typed (narrative files
# are checked with KNOWN_DIRECTIVES, which leaves it out), so blocks know their file and line.
SOURCE = re.compile(r"^<<source(?: ([\w./-]+))?>>$")


class MarkupError(Exception):
    """A problem in rendered markup, with the line of the rendered text it was found on."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


class MarkupParser:
    """Turns rendered markup into nodes; keeps heading ids unique across the whole document."""

    def __init__(self, lookup: Callable[[str, str], n.Block], image_dir: Path | None = None):
        self.lookup = lookup
        self.image_dir = image_dir
        self.ids: set[str] = set()
        self.source: tuple[str, int] | None = None   # narrative name, line of its marker
        self.md = MarkdownIt("commonmark", {"html": False}).enable("table")

    def parse(self, text: str, heading_shift: int = 0) -> list[n.Block]:
        """Return the nodes for ``text``; raise MarkupError for an unknown directive or key."""
        root: list[n.Block] = []
        stack: list[tuple[n.Callout, int]] = []
        buffer: list[str] = []
        start = [1]

        def target() -> list:
            return stack[-1][0].blocks if stack else root

        def flush() -> None:
            if buffer:
                target().extend(self._markdown("\n".join(buffer), heading_shift, start[0]))
                buffer.clear()

        for lineno, line in enumerate(text.split("\n"), start=1):
            m = SOURCE.match(line)
            if m:
                flush()
                self.source = (m.group(1), lineno) if m.group(1) else None
                continue
            m = DIRECTIVE.match(line)
            if m:
                flush()
                target().append(self._directive(m.group(1), m.group(2), lineno))
                continue
            if CONTAINER_CLOSE.match(line) and stack:
                flush()
                callout, _ = stack.pop()
                target().append(callout)
                continue
            m = CONTAINER_OPEN.match(line)
            if m and not CONTAINER_CLOSE.match(line):
                flush()
                kind = m.group(1).replace("-", "_")
                stack.append((n.Callout(m.group(2) or kind.replace("_", " ").title(), [], kind),
                              lineno))
                continue
            if not buffer:
                start[0] = lineno
            buffer.append(line)
        flush()
        if stack:
            raise MarkupError(f"the box '::: {stack[-1][0].role.replace('_', '-')}' opened here is "
                              "never closed; add a line with just ':::' after its text",
                              stack[-1][1])
        return root

    def _directive(self, kind: str, arg: str, lineno: int) -> n.Block:
        if kind == "todo" and re.fullmatch(r"#\d+", arg):
            return self.lookup("todo", arg)   # a placeholder the template context registered
        if kind == "todo":
            return n.Placeholder(arg or "this section", code="placeholder.text")
        if kind == "contents":
            return n.Contents(arg or "Contents")
        if kind == "pagebreak":
            return n.PageBreak()
        if kind in ("table", "figure"):
            try:
                block = self.lookup(kind, arg)
            except KeyError as exc:
                raise MarkupError(str(exc.args[0]), lineno) from None
            if isinstance(block, n.Heading):
                block.id = self.unique_id(block.id)
            return block
        raise MarkupError(f"unknown instruction '<<{kind}>>'; apr knows <<table NAME>>, "
                          "<<figure NAME>>, <<todo TEXT>>, <<contents>> and <<pagebreak>>", lineno)

    def unique_id(self, base: str) -> str:
        """Return ``base`` or ``base-2``, ``base-3``... so that every anchor is unique."""
        base = base or "section"
        candidate, i = base, 2
        while candidate in self.ids:
            candidate, i = f"{base}-{i}", i + 1
        self.ids.add(candidate)
        return candidate

    def _markdown(self, text: str, shift: int, first_line: int = 1) -> list[n.Block]:
        tokens = self.md.parse(text)
        blocks: list[n.Block] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type == "heading_open":
                blocks.append(self._heading(tok, tokens[i + 1], shift))
                blocks[-1].origin = self._origin(tok.map, first_line)
                i += 3
            elif tok.type == "paragraph_open" and self._lone_image(tokens[i + 1]):
                line = first_line + (tok.map[0] if tok.map else 0)
                blocks.append(self._image(self._lone_image(tokens[i + 1]), line))
                i += 3
            elif tok.type == "paragraph_open":
                runs = self._runs(tokens[i + 1])
                if runs:
                    blocks.append(n.Paragraph(runs, origin=self._origin(tok.map, first_line)))
                i += 3
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                i = self._list(tokens, i, blocks, first_line)
            elif tok.type == "table_open":
                i = self._table(tokens, i, blocks)
            elif tok.type in ("fence", "code_block"):
                blocks.append(n.Paragraph([n.Run(tok.content.rstrip("\n"))], "note"))
                i += 1
            else:
                i += 1   # blockquote/hr wrappers: their paragraphs are handled above
        return blocks

    def _origin(self, lines, first_line: int) -> n.Origin | None:
        """Return the narrative file and lines of a block at LINES (markdown-it's map) of the
        text starting at rendered line FIRST_LINE, or None outside narrative."""
        if self.source is None or not lines:
            return None
        name, marker = self.source
        return n.Origin(name, first_line + lines[0] - marker, first_line + lines[1] - 1 - marker)

    def _lone_image(self, inline):
        """Return the image token when a paragraph is one image and nothing else."""
        if self.image_dir is None:
            return None
        children = [c for c in inline.children or []
                    if not (c.type in ("text", "softbreak") and not c.content.strip())]
        return children[0] if len(children) == 1 and children[0].type == "image" else None

    def _image(self, token, line: int) -> n.Figure:
        alt = token.content.strip()
        src = image_path(token.attrGet("src") or "")
        problem = image_problem(src, alt, self.image_dir)
        if problem:
            raise MarkupError(problem, line)
        data = (self.image_dir / src).read_bytes()
        caption = (token.attrGet("title") or alt).strip()
        return n.Figure(self.unique_id("image-" + slugify(Path(src).stem)), caption, alt, data,
                        width_cm=image_width_cm(data))

    def _heading(self, tok, inline, shift: int) -> n.Heading:
        level = min(int(tok.tag[1]) + shift, 6)
        text = inline.content
        m = HEADING_ID.search(text)
        explicit = None
        if m:
            explicit, text = m.group(1), text[:m.start()]
        text = "".join(r.text for r in self._runs(inline, text_override=text))
        return n.Heading(level, text.strip(), self.unique_id(explicit or slugify(text)))

    def _list(self, tokens, i: int, blocks: list, first_line: int = 1) -> int:
        ordered = tokens[i].type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        depth, items, origins = 0, [], []
        i += 1
        while i < len(tokens):
            tok = tokens[i]
            if tok.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif tok.type in ("bullet_list_close", "ordered_list_close"):
                if depth == 0 and tok.type == close:
                    break
                depth -= 1
            elif tok.type == "inline":
                runs = self._runs(tok)
                if depth > 0:
                    runs = [n.Run("– ")] + runs
                items.append(runs)
                origins.append(self._origin(tok.map, first_line))
            i += 1
        blocks.append(n.ListBlock(items, ordered, origins if any(origins) else []))
        return i + 1

    def _table(self, tokens, i: int, blocks: list) -> int:
        header: list[str] = []
        rows: list[list[n.Cell]] = []
        align: list[str] = []
        current: list[n.Cell] | None = None
        in_head = False
        i += 1
        while tokens[i].type != "table_close":
            tok = tokens[i]
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                current = []
            elif tok.type in ("th_open", "td_open"):
                style = tok.attrGet("style") or ""
                a = "right" if "right" in style else "center" if "center" in style else "left"
                if in_head:
                    align.append(a)
            elif tok.type == "inline" and current is not None:
                text = "".join(r.text for r in self._runs(tok))
                if in_head:
                    header.append(text)
                else:
                    col = len(current)
                    current.append(n.Cell(text, align[col] if col < len(align) else "left",
                                          header=col == 0))
            elif tok.type == "tr_close" and current is not None and not in_head:
                rows.append(current)
            i += 1
        caption = header[0] if header else "Table"
        blocks.append(n.Table(self.unique_id("table-" + slugify(caption)), caption, header, rows,
                              align=align))
        return i + 1

    def _runs(self, inline, text_override: str | None = None) -> list[n.Run]:
        if text_override is not None and text_override != inline.content:
            inline = self.md.parseInline(text_override)[0]
        runs: list[n.Run] = []
        bold = italic = False
        link = None
        for child in inline.children or []:
            t = child.type
            if t == "text" or t == "code_inline":
                runs.append(n.Run(child.content, bold, italic, link))
            elif t in ("softbreak", "hardbreak"):
                runs.append(n.Run(" ", bold, italic, link))
            elif t == "strong_open":
                bold = True
            elif t == "strong_close":
                bold = False
            elif t == "em_open":
                italic = True
            elif t == "em_close":
                italic = False
            elif t == "link_open":
                link = child.attrGet("href")
            elif t == "link_close":
                link = None
            elif t == "image":
                runs.append(n.Run(child.content or "", bold, italic, link))
        return _merge(runs)


IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
MAX_WIDTH_CM = 15.0


# Pictures are limited by pixels (a small file can decode to gigapixels) and by file size,
# far above any photograph in a report: 60 megapixels is a full-frame camera's largest.
MAX_PIXELS = 60_000_000
MAX_IMAGE_BYTES = 30 * 1024 * 1024


def image_path(src: str) -> str:
    """Return the file name a Markdown image refers to: ``<my photo.png>`` and
    ``my%20photo.png`` both mean ``my photo.png``; accented letters as typed; ``images\\a.png``
    (a Windows path) means ``images/a.png``."""
    from urllib.parse import unquote

    from ..paths import portable
    src = src.strip()
    if src.startswith("<") and src.endswith(">"):
        src = src[1:-1]
    return portable(unquote(src))


def image_problem(src: str, alt: str, base: Path | None) -> str | None:
    """Return what is wrong with an image reference (alt text, place, file type, a link
    leading outside the project, size), or None."""
    if not alt.strip():
        return (f"the image '{src}' has no alt text; describe what it shows between the square "
                f"brackets, e.g. ![Staff at the Linnhaven day centre]({src})")
    if base is None or re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) or Path(src).is_absolute() \
            or ".." in Path(src).parts:
        return (f"the image '{src}' must be a file inside the project's content/ folder, "
                "written as a relative path such as images/photo.png")
    path = base / src
    if not path.is_file():
        return (f"the image file content/{src} does not exist; put the picture there or correct "
                "the path (it is relative to the content/ folder)")
    from ..paths import leads_outside, outside_message
    if leads_outside(path, base.parent):
        return outside_message(f"the image content/{src}")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not any(head.startswith(magic) for magic in IMAGE_TYPES):
        return f"the image content/{src} is not a PNG or JPEG file; save it as .png or .jpg"
    return _image_size_problem(path, f"content/{src}")


def project_image_problem(name: str, project: Path, setting: str) -> str | None:
    """Return what is wrong with a picture an apr.toml ``setting`` names (the cover's logo or
    picture): as for a narrative picture, a PNG or JPEG file inside the project, not too
    large; or None."""
    src = name.strip()
    if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) or Path(src).is_absolute() \
            or ".." in Path(src).parts:
        return (f"'{setting}' must name a file inside the project, written as a relative path "
                f"such as content/images/logo.png; found {src!r}")
    path = project / src
    if not path.is_file():
        return (f"'{setting}' names {src}, which does not exist in the project; put the "
                "picture there or correct the path")
    from ..paths import leads_outside, outside_message
    if leads_outside(path, project):
        return outside_message(f"the picture {src} ('{setting}')")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not any(head.startswith(magic) for magic in IMAGE_TYPES):
        return f"'{setting}': {src} is not a PNG or JPEG file; save it as .png or .jpg"
    return _image_size_problem(path, src)


def _image_size_problem(path: Path, shown: str) -> str | None:
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return (f"the image {shown} is {size // 1_000_000} MB; apr includes pictures of up to "
                f"{MAX_IMAGE_BYTES // 1_000_000} MB. Save a smaller copy (2000 pixels wide is "
                "plenty for a report)")
    from PIL import Image
    try:
        with open(path, "rb") as fh:
            head = fh.read(24)
        if head.startswith(b"\x89PNG") and head[12:16] == b"IHDR":   # the size, as stored
            width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
            if width * height > MAX_PIXELS:
                return _too_many_pixels(shown, width * height)
        with Image.open(path) as picture:      # reads the header only
            width, height = picture.size
            picture.verify()                   # a damaged file fails here, not in Word
    except Image.DecompressionBombError:
        return _too_many_pixels(shown, Image.MAX_IMAGE_PIXELS * 2)
    except Exception:  # noqa: BLE001 - a damaged picture: Pillow raises many kinds
        return (f"the image {shown} cannot be read as a picture (it may be damaged); open it "
                "and save it again as .png or .jpg")
    if width * height > MAX_PIXELS:
        return _too_many_pixels(shown, width * height)
    return None


def _too_many_pixels(shown: str, pixels: int) -> str:
    return (f"the image {shown} has {pixels / 1e6:,.0f} million pixels; apr includes pictures "
            f"of up to {MAX_PIXELS // 1_000_000} million. Save a smaller copy (2000 pixels wide "
            "is plenty for a report)")


def image_width_cm(data: bytes) -> float:
    """Return a PNG's width at 96 dpi in cm (at most the text width); JPEGs get the text width."""
    if data.startswith(b"\x89PNG") and len(data) >= 24:
        return min(MAX_WIDTH_CM, round(int.from_bytes(data[16:20], "big") / 96 * 2.54, 1))
    return MAX_WIDTH_CM


def _merge(runs: list[n.Run]) -> list[n.Run]:
    merged: list[n.Run] = []
    for r in runs:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].link) == (
                r.bold, r.italic, r.link):
            merged[-1] = n.Run(merged[-1].text + r.text, r.bold, r.italic, r.link)
        else:
            merged.append(r)
    return merged
