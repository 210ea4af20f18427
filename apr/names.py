"""Names from apr.toml (the partnership's, its bodies', its localities'): short and printable.

Names appear on the cover, in headings, in running text, on charts and in the Word file's
properties (which hold at most 255 characters). Any character is shown as typed, Markdown,
XML and LaTeX specials included (templates escape them; see docs/bad-input.md), but a name
must be one line of printable text, and of a length a name has: the longest Scottish
partnership, body and locality names are well under 60 characters.
"""
from __future__ import annotations

from .findings import Findings

NAME_MAX = 100          # a partnership, body, person, meeting or locality name
TEXT_MAX = 150          # the report's author line

PARTNERSHIP = ("name", "short_name", "authority", "council", "health_board", "chief_officer",
               "chair")
REPORT = ("board_meeting",)


def check_names(config, findings: Findings) -> None:
    """Add an error for each name in apr.toml that is too long or not printable text."""
    file = config.config_file
    named = [(f"partnership.{key}", getattr(config, key, ""), NAME_MAX) for key in PARTNERSHIP]
    named += [(f"report.{key}", getattr(config, key, ""), NAME_MAX) for key in REPORT]
    named.append(("report.author", getattr(config, "author", ""), TEXT_MAX))
    named += [("localities", loc.name, NAME_MAX) for loc in getattr(config, "localities", [])]
    named += [("finance.service_lines", name, NAME_MAX)
              for name in getattr(config, "service_lines", {})]
    line_of = getattr(config, "setting_line", lambda setting: None)
    for setting, value, longest in named:
        if not isinstance(value, str) or not value:
            continue
        line = line_of(setting) if setting.count(".") == 1 else None
        shown = value[:40] + ("..." if len(value) > 40 else "")
        bad = sorted({f"U+{ord(c):04X}" for c in value if not c.isprintable()})
        if bad:
            printable = "".join(c if c.isprintable() else "?" for c in shown)
            findings.error("names.control_character", f"the name '{printable}' "
                           f"holds characters that cannot be printed ({', '.join(bad[:3])}: a "
                           "line break, tab or control character, often pasted from another "
                           "program); retype it on one line", file, line, setting)
        elif len(value) > longest:
            findings.error("names.too_long", f"the name '{shown}' is {len(value):,} characters "
                           f"long; apr takes names of up to {longest} (it is printed on the "
                           "cover, in headings and on charts); use the name as it is normally "
                           "written", file, line, setting)
