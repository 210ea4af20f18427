"""Every finding code apr can report is documented in docs/findings.md.

The scan reads apr/ with the ast module: a finding code is a dotted lower-case string passed as
the first argument (or ``code=``) of a call to ``error``, ``warning``, ``Finding``,
``TemplateProblem`` or any helper whose name ends in ``error``, ``warning``, ``warn``,
``problem`` or ``finding``. f-string codes (``f"data.bad_{col.kind}"``) become patterns; the
known ones are expanded (every column kind of every input table).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
CALLEES = re.compile(r"(^|_)(error|warning|warn|problem|finding|placeholder)$"
                     r"|^(Finding|TemplateProblem|Placeholder)$", re.I)
# a documented code is the first cell of a table row: | `data.bad_number` | error | ...
DOC_CODE = re.compile(r"^\|\s*`([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)`\s*\|", re.M)


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _code_arg(node: ast.Call) -> ast.expr | None:
    for kw in node.keywords:
        if kw.arg == "code":
            return kw.value
    return node.args[0] if node.args else None


def _pattern(node: ast.JoinedStr) -> str:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(re.escape(str(value.value)))
        else:
            parts.append("[a-z0-9_]+")
    return "".join(parts)


def scan_codes(root: Path = ROOT / "apr") -> tuple[dict[str, str], dict[str, str]]:
    """Return ({code: where}, {pattern: where}) for every finding code in apr/."""
    codes: dict[str, str] = {}
    patterns: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not CALLEES.search(_callee(node)):
                continue
            arg = _code_arg(node)
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
                    and CODE.match(arg.value):
                codes.setdefault(arg.value, where)
            elif isinstance(arg, ast.JoinedStr):
                pattern = _pattern(arg)
                if "\\." in pattern:
                    patterns.setdefault(pattern, where)
    return codes, patterns


def expansions(pattern: str) -> list[str]:
    """Return the codes an f-string pattern stands for, where apr knows them."""
    if pattern.startswith(re.escape("data.bad_")):
        from apr.sources import SCHEMAS
        kinds = sorted({c.kind for cols in SCHEMAS.values() for c in cols})
        return [f"data.bad_{k}" for k in kinds]
    return []


def documented() -> set[str]:
    text = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    return set(DOC_CODE.findall(text))


def test_the_scan_finds_codes():
    codes, patterns = scan_codes()
    assert "config.syntax" in codes and "data.too_large" in codes
    assert any(p.startswith(re.escape("data.bad_")) for p in patterns)


def test_every_code_is_documented():
    codes, patterns = scan_codes()
    docs = documented()
    missing = {c: where for c, where in codes.items() if c not in docs}
    for pattern, where in patterns.items():
        expanded = expansions(pattern)
        missing.update({c: where for c in expanded if c not in docs})
        if not expanded and not any(re.fullmatch(pattern, d) for d in docs):
            missing[pattern] = where
    assert not missing, ("finding codes without an entry in docs/findings.md: " +
                         ", ".join(f"{c} ({w})" for c, w in sorted(missing.items())))


def test_documented_codes_exist():
    """A documented code that apr no longer reports is a stale entry."""
    codes, patterns = scan_codes()
    known = set(codes) | {c for p in patterns for c in expansions(p)}
    stale = [d for d in documented() if d not in known and
             not any(re.fullmatch(p, d) for p in patterns)]
    assert not stale, f"docs/findings.md lists codes apr never reports: {sorted(stale)}"
