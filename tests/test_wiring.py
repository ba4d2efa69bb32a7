"""civic.wiring.StandardHooks: the standard hooks of a plugin, built once from its layout
(docs/plugin_hooks.md "The standard wiring")."""

from __future__ import annotations

import sys

import pluggy
import pytest

from civic import hookspecs
from civic.wiring import ModeSpec, StandardHooks

STANDARD = {"register_migrations", "register_event_types", "register_actions",
            "register_commands", "open_workflows", "register_demo_data", "register_modes",
            "register_palette_commands"}

# (parts left out, hooks wired)
PARTS = [
    ({}, STANDARD),
    ({"cli": None}, STANDARD - {"register_commands"}),
    ({"demo": None, "workflows": None}, STANDARD - {"register_demo_data", "open_workflows"}),
    ({"mode": None}, STANDARD - {"register_modes", "register_palette_commands"}),
    ({"actions": None, "migrations": None, "events": None},
     STANDARD - {"register_actions", "register_migrations", "register_event_types"}),
]


def hooks(**parts):
    kwargs = {"help": "Help.", "actions": lambda: (),
              "mode": ModeSpec("X", "screens:XScreen", action="x.read"),
              "palette": [("X", "Open X")], **parts}
    return StandardHooks("x", "civic.plugins.x", **kwargs)


@pytest.mark.parametrize("parts,wired", PARTS)
def test_the_parts_given_are_wired(parts, wired):
    assert set(hooks(**parts).hooks) == wired


def test_install_refuses_a_hook_both_written_and_wired():
    namespace = {"register_migrations": lambda: None}
    with pytest.raises(ValueError, match="register_migrations is both written and wired"):
        hooks().install(namespace)


def test_the_built_ins_register_as_modules_with_the_standard_hooks():
    from civic.plugins.nomination import plugin as nomination
    from civic.plugins.placement import plugin as placement

    for module in (nomination, placement):
        assert STANDARD <= set(vars(module))
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(nomination, name="nomination")
    # demo_first: the nomination's July demo runs before the other plugins' (tryfirst).
    impl = next(i for i in pm.hook.register_demo_data.get_hookimpls()
                if i.plugin_name == "nomination")
    assert impl.tryfirst
    # The hook hands over the module's set (imported when asked, not at registration).
    (found,) = pm.hook.register_migrations()
    assert found is sys.modules["civic.plugins.nomination.migrations"].migrations
    assert found.name == "civic.nomination"


def test_the_command_placeholder_names_the_group_and_its_help():
    from civic.cli.lazy import LazyCommand

    class Group:
        def __init__(self):
            self.added = []

        def add_command(self, command):
            self.added.append(command)

    group = Group()
    hooks().hooks["register_commands"](cli=group)
    (command,) = group.added
    assert isinstance(command, LazyCommand)
    assert (command.name, command.target, command.help) == ("x", "civic.plugins.x.cli:x", "Help.")


def test_open_workflows_hands_today_to_a_function_that_takes_it(monkeypatch):
    """`today` came after the hook: a plugin's function naming it gets the day, one that
    takes only the database still works."""
    import datetime as dt
    import types

    day = dt.date(2008, 7, 4)
    seen: list = []
    module = types.ModuleType("civic.plugins.x.workflows")
    module.with_today = lambda db, today: seen.append((db, today)) or ["dated"]
    module.without = lambda db: seen.append((db,)) or ["plain"]
    monkeypatch.setitem(sys.modules, "civic.plugins.x.workflows", module)
    for target, expected in (("workflows:with_today", ("db", day)),
                             ("workflows:without", ("db",))):
        seen.clear()
        found = hooks(workflows=target).hooks["open_workflows"](db="db", today=day)
        assert seen == [expected] and found == (["dated"] if len(expected) == 2 else ["plain"])



def test_open_workflows_reads_the_signature_once(monkeypatch):
    """The dashboard asks for open work on every refresh: the plugin's function is found and
    its signature read on the first call only."""
    import datetime as dt
    import inspect
    import types

    module = types.ModuleType("civic.plugins.x.workflows")
    module.open_workflows = lambda db, today: [today]
    monkeypatch.setitem(sys.modules, "civic.plugins.x.workflows", module)
    read: list = []
    signature = inspect.signature
    monkeypatch.setattr(inspect, "signature", lambda f: read.append(f) or signature(f))
    hook = hooks().hooks["open_workflows"]
    days = [dt.date(2008, 7, n) for n in (1, 2, 3)]
    assert [hook(db="db", today=day) for day in days] == [[day] for day in days]
    assert read == [module.open_workflows]
