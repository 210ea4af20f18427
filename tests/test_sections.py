"""The catalogue of report sections (apr/catalogue/sections.toml), the templates' anchors and
apr/compliance/requirements.toml agree: a section added, renamed or moved in one and not the
others fails here, before it can quietly flip a statutory check."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from apr.catalogue.sections import narrative_key, section, sections, sections_meeting
from apr.compliance import anchors, requirements
from apr.document import nodes as n

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "templates"
# the other documents: their headings are not sections of the report
OTHER_DOCUMENTS = {"summary.md.j2", "board_paper.md.j2"}
HEADING = re.compile(r"^#{1,4} .*\{ #(?P<anchor>.+?) \}\s*$", re.MULTILINE)
EXPRESSION = re.compile(r"\{\{.*?\}\}")
# requirements that no section of the report meets: dates, process items, the whole report
WITHOUT_SECTION = {"s42.4.a", "guidance.annexA.1", "guidance.annexA.2", "guidance.annexA.3",
                   "guidance.2.1"}


def template_anchors() -> dict[str, str]:
    """Return {anchor: template} for every heading the report's templates write, with the part
    a template fills in per item ("{{ loc.slug }}") written "*"."""
    found: dict[str, str] = {}
    for path in sorted(TEMPLATES.glob("*.md.j2")):
        if path.name in OTHER_DOCUMENTS:
            continue
        for m in HEADING.finditer(path.read_text(encoding="utf-8")):
            found[EXPRESSION.sub("*", m["anchor"])] = path.name
    return found


def test_every_template_anchor_is_a_catalogued_section_and_back():
    catalogued = {s.id: s.template for s in sections()}
    assert template_anchors() == catalogued


def test_section_ids_are_unique():
    ids = [s.id for s in sections()]
    assert len(ids) == len(set(ids))


def test_every_requirement_of_a_section_is_in_requirements_toml():
    known = {r.id for r in requirements()}
    for s in sections():
        assert set(s.requirements) <= known, f"section {s.id} names an unknown requirement"


def test_every_requirement_has_its_sections_unless_no_section_can_meet_it():
    without = {r.id for r in requirements() if not r.sections}
    assert without == WITHOUT_SECTION


def test_a_requirement_reads_its_sections_from_the_catalogue():
    for req in requirements():
        assert req.sections == sections_meeting(req.id)


def test_the_catalogue_is_in_the_order_of_the_report(built_sample):
    """The sections of a requirement are named in report order (the appendix lists them so)."""
    document = built_sample.result.document
    order = [section(h.id) for h in document.blocks if isinstance(h, n.Heading)]
    positions = [sections().index(s) for s in order if s is not None]
    assert positions == sorted(positions)


@pytest.mark.parametrize("item", [s for s in sections() if s.narrative], ids=lambda s: s.id)
def test_a_sections_narrative_is_the_one_its_template_inserts(item):
    text = (TEMPLATES / item.template).read_text(encoding="utf-8")
    literal = item.narrative.split("*")[0]
    assert f'narrative("{literal}' in text


def test_narrative_keys_of_per_item_sections():
    assert narrative_key("outcome-3") == "outcomes/outcome-3"
    assert narrative_key("locality-north-coast") == "localities/north-coast"
    assert narrative_key("joint-monitoring-committee") == "lead_agency"
    assert narrative_key("inspections") is None   # an overview: the table meets reg7
    assert narrative_key("delegated-services") is None


def test_outcome_and_locality_sections_expand_per_item(built_sample):
    analysis = built_sample.result.analysis
    reg3 = next(r for r in requirements() if r.id == "reg3.a.i")
    assert anchors(reg3, analysis) == [f"outcome-{i}" for i in range(1, 10)]
    reg6 = next(r for r in requirements() if r.id == "reg6.a")
    assert anchors(reg6, analysis) == ["localities"] + [f"locality-{loc.slug}"
                                                         for loc in analysis.localities]
