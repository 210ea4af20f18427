"""The partnership's look on the web: accent colour, header and footer links, the project's own
stylesheet, and the heading colour and font of the Word reference document.

apr.toml ``[report] accent_colour``, ``header_links`` and ``footer_links`` are checked when
apr.toml is read (``check_brand``: a colour that is not ``#rrggbb``, or that fails WCAG AA
contrast on white, and a link not written ``[text](address)`` are located errors). A project's
``styles/*.css`` files (beside ``templates/``) follow apr's stylesheet in every web page, in
name order; one holding ``</style`` is an error naming the file and line.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LINK = re.compile(r"^\[([^\]\n]+)\]\((\S+)\)$")
SAFE_ADDRESS = re.compile(r"^(https?://|mailto:|tel:|/|\.{0,2}/|#)|^[^:]*$", re.IGNORECASE)
AA_TEXT = 4.5
STYLES_FOLDER = "styles"


def contrast(colour: str, background: str = "#ffffff") -> float:
    """Return the WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(colour), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colour_problem(value: str, setting: str) -> str:
    """Return why ``value`` cannot be the accent colour ("" when it can)."""
    if not COLOUR.match(value.strip()):
        return (f"'{setting}' must be a colour written #rrggbb, such as \"#12436d\"; "
                f"found {value[:40]!r}")
    ratio = contrast(value.strip())
    if ratio < AA_TEXT:
        return (f"'{setting}' {value.strip()} has a contrast of {ratio:.1f}:1 on white; WCAG AA "
                f"needs {AA_TEXT}:1 for text. Choose a darker shade")
    return ""


def parse_link(value: str) -> tuple[str, str] | None:
    """Return (text, address) from "[text](address)", or None when it is not written so or
    the address is not a web, mail or relative address."""
    found = LINK.match(value.strip())
    if not found or not SAFE_ADDRESS.match(found.group(2)):
        return None
    return found.group(1).strip(), found.group(2)


def link_problem(value: str, setting: str) -> str:
    if parse_link(value) is not None:
        return ""
    return (f"'{setting}' items are written \"[text](address)\", such as "
            f"\"[Contact us](https://www.example.org/contact)\", with a web (https://), mail "
            f"(mailto:) or relative address; found {value[:60]!r}")


def project_stylesheet(project_dir: Path) -> tuple[str, list[tuple[str, int, str]]]:
    """Return the project's styles/*.css joined in name order, and its problems as (file,
    line, message)."""
    folder = project_dir / STYLES_FOLDER
    if not folder.is_dir():
        return "", []
    parts, problems = [], []
    for path in sorted(folder.glob("*.css")):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append((path.name, 1, f"could not be read as UTF-8 text ({exc})"))
            continue
        at = text.lower().find("</style")
        if at >= 0:
            problems.append((path.name, text.count("\n", 0, at) + 1, "contains '</style', which "
                             "would end the page's styles early; remove it"))
            continue
        parts.append(f"\n/* {path.name} (the project's own stylesheet) */\n{text}")
    return "".join(parts), problems


def reference_look(path: Path) -> dict[str, str]:
    """Return the heading colour and body font of a Word reference document (Heading 1's
    colour and the Normal or default font), for the web page to match; a heading colour that
    fails AA contrast on white is left out (apr's navy stays)."""
    try:
        with zipfile.ZipFile(path) as docx:
            styles = docx.read("word/styles.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return {}
    look: dict[str, str] = {}
    heading = re.search(r'w:styleId="Heading1".*?</w:style>', styles, re.S)
    colour = heading and re.search(r'<w:color w:val="([0-9A-Fa-f]{6})"', heading.group(0))
    if colour and contrast(f"#{colour.group(1)}") >= AA_TEXT:
        look["heading_colour"] = f"#{colour.group(1).lower()}"
    font = re.search(r'<w:rFonts [^>]*w:ascii="([^"]+)"', styles)
    if font and re.fullmatch(r"[\w .-]+", font.group(1)):
        look["font"] = f'"{font.group(1)}", Arial, sans-serif'
    return look
