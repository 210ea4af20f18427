"""The reference pipeline: the report as an analyst would build it without apr.

One pandas read per data table, the same charts drawn with matplotlib at the same size and
resolution, and pandoc turning the same content (Markdown written by apr's templates, with
tables as pipe tables: see run.py) into Word and HTML, one pandoc call per format.

    python benchmarks/reference_pipeline.py PROJECT WORK

WORK holds report.md and charts.json (written by ``run.py``); the outputs go there too. Prints
the time of each stage as JSON on stdout.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pypandoc  # noqa: E402

COLOURS = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]


def read_tables(project: Path) -> dict[str, pd.DataFrame]:
    """Read every table of the project, one pandas call each."""
    return {path.stem: pd.read_csv(path) for path in sorted((project / "data").glob("*.csv"))}


def draw_chart(chart: dict, path: Path) -> None:
    """Draw one chart the way an analyst would: plot, label, tight layout, savefig."""
    fig, ax = plt.subplots(figsize=(chart["width_in"], chart["height_in"]))
    x = range(len(chart["labels"]))
    n = len(chart["series"])
    bottom = [0.0] * len(chart["labels"])
    for i, s in enumerate(chart["series"]):
        values = [v if v is not None else 0 for v in s["values"]]
        if chart["kind"] == "line":
            ax.plot(x, s["values"], marker="o", color=COLOURS[i % 6], label=s["name"])
        elif chart["kind"] == "stacked":
            ax.bar(x, values, 0.6, bottom=bottom, color=COLOURS[i % 6], label=s["name"])
            bottom = [b + v for b, v in zip(bottom, values)]
        else:
            ax.bar([j + (i - (n - 1) / 2) * 0.8 / n for j in x], values, 0.8 / n,
                   color=COLOURS[i % 6], label=s["name"])
    ax.set_xticks(list(x), chart["labels"])
    ax.set_title(chart["title"], loc="left")
    ax.set_ylabel(chart["unit"])
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=chart["dpi"])
    plt.close(fig)


def pandoc(markdown: Path, fmt: str, out: Path, work: Path) -> None:
    args = ["--toc", f"--resource-path={work}", "--metadata=title:Annual Performance Report"]
    if fmt == "html":
        args += ["--standalone", "--embed-resources"]
    pypandoc.convert_file(str(markdown), fmt, format="markdown", outputfile=str(out),
                          extra_args=args)


def main(project: Path, work: Path) -> dict[str, float]:
    times: dict[str, float] = {}
    start = time.perf_counter()
    tables = read_tables(project)
    times["read"] = time.perf_counter() - start
    plt.style.use(json.loads((work / "charts.json").read_text())["style"])
    charts = json.loads((work / "charts.json").read_text())["charts"]
    (work / "charts").mkdir(exist_ok=True)
    mark = time.perf_counter()
    for chart in charts:
        draw_chart(chart, work / "charts" / f"{chart['id']}.png")
    times["charts"] = time.perf_counter() - mark
    for fmt in ("docx", "html"):
        mark = time.perf_counter()
        pandoc(work / "report.md", fmt, work / f"report.{fmt}", work)
        times[fmt] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - start
    times["tables"] = len(tables)
    return times


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]))))
