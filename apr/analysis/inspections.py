"""Inspections: the inspecting body in the sector's own words, grades and the good-or-better
summary."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Inspection
from ..wording import count

CARE_INSPECTORATE = "Care Inspectorate"
HIS = "Healthcare Improvement Scotland"
JOINT = "Joint"
OTHER = "Other"
BODIES = (CARE_INSPECTORATE, HIS, JOINT, OTHER)
GRADE_WORDS = {6: "Excellent", 5: "Very good", 4: "Good", 3: "Adequate", 2: "Weak",
               1: "Unsatisfactory"}
GOOD = 4
# What each body calls its findings short of a requirement (singular, plural): the Care
# Inspectorate makes requirements and areas for improvement, Healthcare Improvement Scotland
# requirements and recommendations (facts.md, item 27). A joint inspection or another body
# (e.g. the Mental Welfare Commission) is counted as making recommendations.
IMPROVEMENT_TERMS = {CARE_INSPECTORATE: ("area for improvement", "areas for improvement"),
                     HIS: ("recommendation", "recommendations"),
                     JOINT: ("recommendation", "recommendations"),
                     OTHER: ("recommendation", "recommendations")}

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


def improvement_term(body: str, n: int = 2) -> str:
    """Return what ``body`` calls its findings short of a requirement, singular for n == 1:
    "areas for improvement" (Care Inspectorate), "recommendations" (the others)."""
    one, many = IMPROVEMENT_TERMS.get(body, IMPROVEMENT_TERMS[OTHER])
    return one if n == 1 else many


def improvement_header(inspections: list[Inspection]) -> str:
    """Return the inspections table's column heading for the bodies present: "Areas for
    improvement", "Recommendations" or "Areas for improvement or recommendations"."""
    terms = sorted({improvement_term(i.body) for i in inspections}) or ["recommendations"]
    text = " or ".join(terms)
    return text[0].upper() + text[1:]


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
    recommendations: int        # by Healthcare Improvement Scotland, joint or other bodies
    by_body: dict[str, int]
    areas_for_improvement: int = 0   # by the Care Inspectorate

    @property
    def made(self) -> str:
        """Return what the inspections made, in each body's words: "7 requirements, 9 areas
        for improvement and 2 recommendations" (a term only where a body that uses it
        inspected)."""
        parts = [_count(self.requirements, "requirement", "requirements")]
        if CARE_INSPECTORATE in self.by_body:
            parts.append(_count(self.areas_for_improvement, *IMPROVEMENT_TERMS[CARE_INSPECTORATE]))
        if set(self.by_body) - {CARE_INSPECTORATE}:
            parts.append(_count(self.recommendations, "recommendation", "recommendations"))
        return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def _count(n: int, one: str, many: str) -> str:
    return count(n, one, many)


def summarise(inspections: list[Inspection]) -> InspectionSummary:
    """Return the counts over the year's inspections."""
    by_body = {b: sum(1 for i in inspections if i.body == b) for b in BODIES}
    return InspectionSummary(
        len(inspections), sum(1 for i in inspections if i.grades),
        sum(1 for i in inspections if good_or_better(i)),
        sum(i.requirements or 0 for i in inspections),
        sum(i.recommendations or 0 for i in inspections if i.body != CARE_INSPECTORATE),
        {b: n for b, n in by_body.items() if n},
        sum(i.recommendations or 0 for i in inspections if i.body == CARE_INSPECTORATE))
