"""The build pipeline: every stage in order, nothing else.

load_config -> read_sources -> analyse -> build_document -> write (docx | html)
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .config import ReportConfig, ReportingYear, display_path, load_config
from .findings import AprError, Findings

FORMATS = ("docx", "html")


@dataclass
class BuildResult:
    outputs: list[Path] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    document: object = None


def output_path(config: ReportConfig, year: ReportingYear, fmt: str) -> Path:
    """Return where a format is written: <output>/<partnership-slug>-apr-2023-24.<fmt>."""
    return config.output_dir / f"{config.slug}-apr-{year.slug}.{fmt}"


def build(project_dir: Path, year: int, formats: tuple[str, ...] = FORMATS,
          strict: bool = False) -> BuildResult:
    """Build the report; raise AprError (writing nothing) on any error, or on warnings if strict."""
    from .analysis import analyse
    from .document.build import build_document
    from .sources import read_sources

    config = load_config(project_dir)
    reporting_year = ReportingYear(year)
    inputs, findings = read_sources(config, reporting_year)
    analysis = analyse(inputs)
    findings.extend(analysis.warnings)
    _stop_on_errors(findings, strict=False)
    reference = reference_docx(config, findings) if "docx" in formats else None
    _stop_on_errors(findings, strict=False)
    document = build_document(inputs, analysis, draw_chart, findings)
    _stop_on_errors(findings, strict)
    result = BuildResult(findings=findings, document=document)
    rendered = {fmt: _render(fmt, document, reference) for fmt in formats}
    result.outputs = write_all(rendered, {fmt: output_path(config, reporting_year, fmt)
                                          for fmt in formats})
    return result


def _stop_on_errors(findings: Findings, strict: bool) -> None:
    if findings.errors or (strict and findings.warnings):
        raise AprError(findings)


def draw_chart(spec) -> bytes:
    from .charts import draw
    return draw(spec)


def reference_docx(config: ReportConfig, findings: Findings) -> Path:
    """Return the Word reference document to take styles from, checking it has every style."""
    from .resources import styles_dir
    from .writers.docx import missing_styles
    path = config.project_dir / config.reference_docx if config.reference_docx else \
        styles_dir() / "reference.docx"
    if not path.is_file():
        findings.error("config.reference_missing", f"reference document {display_path(path)} "
                       "does not exist; correct report.reference_docx in apr.toml or remove it "
                       "to use apr's house style", config.config_file, column="report.reference_docx")
        return path
    for style in missing_styles(path):
        findings.error("style.missing", f"the reference document has no style '{style}', which "
                       "apr needs; add it in Word (Styles pane, New Style) with exactly that "
                       "name, or copy it from apr's styles/reference.docx", display_path(path))
    return path


def _render(fmt: str, document, reference: Path | None) -> bytes:
    if fmt == "html":
        from .writers.html import render_html
        return render_html(document).encode("utf-8")
    if fmt == "docx":
        from .writers.docx import write_docx
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "report.docx"
            write_docx(document, path, reference)
            return path.read_bytes()
    raise ValueError(f"unknown format {fmt}")


def write_all(rendered: dict[str, bytes], paths: dict[str, Path]) -> list[Path]:
    """Write every output to a temporary file beside its target, then move all into place.

    Nothing is moved until every file is complete, so a failed build leaves the previous
    report exactly as it was.
    """
    temps: list[tuple[Path, Path]] = []
    try:
        for fmt, data in rendered.items():
            target = paths[fmt]
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                       dir=target.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            temps.append((Path(tmp), target))
        for tmp, target in temps:
            os.replace(tmp, target)
    finally:
        for tmp, _ in temps:
            if tmp.exists():
                tmp.unlink()
    return [target for _, target in temps]
