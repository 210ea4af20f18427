"""Sandboxed Jinja rendering with a project-first loader and errors that name template and line.

A project's ``templates/`` folder wins over apr's defaults; ``default:NAME`` always means apr's
own copy, so an override can extend the template it replaces.
"""
from __future__ import annotations

import difflib
import re
import traceback
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..config import display_path
from ..findings import AprError, Findings
from ..resources import templates_dir


def make_environment(project_dir: Path | None) -> SandboxedEnvironment:
    """Return the sandboxed environment: StrictUndefined, project templates before defaults."""
    default = jinja2.FileSystemLoader(str(templates_dir()))
    loaders: list[jinja2.BaseLoader] = []
    if project_dir is not None and (project_dir / "templates").is_dir():
        loaders.append(jinja2.FileSystemLoader(str(project_dir / "templates")))
    loaders.append(default)
    loader = jinja2.PrefixLoader({"default": default}, delimiter=":")
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader([loader] + loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def template_file(env: jinja2.Environment, name: str) -> str:
    """Return the path of the copy of template ``name`` that wins, for messages."""
    try:
        _, filename, _ = env.loader.get_source(env, name)
        return display_path(Path(filename))
    except jinja2.TemplateNotFound:
        return name


def render(env: jinja2.Environment, name: str, context: dict) -> str:
    """Return the rendered text of template ``name``; raise AprError naming file and line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        file = display_path(Path(exc.filename)) if exc.filename else exc.name or name
        raise _error("template.syntax", f"{exc.message}; check that every {{% ... %}} tag is "
                     "closed and spelt correctly", file, exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        file, line = _template_frame(exc, env, name)
        known = sorted(env.list_templates(extensions=["j2"]))
        hint = _did_you_mean(exc.name, known)
        raise _error("template.not_found", f"template '{exc.name}' was not found{hint}; "
                     "`apr templates list` shows the templates there are", file, line) from None
    except jinja2.UndefinedError as exc:
        file, line = _template_frame(exc, env, name)
        missing = _undefined_name(str(exc))
        hint = _did_you_mean(missing, sorted(context)) if missing else ""
        raise _error("template.undefined_name", f"{exc.message}{hint}; `apr templates context` "
                     "lists every name a template can use", file, line) from None
    except jinja2.exceptions.SecurityError as exc:
        file, line = _template_frame(exc, env, name)
        raise _error("template.unsafe", f"templates cannot do this: {exc}", file, line) from None
    except TemplateProblem as exc:
        file, line = _template_frame(exc, env, name)
        raise _error(exc.code, exc.message, file, line) from None


class TemplateProblem(Exception):
    """Raised by a context function (e.g. an unknown table name) inside a template."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _error(code: str, message: str, file: str, line: int | None) -> AprError:
    findings = Findings()
    findings.error(code, message, file, line)
    return AprError(findings)


def _template_frame(exc: BaseException, env: jinja2.Environment, name: str):
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename and f.filename.endswith(".j2")]
    if frames:
        return display_path(Path(frames[-1].filename)), frames[-1].lineno
    return template_file(env, name), None


def _undefined_name(message: str) -> str | None:
    m = re.search(r"'([^']+)' is undefined", message) or re.search(r"has no attribute '([^']+)'",
                                                                   message)
    return m.group(1) if m else None


def _did_you_mean(name: str | None, choices: list[str]) -> str:
    if not name:
        return ""
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
