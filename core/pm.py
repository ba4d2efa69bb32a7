"""The plugin manager: built-ins and third-party plugins load the same way, by entry point."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

import pluggy

from civic import hookspecs

ENTRY_POINT_GROUP = "civic"


@dataclass
class LoadReport:
    """What loading found: loaded names and those that failed, with why."""

    loaded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    distributions: dict[str, tuple[str, str]] = field(default_factory=dict)


def make_plugin_manager(only: Iterable[str] | None = None, blocked: Iterable[str] = (),
                        extra: Iterable[Any] = ()) -> pluggy.PluginManager:
    """A fresh manager (no module-level global) with the `civic` entry points loaded.

    `only` (or the CIVIC_LOAD_PLUGINS allow-list, comma-separated) limits which entry points
    load; an empty allow-list loads none. A plugin that fails to import or register is
    reported in `pm.civic_report` and skipped, so one broken plugin never stops an office.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
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
            report.distributions[ep.name] = (ep.dist.name, ep.dist.version)
    for plugin in extra:
        pm.register(plugin)
    pm.check_pending()
    pm.civic_report = report  # type: ignore[attr-defined]
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
