"""The benchmark script runs end to end in its quick mode (speed is measured, not asserted)."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_quick_mode(tmp_path):
    out = tmp_path / "RESULTS.md"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick",
                           "--output", str(out)], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    for heading in ("## Machine", "## Targets (issue 8)", "## apr builds of the sample report",
                    "## National batch"):
        assert heading in text
    if importlib.util.find_spec("pypandoc") is None:
        # the only allowed gap: said out loud, never hidden
        assert "SKIPPED the reference pipeline" in proc.stderr
        print("reference pipeline skipped: pypandoc-binary is not installed", file=sys.stderr)
    else:
        assert "| Word assembly (apr's writer vs pandoc) |" in text
