"""The private internals of other libraries that apr relies on are all still there
(apr/internals.py lists them), and the Jinja template global apr reads is still set."""
from __future__ import annotations

from jinja2 import Environment

from apr.internals import JINJA_TEMPLATE_GLOBAL, missing


def test_every_listed_internal_exists_in_the_installed_libraries():
    assert missing() == []


def test_jinja_still_marks_compiled_templates_with_their_template():
    template = Environment().from_string("{{ probe() }}")
    seen = []

    def probe():
        import sys
        frame = sys._getframe(1)
        while frame is not None and JINJA_TEMPLATE_GLOBAL not in frame.f_globals:
            frame = frame.f_back
        seen.append(frame.f_globals[JINJA_TEMPLATE_GLOBAL] if frame else None)
        return ""

    template.render(probe=probe)
    assert seen == [template]


def test_a_missing_internal_is_named_with_where_it_is_used(monkeypatch):
    import apr.internals as internals
    fake = internals.Internal("jinja2", "jinja2.utils", "NoSuchThing", "apr/example.py",
                              "something breaks")
    monkeypatch.setattr(internals, "INTERNALS", (fake,))
    assert internals.missing() == ["jinja2: jinja2.utils.NoSuchThing (used in apr/example.py; "
                                   "without it something breaks)"]
