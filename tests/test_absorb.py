"""apr absorb: edits made in Word to a draft apr wrote come back into content/*.md.

The drafts are edited as Word edits them: raw OOXML with lxml (runs split, w:ins and w:del
with authors and dates, comments in word/comments.xml with commentRangeStart/End, paragraphs
moved, deleted and typed), and re-saved by LibreOffice.
"""
from __future__ import annotations

import copy
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import etree

from apr.absorb.marks import Marks
from apr.absorb.reader import read_draft
from apr.cli import main
from apr.config import display_path
from tests.conftest import copy_sample

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSMAP = {"w": W}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def run_apr(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = copy_sample(tmp_path_factory.mktemp("absorb") / "project")
    result = run_apr("build", "--project", str(project), "--year", "2023", "--format", "docx")
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "project"))


def draft_of(project: Path) -> Path:
    return next((project / "output").glob("*.docx"))


class Edited:
    """A draft's document.xml opened for editing, saved to a new .docx."""

    def __init__(self, path: Path):
        self.path = path
        with zipfile.ZipFile(path) as z:
            self.items = {n: z.read(n) for n in z.namelist()}
        self.root = etree.fromstring(self.items["word/document.xml"])
        self.marks = read_draft(path).marks

    def para(self, file: str, line: int):
        """Return the w:p of the narrative paragraph at FILE (content/FILE.md) and LINE."""
        name = next(m.name for m in self.marks.marks.values()
                    if m.file == file and m.first == line)
        start = self.root.find(f".//w:bookmarkStart[@w:name='{name}']", NSMAP)
        return start.getparent()

    def generated(self, text_start: str):
        for mark in self.marks.marks.values():
            if mark.kind == "generated":
                start = self.root.find(f".//w:bookmarkStart[@w:name='{mark.name}']", NSMAP)
                p = start.getparent()
                if text(p).startswith(text_start):
                    return p
        raise AssertionError(text_start)

    def save(self, target: Path, comments: bytes | None = None) -> Path:
        self.items["word/document.xml"] = etree.tostring(self.root, xml_declaration=True,
                                                         encoding="UTF-8", standalone=True)
        if comments is not None:
            self.items["word/comments.xml"] = comments
            self._relate_comments()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in self.items.items():
                z.writestr(name, data)
        return target

    def _relate_comments(self) -> None:
        types = self.items["[Content_Types].xml"].decode()
        types = types.replace("</Types>", '<Override PartName="/word/comments.xml" ContentType='
                              '"application/vnd.openxmlformats-officedocument.wordprocessingml.'
                              'comments+xml"/></Types>')
        self.items["[Content_Types].xml"] = types.encode()
        rels = self.items["word/_rels/document.xml.rels"].decode()
        rels = rels.replace("</Relationships>", '<Relationship Id="rIdAbsorbC1" Type="http://'
                            'schemas.openxmlformats.org/officeDocument/2006/relationships/'
                            'comments" Target="comments.xml"/></Relationships>')
        self.items["word/_rels/document.xml.rels"] = rels.encode()


def text(p) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")))


def set_runs(p, *pieces: str) -> None:
    """Replace a paragraph's runs by plain runs with PIECES (Word splits runs like this)."""
    for r in p.findall(w("r")):
        p.remove(r)
    end = p.findall(w("bookmarkEnd"))[-1]
    for piece in pieces:
        end.addprevious(run(piece))


def run(value: str, tag: str = "t"):
    r = etree.Element(w("r"))
    t = etree.SubElement(r, w(tag))
    t.text = value
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def tracked(kind: str, value: str, author: str, date: str, ident: int):
    change = etree.Element(w(kind))
    change.set(w("id"), str(ident))
    change.set(w("author"), author)
    change.set(w("date"), date)
    change.append(run(value, "delText" if kind == "del" else "t"))
    return change


def printed(where: str, severity: str, message: str, code: str) -> str:
    """Return a finding as apr prints it (its first line, then the rest indented)."""
    from apr.findings import Finding, Location, finding_lines
    return "\n".join(finding_lines(Finding(code, severity, message, Location(where))))


def lines_of(project: Path, name: str) -> list[str]:
    return (project / "content" / f"{name}.md").read_text(encoding="utf-8").split("\n")


def absorb(project: Path, draft: Path, *extra: str):
    return run_apr("absorb", str(draft), "--project", str(project), *extra)


def shown(project: Path, name: str) -> str:
    return display_path(project / "content" / f"{name}.md")


# -- the marks ------------------------------------------------------------------------------


def test_every_narrative_paragraph_is_marked_with_its_file_lines_and_hash(built):
    draft = read_draft(draft_of(built))
    lines = lines_of(built, "foreword")
    marked = sorted((m.first, m.last) for m in draft.marks.marks.values()
                    if m.file == "foreword")
    non_blank = [i for i, line in enumerate(lines, start=1) if line.strip()]
    assert [first for first, _ in marked] == non_blank
    paras = {m: p for p in draft.paras for m in p.marks}
    for mark in draft.marks.marks.values():
        if mark.file == "foreword":
            assert paras[mark.name].text(True) == mark.text
            source = "\n".join(lines[mark.first - 1:mark.last])
            assert source.replace("**", "").lstrip("- ") == mark.text


def test_an_unedited_draft_changes_nothing(project):
    result = absorb(project, draft_of(project))
    assert result.exit_code == 0
    assert result.output == "absorb: no narrative text changed in the draft; nothing to write.\n"


# -- plain edits ------------------------------------------------------------------------------


def test_a_word_changed_in_split_runs_comes_back_to_its_line(project, tmp_path):
    edited = Edited(draft_of(project))
    before = lines_of(project, "foreword")
    old = text(edited.para("foreword", 3))
    new = old.replace("another demanding year", "another very demanding year")
    cut = new.index("very")
    set_runs(edited.para("foreword", 3), new[:cut - 2], new[cut - 2:cut + 2], new[cut + 2:])
    result = absorb(project, edited.save(tmp_path / "r.docx"), "--yes")
    assert result.exit_code == 0, result.output
    expected = list(before)
    expected[2] = before[2].replace("another demanding year", "another very demanding year")
    assert lines_of(project, "foreword") == expected
    name = shown(project, "foreword")
    assert f"--- {name}\n+++ {name}\n@@ " in result.output
    assert f"-{before[2]}\n+{expected[2]}\n" in result.output
    assert result.output.endswith(f"wrote {name}\n")


def test_bold_around_an_edit_is_kept(project, tmp_path):
    edited = Edited(draft_of(project))
    before = lines_of(project, "foreword")
    p = edited.para("foreword", 7)
    assert before[6].startswith("- **Home First** reablement now reaches every locality")
    runs = p.findall(w("r"))
    last = runs[-1].find(w("t"))
    last.text = last.text.replace("every locality", "all four localities")
    assert absorb(project, edited.save(tmp_path / "r.docx"), "--yes").exit_code == 0
    assert lines_of(project, "foreword")[6] == before[6].replace("every locality",
                                                                 "all four localities")


def test_without_a_terminal_nothing_is_written_unless_yes(project, tmp_path):
    edited = Edited(draft_of(project))
    before = lines_of(project, "foreword")
    set_runs(edited.para("foreword", 1), "Welcome.")
    result = absorb(project, edited.save(tmp_path / "r.docx"))
    assert result.exit_code == 1
    assert ("absorb: nothing written: there is no terminal to ask whether to change 1 file; "
            "run again with --yes to write them.\n") in result.output
    assert lines_of(project, "foreword") == before


def test_a_file_changed_since_the_build_stops_everything(project, tmp_path):
    edited = Edited(draft_of(project))
    set_runs(edited.para("foreword", 1), "Welcome.")
    set_runs(edited.para("outcomes/outcome-1", 1), "Outcome one, rewritten.")
    path = project / "content" / "foreword.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nAdded after the build.\n",
                    encoding="utf-8")
    other = lines_of(project, "outcomes/outcome-1")
    result = absorb(project, edited.save(tmp_path / "r.docx"), "--yes")
    assert result.exit_code == 1
    assert printed(display_path(path), "error", "this file changed after the draft was built, "
                   "so the edits made in Word may no longer fit it; build the draft again, or "
                   "carry the edits by hand", "absorb.file_changed") in result.output
    assert "apr: stopped with 1 error, 1 warning; nothing was written." in result.output
    assert lines_of(project, "outcomes/outcome-1") == other
    assert path.read_text(encoding="utf-8").endswith("Added after the build.\n")


# -- tracked changes and comments --------------------------------------------------------------


def tracked_draft(project: Path, tmp_path: Path) -> tuple[Path, str]:
    edited = Edited(draft_of(project))
    p = edited.para("foreword", 17)
    first = p.findall(w("r"))[0]
    t = first.find(w("t"))
    assert t.text.startswith("We would like to thank our staff, ")
    rest = t.text[len("We would like to thank "):]
    t.text = "We would like to thank "
    first.addnext(run(rest))
    first.addnext(tracked("ins", "warmly ", "Jane Reviewer", "2024-05-02T10:00:00Z", 901))
    return edited.save(tmp_path / "tracked.docx"), "warmly "


def test_pending_tracked_changes_are_listed_not_carried(project, tmp_path):
    draft, _ = tracked_draft(project, tmp_path)
    before = lines_of(project, "foreword")
    result = absorb(project, draft, "--yes")
    assert result.exit_code == 0, result.output
    assert (f"tracked changes still pending (1):\n  {shown(project, 'foreword')}:13: Jane "
            "Reviewer, 2024-05-02 inserted 'warmly ' (not carried: accept or reject it in "
            "Word, or absorb with --accept-changes)\n").replace(":13:", ":17:") in result.output
    assert lines_of(project, "foreword") == before


def test_accept_changes_carries_insertions_and_deletions(project, tmp_path):
    draft, _ = tracked_draft(project, tmp_path)
    edited = Edited(draft)
    p = edited.para("foreword", 15)
    t = p.findall(w("r"))[0].find(w("t"))
    assert "didn't" not in t.text and " also " in t.text
    head, tail = t.text.split(" also ", 1)
    t.text = head + " "
    t.getparent().addnext(run(tail))
    t.getparent().addnext(tracked("del", "also ", "Ann Board", "2024-05-03T09:00:00Z", 902))
    before = lines_of(project, "foreword")
    result = absorb(project, edited.save(tmp_path / "both.docx"), "--yes", "--accept-changes")
    assert result.exit_code == 0, result.output
    expected = list(before)
    expected[16] = before[16].replace("thank our staff", "thank warmly our staff")
    expected[14] = before[14].replace(" also ", " ", 1)
    assert lines_of(project, "foreword") == expected
    assert "Ann Board, 2024-05-03 deleted 'also ' (carried as accepted)" in result.output


def test_comments_are_listed_with_author_and_place(project, tmp_path):
    edited = Edited(draft_of(project))
    p = edited.para("outcomes/outcome-2", 1)
    start = etree.SubElement(p, w("commentRangeStart"))
    start.set(w("id"), "7")
    p.insert(1, start)
    end = etree.SubElement(p, w("commentRangeEnd"))
    end.set(w("id"), "7")
    comments = (f'<w:comments xmlns:w="{W}"><w:comment w:id="7" w:author="Ann Board" '
                'w:date="2024-05-03T09:00:00Z" w:initials="AB"><w:p><w:r><w:t>Can we say how '
                'many people?</w:t></w:r></w:p></w:comment></w:comments>').encode()
    general = edited.generated("Of the core integration indicators")
    start2 = copy.deepcopy(start)
    start2.set(w("id"), "8")
    general.insert(1, start2)
    comments = comments.replace(b"</w:comments>", b'<w:comment w:id="8" w:author="Iain D" '
                                b'w:date="2024-05-04T09:00:00Z"><w:p><w:r><w:t>Is this right?'
                                b"</w:t></w:r></w:p></w:comment></w:comments>")
    result = absorb(project, edited.save(tmp_path / "c.docx", comments), "--yes")
    assert result.exit_code == 0, result.output
    assert ("comments (2):\n  the draft, under the heading '2023/24 at a glance': comment by "
            "Iain D, 2024-05-04: Is this right?\n"
            f"  {shown(project, 'outcomes/outcome-2')}:1: comment by Ann Board, 2024-05-03: "
            "Can we say how many people?\n") in result.output


# -- paragraphs deleted, moved, typed -----------------------------------------------------------


def test_paragraphs_deleted_moved_and_typed_in_word(project, tmp_path):
    edited = Edited(draft_of(project))
    before = lines_of(project, "foreword")
    gone = edited.para("foreword", 13)
    gone.getparent().remove(gone)
    moved = edited.para("foreword", 17)
    first = edited.para("foreword", 1)
    first.addnext(moved)                  # cut and pasted after the first paragraph
    typed = copy.deepcopy(edited.para("foreword", 3))
    for el in typed.findall(w("bookmarkStart")) + typed.findall(w("bookmarkEnd")):
        typed.remove(el)
    for r in typed.findall(w("r")):
        typed.remove(r)
    typed.append(run("A paragraph typed in Word."))
    edited.para("foreword", 3).addnext(typed)
    result = absorb(project, edited.save(tmp_path / "m.docx"), "--yes")
    assert result.exit_code == 0, result.output
    expected = ([before[0], "", before[16], "", before[2], "", "A paragraph typed in Word."]
                + before[3:12] + before[14:16] + before[18:])
    assert lines_of(project, "foreword") == expected


def test_a_paragraph_moved_into_another_section_moves_file(project, tmp_path):
    edited = Edited(draft_of(project))
    moved = edited.para("foreword", 13)
    target = edited.para("looking_ahead", 1)
    target.addnext(moved)
    foreword, ahead = lines_of(project, "foreword"), lines_of(project, "looking_ahead")
    result = absorb(project, edited.save(tmp_path / "x.docx"), "--yes")
    assert result.exit_code == 0, result.output
    assert lines_of(project, "foreword") == foreword[:12] + foreword[14:]
    assert lines_of(project, "looking_ahead") == [ahead[0], "", foreword[12], *ahead[1:]]


# -- generated text --------------------------------------------------------------------------


def test_an_edit_to_generated_text_says_what_to_change_instead(project, tmp_path):
    edited = Edited(draft_of(project))
    p = edited.generated("Since the previous figure")
    old = text(p)
    set_runs(p, old.replace("improved", "got better"))
    before = {f: f.read_bytes() for f in (project / "content").rglob("*.md")}
    result = absorb(project, edited.save(tmp_path / "g.docx"), "--yes")
    assert result.exit_code == 0, result.output
    assert printed("the draft, under the heading '2023/24 at a glance'", "warning",
                   f"this paragraph was edited in Word; it now reads "
                   f"'{old.replace('improved', 'got better')}', but it is generated by the "
                   "template at_a_glance.md.j2 from the project's data and apr.toml, not "
                   "narrative, so absorb does not carry it back; change the data or setting it "
                   "is made from, or the wording in at_a_glance.md.j2 (`apr templates eject` "
                   "copies apr's template into your project)", "absorb.generated_edit"
                   ) in result.output
    assert {f: f.read_bytes() for f in (project / "content").rglob("*.md")} == before


# -- what is not a draft ---------------------------------------------------------------------


def test_a_word_file_apr_did_not_write_is_refused(project, tmp_path):
    plain = tmp_path / "plain.docx"
    docx.Document().save(plain)
    result = absorb(project, plain, "--yes")
    assert result.exit_code == 1
    assert printed(display_path(plain), "error", "this Word file has none of the marks apr "
                   "puts in its drafts (it was not built by apr, by an apr without `apr "
                   "absorb`, or saved in a format that drops them, such as .doc or .odt); build "
                   "the draft again with `apr build` and make the edits in that file",
                   "absorb.no_marks") in result.output


# -- round trips ------------------------------------------------------------------------------


def test_marks_survive_a_libreoffice_resave_and_the_edit_comes_back(project, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    edited = Edited(draft_of(project))
    before = lines_of(project, "outcomes/outcome-3")
    p = edited.para("outcomes/outcome-3", 1)
    plain = next(t for t in p.iter(w("t")) if re.search(r"\b[a-z]{5,}\b", t.text or ""))
    word = re.search(r"\b[a-z]{5,}\b", plain.text).group(0)
    assert text(p).index(word) == before[0].replace("**", "").index(word)
    plain.text = plain.text.replace(word, word.upper(), 1)
    source = edited.save(tmp_path / "in" / "r.docx") if (tmp_path / "in").mkdir() is None \
        else None
    out = tmp_path / "out"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    resaved = out / "r.docx"
    assert isinstance(Marks, type) and read_draft(resaved).marks is not None
    result = absorb(project, resaved, "--yes")
    assert result.exit_code == 0, result.output
    assert lines_of(project, "outcomes/outcome-3")[0] == before[0].replace(word, word.upper(), 1)


def test_absorb_then_rebuild_shows_the_edited_text(project, tmp_path):
    edited = Edited(draft_of(project))
    old = text(edited.para("foreword", 5))
    new = old.replace("Some highlights", "A few highlights")
    set_runs(edited.para("foreword", 5), new)
    assert absorb(project, edited.save(tmp_path / "r.docx"), "--yes").exit_code == 0
    rebuilt = run_apr("build", "--project", str(project), "--year", "2023", "--format", "docx")
    assert rebuilt.exit_code == 0, rebuilt.output
    paragraphs = [p.text for p in docx.Document(draft_of(project)).paragraphs]
    assert new in paragraphs and old not in paragraphs


# -- Markdown kept, or written again ---------------------------------------------------------


def test_a_cited_figure_stays_and_text_around_it_is_carried(project, tmp_path):
    edited = Edited(draft_of(project))
    before = lines_of(project, "outcomes/outcome-1")
    assert "[[NI-1 latest]] of adults" in before[6]
    p = edited.para("outcomes/outcome-1", 7)
    set_runs(p, text(p).replace("of adults in Strathlinn", "of adults living in Strathlinn"))
    assert absorb(project, edited.save(tmp_path / "r.docx"), "--yes").exit_code == 0
    assert lines_of(project, "outcomes/outcome-1")[6] == before[6].replace(
        "of adults in Strathlinn", "of adults living in Strathlinn")


def test_an_edited_cited_figure_is_not_carried(project, tmp_path):
    edited = Edited(draft_of(project))
    before = lines_of(project, "localities/strathlinn-town")
    p = edited.para("localities/strathlinn-town", 3)
    figure = re.search(r"about ([\d,]+) residents", text(p)).group(1)
    set_runs(p, text(p).replace(f"about {figure} residents", "about 60,000 residents"))
    result = absorb(project, edited.save(tmp_path / "r.docx"), "--yes")
    assert result.exit_code == 0, result.output
    assert printed(f"{shown(project, 'localities/strathlinn-town')}:3", "warning",
                   "the figure [[locality Strathlinn Town population]] comes from the data, "
                   "and the edit in Word changed it; the paragraph is left as it was: correct "
                   "the data file the figure comes from (docs/narrative-figures.md) and make "
                   "the paragraph's other edits by hand", "absorb.cited_figure") in result.output
    assert lines_of(project, "localities/strathlinn-town") == before


def test_a_heading_edit_keeps_its_level(project, tmp_path):
    edited = Edited(draft_of(project))
    before = lines_of(project, "localities/upper-strathlinn")
    assert before[4] == "## How the locality is involved"
    set_runs(edited.para("localities/upper-strathlinn", 5),
             "How people in the locality are involved")
    assert absorb(project, edited.save(tmp_path / "r.docx"), "--yes").exit_code == 0
    assert lines_of(project, "localities/upper-strathlinn")[4] == \
        "## How people in the locality are involved"


def test_an_edit_across_bold_text_writes_the_paragraph_from_word(project, tmp_path):
    edited = Edited(draft_of(project))
    before = lines_of(project, "foreword")
    assert before[18].startswith("**Councillor Elspeth Garvie**, Chair, ")
    p = edited.para("foreword", 19)
    bold, plain = [r for r in p.findall(w("r")) if r.find(w("t")) is not None][:2]
    bold.find(w("t")).text = "Councillor Elspeth Garvie OBE, Chair"
    plain.find(w("t")).text = plain.find(w("t")).text.replace(", Chair", "", 1)
    result = absorb(project, edited.save(tmp_path / "r.docx"), "--yes")
    assert result.exit_code == 0, result.output
    assert printed(f"{shown(project, 'foreword')}:19", "warning", "its bold, italic and links "
                   "could not be matched to the edits, so the paragraph was written again from "
                   "Word's text and formatting; check it", "absorb.markup_rewritten"
                   ) in result.output
    assert lines_of(project, "foreword")[18] == before[18].replace(
        "**Councillor Elspeth Garvie**, Chair", "**Councillor Elspeth Garvie OBE, Chair**")


def test_a_word_made_bold_in_word_comes_back_as_markdown(project, tmp_path):
    edited = Edited(draft_of(project))
    before = lines_of(project, "foreword")
    p = edited.para("foreword", 1)
    words = "Annual Performance Report"
    head, tail = text(p).split(words, 1)
    set_runs(p, head, words, tail)
    strong = p.findall(w("r"))[1]
    strong.insert(0, etree.fromstring(f'<w:rPr xmlns:w="{W}"><w:b/></w:rPr>'))
    result = absorb(project, edited.save(tmp_path / "r.docx"), "--yes")
    assert result.exit_code == 0, result.output
    assert printed(f"{shown(project, 'foreword')}:1", "warning", "its bold, italic or links "
                   "were changed in Word, so the paragraph was written again from Word's text "
                   "and formatting; check it", "absorb.markup_rewritten") in result.output
    assert lines_of(project, "foreword") == [before[0].replace(words, f"**{words}**"),
                                             *before[1:]]


# -- asking before writing --------------------------------------------------------------------


def answer_in_terminal(project: Path, draft: Path, answer: str) -> str:
    """Run apr absorb in a pseudo-terminal, answer its question, return what it printed."""
    import os
    import pty
    import sys
    import time
    main_fd, child_fd = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    process = subprocess.Popen([sys.executable, "-m", "apr", "absorb", str(draft), "--project",
                                str(project)], stdin=child_fd, stdout=child_fd,
                               stderr=child_fd, env=env)
    os.close(child_fd)
    seen, deadline = b"", time.monotonic() + 60
    while b"[y/N]: " not in seen and time.monotonic() < deadline:
        seen += os.read(main_fd, 65536)
    os.write(main_fd, answer.encode() + b"\n")
    process.wait(timeout=60)
    try:
        while True:
            seen += os.read(main_fd, 65536)
    except OSError:
        pass
    os.close(main_fd)
    return seen.decode().replace("\r\n", "\n")


@pytest.mark.parametrize("answer", ["y", "n"])
def test_in_a_terminal_absorb_asks_before_writing(project, tmp_path, answer):
    edited = Edited(draft_of(project))
    before = lines_of(project, "foreword")
    old = text(edited.para("foreword", 5))
    set_runs(edited.para("foreword", 5), old.replace("Some", "Several"))
    printed_out = answer_in_terminal(project, edited.save(tmp_path / "r.docx"), answer)
    assert "Write these changes to 1 file? [y/N]: " in printed_out
    changed = [before[0], *before[1:4], before[4].replace("Some", "Several"), *before[5:]]
    if answer == "y":
        assert f"wrote {shown(project, 'foreword')}" in printed_out
        assert lines_of(project, "foreword") == changed
    else:
        assert printed_out.endswith("absorb: nothing written.\n")
        assert lines_of(project, "foreword") == before


def test_a_damaged_or_missing_file_is_an_error_not_a_traceback(project, tmp_path):
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(draft_of(project)) as source, zipfile.ZipFile(damaged, "w") as z:
        for name in source.namelist():
            data = source.read(name)
            z.writestr(name, data[:len(data) // 2] if name == "word/document.xml" else data)
    result = absorb(project, damaged, "--yes")
    assert result.exit_code == 1
    assert result.output.startswith(f"{display_path(damaged)}: error: this file is damaged: a "
                                    "part of it is not well-formed XML (")
    text_file = tmp_path / "notes.docx"
    text_file.write_text("not a Word file", encoding="utf-8")
    result = absorb(project, text_file, "--yes")
    assert result.exit_code == 1
    assert result.output.startswith(f"{display_path(text_file)}: error: this file cannot be "
                                    "read as a Word .docx file (")
    missing = tmp_path / "missing.docx"
    result = absorb(project, missing, "--yes")
    assert printed(display_path(missing), "error", "there is no such file; give the path of "
                   "the Word draft that was reviewed", "absorb.not_docx") in result.output


def test_a_narrative_file_deleted_since_the_build_is_named(project, tmp_path):
    edited = Edited(draft_of(project))
    set_runs(edited.para("foreword", 1), "Welcome.")
    path = project / "content" / "foreword.md"
    path.unlink()
    result = absorb(project, edited.save(tmp_path / "r.docx"), "--yes")
    assert result.exit_code == 1
    assert printed(display_path(path), "error", f"the draft has narrative from "
                   f"{display_path(path)}, which no longer exists; put the file back, or build "
                   "the draft again", "absorb.file_missing") in result.output
    assert not path.exists()
