"""Sandboxed Jinja rendering with a project-first loader and errors that name template and line.

A project's ``templates/`` folder wins over apr's defaults; ``default:NAME`` always means apr's
own copy, so an override can extend the template it replaces.
"""
from __future__ import annotations

import contextlib
import dataclasses
import difflib
import hashlib
import os
import re
import signal
import threading
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


# Limits on what templates may do (docs/bad-input.md), far above any real report: the sample
# renders in about 0.2 s to 0.1 MB of text, with a few hundred loop turns.
MAX_RENDER_SECONDS = 60           # one build's templates, all together
MAX_OUTPUT_CHARS = 20_000_000     # the rendered report text
MAX_LOOP_ITEMS = 1_000_000        # items all range() calls of one build may give, together
MAX_LIPSUM = 100                  # paragraphs (and words per paragraph: 1000)
MAX_POWER = 1000                  # the largest exponent of **


class _Budget(threading.local):
    """What the render running in this thread has used of MAX_LOOP_ITEMS."""

    items = 0


_budget = _Budget()


class CountedRange:
    """``range`` for templates: the sandbox's limit on each range, and a limit on the items
    all ranges of one render give together (nested loops multiply)."""

    def __init__(self, *args: int):
        self.inner = range(*args)
        if len(self.inner) > MAX_LOOP_ITEMS:
            raise TemplateProblem("template.too_many_loops", _too_many(len(self.inner)))

    def __iter__(self):
        for item in self.inner:
            _budget.items += 1
            if _budget.items > MAX_LOOP_ITEMS:
                raise TemplateProblem("template.too_many_loops", _too_many(_budget.items))
            yield item

    def __len__(self) -> int:
        return len(self.inner)

    def __getitem__(self, index):
        return self.inner[index]

    def __contains__(self, item) -> bool:
        return item in self.inner

    def __reversed__(self):
        return reversed(list(self.__iter__()))


def _too_many(count: int) -> str:
    return (f"the templates' loops would run more than {MAX_LOOP_ITEMS:,} times (this one "
            f"asks for {count:,}); a range() is far too large or loops are nested too deeply")


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    from jinja2.utils import generate_lorem_ipsum
    if n > MAX_LIPSUM or max > 10 * MAX_LIPSUM or min > max:
        raise TemplateProblem("template.too_large", f"lipsum({n}, min={min}, max={max}) asks for "
                              f"too much text; apr allows up to {MAX_LIPSUM} paragraphs of up to "
                              f"{10 * MAX_LIPSUM} words")
    return generate_lorem_ipsum(n, html, min, max)


def _sized(value, times) -> bool:
    return isinstance(value, (str, bytes, list, tuple)) and isinstance(times, int)


class MarkdownText(str):
    """Text that is already apr's block markup (a table, a chart, a narrative file, a marker):
    templates output it as it is. Every other string a template outputs is shown literally."""

    __slots__ = ()


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")
LINE_START = re.compile(r"^(\s*)(?:([-+=#:>])|(\d+)([.)]))")


def literal(value: Any) -> Any:
    """Return a value a template outputs so that Markdown shows it literally (``finalize``).

    Names and text from the data or apr.toml ("Tom & Jerry's <b>", "**x**", "[link](...)",
    "<<pagebreak>>", a name on two lines) must appear as typed in the report, never become
    bold, a link, a heading, a table cell border or one of apr's instructions. So each
    Markdown character is escaped with a backslash (which shows nothing: Markdown prints the
    character itself), line breaks become spaces, and a value starting like a list, heading,
    quote or box is escaped too. Numbers and apr's own markup (MarkdownText) pass as they are.
    """
    if not isinstance(value, str) or isinstance(value, MarkdownText):
        return value
    text = " ".join(value.splitlines()) if ("\n" in value or "\r" in value) else value
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    m = LINE_START.match(text)
    if m:
        text = (m.group(1) + "\\" + m.group(2) + text[m.end():] if m.group(2) else
                m.group(1) + m.group(3) + "\\" + m.group(4) + text[m.end():])
    return text


class ReportSandbox(ImmutableSandboxedEnvironment):
    """The sandbox templates run in: no private attributes, no mutation, no files or modules,
    and limits on loops, text size and powers (see MAX_... above)."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if _sized(seq, times) and len(seq) * times > MAX_OUTPUT_CHARS:
                    raise TemplateProblem("template.too_large", f"this multiplication would make "
                                          f"{len(seq) * times:,} characters or items; apr allows "
                                          f"up to {MAX_OUTPUT_CHARS:,}")
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_POWER and \
                isinstance(left, (int, float)) and abs(left) > 1:
            raise TemplateProblem("template.too_large", f"{left} ** {right} is too large a "
                                  f"power; apr allows exponents up to {MAX_POWER}")
        return super().call_binop(context, operator, left, right)

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


class TemplateFileProblem(Exception):
    """A template file apr cannot use (encoding, a link out of the project), with its place."""

    def __init__(self, code: str, message: str, file: str, line: int | None = None):
        super().__init__(message)
        self.code, self.message, self.file, self.line = code, message, file, line


def file_problem(code: str, message: str, file: str, line: int | None = None
                 ) -> TemplateFileProblem:
    """Return the exception for a template file apr cannot use (raised by the loader)."""
    return TemplateFileProblem(code, message, file, line)


class ProjectLoader(jinja2.FileSystemLoader):
    """The project's templates/ folder: UTF-8 files inside the project only.

    A template that is not UTF-8 (Notepad's "ANSI", Windows-1252) is an error naming it and
    the line of its first bad byte; one that is a link leading outside the project is refused.
    """

    def __init__(self, folder: str, project: Path):
        super().__init__(folder)
        self.project = str(project)

    def get_source(self, environment, template):
        from ..paths import leads_outside, link_path, outside_message
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            path = self._path(template)
            shown = link_path(Path(path)) if path else template
            data = Path(path).read_bytes() if path else b""
            line = data[:exc.start].count(b"\n") + 1 if path else None
            raise file_problem(
                "template.encoding", f"the template is not saved as UTF-8 (byte "
                f"0x{exc.object[exc.start]:02x} here is not UTF-8: Windows-1252 or 'ANSI'?); "
                "save it as UTF-8 (in Notepad: Save as, Encoding UTF-8)", shown, line) from None
        if leads_outside(Path(filename), Path(self.project)):
            shown = link_path(Path(self._path(template) or filename))
            raise file_problem("template.outside_project", outside_message(shown), shown)
        return source, filename, uptodate

    def _path(self, template: str) -> str | None:
        from jinja2.loaders import split_template_path
        for folder in self.searchpath:
            path = os.path.join(folder, *split_template_path(template))
            if os.path.isfile(path):
                return path
        return None


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
            loaders.append(ProjectLoader(own, Path(project_dir).resolve()))
        loaders.append(default)
        env = _environments[own] = ReportSandbox(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=AprUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=literal,
        )
        env.globals.update(range=CountedRange, lipsum=_lipsum)
        env.filters.update(center=_limited(env.filters["center"], "width"),
                           indent=_limited(env.filters["indent"], "width"))
    env.bytecode_cache = None if project_dir is None else TemplateCache(write=cache_writes)
    return env


def _limited(filter_, what: str):
    """Return ``filter_`` refusing a width that would make a huge text."""
    def checked(value, *args, **kwargs):
        widths = [a for a in (*args, kwargs.get(what)) if isinstance(a, int)]
        if any(w > 10_000 for w in widths):
            raise TemplateProblem("template.too_large", f"{filter_.__name__.removeprefix('do_')}"
                                  f" with a {what} over 10,000 would make a huge text")
        return filter_(value, *args, **kwargs)
    return checked


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
        return _render_limited(env, name, context)
    except TemplateFileProblem as exc:
        raise _error(exc.code, exc.message, exc.file, exc.line) from None
    except RecursionError as exc:
        file, line = _template_frame(exc, env, name)
        raise _error("template.recursion", "this template includes or calls itself without "
                     "end (directly or through another template or macro); remove the include "
                     "or macro call that leads back to it", file, line) from None
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


def _render_limited(env: jinja2.Environment, name: str, context: dict) -> str:
    """Render with MAX_OUTPUT_CHARS, MAX_LOOP_ITEMS and, in the main thread, a time limit."""
    _budget.items = 0
    template = env.get_template(name)
    with _time_limit(MAX_RENDER_SECONDS):
        parts, size = [], 0
        for part in template.generate(context):
            size += len(part)
            if size > MAX_OUTPUT_CHARS:
                raise _error("template.too_large", f"the report's text grew past "
                             f"{MAX_OUTPUT_CHARS:,} characters (a real report is well under a "
                             "million); a loop or a filter in the templates makes far too much "
                             "text", template_file(env, name), None)
            parts.append(part)
    return "".join(parts)


class _TooSlow(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Raise TemplateProblem when the block runs longer than ``seconds`` (SIGALRM: main thread
    on POSIX, and only when nobody else uses the alarm; elsewhere no time limit)."""
    usable = hasattr(signal, "setitimer") and \
        threading.current_thread() is threading.main_thread() and \
        signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
    if not usable:
        yield
        return

    def expired(signum, frame):  # noqa: ARG001
        raise TemplateProblem("template.too_slow", f"the templates took more than {seconds:g} "
                              "seconds to render and were stopped here (the sample report takes "
                              "under a second); a loop probably runs far too many times")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
    kind = "key" if isinstance(exc.obj, dict) else "field"
    return (f"{_describe(exc.obj, context)} has no {kind} "
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
