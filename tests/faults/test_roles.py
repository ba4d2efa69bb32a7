"""Walk the whole command tree: who may change data, and who must co-sign.

The walk reads the declared actions (civic.actions, the `register_actions` hook): a command
whose actions change data must refuse a viewer and a wrong password, leaving every table but
the audit log as it was (a refusal is itself audited); a command whose actions only read must
write nothing; a command whose action needs a co-signature must refuse to go on without a
supervisor's, with a non-supervisor as co-signer, and with a supervisor's wrong password. The
example third-party plugin is installed, so a plugin's commands are walked like core's, and a
command that names no declared action fails here the day it appears.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import click
import pytest
import sqlite_utils
from click.testing import CliRunner

from civic.actions import actions_of, declared
from civic.cli.main import build_cli
from civic.db import table_checksums
from civic.pm import make_plugin_manager
from tests.plugin_example import plugin as example

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PM = make_plugin_manager(extra=[example])
ACTIONS = declared(PM)

# Commands that make a new file rather than change an office's; tested on their own below.
CREATORS = {"init", "demo"}
INTERACTIVE = {"tui"}  # the app logs its operator in on its own screen
# Writers that do not log in as --user for a change: any operator changes their own password
# (a viewer too), and a new account's person activates it with a setup code. Their own cases
# are below.
OWN_ACCOUNT = {"user passwd", "user activate"}

# What a command needs to exist before it can get as far as asking who you are.
SETUP: dict[str, list[list[str]]] = {
    "placement": [["placement", "new", "Roles test", "--cutoff", "2008-07-01"]],
    "notice publish": [["notice", "draft", "--subject", "person:X", "--title", "T",
                        "--body-file", "{body}"]],
    "notice confirm": [["notice", "draft", "--subject", "person:X", "--title", "T",
                        "--body-file", "{body}"],
                       ["notice", "publish", "1", "--on", "2008-06-02", "--supervisor", "sup"]],
    "notice resolve": [["notice", "draft", "--subject", "person:X", "--title", "T",
                        "--body-file", "{body}"],
                       ["notice", "publish", "1", "--on", "2008-06-02", "--supervisor", "sup"],
                       ["notice", "object", "1", "--channel", "letter", "--content", "x",
                        "--on", "2008-06-03"]],
}
SETUP["notice object"] = SETUP["notice confirm"]
SETUP["nomination"] = [  # a round with a roll, attendance and ballots, ready to certify
    ["nomination", "new", "--title", "T", "-p", "P-MSZ", "--reference-date", "2008-07-01"],
    ["nomination", "roll", "1", "{roll}"],
    ["nomination", "attend", "1", "--all"],
    ["nomination", "attend", "1", "--close"],  # ballots only after attendance closes
    ["nomination", "ballots", "import", "1", "{ballots}"],
    ["nomination", "ballots", "record", "1", "--issued", "3", "--returned", "3"],
]
SETUP["nomination notice"] = [["nomination", "certify", "1", "--supervisor", "sup"],
                              ["nomination", "notice", "1"]]  # the draft; publishing is tested
# Values that must be well-formed for a command to get as far as asking who you are.
# Account and rule-setting commands aim at what needs a co-signature: a supervisor's account, a
# rule setting (notice.period_days).
VALUES: dict[str, dict[str, str]] = {
    "nomination revote": {"votes": "C0001=3"},
    "admonish": {"on": "2008-07-01"},
    "permission set": {"action": "notice.draft"},
    "permission reset": {"action": "notice.draft"},
    "user add": {"role": "supervisor"},
    "user deactivate": {"name": "sup"},
    "user reactivate": {"name": "sup"},
    "user reset": {"name": "sup"},
    "user role": {"name": "sup"},
    "notice settings set": {"key": "notice.period_days", "value": "7"},
    "notice settings reset": {"key": "notice.period_days"},
}
# Optional parameters without which a command does something else (shows, not sets).
EXTRA: dict[str, list[str]] = {
    "notice object": ["--content", "x"],
    "placement override": ["P-MSZ"],
    "placement scheme": [str(EXAMPLES / "placement-scheme.toml")],
    "nomination adjudicate": ["--position", "P-MSZ", "--written", "X", "--invalid"],
    "nomination attend": ["--all"],
    "nomination notice": ["--publish"],
    "placement draw": ["C0001=1"],  # without numbers it lists the ties (a read)
    "evaluation notice": ["--publish"],
}


def _walk(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _walk(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


COMMANDS = dict(_walk(build_cli(PM)))
NAMED = {path: actions_of(command) for path, command in COMMANDS.items()}
UNDECLARED = {path: names for path, names in NAMED.items()
              if not names or any(n not in ACTIONS for n in names)}
DECLARED = sorted(set(COMMANDS) - set(UNDECLARED))


def _changes(path: str) -> bool:
    return any(ACTIONS[n].changes_data for n in NAMED[path])


WRITERS = sorted(p for p in DECLARED
                 if _changes(p) and p not in CREATORS | INTERACTIVE | OWN_ACCOUNT)
READ_ONLY = sorted(p for p in DECLARED if not _changes(p) and p not in INTERACTIVE)
COSIGNED = sorted(p for p in DECLARED if any(ACTIONS[n].needs_cosign for n in NAMED[p]))


def test_every_command_names_a_declared_action():
    # A command added on another branch, or by a plugin, must say what it does before it
    # ships: `@performs("<plugin>.<verb>")` on the command and the action declared through
    # the register_actions hook (civic.actions).
    lines = [f"  civic {path}: " + (", ".join(f"{n} (declared by nobody)" for n in names
                                              if n not in ACTIONS) or "names no action")
             for path, names in sorted(UNDECLARED.items())]
    assert not lines, ("these commands name no declared action; add @performs(...) and "
                       "declare it in register_actions:\n" + "\n".join(lines))


def test_the_lists_name_real_commands():
    stale = (CREATORS | INTERACTIVE | OWN_ACCOUNT | set(SETUP) | set(EXTRA) | set(VALUES)
             ) - set(COMMANDS)
    stale -= {p.split()[0] for p in COMMANDS}  # a group's setup is keyed by the group's name
    assert not stale, f"listed but gone: {stale}"
    assert len(WRITERS) >= 8 and set(COSIGNED) <= set(WRITERS)
    # The third-party plugin's commands are walked like core's.
    assert "commend" in WRITERS and "commendations" in READ_ONLY


def test_cosigned_commands_take_a_supervisor():
    # The declaration says who must co-sign; the command must let one be named.
    missing = [p for p in COSIGNED
               if not any(param.name == "supervisor" for param in COMMANDS[p].params)]
    assert not missing, f"co-signed by declaration but no --supervisor option: {missing}"
    # `init --supervisor` names the office's first supervisor, who co-signs nothing there.
    extra = [p for p in DECLARED if p not in COSIGNED and p not in CREATORS
             and any(param.name == "supervisor" for param in COMMANDS[p].params)]
    assert not extra, f"take --supervisor but declare no co-signed action: {extra}"


def _value(param: click.Parameter, files: dict[str, Path]) -> str:
    kind = param.type
    if isinstance(kind, click.Choice):
        return str(kind.choices[0])
    if isinstance(kind, click.IntRange | click.types.IntParamType | click.types.FloatParamType):
        return "1"
    if isinstance(kind, click.File):
        return str(files["body"])
    if isinstance(kind, click.Path):
        return str(files["csv"])
    if kind is click.STRING:
        return "X"
    return "2008-07-01"  # the project's own types are dates


def _args(path: str, command: click.Command, files: dict[str, Path]) -> list[str]:
    """The command with a plausible value for each required parameter."""
    args = path.split()
    given = VALUES.get(path, {})
    for param in command.params:
        value = given.get(param.name) or _value(param, files)
        if isinstance(param, click.Argument):
            if param.required:
                args.append(value)
        elif param.required:
            args += [param.opts[0], value]
    return args + EXTRA.get(path, [])


_prepared: dict[str, Path] = {}  # setup steps -> a database file they produced


class Office:
    """A copy of the template office and a CLI on it."""

    def __init__(self, template: Path, folder: Path, pm) -> None:
        self.path = folder / "office.db"
        shutil.copy(template, self.path)
        self.pm = pm
        body = folder / "body.md"
        body.write_text("正文\n", encoding="utf-8")
        roll = folder / "roll.csv"
        roll.write_text("code,name,category\nE1,甲,x\nE2,乙,x\nE3,丙,x\n", encoding="utf-8")
        ballots = folder / "ballots.csv"
        ballots.write_text("ballot,position,choice\n1,P-MSZ,C0001\n2,P-MSZ,C0001\n3,P-MSZ,\n",
                           encoding="utf-8")
        self.files = {"csv": EXAMPLES / "people.csv", "body": body, "roll": roll,
                      "ballots": ballots}

    def run(self, args: list[str], user: str = "op", password: str = "secret-pass",
            **env: str):
        environ = {"CIVIC_DB": str(self.path), "CIVIC_USER": user, "CIVIC_PASSWORD": password,
                   "CIVIC_LANG": "en", "CIVIC_SUPERVISOR_PASSWORD": "secret-pass",
                   "CIVIC_CHECKPOINT_PASSPHRASE": "a long passphrase", **env}
        args = [a.format(**self.files) for a in args]
        return CliRunner().invoke(build_cli(self.pm), args, env=environ)

    def prepare(self, path: str) -> None:
        steps = [step for key in (path.split()[0], path)  # the group's setup, the command's
                 for step in SETUP.get(key, [])]
        if not steps:
            return
        cached = _prepared.get(repr(steps))
        if cached is not None:  # the same setup was run for another test: reuse its file
            shutil.copy(cached, self.path)
            return
        for step in steps:
            result = self.run(step)
            assert result.exit_code == 0, (step, result.output)
        keep = self.path.with_name(f"prepared-{len(_prepared)}.db")
        conn = sqlite3.connect(str(self.path))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        shutil.copy(self.path, keep)
        _prepared[repr(steps)] = keep

    def tables(self) -> dict[str, str]:
        conn = sqlite3.connect(str(self.path))
        try:
            return table_checksums(sqlite_utils.Database(conn, execute_plugins=False))
        finally:
            conn.close()

    def audit_types_after(self, entry: int) -> set[str]:
        conn = sqlite3.connect(str(self.path))
        try:
            return {t for (t,) in conn.execute("SELECT type FROM audit_log WHERE id > ?",
                                               (entry,))}
        finally:
            conn.close()

    def head(self) -> int:
        conn = sqlite3.connect(str(self.path))
        try:
            return conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
        finally:
            conn.close()


@pytest.fixture(scope="module")
def roles_template(tmp_path_factory, office_builder) -> Path:
    """The fault tests' office, migrated with the example plugin installed too."""
    path = tmp_path_factory.mktemp("roles") / "office.db"
    office = office_builder(path, PM)
    office.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    office.db.close()
    return path


@pytest.fixture
def office_cli(roles_template, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # commands that write a file (export) write it here
    return Office(roles_template, tmp_path, PM)


def _refused(office: Office, args: list[str], phrase: str, **run) -> None:
    before, head = office.tables(), office.head()
    result = office.run(args, **run)
    assert result.exit_code != 0, f"{args} was allowed:\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    assert phrase in result.output, f"{args}: expected {phrase!r}, got:\n{result.output}"
    after = office.tables()
    changed = {t for t in after if after[t] != before.get(t)} - {"audit_log"}
    assert not changed, f"{args} changed {changed} although refused"
    assert office.audit_types_after(head) <= {"core.access_refused"}


@pytest.mark.parametrize("path", WRITERS)
def test_writer_refuses_a_viewer(path, office_cli):
    office_cli.prepare(path)
    _refused(office_cli, _args(path, COMMANDS[path], office_cli.files), "may not",
             user="view")


@pytest.mark.parametrize("path", WRITERS)
def test_writer_refuses_a_wrong_password(path, office_cli):
    office_cli.prepare(path)
    _refused(office_cli, _args(path, COMMANDS[path], office_cli.files),
             "Wrong operator name or password", password="not-the-password")


@pytest.mark.parametrize("user", ["op", "sup"])
def test_only_an_admin_adds_operators(user, office_cli):
    _refused(office_cli, ["user", "add", "mallory", "--role", "admin"], "may not", user=user,
             CIVIC_NEW_PASSWORD="secret-pass")


@pytest.mark.parametrize("path", COSIGNED)
@pytest.mark.parametrize("signer,password,phrase", [
    (None, None, "co-signature"),
    ("view", "secret-pass", "is not a supervisor"),
    ("op", "secret-pass", "is not a supervisor"),
    ("sup", "wrong-password", "Wrong operator name or password"),
], ids=["none", "viewer", "self", "wrong-password"])
def test_cosigned_step_refuses_without_a_supervisor(path, signer, password, phrase,
                                                    office_cli):
    office_cli.prepare(path)
    args = _args(path, COMMANDS[path], office_cli.files)
    if signer is not None:
        args += ["--supervisor", signer]
    # Someone the declaration lets take the step, so that only the co-signature is missing.
    roles = set().union(*(ACTIONS[n].default_roles() for n in NAMED[path]))
    user = "op" if "operator" in roles else "admin"
    _refused(office_cli, args, phrase, user=user, CIVIC_SUPERVISOR_PASSWORD=password or "")


@pytest.mark.parametrize("path", READ_ONLY)
def test_read_only_commands_write_nothing(path, office_cli):
    """The declarations are a claim; check it: run each as a viewer, the file is unchanged."""
    before = office_cli.tables()
    result = office_cli.run(_args(path, COMMANDS[path], office_cli.files), user="view")
    assert "Traceback" not in result.output
    assert office_cli.tables() == before, f"{path} changed the database"


def test_init_and_demo_refuse_an_office_file(office_cli):
    before = office_cli.tables()
    init = office_cli.run(["init", "--admin", "mallory", "--supervisor", "accomplice"])
    assert init.exit_code != 0 and "exists already" in init.output
    demo = office_cli.run(["demo", "--db", str(office_cli.path), "--no-tui", "--yes"])
    assert office_cli.tables() == before, demo.output


# --- the account commands that are not an admin's --------------------------------------------

@pytest.mark.parametrize("user,password,phrase", [
    ("op", "not-the-password", "Wrong operator name or password"),
    ("nobody", "secret-pass", "Wrong operator name or password"),
])
def test_passwd_needs_the_old_password(office_cli, user, password, phrase):
    _refused(office_cli, ["user", "passwd"], phrase, user=user, password=password,
             CIVIC_NEW_PASSWORD="new-password")


def test_passwd_changes_only_your_own_row(office_cli):
    before = office_cli.tables()
    result = office_cli.run(["user", "passwd"], user="view", CIVIC_NEW_PASSWORD="new-password")
    assert result.exit_code == 0, result.output
    after = office_cli.tables()
    assert {t for t in after if after[t] != before[t]} == {"operators", "audit_log"}
    conn = sqlite3.connect(str(office_cli.path))
    changed = conn.execute("SELECT name FROM operators WHERE password_hash NOT IN"
                           " (SELECT password_hash FROM operators WHERE name != 'view')"
                           " ORDER BY name").fetchall()
    conn.close()
    assert ("view",) in changed


@pytest.mark.parametrize("name,code,phrase", [
    ("op", "AAAA-BBBB-CCCC", "No setup is waiting"),  # an active account has no code
    ("nobody", "AAAA-BBBB-CCCC", "No setup is waiting"),
])
def test_activate_needs_a_pending_setup(office_cli, name, code, phrase):
    _refused(office_cli, ["user", "activate", name], phrase, CIVIC_SETUP_CODE=code,
             CIVIC_NEW_PASSWORD="new-password")


def test_activate_with_a_wrong_code_changes_nothing(office_cli):
    added = office_cli.run(["user", "add", "clerk", "--role", "operator"], user="admin")
    assert added.exit_code == 0, added.output
    _refused(office_cli, ["user", "activate", "clerk"], "Wrong setup code",
             CIVIC_SETUP_CODE="AAAA-BBBB-CCCC", CIVIC_NEW_PASSWORD="new-password")
