"""Inspections: the inspecting body in the sector's own words, grades and the good-or-better
summary."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Inspection

CARE_INSPECTORATE = "Care Inspectorate"
HIS = "Healthcare Improvement Scotland"
JOINT = "Joint"
OTHER = "Other"
BODIES = (CARE_INSPECTORATE, HIS, JOINT, OTHER)
GRADE_WORDS = {6: "Excellent", 5: "Very good", 4: "Good", 3: "Adequate", 2: "Weak",
               1: "Unsatisfactory"}
GOOD = 4

_CI_WORDS = ("care inspectorate", "social care and social work improvement scotland")
_HIS_WORDS = ("healthcare improvement scotland", "health care improvement scotland",
              "health improvement scotland")


def normalise_body(text: str) -> str:
    """Return Care Inspectorate, Healthcare Improvement Scotland, Joint or Other for a body
    written any common way: "CI", "HIS", "Care Inspectorate and HIS" (joint)."""
    low = " ".join(re.findall(r"[a-z]+", text.lower()))
    words = set(low.split())
    ci = any(w in low for w in _CI_WORDS) or bool(words & {"ci", "scswis"})
    his = any(w in low for w in _HIS_WORDS) or bool(words & {"his", "hcis"})
    if "joint" in words or (ci and his):
        return JOINT
    if ci:
        return CARE_INSPECTORATE
    if his:
        return HIS
    return OTHER


def body_label(inspection: Inspection) -> str:
    """Return the body as the report shows it: "Other (Mental Welfare Commission)"."""
    detail = inspection.body_detail.strip()
    if inspection.body == OTHER and detail and detail.lower() != "other":
        return f"Other ({detail})"
    return inspection.body


def good_or_better(inspection: Inspection) -> bool:
    """True when every graded key question is Good (4) or better; False if not graded."""
    return bool(inspection.grades) and min(inspection.grades.values()) >= GOOD


def grade_text(grade: int) -> str:
    """Return "4 (Good)"."""
    return f"{grade} ({GRADE_WORDS[grade]})"


@dataclass
class InspectionSummary:
    """Counts for the summary sentence: reports, graded services, good or better, and the
    requirements and recommendations made."""

    reports: int
    graded: int
    good_or_better: int
    requirements: int
    recommendations: int
    by_body: dict[str, int]


def summarise(inspections: list[Inspection]) -> InspectionSummary:
    """Return the counts over the year's inspections."""
    by_body = {b: sum(1 for i in inspections if i.body == b) for b in BODIES}
    return InspectionSummary(
        len(inspections), sum(1 for i in inspections if i.grades),
        sum(1 for i in inspections if good_or_better(i)),
        sum(i.requirements or 0 for i in inspections),
        sum(i.recommendations or 0 for i in inspections),
        {b: n for b, n in by_body.items() if n})
