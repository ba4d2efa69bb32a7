"""The plugin system: entry points, isolation of broken plugins, allow-list, the public API."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import civic
import civic.plugins
from civic import audit, hookspecs
from civic.cli.main import build_cli
from civic.db import migrate, open_db
from civic.eligibility import problems
from civic.events import event_types
from civic.office import Office, Operator
from civic.pm import make_plugin_manager
from tests.plugin_example import plugin as example

ROOT = Path(__file__).parent.parent
# The code under test, through the installed package: CI also runs these tests on the wheel.
CORE = Path(civic.__file__).parent
PLUGINS = Path(civic.plugins.__file__).parent
HOOKS = sorted(name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
               if hasattr(fn, "civic_spec"))


def test_hooks_are_found():
    assert "register_migrations" in HOOKS and "add_hookspecs" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_its_arguments(hook):
    doc = (ROOT / "docs" / "plugin_hooks.md").read_text(encoding="utf-8")
    assert f"### `{hook}(" in doc, f"{hook} is not documented in docs/plugin_hooks.md"
    section = doc.split(f"### `{hook}(", 1)[1].split("\n### ", 1)[0]
    for arg in inspect.signature(getattr(hookspecs, hook)).parameters:
        assert f"`{arg}`" in section, f"{hook}: argument {arg} undocumented"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_implemented_by_the_example_plugin(hook):
    # The example plugin is exercised by the tests below, so each hook is called for real.
    assert hasattr(example, hook)


@pytest.fixture
def plugged(tmp_path):
    pm = make_plugin_manager(only=[], extra=[example])
    db = open_db(tmp_path / "p.db")
    migrate(db, pm)
    office = Office(db, pm, actor=Operator("op", "operator"))
    return pm, office


def test_plugin_adds_its_table_through_its_own_migrations(plugged):
    _pm, office = plugged
    assert "commendations_awards" in office.db.table_names()
    applied = [r[0] for r in office.db.execute(
        "SELECT migration_set FROM _sqlite_migrations ORDER BY id")]
    assert applied[0] == "civic.core" and applied[-1] == "civic.commendations"


def test_plugin_event_type_and_track_event_after_commit(plugged):
    pm, office = plugged
    assert event_types(pm).get("commendations.commended") is example.Commended
    office.db["people"].insert({"code": "C1", "name": "甲"})
    example.tracked.clear()
    with office.change() as change:
        change.record(example.Commended(person="C1", title="优秀"))
        assert example.tracked == []  # not before the commit
    assert example.tracked == [("commendations.commended", 1)]


def test_plugin_eligibility_problems_are_added(plugged):
    pm, office = plugged
    found = problems(pm, office.db, {"status": "serving", "tags": "blocked"}, {},
                     dt.date(2008, 1, 1))
    assert [p.condition for p in found] == ["commendations.blocked"]


def test_firstresult_notice_period_and_jinja_hook(plugged):
    pm, _office = plugged
    assert pm.hook.notice_period(kind="commendations.award") == 7
    assert pm.hook.notice_period(kind="other") is None

    class Env:
        filters: dict = {}

    pm.hook.prepare_jinja2_environment(env=Env)
    assert Env.filters["shout"]("a") == "A"


def test_other_hooks_are_callable(plugged):
    pm, office = plugged
    assert pm.hook.open_workflows(db=office.db, today=office.today()) == [[]]
    registered: list = []
    pm.hook.register_modes(register=registered.append)
    pm.hook.register_palette_commands(register=registered.append)
    assert [type(r).__name__ for r in registered] == ["Mode", "PaletteCommand"]
    kinds: list = []
    pm.hook.register_notice_kinds(register=kinds.append)
    assert [k.kind for k in kinds] == ["commendations.award"]
    assert pm.hook.person_sections(db=office.db, person={"code": "C1"}) == [[]]


def test_plugin_words_its_subjects(plugged):
    from civic.i18n import set_language
    from civic.subjects import describe, payload_rows

    pm, office = plugged
    office.db["people"].insert({"code": "C1", "name": "甲"})
    set_language("en")
    assert pm.hook.describe_subject(db=office.db, subject="commendations:2008") == \
        "commendations of 2008"
    assert pm.hook.describe_subject(db=office.db, subject="nomination:1") is None
    # Core asks the plugin for its own subjects, words its kinds, and shows the rest raw.
    assert describe(office.db, pm, "commendations:2008") == "commendations of 2008"
    assert describe(office.db, pm, "person:C1") == "甲 (C1)"
    assert describe(office.db, pm, "somebody:else") == "somebody:else"
    # An event's own LABELS word its fields; core's catalog the shared ones (person).
    assert payload_rows(office.db, pm, example.Commended.type,
                        {"person": "C1", "title": "优秀"}) == [("person", "甲 (C1)"),
                                                                ("honour", "优秀")]
    set_language("zh_CN")
    try:
        assert describe(office.db, pm, "commendations:2008") == "2008年度表彰"
    finally:
        set_language("en")


def test_plugin_declares_its_actions(plugged):
    from civic.actions import declared

    pm, _office = plugged
    actions = declared(pm)
    assert actions.problems == []
    award, listing = actions["commendations.award"], actions["commendations.read"]
    assert (award.changes_data, award.needs_cosign) == (True, False)
    assert award.default_roles() == {"admin", "operator"}
    assert not listing.changes_data and "viewer" in listing.default_roles()
    assert "notice.publish" in actions  # core's own, declared the same way


def test_plugin_command_writes_with_audit(plugged, tmp_path):
    pm, office = plugged
    from civic.auth import add_operator

    add_operator(office.as_actor(None), "op2", "operator", "pass-word")  # seeding a new file
    office.db["people"].insert({"code": "C1", "name": "甲"})
    env = {"CIVIC_DB": str(tmp_path / "p.db"), "CIVIC_USER": "op2",
           "CIVIC_PASSWORD": "pass-word", "CIVIC_LANG": "en"}
    result = CliRunner().invoke(build_cli(pm), ["commend", "C1", "优秀"], env=env)
    assert result.exit_code == 0, result.output
    assert audit.entries(office.db, limit=1)[0].type == "commendations.commended"


class _FakeEntryPoint:
    def __init__(self, name, target, dist=None):
        self.name, self._target, self.dist = name, target, dist

    def load(self):
        if isinstance(self._target, Exception):
            raise self._target
        return self._target


def test_a_broken_plugin_is_reported_and_skipped(monkeypatch, capsys):
    import civic.pm as pm_module

    eps = [_FakeEntryPoint("broken", ImportError("no module named x")),
           _FakeEntryPoint("example", example)]
    monkeypatch.setattr(pm_module, "entry_points", lambda group: eps)
    pm = make_plugin_manager()
    assert pm.civic_report.failed == {"broken": "ImportError: no module named x"}
    assert pm.civic_report.loaded == ["example"]
    assert "broken" in capsys.readouterr().err


def test_a_plugin_with_an_unknown_hook_is_refused(monkeypatch):
    import types

    import civic.pm as pm_module
    from civic import hookimpl

    bad = types.ModuleType("bad")

    @hookimpl
    def register_migratoins():  # misspelt: check_pending must catch it
        return None

    bad.register_migratoins = register_migratoins
    monkeypatch.setattr(pm_module, "entry_points", lambda group: [_FakeEntryPoint("bad", bad)])
    pm = make_plugin_manager()
    assert "bad" in pm.civic_report.failed and not pm.has_plugin("bad")


def test_allow_list_from_environment(monkeypatch):
    import civic.pm as pm_module

    monkeypatch.setattr(pm_module, "entry_points",
                        lambda group: [_FakeEntryPoint("example", example)])
    monkeypatch.setenv("CIVIC_LOAD_PLUGINS", "")
    assert make_plugin_manager().civic_report.skipped == ["example"]
    monkeypatch.setenv("CIVIC_LOAD_PLUGINS", "example")
    assert make_plugin_manager().civic_report.loaded == ["example"]


def test_core_boots_and_works_with_zero_plugins(tmp_path):
    pm = make_plugin_manager(only=[])
    assert [n for n, _p in pm.list_name_plugin() if _p is not hookspecs] == []
    env = {"CIVIC_DB": str(tmp_path / "z.db"), "CIVIC_PASSWORD": "zero-pass",
           "CIVIC_USER": "a", "CIVIC_LANG": "en"}
    run = CliRunner()
    assert run.invoke(build_cli(pm), ["init", "--admin", "a", "--supervisor", "s"],
                      env={**env, "CIVIC_SUPERVISOR_PASSWORD": "witness-pass"}).exit_code == 0
    result = run.invoke(build_cli(pm), ["units", "import", str(ROOT / "examples" / "units.csv")],
                        env=env)
    assert result.exit_code == 0, result.output
    assert run.invoke(build_cli(pm), ["audit", "verify"], env=env).exit_code == 0
    listed = json.loads(run.invoke(build_cli(pm), ["plugins", "--json"], env=env).output)
    assert listed == {"plugins": []}


def test_plugins_command_lists_hooks(plugged, tmp_path):
    pm, _office = plugged
    env = {"CIVIC_DB": str(tmp_path / "p.db"), "CIVIC_LANG": "en"}
    listed = json.loads(CliRunner().invoke(build_cli(pm), ["plugins", "--json"], env=env).output)
    names = [p["name"] for p in listed["plugins"]]
    assert len(names) == 1
    assert "register_migrations" in listed["plugins"][0]["hooks"]


@pytest.mark.parametrize("plugin", sorted(p.name for p in PLUGINS.iterdir()
                                          if (p / "plugin.py").exists()))
def test_a_plugins_modules_import_one_way(plugin):
    """No import loop inside a plugin, lazy (in-function) imports included: placement had
    decide -> setup -> views -> decide."""
    import ast

    package = f"civic.plugins.{plugin}"
    graph: dict[str, set[str]] = {}
    for path in (PLUGINS / plugin).glob("*.py"):
        deps = graph.setdefault(path.stem, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == package:
                deps |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    package + "."):
                deps.add(node.module.split(".")[3])
        deps.discard(path.stem)

    def loop_from(module: str, path: list[str]) -> list[str] | None:
        for dep in sorted(graph.get(module, ())):
            if dep in path:
                return path[path.index(dep):] + [dep]
            found = loop_from(dep, path + [dep])
            if found:
                return found
        return None

    for module in graph:
        found = loop_from(module, [module])
        assert found is None, f"{plugin}: import loop {' -> '.join(found)}"


def test_no_module_imports_core_or_plugins_directly():
    pattern = re.compile(r"^\s*(from|import)\s+(core|plugins)\b", re.M)
    for path in {*CORE.rglob("*.py"), *PLUGINS.rglob("*.py")}:
        assert not pattern.search(path.read_text(encoding="utf-8")), path


def test_a_plugin_declares_its_rule_settings(plugged):
    from civic.errors import CivicError
    from civic.rule_settings import rule_settings

    pm, _office = plugged
    quota = rule_settings(pm)["commendations.quota"]
    assert (quota.default, quota.floor, quota.ceiling) == ("3", "1", "10")
    assert quota.check("4") == "4"
    with pytest.raises(CivicError, match="below 1"):
        quota.check("0")


def test_the_quick_registration_finds_what_pluggy_finds():
    # civic's manager passes over a module's names that cannot be hooks before pluggy's static
    # lookup: for every name of every plugin (and of the example, and of an odd module with a
    # bound method, a staticmethod and a class), it answers as pluggy's own manager does.
    import types

    import pluggy

    from civic.pm import _Manager, entry_points

    class Holder:
        @civic.hookimpl
        def bound(self):
            pass

    odd = types.ModuleType("odd")
    odd.bound = Holder().bound
    odd.static = staticmethod(civic.hookimpl(lambda: None))
    odd.klass = Holder
    odd.number = 3
    # Dunder names: a module's own values are read directly, a marked function still goes to
    # pluggy; __annotations__ is also a descriptor of the module type.
    odd.__annotations__ = {"number": int}
    odd.__marked__ = civic.hookimpl(lambda: None)
    odd.__note__ = "text"
    modules = [ep.load() for ep in entry_points("civic")] + [example, odd]
    ours, theirs = _Manager(hookspecs.PROJECT), pluggy.PluginManager(hookspecs.PROJECT)
    for module in modules:
        for name in dir(module):
            assert ours.parse_hookimpl_opts(module, name) == \
                theirs.parse_hookimpl_opts(module, name), (module, name)
    odd.spec = civic.hookspec(lambda: None)
    for module in (hookspecs, odd):  # the hookspecs module is read the same way
        for name in dir(module):
            assert ours.parse_hookspec_opts(module, name) == \
                theirs.parse_hookspec_opts(module, name), (module, name)
    assert ours.parse_hookspec_opts(odd, "spec") is not None
    assert ours.parse_hookimpl_opts(odd, "bound") is not None


def test_a_plugins_distribution_is_read_when_asked():
    # The metadata is read for `civic plugins`, not on every start; it names civic's own.
    pm = make_plugin_manager()
    assert "placement" in pm.civic_report.loaded
    assert pm.civic_report.distributions["placement"][0] == "civic-personnel"
