"""Golden files of the sample's rendered text: the report (Word and HTML), its public summary
and its board paper, each read back as lines (headings, paragraphs, table rows, alt text; see
tests/rendered_text.py) and compared with tests/golden/<name>.txt.

A change in wording, numbers or order fails here with a unified diff; when the change is meant,
regenerate every golden file with one command and review the diff in git:

    python -m pytest tests/test_golden.py --update-golden
"""
from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.conftest import copy_sample
from tests.test_wording import outputs

GOLDEN = Path(__file__).parent / "golden"
FILES = {"report.docx": "sample-report.docx.txt", "report.html": "sample-report.html.txt",
         "summary.docx": "sample-summary.docx.txt",
         "board-paper.docx": "sample-board-paper.docx.txt"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, list[str]]:
    return outputs(copy_sample(tmp_path_factory.mktemp("golden") / "sample"))


@pytest.mark.parametrize("kind", sorted(FILES))
def test_rendered_text_matches_the_golden_file(kind, rendered, request):
    golden = GOLDEN / FILES[kind]
    text = "\n".join(rendered[kind]) + "\n"
    if request.config.update_golden:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
        return
    assert golden.exists(), (f"no golden file {golden.name}: create it with "
                             "python -m pytest tests/test_golden.py --update-golden")
    expected = golden.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(expected.splitlines(), text.splitlines(),
                                    f"golden/{golden.name}", f"built {kind}", lineterm="", n=1)
        pytest.fail(f"{kind} differs from its golden file (if the change is meant, run "
                    "python -m pytest tests/test_golden.py --update-golden and review the "
                    "diff):\n" + "\n".join(diff), pytrace=False)
