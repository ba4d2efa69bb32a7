"""The sandboxed Jinja2 environment that renders public notices.

Templates are found, in order:
1. `<source>:name` (e.g. `core:notice.zh_CN.j2`, `nomination:round1.zh_CN.j2`) names one source's
   own file exactly, so an override can extend the original it replaces;
2. the office's override folder (a `user_dir` argument, else `$CIVIC_TEMPLATES`);
3. `<plugin>/name`: the plugin's `templates/` folder (next to its module file);
4. core's `civic.templates` package.

Two environments exist per setting, one for text formats (md, txt) and one for HTML, because
Jinja2 fixes autoescaping when it compiles a template: the same wording template must escape in
HTML and must not in Markdown.

Templates are written by offices and plugin authors, not by the public, so the limits below
guard against accidents (a runaway loop, a typo'd `10**8`) rather than a determined attacker;
the sandbox itself keeps templates away from Python internals.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import os
import re
import string
import sys
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    pass_context,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from civic.errors import CivicError
from civic.i18n import _
from civic.textwidth import pad, width

ENV_VAR = "CIVIC_TEMPLATES"
FORMATS = ("md", "txt", "html")
LANGS = ("zh_CN", "en")

MAX_SIZE = 100_000  # characters or items one expression may build
MAX_RANGE = 10_000  # items one range() may yield ...
MAX_RANGE_TOTAL = 100_000  # ... and all range() calls of one render together
MAX_OUTPUT = 1_000_000  # characters one render may produce
MAX_SECONDS = 10.0  # wall time of one render, checked as output is produced
MAX_POWER_BITS = 100_000

_range_budget: contextvars.ContextVar[list[int]] = contextvars.ContextVar("range_budget")
_deadline: contextvars.ContextVar[float] = contextvars.ContextVar("deadline")

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_GROWING_STR_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


class NoticeTemplateError(CivicError):
    """A template could not be found, compiled or rendered; the message names it."""


class NoticeEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox plus size limits on the operations that can build huge values."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
        elif operator == "**":
            _check_power(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_percent_format(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _check_deadline()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            name = getattr(__obj, "__name__", "")
            if name in _GROWING_STR_METHODS:
                for value in (*args, *kwargs.values()):
                    _check_size(value if isinstance(value, int) else 0)
            elif name == "replace":
                _check_replace(owner, *args)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        # Jinja wraps str.format at attribute access; check the widths before it builds a string.
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and getattr(value, "__name__", "") in ("format", "format_map"):
            _check_brace_format(owner)
        return super().wrap_str_format(value)


def _refuse(what: str) -> SecurityError:
    return SecurityError(_("Template refused: {what} is larger than the limit of {limit}.")
                         .format(what=what, limit=MAX_SIZE))


def _check_size(n: int) -> None:
    if n > MAX_SIZE:
        raise _refuse(_("a value of size {n}").format(n=n))


def _check_repeat(seq: Any, times: Any) -> None:
    if isinstance(seq, str | list | tuple) and isinstance(times, int):
        if len(seq) * max(times, 0) > MAX_SIZE:
            raise _refuse(_("a repetition of {n} items").format(n=len(seq) * times))


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
        if max(abs(base).bit_length(), 1) * exponent > MAX_POWER_BITS:
            raise _refuse(_("a power of {bits} bits").format(
                bits=abs(base).bit_length() * exponent))


def _check_replace(text: str, old: Any = "", new: Any = "", count: Any = -1, *_rest: Any) -> None:
    if not isinstance(old, str) or not isinstance(new, str) or len(new) <= len(old):
        return
    hits = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    _check_size(len(text) + hits * (len(new) - len(old)))


def _check_percent_format(fmt: str) -> None:
    for m in _PERCENT_SPEC.finditer(fmt):
        for part in m.groups():
            if part == "*" or (part and int(part) > MAX_SIZE):
                raise _refuse(_("a format width"))


def _check_brace_format(fmt: str) -> None:
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format itself will refuse it
    for _lit, _field, spec, _conv in fields:
        if spec and ("{" in spec or any(int(n) > MAX_SIZE for n in re.findall(r"\d+", spec))):
            raise _refuse(_("a format width"))


def _check_deadline() -> None:
    deadline = _deadline.get(None)
    if deadline is not None and time.monotonic() > deadline:
        raise SecurityError(_("Template refused: it ran longer than {n} seconds.")
                            .format(n=MAX_SECONDS))


def _range(*args: int) -> range:
    """range() with a per-call and a per-render limit (the sandbox's own allows 100,000)."""
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise SecurityError(_("Template refused: range() of {n} items; the limit is {limit}.")
                            .format(n=len(rng), limit=MAX_RANGE))
    budget = _range_budget.get(None)
    if budget is not None:
        budget[0] -= len(rng)
        if budget[0] < 0:
            raise SecurityError(_("Template refused: its loops together exceed {limit} items.")
                                .format(limit=MAX_RANGE_TOTAL))
    return rng


# --- filters and helpers every notice template may use -------------------------------------

@pass_context
def loc(context: Any, value: Any) -> Any:
    """Pick the current language's text from a {lang: text} mapping; other values pass."""
    if isinstance(value, Mapping):
        lang = context.get("lang") or "zh_CN"
        for key in (lang, "zh_CN", "en"):
            if value.get(key) is not None:
                return value[key]
        return next(iter(value.values()), "")
    return value


@pass_context
def longdate(context: Any, value: Any) -> str:
    """2008年9月26日 in Chinese, 26 September 2008 in English."""
    if value is None or value == "":
        return ""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if (context.get("lang") or "zh_CN") == "zh_CN":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day.strftime('%B')} {day.year}"


def wcenter(value: Any, cells: int = 72) -> str:
    """Centre in `cells` terminal cells (Chinese characters take two)."""
    text = str(value)
    _check_size(cells)
    return " " * max(0, (cells - width(text)) // 2) + text


def wright(value: Any, cells: int = 72) -> str:
    """Align right in `cells` terminal cells."""
    text = str(value)
    _check_size(cells)
    return " " * max(0, cells - width(text)) + text


def wpad(value: Any, cells: int) -> str:
    """Pad on the right to `cells` terminal cells."""
    _check_size(cells)
    return pad(str(value), cells)


def md_cell(value: Any) -> str:
    """A table cell for Markdown: pipes escaped, lines joined."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def md_table(columns: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    heads = [md_cell(c) for c in columns]
    lines = ["| " + " | ".join(heads) + " |", "|" + "|".join(" --- " for _h in heads) + "|"]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def text_table(columns: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """Columns lined up in a terminal or a fixed-width printout (Chinese takes two cells)."""
    heads = [_plain(c) for c in columns]
    body = [[_plain(c) for c in row] for row in rows]
    widths = [max([width(h)] + [width(r[i]) for r in body if i < len(r)])
              for i, h in enumerate(heads)]
    lines = ["  ".join(pad(h, w) for h, w in zip(heads, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(c, w) for c, w in zip(r, widths, strict=False)).rstrip()
              for r in body]
    return "\n".join(lines)


def _plain(value: Any) -> str:
    return "" if value is None else str(value).replace("\n", " ")


def _guarded_filter(original: Callable[..., Any], check: Callable[..., None]) -> Callable:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        check(*args, **kwargs)
        return original(*args, **kwargs)

    guarded.__name__ = original.__name__
    guarded.jinja_pass_arg = getattr(original, "jinja_pass_arg", None)  # type: ignore[attr-defined]
    return guarded


def _check_center(value: Any, width: Any = 80, *_a: Any, **_k: Any) -> None:
    _check_size(width if isinstance(width, int) else 0)


def _check_indent(value: Any, width: Any = 4, *_a: Any, **_k: Any) -> None:
    size = width if isinstance(width, int) else len(str(width))
    _check_size(size * (str(value).count("\n") + 1))


def _check_format_filter(value: Any, *_a: Any, **_k: Any) -> None:
    if isinstance(value, str):
        _check_percent_format(value)


def _check_replace_filter(*args: Any, **_k: Any) -> None:
    # do_replace(eval_ctx, s, old, new, count=None)
    if len(args) >= 4:
        _check_replace(str(args[1]), args[2], args[3], args[4] if len(args) > 4 else -1)


# --- where templates come from -------------------------------------------------------------

def core_template_dir() -> Path:
    import civic.templates

    return Path(next(iter(civic.templates.__path__)))


def override_dir(user_dir: str | os.PathLike | None = None) -> Path | None:
    """The office's override folder: the argument, else `$CIVIC_TEMPLATES`, else none."""
    value = user_dir if user_dir is not None else os.environ.get(ENV_VAR)
    if not value:
        return None
    path = Path(value)
    if not path.is_dir():
        raise NoticeTemplateError(
            _("The template folder {path} does not exist (set by {env} or --templates).")
            .format(path=path, env=ENV_VAR))
    return path


_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def plugin_template_dirs(pm: Any) -> dict[str, Path]:
    """Each loaded plugin's `templates/` folder, next to its module, keyed by plugin name."""
    from civic import hookspecs

    found: dict[str, Path] = {}
    if pm is None:
        return found
    for name, plugin in pm.list_name_plugin():
        if plugin is hookspecs or plugin is None:
            continue
        module = plugin if isinstance(plugin, ModuleType) else sys.modules.get(
            type(plugin).__module__)
        file = getattr(module, "__file__", None)
        if not file:
            continue
        folder = Path(file).parent / "templates"
        # Plugins registered by object get a numeric pluggy name; use their package's instead.
        key = name if _NAME.match(str(name)) else module.__name__.split(".")[-1]
        if folder.is_dir() and key != "core" and key not in found:
            found[key] = folder
    return found


class _SourceLoader(BaseLoader):
    """`source:name` reaches one source exactly; other names go through the override chain."""

    def __init__(self, exact: PrefixLoader, chain: ChoiceLoader) -> None:
        self.exact = exact
        self.chain = chain

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        loader = self.exact if ":" in template else self.chain
        source, filename, uptodate = loader.get_source(environment, template)

        def still_current() -> bool:
            # Also stale when an override appeared (or went) in front of the file used.
            if uptodate is not None and not uptodate():
                return False
            try:
                return loader.get_source(environment, template)[1] == filename
            except jinja2.TemplateNotFound:
                return False

        return source, filename, still_current

    def list_templates(self) -> list[str]:
        return sorted(set(self.exact.list_templates()) | set(self.chain.list_templates()))


def make_loader(pm: Any = None, user_dir: str | os.PathLike | None = None) -> BaseLoader:
    core = FileSystemLoader(core_template_dir())
    plugins = {n: FileSystemLoader(p) for n, p in plugin_template_dirs(pm).items()}
    exact = PrefixLoader({"core": core, **plugins}, delimiter=":")
    chain: list[BaseLoader] = []
    user = override_dir(user_dir)
    if user is not None:
        chain.append(FileSystemLoader(user))
    if plugins:
        chain.append(PrefixLoader(plugins, delimiter="/"))
    chain.append(core)
    return _SourceLoader(exact, ChoiceLoader(chain))


def make_environment(pm: Any = None, *, html: bool = False,
                     user_dir: str | os.PathLike | None = None) -> NoticeEnvironment:
    """A fresh sandboxed environment; plugins adjust it through `prepare_jinja2_environment`."""
    env = NoticeEnvironment(
        loader=make_loader(pm, user_dir), undefined=StrictUndefined, autoescape=html,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=True)
    env.globals["range"] = _range
    env.globals.update(md_table=md_table, text_table=text_table)
    env.filters.update(loc=loc, longdate=longdate, md_cell=md_cell, width=width, pad=wpad,
                       wcenter=wcenter, wright=wright)
    for name, check in (("center", _check_center), ("indent", _check_indent),
                        ("format", _check_format_filter), ("replace", _check_replace_filter)):
        env.filters[name] = _guarded_filter(env.filters[name], check)
    if pm is not None:
        pm.hook.prepare_jinja2_environment(env=env)
    return env


_cache: weakref.WeakKeyDictionary[Any, dict[tuple, NoticeEnvironment]] = (
    weakref.WeakKeyDictionary())
_no_pm_cache: dict[tuple, NoticeEnvironment] = {}


def environment(pm: Any, fmt: str, user_dir: str | os.PathLike | None = None
                ) -> NoticeEnvironment:
    """The (cached) environment for a format: autoescaping for html, none for md and txt."""
    if fmt not in FORMATS:
        raise NoticeTemplateError(_("Unknown format {fmt}; choose one of {formats}.")
                                  .format(fmt=fmt, formats=", ".join(FORMATS)))
    folder = override_dir(user_dir)
    key = (fmt == "html", str(folder) if folder else None)
    envs = _cache.setdefault(pm, {}) if pm is not None else _no_pm_cache
    if key not in envs:
        envs[key] = make_environment(pm, html=key[0], user_dir=folder)
    return envs[key]


# --- rendering -----------------------------------------------------------------------------

@contextlib.contextmanager
def _guarded(name: str) -> Iterator[None]:
    """Apply the per-render limits and turn every template failure into a CivicError."""
    tokens = (_range_budget.set([MAX_RANGE_TOTAL]),
              _deadline.set(time.monotonic() + MAX_SECONDS))
    try:
        yield
    except jinja2.TemplatesNotFound as exc:
        names = " or ".join(str(n) for n in exc.templates)
        raise NoticeTemplateError(_("No template named {names}.").format(names=names)) from None
    except jinja2.TemplateNotFound as exc:
        raise NoticeTemplateError(_("Template {name} not found.").format(name=exc.name)) from None
    except jinja2.TemplateSyntaxError as exc:
        raise NoticeTemplateError(_("Template {name}, line {line}: {error}").format(
            name=exc.name or name, line=exc.lineno, error=exc.message)) from None
    except (jinja2.TemplateError, OverflowError) as exc:
        raise NoticeTemplateError(_("Template {name}: {error}").format(
            name=name, error=getattr(exc, "message", None) or exc)) from None
    finally:
        _range_budget.reset(tokens[0])
        _deadline.reset(tokens[1])


def render(pm: Any, names: str | list[str], context: Mapping[str, Any], *, fmt: str = "md",
           user_dir: str | os.PathLike | None = None) -> str:
    """Render the first of `names` that exists, within the limits; errors as CivicError."""
    env = environment(pm, fmt, user_dir)
    candidates = [names] if isinstance(names, str) else list(names)
    with _guarded(candidates[0]):
        return _collect(env.select_template(candidates).generate(dict(context)))


def render_string(pm: Any, source: str, context: Mapping[str, Any], *, fmt: str = "md") -> str:
    """Render template text given inline (tests, previews) with the same sandbox and limits."""
    env = environment(pm, fmt)
    with _guarded("<string>"):
        return _collect(env.from_string(source).generate(dict(context)))


def document_names(template: str, lang: str, fmt: str) -> list[str]:
    """A format-specific file wins over the shared wording: notice.zh_CN.html.j2, notice.zh_CN.j2."""
    return [f"{template}.{lang}.{fmt}.j2", f"{template}.{lang}.j2"]


def render_document(pm: Any, template: str, lang: str, fmt: str, context: Mapping[str, Any],
                    *, user_dir: str | os.PathLike | None = None) -> str:
    """Render a document template for one language and format, with the format's `kit`."""
    if lang not in LANGS:
        raise NoticeTemplateError(_("Unknown language {lang}; choose one of {langs}.")
                                  .format(lang=lang, langs=", ".join(LANGS)))
    env = environment(pm, fmt, user_dir)
    names = document_names(template, lang, fmt)
    with _guarded(names[-1]):
        kit = env.get_template(f"format/{fmt}.j2").make_module({"lang": lang, "fmt": fmt})
        text = _collect(env.select_template(names).generate(
            {**context, "lang": lang, "fmt": fmt, "kit": kit}))
    return text.strip() + "\n" if fmt == "html" else tidy_text(text)


def tidy_text(text: str) -> str:
    """Trailing spaces off, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def localize(value: Any, lang: str) -> Any:
    """Replace every {"zh_CN": ..., "en": ...} mapping in `value` by the text for `lang`."""
    if isinstance(value, Mapping):
        if value and set(value) <= set(LANGS):
            for key in (lang, "zh_CN", "en"):
                if value.get(key) is not None:
                    return value[key]
            return ""
        return {k: localize(v, lang) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [localize(v, lang) for v in value]
    return value


def _collect(chunks: Iterable[str]) -> str:
    out: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise SecurityError(_("Template refused: output larger than {limit} characters.")
                                .format(limit=MAX_OUTPUT))
        _check_deadline()
        out.append(chunk)
    return "".join(out)
