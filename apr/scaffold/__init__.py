"""``apr init``: create a new partnership project from the packaged example."""
from __future__ import annotations

import shutil
from pathlib import Path

from ..config import display_path
from ..findings import AprError, Findings

SOURCE = Path(__file__).resolve().parent / "project"


def create_project(directory: Path, name: str = "") -> list[Path]:
    """Copy the example project into ``directory`` (which must be new or empty); return files."""
    if directory.exists() and any(directory.iterdir()):
        findings = Findings()
        findings.error("init.not_empty", f"{display_path(directory)} already exists and is not "
                       "empty; choose a new folder name so nothing is overwritten",
                       display_path(directory))
        raise AprError(findings)
    name = name.strip() or "Anytown Health and Social Care Partnership"
    values = settings_for(name)
    written = []
    for src in sorted(SOURCE.rglob("*")):
        if src.is_dir() or "__pycache__" in src.parts:
            continue
        target = directory / src.relative_to(SOURCE)
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix == ".toml":
            text = src.read_text(encoding="utf-8")
            for key, value in values.items():
                text = text.replace("{" + key + "}", value if key == "lead_line"
                                    else _toml_text(value))
            target.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(src, target)
        written.append(target)
    return written


# Councils whose name is not "<area> Council" (the catalogue names partnerships by area).
COUNCILS = {"Highland": "The Highland Council", "Clackmannanshire and Stirling":
            "Clackmannanshire Council and Stirling Council", "Western Isles":
            "Comhairle nan Eilean Siar", "Orkney Islands": "Orkney Islands Council",
            "Shetland Islands": "Shetland Islands Council", "Glasgow City": "Glasgow City Council",
            "Edinburgh": "The City of Edinburgh Council", "Aberdeen City": "Aberdeen City Council",
            "Dundee City": "Dundee City Council"}


def settings_for(name: str) -> dict[str, str]:
    """Return the values apr init writes into apr.toml for a partnership called NAME: from the
    catalogue of the 31 partnerships where it is one of them (code, health board, council and,
    for Highland, the lead agency model), else the Anytown-style defaults."""
    from ..catalogue import find_partnership
    short = name.replace("Health and Social Care Partnership", "").strip() or name
    known = find_partnership(short) or find_partnership(name)
    if known is not None and known.is_scotland:
        known = None
    area = known.name if known else short
    values = {"name": name, "short_name": area if known else short, "code": known.code if known
              else "", "model": known.model if known else "ijb",
              "council": COUNCILS.get(area, f"{area} Council"),
              "health_board": f"NHS {known.health_board}" if known else f"NHS {short}",
              "authority": f"{area} Integration Joint Board", "lead_line": "",
              "board_meeting": f"{area} Integration Joint Board"}
    if values["model"] == "lead_agency":
        # Highland: NHS Highland is the lead agency for adult services; the joint monitoring
        # committee receives the report (s.42(5)); no Integration Joint Board exists
        values.update(authority=values["health_board"],
                      board_meeting=f"{area} Joint Monitoring Committee",
                      lead_line='\nlead = "health_board"                  # which body is the '
                                'lead agency: "health_board" or "council"')
    return values


def _toml_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
