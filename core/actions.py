"""Declared actions: what an operator can do, whether it changes data, whether a supervisor
must co-sign it, and which roles may take it.

Core and every plugin declare their actions through the `register_actions(register)` hook (in
the spirit of datasette's hook of that name). CLI commands name the actions they perform
(`@performs("notice.publish")`), TUI bindings and palette entries name theirs, and the checks
read the declarations: `state.office_for(name)` for a command, `CivicApp.require_change(name)`
in the app, the footer and the palette for what they show, and the role tests for what they
walk. An office may give an action to other roles than its default ones (`civic permission
set`, co-signed and audited); roles themselves stay the four of `civic.auth`.

A NamedTuple and plain functions, no click and no Textual: every command module imports this.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

# The mark a command names its actions by lives apart (a read command loads only that);
# re-exported here, where command modules and plugins import it from.
from civic.action_names import ATTRIBUTE as ATTRIBUTE
from civic.action_names import actions_of as actions_of
from civic.action_names import performs as performs
from civic.errors import CivicError
from civic.i18n import N_, _

ROLES = ("admin", "operator", "supervisor", "viewer")  # as civic.auth.ROLES (kept light here)
CHANGERS = frozenset({"admin", "operator"})
EVERYONE = frozenset(ROLES)
# Supervisors witness and viewers read (civic.auth): an office may not let either change data
# alone, so a change action is only ever given to these roles.
MAY_CHANGE = CHANGERS
# A receipt (an objection the discipline commission received) decides nothing: the supervisor
# who received it may enter it as well.
MAY_RECEIVE = CHANGERS | {"supervisor"}
SETTING_PREFIX = "permission."


class Action(NamedTuple):
    """One thing an operator can do.

    `name` is `<plugin>.<verb>` (core's are `notice.publish`, `registry.import`, ...); `title`
    is an English msgid worded to follow "may not" ("publish a notice"), translated when shown;
    `roles` are the roles allowed by default: anyone for a read, admins and operators for a
    change unless given.
    """

    name: str
    title: str
    changes_data: bool = True
    needs_cosign: bool = False
    roles: frozenset[str] | None = None
    # Changes only the acting operator's own account (their password): anyone may, since it
    # touches nothing of the office's records.
    own_account: bool = False
    # Records something received from outside (an objection to a notice) and decides nothing:
    # a supervisor may be given it too, since the discipline commission receives them.
    receipt: bool = False

    def may_change(self) -> frozenset[str]:
        """The roles this change may ever be given."""
        return MAY_RECEIVE if self.receipt else MAY_CHANGE

    def default_roles(self) -> frozenset[str]:
        if self.roles is not None:
            return frozenset(self.roles)
        return CHANGERS if self.changes_data and not self.own_account else EVERYONE

    def label(self) -> str:
        """The title in the current language."""
        return _(self.title)


def read(name: str, title: str, roles: Iterable[str] | None = None) -> Action:
    return Action(name, title, changes_data=False,
                  roles=None if roles is None else frozenset(roles))


def change(name: str, title: str, *, cosign: bool = False,
           roles: Iterable[str] | None = None, receipt: bool = False) -> Action:
    return Action(name, title, changes_data=True, needs_cosign=cosign,
                  roles=None if roles is None else frozenset(roles), receipt=receipt)


CORE_ACTIONS: tuple[Action, ...] = (
    # The registry: units, people, positions.
    read("registry.read", N_("read the registry")),
    read("registry.export", N_("export the registry")),
    change("registry.import", N_("import records into the registry")),
    # Public notices and the office settings printed on them.
    read("notice.read", N_("read notices")),
    change("notice.draft", N_("draft a notice")),
    change("notice.publish", N_("publish a notice"), cosign=True),
    # Objections reach the organization department and the discipline commission alike.
    change("notice.object", N_("record an objection"), receipt=True,
           roles={"admin", "operator", "supervisor"}),
    change("notice.resolve", N_("resolve an objection")),
    change("notice.confirm", N_("confirm a notice"), cosign=True),
    # A rule setting (a regulation's value, civic.rule_settings) is co-signed; others are not.
    change("settings.change", N_("change a setting"), cosign=True),
    # The audit log, its checkpoints, backups.
    read("audit.read", N_("read the audit log")),
    change("audit.checkpoint", N_("sign a checkpoint")),
    read("backup.copy", N_("back up the database")),
    # Operators and who may do what.
    read("user.read", N_("list operators")),
    # A step that touches a supervisor's account is co-signed by another supervisor.
    change("user.add", N_("add an operator"), cosign=True, roles={"admin"}),
    change("user.reset", N_("issue a setup code"), cosign=True, roles={"admin"}),
    change("user.deactivate", N_("deactivate an operator"), cosign=True, roles={"admin"}),
    change("user.reactivate", N_("reactivate an operator"), cosign=True, roles={"admin"}),
    change("user.role", N_("change an operator's role"), cosign=True, roles={"admin"}),
    Action("user.activate", N_("set your own password with a setup code"), own_account=True),
    Action("user.passwd", N_("change your own password"), own_account=True),
    read("permission.read", N_("list who may do what")),
    change("permission.set", N_("change who may do what"), cosign=True, roles={"admin"}),
    # The office file and the app.
    read("plugins.read", N_("list the plugins")),
    read("status.read", N_("list open work")),
    change("office.create", N_("create an office database")),
    change("office.demo", N_("build the demo office")),
    read("app.open", N_("open the terminal app")),
)


def register_core_actions(register: Callable[[Action], None]) -> None:
    for action in CORE_ACTIONS:
        register(action)


class Actions:
    """Every declared action by name: core's, then each plugin's."""

    def __init__(self) -> None:
        self._actions: dict[str, Action] = {}
        self.problems: list[str] = []

    def register(self, action: Action) -> None:
        problem = _problem(action)
        if problem is None and action.name in self._actions:
            problem = f"action {action.name!r} declared twice"
        if problem is not None:
            # One plugin's mistake must not stop the app: said, kept, and skipped (the role
            # walk then fails on any command that names the skipped action).
            self.problems.append(problem)
            print(f"civic: {problem}; skipped", file=sys.stderr)
            return
        self._actions[action.name] = action

    def get(self, name: str) -> Action | None:
        return self._actions.get(name)

    def __getitem__(self, name: str) -> Action:
        found = self._actions.get(name)
        if found is None:
            raise CivicError(_("No action {name} is declared by core or a loaded plugin.")
                             .format(name=name))
        return found

    def __contains__(self, name: object) -> bool:
        return name in self._actions

    def __iter__(self) -> Iterator[Action]:
        return iter(sorted(self._actions.values()))

    def names(self) -> list[str]:
        return sorted(self._actions)


def _problem(action: Any) -> str | None:
    if not isinstance(action, Action):
        return f"not a civic.actions.Action: {action!r}"
    prefix, dot, verb = action.name.partition(".")
    if not (prefix and dot and verb):
        return f"action name {action.name!r} is not <plugin>.<verb>"
    if not action.title:
        return f"action {action.name!r} has no title"
    if not action.default_roles() <= EVERYONE:
        return f"action {action.name!r} names an unknown role"
    if action.needs_cosign and not action.changes_data:
        return f"action {action.name!r} needs a co-signature but changes nothing"
    if action.changes_data and not action.own_account and \
            not action.default_roles() <= action.may_change():
        return f"action {action.name!r} lets a supervisor or viewer change data"
    if action.receipt and (not action.changes_data or action.needs_cosign):
        return f"action {action.name!r}: a receipt records one thing, uncosigned"
    return None


# Per plugin manager, with the plugins it had: one registered later means building again.
_cache: weakref.WeakKeyDictionary[Any, tuple[tuple[int, ...], Actions]] = (
    weakref.WeakKeyDictionary())
_core_only: list[Actions] = []


def declared(pm: Any | None) -> Actions:
    """Core's actions and every loaded plugin's (built once per plugin manager)."""
    if pm is None:
        if not _core_only:
            _core_only.append(_build(None))
        return _core_only[0]
    plugins = tuple(sorted(id(p) for p in pm.get_plugins()))
    cached = _cache.get(pm)
    if cached is None or cached[0] != plugins:
        cached = (plugins, _build(pm))
        _cache[pm] = cached
    return cached[1]


def _build(pm: Any | None) -> Actions:
    found = Actions()
    register_core_actions(found.register)
    if pm is not None:
        pm.hook.register_actions(register=found.register)
    return found


# --- who may ----------------------------------------------------------------------------------

def granted(db: Any) -> dict[str, frozenset[str]]:
    """The office's own roles per action, where it changed the default."""
    rows = db.execute("SELECT key, value FROM settings WHERE key LIKE ?",
                      (SETTING_PREFIX + "%",)).fetchall()
    return {key[len(SETTING_PREFIX):]: frozenset(r for r in value.split(",") if r)
            for key, value in rows}


def roles_for(db: Any, action: Action) -> frozenset[str]:
    """Who may take `action` in this office: its setting if it has one, else the default."""
    if db is None:
        return action.default_roles()
    row = db.execute("SELECT value FROM settings WHERE key = ?",
                     (SETTING_PREFIX + action.name,)).fetchone()
    if row is None:
        return action.default_roles()
    return frozenset(r for r in row[0].split(",") if r)


def may(db: Any, pm: Any, role: str | None, name: str) -> bool:
    """Whether an operator of `role` may take the action `name` (no audit: for what to show).
    An action nobody declared is refused: a typo must not open a door."""
    action = declared(pm).get(name)
    return role is not None and action is not None and role in roles_for(db, action)


def check_roles(action: Action, roles: Iterable[str]) -> frozenset[str]:
    """The roles an office may give `action`; refuses the ones the rules keep from it."""
    chosen = frozenset(roles)
    unknown = chosen - EVERYONE
    if unknown:
        raise CivicError(_("Unknown role {role}; choose among {roles}.").format(
            role=", ".join(sorted(unknown)), roles=", ".join(ROLES)))
    if not chosen:
        raise CivicError(_("Give at least one role."))
    if action.own_account:
        raise CivicError(_("{action} is every operator's own: it cannot be given or taken "
                           "away.").format(action=action.label()))
    if action.changes_data and action.receipt and not chosen <= action.may_change():
        raise CivicError(_("{action} records what the office receives: only admins, operators "
                           "and supervisors may be given it.").format(action=action.label()))
    if action.changes_data and not chosen <= action.may_change():
        raise CivicError(_("{action} changes data: supervisors witness and viewers read, so "
                           "only admins and operators may be given it.").format(
            action=action.label()))
    return chosen


def set_roles(office: Any, name: str, roles: Iterable[str] | None,
              cosigner: Any) -> frozenset[str]:
    """Give the action `name` to `roles` in this office (None: back to its default), audited
    with the supervisor who co-signed. The caller has logged the operator in for
    `permission.set` and taken the co-signature."""
    from civic.events import PermissionChanged

    action = declared(office.pm)[name]
    key = SETTING_PREFIX + name
    old = office.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    chosen = action.default_roles() if roles is None else check_roles(action, roles)
    value = ",".join(r for r in ROLES if r in chosen)
    with office.change() as change:
        if roles is None:
            office.db.execute("DELETE FROM settings WHERE key = ?", (key,))
        else:
            office.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                              (key, value))
        change.record(PermissionChanged(action=name, roles=value if roles is not None else None,
                                        old=old[0] if old else None), cosigner)
    return chosen
