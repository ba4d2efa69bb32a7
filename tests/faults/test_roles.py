"""Walk the whole command tree: who may change data, and who must co-sign.

Every command not listed in READ_ONLY is treated as one that changes data, so a command added
later is covered the day it appears: it must refuse a viewer and a wrong password, leaving
every table but the audit log as it was (a refusal is itself audited). Every command with a
`--supervisor` option must refuse to go on without a supervisor's co-signature, with a
non-supervisor as co-signer, and with a supervisor's wrong password.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import click
import pytest
import sqlite_utils
from click.testing import CliRunner

from civic.cli.main import build_cli
from civic.db import table_checksums

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# Commands that never change the database (they may write a file elsewhere).
READ_ONLY = {
    "audit check-checkpoint", "audit log", "audit verify", "backup",
    "eligible", "export", "notice list", "notice render", "notice settings list",
    "nomination ballots show", "nomination count", "nomination list", "nomination show",
    "notice show", "people list", "people show", "placement list", "placement show",
    "plugins", "positions list", "positions show", "units list", "units show", "user list",
}
# Commands that make a new file rather than change an office's; tested on their own below.
CREATORS = {"init", "demo"}
INTERACTIVE = {"tui"}  # the app logs its operator in on its own screen

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
VALUES: dict[str, dict[str, str]] = {"nomination revote": {"votes": "C0001=3"}}
# Optional parameters without which a command does something else (shows, not sets).
EXTRA: dict[str, list[str]] = {
    "notice object": ["--content", "x"],
    "placement override": ["P-MSZ"],
    "placement scheme": [str(EXAMPLES / "placement-scheme.toml")],
    "nomination adjudicate": ["--position", "P-MSZ", "--written", "X", "--invalid"],
    "nomination attend": ["--all"],
    "nomination notice": ["--publish"],
}


def _walk(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _walk(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


COMMANDS = dict(_walk(build_cli()))
WRITERS = sorted(set(COMMANDS) - READ_ONLY - CREATORS - INTERACTIVE)
COSIGNED = sorted(n for n, c in COMMANDS.items() if any(p.name == "supervisor" for p in c.params))


def test_the_lists_name_real_commands():
    stale = (READ_ONLY | CREATORS | INTERACTIVE) - set(COMMANDS)
    assert not stale, f"listed but gone: {stale}"
    assert len(WRITERS) >= 8 and set(COSIGNED) <= set(WRITERS)


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


@pytest.fixture
def office_cli(office_template, tmp_path, pm, monkeypatch):
    monkeypatch.chdir(tmp_path)  # commands that write a file (export) write it here
    return Office(office_template, tmp_path, pm)


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
    _refused(office_cli, args, phrase, CIVIC_SUPERVISOR_PASSWORD=password or "")


@pytest.mark.parametrize("path", sorted(READ_ONLY))
def test_read_only_commands_write_nothing(path, office_cli):
    """The list above is a claim; check it: run each as a viewer, the file is unchanged."""
    before = office_cli.tables()
    result = office_cli.run(_args(path, COMMANDS[path], office_cli.files), user="view")
    assert "Traceback" not in result.output
    assert office_cli.tables() == before, f"{path} changed the database"


def test_init_and_demo_refuse_an_office_file(office_cli):
    before = office_cli.tables()
    init = office_cli.run(["init", "--admin", "mallory"])
    assert init.exit_code != 0 and "exists already" in init.output
    demo = office_cli.run(["demo", "--db", str(office_cli.path), "--no-tui", "--yes"])
    assert office_cli.tables() == before, demo.output
