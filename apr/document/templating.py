"""Sandboxed Jinja rendering with a project-first loader and errors that name template and line.

A project's ``templates/`` folder wins over apr's defaults; ``default:NAME`` always means apr's
own copy, so an override can extend the template it replaces.
"""
from __future__ import annotations

import dataclasses
import difflib
import hashlib
import traceback
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import cache
from ..config import display_path
from ..findings import AprError, Findings
from ..resources import templates_dir

DEFAULT_PREFIX = "default"
# Attributes may be read only on objects of these modules: apr's own model, plain values and
# Jinja's helpers.  Paths, files, modules and data frames stay opaque, so a template cannot
# read or write files (``report.project_dir.joinpath(...).read_text()`` is refused).
SAFE_MODULES = ("apr", "builtins", "datetime", "decimal", "fractions", "jinja2", "markupsafe",
                "collections")
UNSAFE_TYPES = ("TextIOWrapper", "BufferedReader", "BufferedWriter", "FileIO", "module")


class UnknownName(jinja2.UndefinedError):
    """A name or attribute a template used that does not exist; keeps what it was looked up on."""

    def __init__(self, message: str, name: Any, obj: Any):
        super().__init__(message)
        self.name, self.obj = name, obj


class AprUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose error remembers the missing name and the object it was read from."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any):
        if self._undefined_exception is not jinja2.UndefinedError:
            raise self._undefined_exception(self._undefined_message)
        raise UnknownName(self._undefined_message, self._undefined_name, self._undefined_obj)

    __str__ = __iter__ = __len__ = __eq__ = __ne__ = __bool__ = __hash__ = \
        __contains__ = _fail_with_undefined_error  # type: ignore[assignment]
    __getattr__ = __add__ = __radd__ = __mul__ = __call__ = __getitem__ = __lt__ = __le__ = \
        __gt__ = __ge__ = __int__ = __float__ = __complex__ = __pow__ = __rpow__ = \
        __sub__ = __rsub__ = __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = \
        __mod__ = __rmod__ = __pos__ = __neg__ = __aiter__ = __format__ = __round__ = \
        __abs__ = __index__ = __reversed__ = \
        _fail_with_undefined_error  # type: ignore[assignment]


class ReportSandbox(ImmutableSandboxedEnvironment):
    """The sandbox templates run in: no private attributes, no mutation, no files or modules."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        kind = type(obj)
        module = (kind.__module__ or "").split(".")[0]
        return module in SAFE_MODULES and kind.__name__ not in UNSAFE_TYPES


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates kept in apr's per-user cache (apr/cache.py), never in the project.

    Compiled templates are Python code, so they are read only from a folder of the user's own,
    and only when their HMAC (keyed by a secret there) proves apr wrote them: a file planted
    anywhere, in the project or in the cache, is never run (it is compiled again instead).
    Compiling all 16 templates costs ~0.45 s, so an unchanged rebuild reads them.

    Jinja stores each template's code with a checksum of its source and recompiles when the
    source differs, so an edited template is never served stale.  The key adds the file's path
    and everything else the compiled code depends on (Jinja's version, the environment's
    options, each filter's and test's calling convention), so a change to apr cannot reuse old
    code either.  Errors keep the template's file and line: the code is compiled for that file.
    With ``write=False`` (``apr check``) the cache is read but never written.  A cache that
    cannot be read or written only costs speed.
    """

    def __init__(self, write: bool = True):
        self.write = write
        self.fingerprint = ""

    def get_bucket(self, environment, name, filename, source):
        # worked out once (about 0.3 ms a template): Jinja requires an environment's options,
        # filters and tests to stay as they are once it has loaded a template
        if not self.fingerprint:
            self.fingerprint = _compile_fingerprint(environment)
        return super().get_bucket(environment, name, filename, source)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        text = f"{self.fingerprint}|{name}|{filename or ''}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def load_bytecode(self, bucket) -> None:
        store = cache.store("jinja")
        data = store.read(f"{bucket.key}.cache") if store is not None else None
        if data is None:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # noqa: BLE001 - authentic but unusable (another Python): compile
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        store = cache.store("jinja") if self.write else None
        if store is not None:
            store.write(f"{bucket.key}.cache", bucket.bytecode_to_string())

    def clear(self) -> None:
        store = cache.store("jinja")
        for name in store.names() if store is not None else []:
            store.path(name).unlink(missing_ok=True)


def _compile_fingerprint(env: jinja2.Environment) -> str:
    """Return what, besides a template's source, decides the code Jinja compiles it to."""
    from jinja2.utils import _PassArg  # noqa: PLC2701 - how the compiler decides calls

    def calls(functions: dict) -> list:
        return sorted((k, str(_PassArg.from_obj(f))) for k, f in functions.items())

    options = (jinja2.__version__, type(env).__name__, env.block_start_string,
               env.block_end_string, env.variable_start_string, env.variable_end_string,
               env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
               env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
               env.newline_sequence, env.keep_trailing_newline, env.optimized,
               repr(env.autoescape), sorted(env.extensions), env.is_async,
               str(_PassArg.from_obj(env.finalize)) if env.finalize else "",
               calls(env.filters), calls(env.tests))
    return hashlib.sha256(repr(options).encode("utf-8")).hexdigest()


_environments: dict[str | None, ReportSandbox] = {}


def make_environment(project_dir: Path | None, cache_writes: bool = False) -> ReportSandbox:
    """Return the sandboxed environment: StrictUndefined, project templates before defaults.

    With a project, compiled templates are read from apr's per-user cache (apr/cache.py) and,
    when ``cache_writes`` (``apr build``), written there; never from the project folder.

    One environment is kept per process for each templates/ folder (and one for projects
    without one), so the builds of a national batch, or the rebuilds of ``apr serve``, compile
    each template once: Jinja keeps what it compiled and checks the file's time before each
    use, so an edited template is always read again. Filters are looked up when a template
    runs, so each build's own (``env.filters.update``) are the ones used.
    """
    project = project_templates(project_dir)
    own = str(project.resolve()) if project is not None and project.is_dir() else None
    env = _environments.get(own)
    if env is None:
        default = jinja2.FileSystemLoader(str(templates_dir()))
        loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({DEFAULT_PREFIX: default},
                                                                delimiter=":")]
        if own is not None:
            loaders.append(jinja2.FileSystemLoader(own))
        loaders.append(default)
        env = _environments[own] = ReportSandbox(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=AprUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
    env.bytecode_cache = None if project_dir is None else TemplateCache(write=cache_writes)
    return env


def project_templates(project_dir: Path | None) -> Path | None:
    """Return the project's templates/ folder (which may not exist), or None without a project."""
    return None if project_dir is None else project_dir / "templates"


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
        raise _error("template.syntax", f"{exc.message.rstrip('.')}; check that every "
                     "{% ... %} tag is closed and spelt correctly", file, exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        raise _not_found(exc, env, name) from None
    except UnknownName as exc:
        file, line = _template_frame(exc, env, name)
        raise _error("template.undefined_name", _unknown_message(exc, context, env) +
                     "; `apr templates context` lists every name a template can use",
                     file, line) from None
    except jinja2.exceptions.SecurityError as exc:
        file, line = _template_frame(exc, env, name)
        raise _error("template.unsafe", f"templates cannot do this: {str(exc).rstrip('.')}; "
                     "a template can only show the report's data and call apr's functions",
                     file, line) from None
    except TemplateProblem as exc:
        file, line = _template_frame(exc, env, name)
        raise _error(exc.code, exc.message, file, line) from None
    except (TypeError, ValueError, ArithmeticError) as exc:
        file, line = _template_frame(exc, env, name)
        if line is None:
            raise
        raise _error("template.error", f"{exc}; check the values and functions used on this "
                     "line", file, line) from None


class TemplateProblem(Exception):
    """Raised by a context function (e.g. an unknown table name) inside a template."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _error(code: str, message: str, file: str, line: int | None) -> AprError:
    findings = Findings()
    findings.error(code, message, file, line)
    return AprError(findings)


def _not_found(exc: jinja2.TemplateNotFound, env: jinja2.Environment, name: str) -> AprError:
    file, line = _template_frame(exc, env, name)
    known = sorted(t for t in env.list_templates(extensions=["j2"]) if ":" not in t)
    hint = _did_you_mean(exc.name, known)
    return _error("template.not_found", f"template '{exc.name}' was not found{hint}; "
                  "`apr templates list` shows the templates there are", file, line)


def _unknown_message(exc: UnknownName, context: dict, env: jinja2.Environment) -> str:
    if exc.obj is jinja2.utils.missing:
        names = sorted(set(context) | set(env.globals))
        return f"unknown name '{exc.name}'{_did_you_mean(str(exc.name), names)}"
    return (f"{_describe(exc.obj, context)} has no {'key' if isinstance(exc.obj, dict) else 'field'} "
            f"'{exc.name}'{_did_you_mean(str(exc.name), _fields(exc.obj))}")


def _describe(obj: Any, context: dict) -> str:
    named = [k for k, v in context.items() if v is obj]
    if named:
        return f"'{named[0]}'"
    if isinstance(obj, dict):
        return "this table of values"
    if isinstance(obj, (list, tuple)):
        return "a list"
    return f"a {type(obj).__name__}"


def _fields(obj: Any) -> list[str]:
    """Return the names a template could read on ``obj``: keys, dataclass fields, properties."""
    if isinstance(obj, dict):
        return [str(k) for k in obj]
    names = [f.name for f in dataclasses.fields(obj)] if dataclasses.is_dataclass(obj) else []
    names += [n for n in dir(type(obj)) if not n.startswith("_")
              and isinstance(getattr(type(obj), n, None), property)]
    return names


def _template_frame(exc: BaseException, env: jinja2.Environment, name: str):
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename and f.filename.endswith(".j2")]
    if frames:
        return display_path(Path(frames[-1].filename)), frames[-1].lineno
    return template_file(env, name), None


def _did_you_mean(name: str | None, choices: list[str]) -> str:
    if not name:
        return ""
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
