"""The code checks CI runs (docs/architecture.md, "Code checks") pass, so the README's test
command alone catches a finding too."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing_in_apr():
    """`ruff check apr` with the rule set in pyproject.toml: zero findings."""
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "apr"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ci_runs_the_code_checks_between_install_and_tests():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ("bash scripts/install-test-deps.sh && python -m ruff check apr && python -m pytest"
            in ci)
