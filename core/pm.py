"""The plugin manager: built-ins and third-party plugins load the same way, by entry point."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from importlib import import_module
from importlib.machinery import PathFinder
from types import FunctionType, MethodType, ModuleType
from typing import Any

import pluggy

from civic import hookspecs

ENTRY_POINT_GROUP = "civic"


# --- finding entry points without importing importlib.metadata ------------------------------
# Importing importlib.metadata (email, zipfile, csv, ...) cost every `civic` start about 22 ms,
# nearly as much as importing click, for a scan that reads a few small files. `entry_points` below
# does what importlib.metadata.entry_points(group=...) does for the ordinary case (folders on
# sys.path holding *.dist-info or *.egg-info): the same order, the first distribution of a
# name wins, the same entry_points.txt syntax. Anything else (a zip or an .egg on sys.path, an
# import hook that finds distributions of its own) goes to importlib.metadata itself. A test
# checks that both give the same result here.

# importlib.metadata.EntryPoint.pattern (compiled on first use, by `re`'s cache)
_ENTRY_POINT = r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$"


class Distribution:
    """The distribution an entry point comes from; name and version read when asked."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._headers: dict[str, str] | None = None

    def _header(self, key: str) -> str | None:
        if self._headers is None:
            self._headers = {}
            name = "PKG-INFO" if self.folder.lower().endswith(".egg-info") else "METADATA"
            try:
                with open(os.path.join(self.folder, name), encoding="utf-8") as fh:
                    for line in fh:
                        if not line.strip():
                            break  # the headers end at the first blank line
                        field_name, sep, value = line.partition(":")
                        if sep and not line[0].isspace():
                            self._headers.setdefault(field_name.strip(), value.strip())
            except OSError:
                pass
        return self._headers.get(key)

    @property
    def name(self) -> str | None:
        return self._header("Name")

    @property
    def version(self) -> str | None:
        return self._header("Version")


class EntryPoint:
    """What the plugin manager uses of importlib.metadata.EntryPoint (a plain class: a
    dataclass is generated at import time, which is what this module avoids)."""

    __slots__ = ("name", "value", "group", "dist")

    def __init__(self, name: str, value: str, group: str, dist: Distribution | None = None
                 ) -> None:
        self.name, self.value, self.group, self.dist = name, value, group, dist

    def __repr__(self) -> str:
        return f"EntryPoint(name={self.name!r}, value={self.value!r}, group={self.group!r})"

    def load(self) -> Any:
        """The module, or the object named after the colon (as importlib.metadata does)."""
        match = re.match(_ENTRY_POINT, self.value)
        if match is None:
            raise ValueError(f"malformed entry point {self.name} = {self.value}")
        found = import_module(match.group("module"))
        for attr in filter(None, (match.group("attr") or "").split(".")):
            found = getattr(found, attr)
        return found


def _needs_importlib_metadata() -> bool:
    """True when distributions may be found somewhere other than folders on sys.path."""
    for finder in sys.meta_path:
        if finder is not PathFinder and hasattr(finder, "find_distributions"):
            return True
    return any(entry.lower().endswith(".egg") or os.path.isfile(entry) for entry in sys.path)


def _normalize(name: str) -> str:
    # PEP 503 with dashes as underscores, as importlib.metadata keys distributions.
    return re.sub(r"[-_.]+", "_", name).lower()


def _section(text: str, group: str) -> Iterator[tuple[str, str]]:
    section = None
    for line in map(str.strip, text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
        elif section == group:
            name, sep, value = line.partition("=")
            if sep:
                yield name.strip(), value.strip()


def entry_points(group: str) -> list[Any]:
    """The entry points of `group` of every installed distribution, in sys.path order."""
    if _needs_importlib_metadata():
        from importlib.metadata import entry_points as found

        return list(found(group=group))
    seen: set[str] = set()
    out: list[Any] = []
    for root in sys.path:
        try:
            children = os.listdir(root or ".")
        except OSError:
            continue
        for child in children:
            low = child.lower()
            if not low.endswith((".dist-info", ".egg-info")):
                continue
            key = _normalize(low.rpartition(".")[0].partition("-")[0])
            if key in seen:
                continue  # an earlier path entry's copy of this distribution wins
            seen.add(key)
            folder = os.path.join(root, child)
            try:
                with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            if f"[{group}]" not in text:
                continue  # most distributions declare no civic plugin: skip the parse
            dist = Distribution(folder)
            out += [EntryPoint(name, value, group, dist) for name, value in _section(text, group)]
    return out


class LoadReport:
    """What loading found: loaded names and those that failed, with why.

    A plain class: every `civic` start builds one, and a dataclass costs its import and the
    generated code of its methods."""

    def __init__(self) -> None:
        self.loaded: list[str] = []
        self.failed: dict[str, str] = {}
        self.skipped: list[str] = []
        self._dists: dict[str, Any] = {}

    @property
    def distributions(self) -> dict[str, tuple[str, str]]:
        """Each loaded plugin's distribution (name, version), read from its metadata when
        asked (`civic plugins`), not on every start."""
        return {name: (dist.name, dist.version) for name, dist in self._dists.items()}


class _Manager(pluggy.PluginManager):
    """pluggy's manager, quicker to read a module: pluggy looks every name of the module up
    with `inspect.getattr_static` (about a fifth of a `civic` start for six plugins, and the
    hookspecs module's names again); a module's ordinary name is its `__dict__` entry, and
    only a function or method there can be a hook implementation or specification, so
    anything else is passed over before that lookup. The answer is pluggy's own in every case
    (tests/test_plugins.py compares them)."""

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> Any:
        found = _module_marker(plugin, name, self.project_name + "_impl")
        return super().parse_hookimpl_opts(plugin, name) if found is _ASK_PLUGGY else found

    def parse_hookspec_opts(self, module_or_class: Any, name: str) -> Any:
        found = _module_marker(module_or_class, name, self.project_name + "_spec")
        if found is _ASK_PLUGGY:
            return super().parse_hookspec_opts(module_or_class, name)
        return found


_ASK_PLUGGY = object()


def _module_marker(plugin: Any, name: str, marker: str) -> Any:
    """A module's hook marker options for `name` read from its `__dict__`, None when the name
    cannot be a hook, or _ASK_PLUGGY for what only pluggy's lookup can tell."""
    if type(plugin) is not ModuleType:
        return _ASK_PLUGGY
    value = plugin.__dict__.get(name)
    if type(value) is FunctionType and not name.startswith("__"):
        # pluggy reads the marker off the function
        opts = getattr(value, marker, None)
        return opts if isinstance(opts, dict) else None
    if name in plugin.__dict__ and not isinstance(value, _HOOKABLE):
        # A module's own value that is no function (its __doc__, __spec__, a constant):
        # pluggy's lookup finds it, or a descriptor of the module type (__dict__,
        # __annotations__), neither of which can be a hook.
        return None
    return _ASK_PLUGGY


_HOOKABLE = (FunctionType, MethodType, staticmethod, classmethod)


def make_plugin_manager(only: Iterable[str] | None = None, blocked: Iterable[str] = (),
                        extra: Iterable[Any] = ()) -> pluggy.PluginManager:
    """A fresh manager (no module-level global) with the `civic` entry points loaded.

    `only` (or the CIVIC_LOAD_PLUGINS allow-list, comma-separated) limits which entry points
    load; an empty allow-list loads none. A plugin that fails to import or register is
    reported in `pm.civic_report` and skipped, so one broken plugin never stops an office.
    """
    pm = _Manager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    report = LoadReport()
    if only is None and "CIVIC_LOAD_PLUGINS" in os.environ:
        only = [n.strip() for n in os.environ["CIVIC_LOAD_PLUGINS"].split(",") if n.strip()]
    allowed = set(only) if only is not None else None
    blocked = set(blocked)
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if ep.name in blocked or (allowed is not None and ep.name not in allowed):
            report.skipped.append(ep.name)
            continue
        if pm.has_plugin(ep.name):
            continue
        try:
            plugin = ep.load()
            pm.register(plugin, name=ep.name)
            pm.check_pending()
        except Exception as exc:  # a broken plugin is reported, never fatal
            if pm.has_plugin(ep.name):
                pm.unregister(name=ep.name)
            report.failed[ep.name] = f"{type(exc).__name__}: {exc}"
            print(f"civic: plugin {ep.name!r} skipped: {exc}", file=sys.stderr)
            continue
        report.loaded.append(ep.name)
        if ep.dist is not None:
            report._dists[ep.name] = ep.dist
    for plugin in extra:
        pm.register(plugin)
    pm.check_pending()
    pm.civic_report = report  # type: ignore[attr-defined]
    from civic.i18n import install_plugin_catalogs

    install_plugin_catalogs(pm)  # a plugin's own translations, behind core's
    return pm


def plugin_info(pm: pluggy.PluginManager) -> list[dict[str, Any]]:
    """Each registered plugin with its distribution and the hooks it implements."""
    report: LoadReport = getattr(pm, "civic_report", LoadReport())
    out = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda p: str(p[0])):
        if plugin is hookspecs:
            continue
        hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
        dist, version = report.distributions.get(name, (None, None))
        out.append({
            "name": name,
            "module": getattr(plugin, "__name__", repr(plugin)),
            "distribution": dist,
            "version": version,
            "hooks": hooks,
        })
    return out
