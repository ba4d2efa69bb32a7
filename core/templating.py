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
import posixpath
import re
import string
import sys
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
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
    nodes,
    pass_context,
)
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import soft_str

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
# Joining (`~`, `+`, `join`) may build up to what a whole notice may hold: unlike repetition,
# it often joins what the office supplied (a long body, a big table), not text made from nothing.
MAX_JOINED = MAX_OUTPUT
MAX_LOOP_TOTAL = 1_000_000  # iterations of all `for` loops of one render together
MAX_JSON_INDENT = 16
MAX_SECONDS = 10.0  # wall time of one render, checked as output is produced
MAX_POWER_BITS = 100_000

_range_budget: contextvars.ContextVar[list[int]] = contextvars.ContextVar("range_budget")
_loop_budget: contextvars.ContextVar[list[int]] = contextvars.ContextVar("loop_budget")
_deadline: contextvars.ContextVar[float] = contextvars.ContextVar("deadline")

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_GROWING_STR_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


class NoticeTemplateError(CivicError):
    """A template could not be found, compiled or rendered; the message names it."""


class TemplateMissing(NoticeTemplateError):
    """No template of that name (a plugin's, say, since uninstalled)."""


_LOOP_FILTER = "_civic_loop"  # a filter name no template has a reason to use itself


class _LimitedCodeGenerator(CodeGenerator):
    """Jinja's compiler with two more places where the sandbox gets a say.

    The sandbox intercepts calls, attribute access and chosen binary operators, but `~` compiles
    to a plain `str_join((a, b, ...))` and a `for` loop to a plain Python loop: neither could be
    limited, so `a~a~a...` built 100,000,000 characters and a loop over a long string ran on
    without producing output (the only other moment the deadline is checked).
    """

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # Jinja's own choice of join, passed to the environment with the parts unjoined.
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.join_limited({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        # Every `for x in items` becomes `for x in items|_civic_loop` before compiling (Jinja
        # allows no node types of our own, and filters are collected from the tree up front).
        for loop in list(node.find_all(nodes.For)):
            if not (isinstance(loop.iter, nodes.Filter) and loop.iter.name == _LOOP_FILTER):
                loop.iter = nodes.Filter(loop.iter, _LOOP_FILTER, [], [], None, None,
                                         lineno=loop.iter.lineno)
        super().visit_Template(node, frame)


class NoticeEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox plus size limits on the operations that can build huge values."""

    code_generator_class = _LimitedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters[_LOOP_FILTER] = _loop_items

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _check_deadline()
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
            _check_product(left, right)
        elif operator == "+":
            _check_sum(left, right)
        elif operator == "**":
            _check_power(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_percent_format(left)
        return super().call_binop(context, operator, left, right)

    def join_limited(self, join: Callable[[Iterable[Any]], str], parts: tuple[Any, ...]) -> str:
        """`a ~ b ~ ...`: the parts as text (as `join` would make them), measured, then joined."""
        _check_deadline()
        texts = [soft_str(part) for part in parts]
        _check_joined(sum(map(len, texts)))
        return join(texts)

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
            elif name == "join" and args:
                items = list(args[0])  # often a generator: measured here, joined below
                _check_separated(owner, items)
                args = (items, *args[1:])
            elif name == "translate" and args:
                _check_translate(owner, args[0])
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        # Jinja wraps str.format at attribute access; check the widths before it builds a string.
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and getattr(value, "__name__", "") in ("format", "format_map"):
            _check_brace_format(owner)
        return super().wrap_str_format(value)


@pass_context  # never folded into a constant at compile time: it must run at render time
def _loop_items(_context: Any, iterable: Any) -> Iterator[Any]:
    """A `for` loop's items, charged to the render's loop budget as they are taken."""
    return _counted(iterable)


def _counted(iterable: Any) -> Iterator[Any]:
    budget = _loop_budget.get(None)
    if budget is None:  # not inside a render (a template module used on its own)
        yield from iterable
        return
    taken = 0
    for item in iterable:
        taken += 1
        if taken == 1024:  # charge in batches: a check per item would slow every table
            _charge_loop(budget, taken)
            taken = 0
        yield item
    _charge_loop(budget, taken)


def _charge_loop(budget: list[int], taken: int) -> None:
    budget[0] -= taken
    if budget[0] < 0:
        raise SecurityError(_("Template refused: its loops together exceed {limit} items.")
                            .format(limit=MAX_LOOP_TOTAL))
    _check_deadline()


def _refuse(what: str, limit: int = MAX_SIZE) -> SecurityError:
    return SecurityError(_("Template refused: {what} is larger than the limit of {limit}.")
                         .format(what=what, limit=limit))


def _check_joined(n: int) -> None:
    if n > MAX_JOINED:
        raise _refuse(_("a value of size {n}").format(n=n), MAX_JOINED)


def _check_sum(left: Any, right: Any) -> None:
    if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
        _check_joined(len(left) + len(right))


def _check_product(left: Any, right: Any) -> None:
    # Squaring a number again and again doubles its size each time, like a string.
    if isinstance(left, int) and isinstance(right, int):
        bits = left.bit_length() + right.bit_length()
        if bits > MAX_POWER_BITS:
            raise _refuse(_("a product of {bits} bits").format(bits=bits), MAX_POWER_BITS)


def _check_separated(separator: Any, items: list[Any]) -> None:
    """`sep.join(items)`: the separator counts once per gap, which is what can explode."""
    _check_joined(len(str(separator)) * max(len(items) - 1, 0)
                  + sum(len(item) for item in items if isinstance(item, str)))


def _check_translate(text: str, table: Any) -> None:
    if isinstance(table, Mapping):
        longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1)
        _check_joined(len(text) * max(longest, 1))


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


def _guarded_filter(original: Callable[..., Any], check: Callable[..., Any]) -> Callable:
    """`original` behind `check(value, *args, **kwargs)`, which refuses or returns the value
    to use (a generator made into a list, to be measured and then used); the result is then
    measured too, which bounds what a chain of growing filters can build."""
    leading = 0 if getattr(original, "jinja_pass_arg", None) is None else 1

    def guarded(*args: Any, **kwargs: Any) -> Any:
        if len(args) > leading:  # Jinja passes the value positionally, after its context
            value = check(*args[leading:], **kwargs)
            args = (*args[:leading], value, *args[leading + 1:])
        result = original(*args, **kwargs)
        if isinstance(result, str | list | tuple):
            _check_joined(len(result))
        return result

    guarded.__name__ = original.__name__
    guarded.jinja_pass_arg = getattr(original, "jinja_pass_arg", None)  # type: ignore[attr-defined]
    return guarded


def _check_center(value: Any, width: Any = 80, *_a: Any, **_k: Any) -> Any:
    _check_size(width if isinstance(width, int) else 0)
    return value


def _check_indent(value: Any, width: Any = 4, *_a: Any, **_k: Any) -> Any:
    size = width if isinstance(width, int) else len(str(width))
    _check_size(size * (str(value).count("\n") + 1))
    return value


def _check_format_filter(value: Any, *_a: Any, **_k: Any) -> Any:
    if isinstance(value, str):
        _check_percent_format(value)
    return value


def _check_replace_filter(value: Any, old: Any = "", new: Any = "", count: Any = None,
                          *_a: Any, **_k: Any) -> Any:
    _check_replace(str(value), old, new, -1 if count is None else count)
    return value


def _check_join_filter(value: Any, d: Any = "", attribute: Any = None, **_k: Any) -> Any:
    if isinstance(value, str):
        items: Any = value
        texts = len(value)
    else:
        items = list(value)  # often a generator (`|map`): measured here, joined by the filter
        # With `attribute` the joined texts are the items' attributes: the separators alone.
        texts = 0 if attribute is not None else sum(len(x) for x in items if isinstance(x, str))
    _check_joined(len(str(d)) * max(len(items) - 1, 0) + texts)
    return items


def _check_wordwrap(value: Any, width: Any = 79, break_long_words: Any = True,
                    wrapstring: Any = None, *_a: Any, **_k: Any) -> Any:
    text = str(value)
    if isinstance(width, int) and width > 0:
        lines = len(text) // width + text.count("\n") + 1
        _check_joined(len(text) + len(str(wrapstring or "\n")) * lines)
    return value


def _check_batch(value: Any, linecount: Any = 0, fill_with: Any = None, **_k: Any) -> Any:
    if fill_with is not None and isinstance(linecount, int):  # pads the last batch to size
        _check_size(linecount)
    return value


def _check_slice(value: Any, slices: Any = 0, *_a: Any, **_k: Any) -> Any:
    if isinstance(slices, int):  # makes that many lists, however short the sequence
        _check_size(slices)
    return value


def _check_sum_filter(value: Any, attribute: Any = None, start: Any = 0, **_k: Any) -> Any:
    items = list(value)
    if attribute is None:  # adding up lists or strings concatenates them
        sized = [x for x in (start, *items) if isinstance(x, str | list | tuple)]
        if sized:
            _check_joined(sum(map(len, sized)))
    return items


def _check_urlize(value: Any, *args: Any, **kwargs: Any) -> Any:
    # target= and rel= are copied into every link: a long one times many links.
    names = ("trim_url_limit", "nofollow", "target", "rel")
    given = {**dict(zip(names, args, strict=False)), **kwargs}
    extra = sum(len(str(given.get(k) or "")) for k in ("target", "rel"))
    _check_joined((len(str(value)) // 4 + 1) * extra)
    return value


def _check_tojson(value: Any, indent: Any = None, **_k: Any) -> Any:
    width = indent if isinstance(indent, int) else len(str(indent or ""))
    if width > MAX_JSON_INDENT:
        raise _refuse(_("a JSON indent of {n}").format(n=width), MAX_JSON_INDENT)
    return value


def _check_forceescape(value: Any, *_a: Any, **_k: Any) -> Any:
    text = str(value)  # each of & < > " ' grows to at most five characters
    _check_joined(len(text) + 4 * sum(text.count(c) for c in "&<>\"'"))
    return value


_FILTER_CHECKS: dict[str, Callable[..., Any]] = {
    "center": _check_center, "indent": _check_indent, "format": _check_format_filter,
    "replace": _check_replace_filter, "join": _check_join_filter, "wordwrap": _check_wordwrap,
    "batch": _check_batch, "slice": _check_slice, "sum": _check_sum_filter,
    "urlize": _check_urlize, "tojson": _check_tojson, "forceescape": _check_forceescape,
}


def _lipsum(original: Callable[..., str]) -> Callable[..., str]:
    def lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
        if isinstance(n, int) and isinstance(max, int) and isinstance(min, int):
            _check_size(n * (max if max > min else min))  # words
        return original(n, html, min, max)

    return lipsum


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


@dataclass(frozen=True)
class NoticeKind:
    """A kind of public notice a plugin posts (`register_notice_kinds` hook).

    `kind` is prefixed with the plugin's name (`commendations.award`); `title` is an English
    msgid, translated when shown; `template` the document's name without language and suffix
    (`commendations/award`: files award.zh_CN.j2 and award.en.j2 in the plugin's folder);
    `period_days` the default notice period in working days (None: the office's; never shorter
    than the office's minimum); `folder` the plugin's template folder (None: `templates/`
    beside the plugin's module), reachable as `<plugin>/name` and `<plugin>:name`.
    """

    kind: str
    title: str
    template: str = "notice"
    period_days: int | None = None
    folder: str | os.PathLike | None = None

    @property
    def plugin(self) -> str:
        return self.kind.split(".", 1)[0]


def notice_kinds(pm: Any) -> dict[str, NoticeKind]:
    """Every registered notice kind by name; a kind registered twice keeps the first."""
    found: dict[str, NoticeKind] = {}
    if pm is None:
        return found

    def register(kind: NoticeKind) -> None:
        if kind.kind in found:
            print(f"civic: notice kind {kind.kind!r} registered twice; the first is kept",
                  file=sys.stderr)
            return
        found[kind.kind] = kind

    pm.hook.register_notice_kinds(register=register)
    return found


def plugin_template_dirs(pm: Any) -> dict[str, Path]:
    """Each plugin's template folder keyed by plugin name: the folders its notice kinds name,
    else (the convention) `templates/` next to the plugin's module."""
    from civic import hookspecs

    found: dict[str, Path] = {}
    if pm is None:
        return found
    for kind in notice_kinds(pm).values():
        if kind.folder is not None and Path(kind.folder).is_dir() and kind.plugin != "core":
            found.setdefault(kind.plugin, Path(kind.folder))
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


def _locate(environment: jinja2.Environment, loader: BaseLoader, template: str) -> str | None:
    """The file `loader` would read for `template`, found with `stat` alone: nothing is read.

    Mirrors FileSystemLoader, PrefixLoader and ChoiceLoader's own search (the only loaders
    make_loader builds); any other loader is asked for the source itself.
    """
    if isinstance(loader, FileSystemLoader):
        pieces = split_template_path(template)
        for searchpath in loader.searchpath:
            filename = posixpath.join(searchpath, *pieces)
            if os.path.isfile(filename):
                return os.path.normpath(filename)
        return None
    if isinstance(loader, PrefixLoader):
        prefix, sep, name = template.partition(loader.delimiter)
        inner = loader.mapping.get(prefix) if sep else None
        return None if inner is None else _locate(environment, inner, name)
    if isinstance(loader, ChoiceLoader):
        for inner in loader.loaders:
            found = _locate(environment, inner, template)
            if found is not None:
                return found
        return None
    try:
        return loader.get_source(environment, template)[1]
    except jinja2.TemplateNotFound:
        return None


class _SourceLoader(BaseLoader):
    """`source:name` reaches one source exactly; other names go through the override chain."""

    def __init__(self, exact: PrefixLoader, chain: ChoiceLoader) -> None:
        self.exact = exact
        self.chain = chain

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        loader = self.exact if ":" in template else self.chain
        try:
            filename = _locate(environment, loader, template)
        except jinja2.TemplateNotFound:  # a name that climbs out of its folder ("..")
            filename = None
        if filename is None:
            # One cheap refusal: render_document asks for the format-specific file first on
            # every render, and it usually does not exist.
            raise jinja2.TemplateNotFound(template)
        source, filename, uptodate = loader.get_source(environment, template)

        def still_current() -> bool:
            # Jinja asks this before every render that reuses the compiled template. Stale when
            # the file changed (its mtime, Jinja's own test) or when another file now answers
            # to the name (an override put in front of it, or taken away): both by `stat`,
            # never by reading the file again.
            if uptodate is not None and not uptodate():
                return False
            try:
                return _locate(environment, loader, template) == filename
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
    for name, check in _FILTER_CHECKS.items():
        env.filters[name] = _guarded_filter(env.filters[name], check)
    env.globals["lipsum"] = _lipsum(env.globals["lipsum"])
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
    """Apply the per-render limits and turn every template failure into a CivicError that
    names the template file and line, so the CLI prints one line and no traceback."""
    tokens = (_range_budget.set([MAX_RANGE_TOTAL]), _loop_budget.set([MAX_LOOP_TOTAL]),
              _deadline.set(time.monotonic() + MAX_SECONDS))
    try:
        yield
    except jinja2.TemplatesNotFound as exc:
        names = " or ".join(str(n) for n in exc.templates)
        raise TemplateMissing(_("No template named {names}.").format(names=names)) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateMissing(_("Template {name} not found.").format(name=exc.name)) from None
    except jinja2.TemplateSyntaxError as exc:
        raise NoticeTemplateError(_("Template {name}, line {line}: {error}").format(
            name=exc.name or name, line=exc.lineno, error=exc.message)) from None
    except jinja2.TemplateError as exc:  # undefined names, the sandbox's refusals
        raise _located(exc, name, getattr(exc, "message", None) or str(exc)) from None
    except RecursionError as exc:
        raise _located(exc, name, _("calls nested too deeply (a macro that calls itself?)")
                       ) from None
    except MemoryError as exc:
        raise _located(exc, name, _("it ran out of memory")) from None
    # What a template can get wrong with Python values: `1|join`, `'a' - 1`, `x[99]`, `1 / 0`.
    # Kept as the cause, for a developer; the operator reads the one line.
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        raise _located(exc, name, f"{type(exc).__name__}: {exc}") from exc
    finally:
        _range_budget.reset(tokens[0])
        _loop_budget.reset(tokens[1])
        _deadline.reset(tokens[2])


# The names Jinja gives the frames it rewrites to point into templates (jinja2.debug).
_TEMPLATE_FRAMES = ("top-level template code", "template")


def _located(exc: BaseException, name: str, error: str) -> NoticeTemplateError:
    """A NoticeTemplateError naming the innermost template line the traceback passes through
    (Jinja rewrites tracebacks to show template files and lines)."""
    where: tuple[str, int] | None = None
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if (code.co_name in _TEMPLATE_FRAMES or code.co_name.startswith("block ")) \
                and not code.co_filename.endswith(".py"):
            where = (code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    if where is None:
        return NoticeTemplateError(_("Template {name}: {error}").format(name=name, error=error))
    filename = name if where[0].startswith("<") else where[0]
    return NoticeTemplateError(_("Template {name}, line {line}: {error}").format(
        name=filename, line=where[1], error=error))


def _hard_deadline(work: Callable[[], str], name: str) -> str:
    """`work()` in a forked child process, killed at MAX_SECONDS.

    The sandbox checks the clock at calls, operators, loop batches and output: a filter that
    runs for seconds on a big list (sort, groupby, unique), in a loop that prints nothing,
    meets none of these, and a render ran for most of an hour. A process can be stopped in
    the middle of anything. The child inherits the compiled templates and the plugins (fork,
    no start-up), renders, and sends back the text or the error's message. Where there is no
    fork (Windows), the in-process limits are all there is.
    """
    if not hasattr(os, "fork"):
        return work()
    import signal

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, report, and leave without running anything else
        status = 0
        try:
            os.close(read_end)
            try:
                reply = b"R" + work().encode("utf-8", "surrogatepass")
            except NoticeTemplateError as exc:
                reply = b"E" + str(exc).encode("utf-8", "surrogatepass")
            except BaseException as exc:  # noqa: BLE001 - anything else is still one message
                reply = b"E" + _("Template {name}: {error}").format(
                    name=name, error=f"{type(exc).__name__}: {exc}").encode("utf-8", "replace")
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(reply)
        except BaseException:  # noqa: BLE001 - the parent reports a child that said nothing
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    reply = b""
    try:
        reply = _read_until(read_end, time.monotonic() + MAX_SECONDS)
    finally:
        os.close(read_end)
        if reply is None or not reply:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if reply is None:
        raise NoticeTemplateError(_("Template {name}: {error}").format(
            name=name, error=_("Template refused: it ran longer than {n} seconds.").format(
                n=MAX_SECONDS)))
    if not reply:  # killed by the system (out of memory), or it crashed
        raise NoticeTemplateError(_("Template {name}: {error}").format(
            name=name, error=_("it ran out of memory")))
    text = reply[1:].decode("utf-8", "surrogatepass")
    if reply[:1] == b"E":
        raise NoticeTemplateError(text)
    return text


def _read_until(fd: int, deadline: float) -> bytes | None:
    """All a pipe holds until its writer closes it; None if the deadline passes first."""
    import select

    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _w, _x = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _guarded_render(user_made: bool, name: str, work: Callable[[], str]) -> str:
    """Render within the limits; a user-made template (the office's override folder, text
    given inline) also within a hard deadline. Shipped templates keep the fast path."""
    def limited() -> str:
        with _guarded(name):
            return work()

    return _hard_deadline(limited, name) if user_made else limited()


def render(pm: Any, names: str | list[str], context: Mapping[str, Any], *, fmt: str = "md",
           user_dir: str | os.PathLike | None = None) -> str:
    """Render the first of `names` that exists, within the limits; errors as CivicError."""
    env = environment(pm, fmt, user_dir)
    candidates = [names] if isinstance(names, str) else list(names)
    return _guarded_render(
        override_dir(user_dir) is not None, candidates[0],
        lambda: _collect(env.select_template(candidates).generate(dict(context))))


def render_string(pm: Any, source: str, context: Mapping[str, Any], *, fmt: str = "md") -> str:
    """Render template text given inline (tests, previews) with the same sandbox and limits,
    and the hard deadline: such text is never one of civic's own templates."""
    env = environment(pm, fmt)
    return _guarded_render(True, "<string>",
                           lambda: _collect(env.from_string(source).generate(dict(context))))


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

    def work() -> str:
        kit = env.get_template(f"format/{fmt}.j2").make_module({"lang": lang, "fmt": fmt})
        return _collect(env.select_template(names).generate(
            {**context, "lang": lang, "fmt": fmt, "kit": kit}))

    text = _guarded_render(override_dir(user_dir) is not None, names[-1], work)
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
