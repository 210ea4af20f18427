"""Helpers for tests that need external checkers: axe-core in headless Chromium, the Nu HTML
checker (vnu.jar on Java) and LibreOffice (docx -> PDF).

Every tool is found by a ``find_*`` function. When a tool is missing the test is skipped on a
developer machine but FAILS when the environment variable CI is set: in CI a missing tool is a
broken setup, never a reason to pass. ``scripts/install-test-deps.sh`` installs all of them.

Environment overrides: APR_CHROMIUM, APR_JAVA, APR_SOFFICE (paths to executables).
Playwright only ever drives Debian's Chromium; it never downloads a browser.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO_ROOT / "tests" / "node" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

INSTALL_HINT = "run: bash scripts/install-test-deps.sh"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_tool(message: str) -> None:
    """Fail under CI, skip elsewhere. Never returns."""
    message = f"{message} ({INSTALL_HINT})"
    if in_ci():
        pytest.fail(f"CI: required test tool missing: {message}", pytrace=False)
    pytest.skip(message)


def _executable(env_var: str, *names: str) -> str | None:
    override = os.environ.get(env_var)
    if override:
        return override if os.access(override, os.X_OK) else None
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


# --------------------------------------------------------------------------- finders


def chromium_path() -> str:
    override = os.environ.get("APR_CHROMIUM")
    path = override or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        missing_tool(f"Chromium not found at {path}")
    return path


def java_path() -> str:
    path = _executable("APR_JAVA", "java")
    if path is None:
        missing_tool("java not found")
    return path  # type: ignore[return-value]


def soffice_path() -> str:
    path = _executable("APR_SOFFICE", "soffice", "libreoffice")
    if path is None:
        missing_tool("LibreOffice (soffice) not found")
    return path  # type: ignore[return-value]


def axe_js_path() -> Path:
    if not AXE_JS.is_file():
        missing_tool(f"axe-core not found at {AXE_JS}")
    return AXE_JS


def vnu_jar_path() -> Path:
    if not VNU_JAR.is_file():
        missing_tool(f"vnu.jar not found at {VNU_JAR}")
    return VNU_JAR


# --------------------------------------------------------------------------- browser


@contextlib.contextmanager
def open_browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright. Reuse it for many pages:
    ``with open_browser() as b: run_axe(p1, browser=b); run_axe(p2, browser=b)``."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("the Python package playwright is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def _page(html_path: Path, browser: Any = None, width: int = 1280, height: int = 800):
    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise FileNotFoundError(html_path)
    with contextlib.ExitStack() as stack:
        if browser is None:
            browser = stack.enter_context(open_browser())
        context = browser.new_context(viewport={"width": width, "height": height})
        stack.callback(context.close)
        page = context.new_page()
        page.goto(html_path.as_uri(), wait_until="load")
        yield page


def run_axe(html_path: Path, browser: Any = None, tags: list[str] | None = None) -> list[dict]:
    """Run axe-core on a local HTML file and return its violations (axe's own dicts: id,
    impact, help, helpUrl, nodes...). An empty list means the page passed."""
    axe_js = axe_js_path()
    with _page(html_path, browser) as page:
        page.add_script_tag(path=str(axe_js))
        result = page.evaluate(
            """async (tags) => {
                const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return r.violations;
            }""",
            tags or AXE_TAGS,
        )
    return result


def format_violations(violations: list[dict]) -> str:
    """Readable summary for assertion messages."""
    lines = []
    for v in violations:
        targets = [", ".join(map(str, n.get("target", []))) for n in v.get("nodes", [])]
        lines.append(f"{v['id']} ({v.get('impact')}): {v.get('help')} -> {targets[:5]}")
    return "\n".join(lines)


def screenshot(html_path: Path, png_path: Path, width: int = 1280, browser: Any = None) -> Path:
    """Full-page PNG of a local HTML file at a viewport width (1280 desktop, 375 phone)."""
    png_path = Path(png_path)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    with _page(html_path, browser, width=width) as page:
        page.screenshot(path=str(png_path), full_page=True)
    return png_path


# --------------------------------------------------------------------------- Nu HTML checker


def run_vnu(html_path: Path, timeout: float = 120) -> list[dict]:
    """Validate an HTML file with the Nu HTML checker; return its error messages (dicts with
    type, message, lastLine, extract...). An empty list means valid HTML."""
    java = java_path()
    jar = vnu_jar_path()
    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise FileNotFoundError(html_path)
    proc = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--errors-only", str(html_path)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    # vnu writes its JSON report to stderr; exit 0 = valid, 1 = errors found.
    raw = proc.stderr.strip() or proc.stdout.strip()
    try:
        report = json.loads(raw) if raw else {"messages": []}
    except json.JSONDecodeError as exc:
        raise RuntimeError(
            f"vnu.jar did not print JSON (exit {proc.returncode}):\n{proc.stderr}\n{proc.stdout}"
        ) from exc
    messages = report.get("messages", [])
    broken = [m for m in messages if m.get("type") == "non-document-error"]
    if broken:
        raise RuntimeError(f"vnu.jar could not check {html_path}: {broken}")
    errors = [m for m in messages if m.get("type") == "error"]
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not errors):
        raise RuntimeError(f"vnu.jar failed (exit {proc.returncode}):\n{proc.stderr}")
    return errors


# --------------------------------------------------------------------------- LibreOffice


def libreoffice_to_pdf(docx_path: Path, outdir: Path, timeout: float = 180) -> Path:
    """Convert a .docx to PDF with headless LibreOffice and return the PDF's path.
    A fresh user profile per call lets conversions run in parallel (pytest-xdist)."""
    soffice = soffice_path()
    docx_path = Path(docx_path).resolve()
    outdir = Path(outdir).resolve()
    if not docx_path.is_file():
        raise FileNotFoundError(docx_path)
    outdir.mkdir(parents=True, exist_ok=True)
    pdf = outdir / (docx_path.stem + ".pdf")
    if pdf.exists():
        pdf.unlink()
    profile = Path(tempfile.mkdtemp(prefix="apr-lo-profile-", dir="/tmp"))
    try:
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx_path),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"LibreOffice timed out after {timeout}s converting {docx_path}") from exc
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        raise RuntimeError(
            f"LibreOffice did not produce {pdf} (exit {proc.returncode}).\n"
            f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return pdf
