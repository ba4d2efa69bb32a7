"""What a `civic` start loads: placeholders for commands, entry points without importlib.metadata.

`civic --help` lists every command, core and plugin, from LazyCommand placeholders; a command's
module is imported when that command runs. These tests keep the placeholders honest (same help
as the real command) and the start light (checked in a child process's own sys.modules).
"""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

import civic.pm as pm_module
from civic.cli.lazy import CommandTable, LazyCommand
from civic.cli.main import CORE_COMMANDS, build_cli
from civic.pm import make_plugin_manager

# Modules a read and `--help` leave alone: click's texts come through civic's catalog (the
# standard gettext's search imports locale, and its copy), and only a record's birth date
# needs civic.dates (which brings calendar).
LAZY = ("locale", "copy", "calendar", "civic.dates")

PROBE = "LAZY = " + repr(LAZY) + r"""
import json, sys
sys.argv = ["civic", *sys.argv[1:]]
from civic.cli.main import main
try:
    main()
except SystemExit:
    pass
loaded = sorted(m for m in sys.modules if m.startswith(("civic.cli.", "civic.plugins."))
                or m in ("importlib.metadata", "textual", "secrets", "random", *LAZY))
sys.stdout.write("\n@@" + json.dumps(loaded) + "\n")
"""


def _loaded_by(*args: str, env: dict[str, str] | None = None) -> tuple[str, set[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          env=env, timeout=60)
    out, _sep, modules = done.stdout.rpartition("\n@@")
    return out, set(json.loads(modules))


def test_help_lists_every_command_and_imports_none_of_their_modules():
    out, loaded = _loaded_by("--help")
    for name in (*CORE_COMMANDS, "nomination", "placement"):
        assert f"  {name} " in out, name
    assert not {m for m in loaded if m.endswith("_cmds") or m.endswith(".cli")}, loaded
    assert "importlib.metadata" not in loaded and "textual" not in loaded


def test_a_command_imports_its_own_module_only(tmp_path):
    env = {**_environ(), "CIVIC_DB": str(tmp_path / "none.db")}
    _out, loaded = _loaded_by("people", "list", env=env)  # fails (no database): loads all the same
    assert "civic.cli.registry_cmds" in loaded
    assert not {"civic.cli.notice_cmds", "civic.cli.ui_cmds", "civic.plugins.nomination.cli",
                "civic.plugins.placement.cli"} & loaded


def test_a_read_and_help_leave_the_lazy_modules_alone(tmp_path):
    from civic.db import migrate, open_db

    path = tmp_path / "office.db"
    db = open_db(path)
    migrate(db, make_plugin_manager())
    db.close()
    env = {**_environ(), "CIVIC_DB": str(path)}
    for args in (["--help"], ["people", "list"], ["people", "list", "--json"]):
        out, loaded = _loaded_by(*args, env=env)
        assert "Usage" in out or "0 of 0 shown." in out or '"total": 0' in out, out
        assert not set(LAZY) & loaded, (args, set(LAZY) & loaded)


def test_clicks_own_texts_come_through_civics_catalog(tmp_path):
    # "Error: {message}" is one of click's texts and one of civic's: a usage error now says
    # it in the operator's language, like civic's own errors.
    env = {**_environ(), "CIVIC_DB": str(tmp_path / "none.db"), "CIVIC_LANG": "zh_CN"}
    done = subprocess.run([sys.executable, "-c", PROBE, "people", "list", "--limit", "x"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert "错误：" in done.stderr and "'--limit'" in done.stderr, done.stderr


def _environ() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")} | {
        "CIVIC_LANG": "en"}


def test_each_placeholder_has_its_commands_help():
    """Same English text means the same msgid, so the same text in every language."""
    cli = build_cli(make_plugin_manager())
    table = cli.commands
    assert isinstance(table, CommandTable)
    placeholders = {n: table.peek(n) for n in list(table) if isinstance(table.peek(n), LazyCommand)}
    assert set(CORE_COMMANDS) | {"nomination", "placement"} <= set(placeholders)
    for name, placeholder in placeholders.items():
        real = placeholder.load()
        assert real.name == name
        assert placeholder.help == real.help, name
        assert placeholder.get_short_help_str(60) == real.get_short_help_str(60)


def test_reading_the_table_gives_real_commands():
    cli = build_cli(make_plugin_manager(only=[]))
    assert isinstance(cli.commands.peek("people"), LazyCommand)
    assert isinstance(cli.commands["people"], click.Group)
    assert not any(isinstance(c, LazyCommand) for c in cli.commands.values())


def test_a_command_module_that_fails_to_load_is_one_clean_line():
    cli = build_cli(make_plugin_manager(only=[]))
    cli.add_command(LazyCommand("broken", "civic_no_such_module:group", help="Broken."))
    runner = CliRunner()
    listed = runner.invoke(cli, ["--help"])
    assert listed.exit_code == 0 and "broken" in listed.output
    result = runner.invoke(cli, ["broken", "x"])
    assert result.exit_code == 1
    assert "could not be loaded" in result.output and "Traceback" not in result.output


def test_a_placeholder_in_a_plain_click_group_runs_the_real_command():
    group = click.Group("plain")
    group.add_command(LazyCommand("units", "civic.cli.registry_cmds:units", help="Units."))
    result = CliRunner().invoke(group, ["units", "--help"])
    assert result.exit_code == 0 and "import" in result.output


@pytest.mark.parametrize("group", ["civic", "console_scripts", "pytest11"])
def test_entry_points_are_found_as_importlib_metadata_finds_them(group):
    def key(ep):
        return ep.name, ep.value, ep.group, ep.dist.name, ep.dist.version

    ours = [key(ep) for ep in pm_module.entry_points(group)]
    assert ours == [key(ep) for ep in importlib.metadata.entry_points(group=group)]
    if group == "civic":
        assert {"nomination", "placement"} <= {name for name, *_rest in ours}


def test_an_unusual_distribution_finder_hands_the_scan_to_importlib_metadata(monkeypatch):
    class Finder:
        @staticmethod
        def find_spec(*_args, **_kwargs):
            return None

        @staticmethod
        def find_distributions(*_args, **_kwargs):
            return iter(())

    marker = [object()]
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder()])
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: marker)
    assert pm_module.entry_points("civic") == marker


def test_entry_points_load_like_importlib_metadata():
    ep = pm_module.EntryPoint("x", "civic.cli.lazy:LazyCommand.load [extra]", "civic")
    assert ep.load() is LazyCommand.load
    assert pm_module.EntryPoint("m", "civic.cli.lazy", "civic").load().__name__ == "civic.cli.lazy"


def test_every_top_level_command_of_the_core_modules_is_listed():
    """A command added to a core module must be added to CORE_COMMANDS too, or no one sees it."""
    import importlib
    import pkgutil

    import civic.cli

    defined: dict[int, click.Command] = {}
    for info in pkgutil.iter_modules(civic.cli.__path__):
        if info.name.endswith("_cmds"):
            module = importlib.import_module(f"civic.cli.{info.name}")
            defined.update({id(v): v for v in vars(module).values()
                            if isinstance(v, click.Command)})
    children = {id(c) for g in defined.values() if isinstance(g, click.Group)
                for c in g.commands.values()}
    top = {c.name for key, c in defined.items() if key not in children}
    assert top == set(CORE_COMMANDS)


def test_shared_options_are_worded_in_the_chosen_language():
    """--json and --supervisor are defined once for every command; their help is built when
    the command's module loads, after the language is set, so it reads in that language."""
    out, _loaded = _loaded_by("--lang", "zh_CN", "people", "list", "--help", env=_environ())
    assert "输出 JSON，供脚本使用。" in out
    out, _loaded = _loaded_by("--lang", "zh_CN", "notice", "publish", "--help", env=_environ())
    assert "签字确认的纪委监督人员" in out


def test_the_collector_is_paused_for_the_start_only(tmp_path):
    # main() pauses the cyclic collector while it builds the command tree and loads the
    # command, then freezes what the start built and turns it back on for the command's work.
    probe = r"""
import gc, sys
sys.argv = ["civic", *sys.argv[1:]]
import civic.cli.registry_cmds as commands
real = commands.people_list.callback
def spy(*args, **kwargs):
    print("@@", gc.isenabled(), gc.get_freeze_count() > 0)
    return real(*args, **kwargs)
commands.people_list.callback = spy
from civic.cli.main import main
try:
    main()
except SystemExit:
    pass
"""
    env = {**_environ(), "CIVIC_DB": str(tmp_path / "none.db")}
    done = subprocess.run([sys.executable, "-c", probe, "people", "list"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert "@@ True True" in done.stdout, (done.stdout, done.stderr)


def test_a_core_change_runs_no_plugins_action_declarations(tmp_path):
    """A people import logs its operator in for a core action: core's declarations answer it,
    so no plugin's register_actions runs (the accountability plugin's imports its rules), and
    the login imports nothing only another step needs."""
    from civic.auth import add_operator
    from civic.db import migrate, open_db
    from civic.office import Office

    path = tmp_path / "office.db"
    pm = make_plugin_manager()
    db = open_db(path)
    migrate(db, pm)
    add_operator(Office(db, pm), "clerk", "admin", "clerk-password")
    db.close()
    people = tmp_path / "people.csv"
    people.write_text("编号,姓名\nP1,王伟\n", encoding="utf-8")
    env = {**_environ(), "CIVIC_DB": str(path), "CIVIC_USER": "clerk",
           "CIVIC_PASSWORD": "clerk-password"}
    out, loaded = _loaded_by("people", "import", str(people), "--json", env=env)
    assert json.loads(out)["added"] == 1, out
    assert "civic.plugins.accountability.plugin" in loaded  # the plugins are registered
    assert "civic.plugins.accountability.rules" not in loaded, loaded
    # Only a setup code needs secrets (and the random it imports); a login does not.
    assert not {"secrets", "random"} & loaded, loaded
