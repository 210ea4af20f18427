"""The Ministerial Strategic Group (MSG) indicators: the catalogue in ``msg.toml``."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class MsgIndicator:
    """One MSG indicator: what it counts, its unit and which way is better."""

    code: str
    title: str
    subject: str          # how a sentence names it: "the number of emergency admissions"
    short_title: str
    unit: str
    unit_short: str
    decimals: int
    higher_is_better: bool | None
    definition: str
    source: str
    plausible: tuple[float, float] | None = None

    @property
    def is_percent(self) -> bool:
        return self.unit_short == "%"


@cache
def msg_indicators() -> dict[str, MsgIndicator]:
    """Return the MSG indicators in catalogue order, keyed by code ("MSG-1a")."""
    from . import _load
    result = {}
    for code, item in _load("msg.toml").items():
        low_high = item.get("plausible")
        result[code] = MsgIndicator(code, item["title"], item["subject"], item["short_title"],
                                    item["unit"], item["unit_short"], item["decimals"],
                                    item.get("higher_is_better"), item["definition"],
                                    item["source"], tuple(low_high) if low_high else None)
    return result


_CODE = re.compile(r"^\s*(?:msg)?\s*[-_ ]?\s*(?:indicator\s*)?([1-6])\s*([abc]?)\s*$",
                   re.IGNORECASE)
_BARE = {"MSG-1": "MSG-1a", "MSG-3": "MSG-3a"}


def msg_code(text: str) -> str | None:
    """Return the catalogue code for "MSG-1a", "msg 2b", "1a", "1", "3" (attendances), or None."""
    m = _CODE.match(str(text or ""))
    if not m:
        return None
    code = f"MSG-{m.group(1)}{m.group(2).lower()}"
    code = _BARE.get(code, code)
    return code if code in msg_indicators() else None
