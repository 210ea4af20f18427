"""Time apr against the pipeline an analyst would otherwise write; record it in RESULTS.md.

    pip install -r benchmarks/requirements.txt      # pandoc (pypandoc-binary), for the reference
    python benchmarks/run.py                         # full run (medians of 5), writes RESULTS.md
    python benchmarks/run.py --quick                 # one run each, small (CI)
    python benchmarks/run.py --pdf-only --runs 5     # only the PDF against its two peers

Every build runs in a fresh process on a copy of sample_inputs, as a user runs apr: with
Python's compiled modules (`__pycache__`, which pip writes when it installs apr) in place,
even where PYTHONDONTWRITEBYTECODE is set, and after one untimed warm-up build.
"From scratch" empties apr's cache (charts and compiled templates; the benchmark gives apr a
cache folder of its own through APR_CACHE_DIR, see docs/bad-input.md) first, so every chart
is drawn and every template compiled; "unchanged" rebuilds with the cache filled.
The reference pipeline (reference_pipeline.py) gets the same content: the Markdown apr's
templates render, with apr's tables as pipe tables and its charts' specifications.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "sample_inputs"
YEAR = 2023
PY = sys.executable
APR = [PY, "-m", "apr.cli"]
MEMORY = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
          "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
          "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
TARGETS = {   # name -> (what, limit in seconds or MB, how the value is judged)
    "scratch": "sample report, Word + HTML, from scratch < 2 s",
    "half": "from scratch <= half the reference pipeline",
    "unchanged": "unchanged rebuild < 1 s",
    "word": "apr's Word assembly no slower than pandoc's Word writer",
    "national": "all 31 partnerships < 30 s",
    "memory": "peak memory < 500 MB (every apr process together)",
    "pdf": "sample PDF no slower than the faster peer (LibreOffice from the .docx, Chromium "
           "from the .html), end to end",
}
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-extensions", "--no-pdf-header-footer",
                  "--generate-pdf-document-outline"]


def median_time(fn: Callable[[], object], runs: int, before: Callable[[], object] = lambda: None
                ) -> float:
    """Return the median wall time of ``fn`` over ``runs`` runs, calling ``before`` untimed."""
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# the processes timed: apr from this checkout, allowed to keep its compiled modules
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


def run(cmd: list[str], cwd: Path | None = None, ok: tuple[int, ...] = (0,)) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=ENV)
    if proc.returncode not in ok:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{proc.stderr[-2000:]}")


def clear_cache(project: Path | None = None) -> Callable[[], None]:
    """Return a function emptying apr's cache (the benchmark's own; apr keeps none in
    ``project``, whatever it is)."""
    return lambda: shutil.rmtree(ENV["APR_CACHE_DIR"], ignore_errors=True)


def peak_mb(cmd: list[str]) -> float:
    """Return the peak resident memory (MB) of ``cmd`` and every process it starts, together.

    apr draws charts in worker processes, some forked from a process the build starts but
    never waits for, so the operating system's peak of waited-for children misses them. On
    Linux the whole process tree is sampled every 10 ms and the residents summed (pages two
    processes share after a fork count twice: the sum errs on the high side). Elsewhere: the
    largest waited-for process.
    """
    if not Path("/proc/self/statm").exists():
        out = subprocess.run([PY, "-c", MEMORY, *cmd], capture_output=True, text=True,
                             check=True, env=ENV)
        return int(out.stdout.strip()) / 1024
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_resident(proc.pid))
        time.sleep(0.01)
    if proc.returncode:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}")
    return peak / 2 ** 20


def _tree_resident(root: int) -> int:
    """Return the resident bytes of process ``root`` and all its descendants (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue
    return total


# ------------------------------------------------------------------------------ apr
def peak_mb_from_scratch(project: Path) -> float:
    """Return the peak memory of a sample build that draws every chart."""
    clear_cache(project)()
    return peak_mb([*APR, "build", "--project", str(project), "--year", str(YEAR)])


def time_builds(project: Path, runs: int, quick: bool = False) -> dict[str, float]:
    """Return build times per format (Word + HTML only when quick), from scratch and unchanged."""
    results = {}
    formats = (("docx", "docx"), ("html", "html"), ("both", "docx,html"))
    run([*APR, "build", "--project", str(project), "--year", str(YEAR)])   # warm-up
    for label, fmt in formats[2:] if quick else formats:
        cmd = [*APR, "build", "--project", str(project), "--year", str(YEAR), "--format", fmt]
        results[f"scratch_{label}"] = median_time(lambda: run(cmd), runs, clear_cache(project))
        run(cmd)
        results[f"unchanged_{label}"] = median_time(lambda: run(cmd), runs)
    return results


def time_pdf(project: Path, work: Path, runs: int) -> dict[str, float] | None:
    """Return PDF times: `apr build --format pdf` (charts cached) against its two peers,
    LibreOffice converting apr's .docx and headless Chromium printing apr's .html, each alone
    ("convert") and after the apr build that makes its input ("end to end")."""
    from apr.writers.chromium import find_browser
    browser, soffice = find_browser(), shutil.which("soffice")
    if browser is None or soffice is None:
        print("SKIPPED the PDF comparison: needs Chromium and LibreOffice", file=sys.stderr)
        return None
    build = [*APR, "build", "--project", str(project), "--year", str(YEAR), "--format"]
    run([*build, "docx,html,pdf"])                                       # warm-up, fills cache
    docx, html = (next((project / "output").glob(f"*-apr-*.{ext}")) for ext in ("docx", "html"))
    office = [soffice, f"-env:UserInstallation={(work / 'lo-profile').as_uri()}", "--headless",
              "--convert-to", "pdf", "--outdir", str(work), str(docx)]
    run(office)                                                          # LibreOffice's profile

    def chromium() -> None:
        profile = tempfile.mkdtemp(dir=work)
        run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
             f"--print-to-pdf={work / 'chromium.pdf'}", html.as_uri()])
        shutil.rmtree(profile, ignore_errors=True)
    forget_pages = lambda: shutil.rmtree(Path(ENV["APR_CACHE_DIR"]) / "pages", ignore_errors=True)
    r = {"apr_pdf": median_time(lambda: run([*build, "pdf"]), runs),
         "apr_pdf_first": median_time(lambda: run([*build, "pdf"]), runs, forget_pages),
         "apr_docx": median_time(lambda: run([*build, "docx"]), runs),
         "apr_html": median_time(lambda: run([*build, "html"]), runs),
         "libreoffice": median_time(lambda: run(office), runs),
         "chromium": median_time(chromium, runs)}
    r["load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return r


def pdf_lines(p: dict | None) -> list[str]:
    """Return the PDF section of RESULTS.md."""
    if p is None:
        return ["## PDF", "", "Not measured (--quick, or Chromium or LibreOffice missing).", ""]
    office, chrome = p["apr_docx"] + p["libreoffice"], p["apr_html"] + p["chromium"]
    return ["## PDF", "",
            "| how the sample's PDF is made | convert only | end to end |", "|---|---|---|",
            f"| `apr build --format pdf`, a rebuild (Chromium, one print) | - | "
            f"{p['apr_pdf']:.2f} s |",
            f"| `apr build --format pdf`, page numbers not yet known (two prints) | - | "
            f"{p['apr_pdf_first']:.2f} s |",
            f"| LibreOffice converts apr's .docx | {p['libreoffice']:.2f} s | {office:.2f} s |",
            f"| headless Chromium prints apr's .html | {p['chromium']:.2f} s | {chrome:.2f} s |",
            "", "End to end = the apr build that writes the input (.docx or .html, charts "
            "cached) + the conversion. A rebuild finds the contents' page numbers in apr's "
            "cache and prints once; the first build of a changed report prints twice. "
            f"Load average after these runs: {p['load']}.", ""]


def time_stages(project: Path, runs: int) -> dict[str, float]:
    """Return apr's stage times in this process: sources + analysis, charts, Word, HTML."""
    from apr.analysis import analyse
    from apr.charts.batch import draw_all
    from apr.config import ReportingYear, load_config
    from apr.document.build import build_document
    from apr.resources import styles_dir
    from apr.sources import read_sources
    from apr.writers.docx import render_docx
    from apr.writers.html import render_html

    def model():
        config = load_config(project)
        inputs, findings = read_sources(config, ReportingYear(YEAR))
        return inputs, analyse(inputs), findings

    inputs, analysis, findings = model()
    specs: list = []

    def draw_many(batch: list) -> list[bytes]:
        specs.extend(batch)
        return draw_all(batch, None)

    document = build_document(inputs, analysis, None, findings, draw_many=draw_many)
    reference = styles_dir() / "reference.docx"
    return {
        "read_analyse": median_time(model, runs),
        "charts": median_time(lambda: draw_all(specs, None), runs),
        "chart_count": len(specs),
        "word": median_time(lambda: render_docx(document, reference), runs),
        "html": median_time(lambda: render_html(document), runs),
    }


def time_help(runs: int) -> float:
    return median_time(lambda: run([*APR, "--help"]), runs)


# ------------------------------------------------------------------------------ reference
def export_markdown(project: Path, work: Path) -> None:
    """Write work/report.md (apr's rendered markup as plain Markdown) and work/charts.json."""
    from dataclasses import asdict

    from apr.analysis import analyse
    from apr.charts import DPI, PRINT_WIDTH_IN
    from apr.config import ReportingYear, load_config
    from apr.document.build import render_report
    from apr.resources import styles_dir
    from apr.sources import read_sources

    config = load_config(project)
    inputs, findings = read_sources(config, ReportingYear(YEAR))
    report = render_report(inputs, analyse(inputs), findings)
    charts = []
    for key, plan in report.figures.items():
        if plan.spec is None:       # one or two figures: a sentence, no chart
            continue
        spec = asdict(plan.spec)
        height = spec["height_in"] * PRINT_WIDTH_IN / spec["width_in"]
        charts.append({**spec, "id": plan.id, "dpi": DPI, "width_in": PRINT_WIDTH_IN,
                       "height_in": max(height, 2.6)})
    (work / "charts.json").write_text(json.dumps(
        {"style": str(styles_dir() / "apr.mplstyle"), "charts": charts}))
    (work / "report.md").write_text(to_markdown(report), encoding="utf-8")


def to_markdown(report) -> str:
    """Return the rendered markup with apr's directives replaced by plain Markdown."""
    out = []
    for line in report.text.split("\n"):
        m = re.match(r"^\s*<<\s*(\w+)\s*(.*?)\s*>>\s*$", line)
        if not m:
            out.append(re.sub(r"^(\s*):::\s*([\w-]+)\s*(.+)$", r"\1::: {.\2}\n**\3**", line))
            continue
        kind, arg = m.groups()
        if kind == "table" and arg in report.tables:
            out.append(pipe_table(report.tables[arg]))
        elif kind == "figure" and arg in report.figures:
            plan = report.figures[arg]
            if plan.spec is None:       # too few figures for a chart: apr writes a sentence
                continue
            data = f"\n\n{pipe_table(plan.data)}" if plan.data is not None else ""
            out.append(f"![{plan.caption}](charts/{plan.id}.png){data}")
        elif kind == "todo":
            out.append(f"**To be completed:** {arg}")
    return "\n".join(out)


def pipe_table(table) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")
    rows = [f"| {' | '.join(cell(c.text) for c in row)} |" for row in table.rows]
    head = f"| {' | '.join(cell(c) for c in table.columns)} |"
    rule = "|" + "|".join("---:" if table.column_align(i) == "right" else "---"
                          for i in range(len(table.columns))) + "|"
    notes = f"\n\nSource: {table.source}" if table.source else ""
    return f"Table: {table.caption}\n\n{head}\n{rule}\n" + "\n".join(rows) + notes


def time_reference(project: Path, work: Path, runs: int) -> dict[str, float] | None:
    """Return the reference pipeline's stage times (medians), or None without pandoc."""
    try:
        import pypandoc
        pypandoc.get_pandoc_version()
    except (ImportError, OSError) as exc:
        print(f"SKIPPED the reference pipeline: pandoc is not available ({exc}); "
              "install it with: pip install -r benchmarks/requirements.txt", file=sys.stderr)
        return None
    export_markdown(project, work)
    cmd = [PY, str(ROOT / "benchmarks" / "reference_pipeline.py"), str(project), str(work)]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=ENV).stdout
        samples.append({**json.loads(out), "end_to_end": time.perf_counter() - start})
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


# ------------------------------------------------------------------------------ national
def time_national(base: Path, count: int, runs: int) -> dict[str, float]:
    """Return batch times for ``count`` synthetic partnerships, from scratch and unchanged."""
    from apr.batch.synthetic import make_national
    folder = base / "national-set"
    make_national(SAMPLE, folder, count)
    cmd = [*APR, "build", "--all", "--project", str(folder), "--year", str(YEAR)]

    def clear() -> None:
        clear_cache()()

    scratch = median_time(lambda: run(cmd), runs, clear)
    unchanged = median_time(lambda: run(cmd), runs)
    clear()
    return {"count": count, "scratch": scratch, "unchanged": unchanged,
            "peak_mb": peak_mb(cmd)}


# ------------------------------------------------------------------------------ report
def machine() -> dict[str, str]:
    """Return a description of this machine and the library versions."""
    cpu = platform.processor() or platform.machine()
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"model name\s*:\s*(.+)", info).group(1).strip()
        mem_kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram = f"{mem_kb / 1024 / 1024:.1f} GB"
    except (OSError, AttributeError):
        ram = "unknown"
    libs = ", ".join(f"{p} {_version(p)}" for p in
                     ("matplotlib", "pandas", "python-docx", "jinja2", "pillow", "click",
                      "pypandoc-binary"))
    pandoc = "not installed"
    try:
        import pypandoc
        pandoc = pypandoc.get_pandoc_version()
    except (ImportError, OSError):
        pass
    return {"CPU": cpu, "cores": str(os.cpu_count()), "RAM": ram,
            "OS": f"{platform.system()} {platform.release()}",
            "Python": platform.python_version(), "libraries": libs, "pandoc": pandoc,
            "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def judge(r: dict) -> dict[str, tuple[str, bool | None]]:
    """Return target -> (measured value as text, met?); None when not measured."""
    ref = r.get("reference")
    scratch, unchanged = r["builds"]["scratch_both"], r["builds"]["unchanged_both"]
    nat = r["national"]
    return {
        "scratch": (f"{scratch:.2f} s", scratch < 2),
        "half": (f"{scratch:.2f} s vs {ref['end_to_end']:.2f} s = "
                 f"{scratch / ref['end_to_end']:.2f}x", scratch <= ref["end_to_end"] / 2)
        if ref else ("not measured (no pandoc)", None),
        "unchanged": (f"{unchanged:.2f} s", unchanged < 1),
        "word": (f"{r['stages']['word']:.2f} s vs {ref['docx']:.2f} s = "
                 f"{r['stages']['word'] / ref['docx']:.2f}x", r["stages"]["word"] <= ref["docx"])
        if ref else ("not measured (no pandoc)", None),
        "national": (f"{nat['count']} partnerships: {nat['scratch']:.1f} s from scratch, "
                     f"{nat['unchanged']:.1f} s unchanged",
                     nat["scratch"] < 30 if nat["count"] == 31 else None),
        "memory": (f"{max(r['peak_mb'], nat['peak_mb']):.0f} MB",
                   max(r["peak_mb"], nat["peak_mb"]) < 500),
        "pdf": judge_pdf(r.get("pdf")),
    }


def judge_pdf(p: dict | None) -> tuple[str, bool | None]:
    if p is None:
        return ("not measured", None)
    peer = min(p["apr_docx"] + p["libreoffice"], p["apr_html"] + p["chromium"])
    return (f"rebuild {p['apr_pdf']:.2f} s (first build of a changed report "
            f"{p['apr_pdf_first']:.2f} s) vs {peer:.2f} s", p["apr_pdf"] <= peer)


def markdown(r: dict, quick: bool) -> str:
    """Return RESULTS.md."""
    mark = {True: "met", False: "**not met**", None: "-"}
    lines = ["# apr benchmark results", "",
             f"Written by `python benchmarks/run.py{' --quick' if quick else ''}` "
             f"({r['runs']} run(s) each, medians). Times are wall-clock seconds.", "",
             "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in r["machine"].items()]
    lines += ["", "## Targets (issue 8)", "", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {TARGETS[k]} | {v} | {mark[ok]} |" for k, (v, ok) in judge(r).items()]
    b = r["builds"]
    lines += ["", "## apr builds of the sample report", "",
              "| formats | from scratch (every chart drawn) | unchanged (charts cached) |",
              "|---|---|---|"]
    lines += [f"| {label} | {b['scratch_' + key]:.2f} s | {b['unchanged_' + key]:.2f} s |"
              for key, label in (("docx", "Word"), ("html", "HTML"), ("both", "Word + HTML"))
              if "scratch_" + key in b]
    lines += ["", f"`apr --help`: {r['help']:.2f} s. Peak memory of a sample build from "
              f"scratch: {r['peak_mb']:.0f} MB, the build and its drawing processes together "
              "(resident memory summed every 10 ms; pages they share count once per process).",
              ""]
    lines += stage_table(r)
    lines += [""] + pdf_lines(r.get("pdf"))
    n = r["national"]
    lines += ["", "## National batch", "",
              f"`apr build --all` over {n['count']} synthetic partnerships "
              "(`benchmarks/make_national.py`), Word + HTML and the national comparison: "
              f"{n['scratch']:.1f} s from scratch, {n['unchanged']:.1f} s unchanged, "
              f"peak memory {n['peak_mb']:.0f} MB.", ""]
    return "\n".join(lines)


def stage_table(r: dict) -> list[str]:
    s, ref = r["stages"], r.get("reference")
    lines = ["## Stage by stage, against the reference pipeline", ""]
    if not ref:
        return lines + ["Not measured: pandoc is not installed "
                        "(pip install -r benchmarks/requirements.txt).", ""]
    rows = [("read the data (+ analysis for apr)", s["read_analyse"], ref["read"]),
            (f"draw {s['chart_count']} charts", s["charts"], ref["charts"]),
            ("Word assembly (apr's writer vs pandoc)", s["word"], ref["docx"]),
            ("HTML (apr's writer vs pandoc)", s["html"], ref["html"]),
            ("end to end, Word + HTML from scratch", r["builds"]["scratch_both"],
             ref["end_to_end"])]
    lines += ["| stage | apr | reference | apr / reference |", "|---|---|---|---|"]
    lines += [f"| {name} | {a:.3f} s | {b:.3f} s | {a / b:.2f} |" for name, a, b in rows]
    return lines + ["", "apr's chart time is drawing in parallel with an empty cache; the "
                    "reference draws one chart after another, as a script would."]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run each, Word + HTML only, 2 partnerships")
    parser.add_argument("--runs", type=int, default=None, help="runs per measurement (5)")
    parser.add_argument("--pdf-only", action="store_true",
                        help="measure only the PDF against its peers and print it")
    parser.add_argument("--output", type=Path, default=None,
                        help="where to write the results (default benchmarks/RESULTS.md; "
                        "--quick writes nothing unless given)")
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 5)
    with tempfile.TemporaryDirectory(prefix="apr-bench-") as tmp:
        base = Path(tmp)
        ENV["APR_CACHE_DIR"] = os.environ["APR_CACHE_DIR"] = str(base / "apr-cache")
        project = base / "sample"
        shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("output", ".apr-cache"))
        (base / "reference").mkdir()
        if args.pdf_only:
            text = "\n".join(pdf_lines(time_pdf(project, base, runs)))
            print(text)
            return {"pdf": text}
        results = {"runs": runs, "machine": machine(), "help": time_help(runs),
                   "builds": time_builds(project, runs, args.quick),
                   "stages": time_stages(project, runs),
                   "reference": time_reference(project, base / "reference", runs),
                   "peak_mb": peak_mb_from_scratch(project),
                   "national": time_national(base, 2 if args.quick else 31,
                                             1 if args.quick else min(runs, 3)),
                   "pdf": None if args.quick else time_pdf(project, base, runs)}
    text = markdown(results, args.quick)
    print(text)
    output = args.output or (None if args.quick else ROOT / "benchmarks" / "RESULTS.md")
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
