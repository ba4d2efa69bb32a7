"""A registry with the example units and positions plus examples/nomination/people.csv, and
helpers to run a nomination's steps with files written on the fly."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from civic.importers import import_file
from civic.office import Office, Operator
from civic.plugins.nomination import actions, store
from civic.plugins.nomination.rules import Settings

ROOT = Path(__file__).parent.parent.parent
EXAMPLES = ROOT / "examples"
NOMINATION = EXAMPLES / "nomination"
REF = dt.date(2008, 7, 4)  # the post announcement, 4 July 2008
POSTS = ("P-XSSJ", "P-ANSJ")
SUP = Operator("sup", "supervisor")


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def ballot_file(path: Path, ballots: dict[int, dict[str, list[str]]]) -> Path:
    """{number: {post: [texts]}} -> a ballot file; a post with no texts gets a blank row."""
    rows = []
    for number, sections in ballots.items():
        for post, texts in sections.items():
            rows += [[number, post, t] for t in texts] or [[number, post, ""]]
    return write_csv(path, ["ballot", "position", "choice"], rows)


@pytest.fixture
def registry(civic_office):  # civic.testing's office: operators admin, op, sup, view
    office = civic_office
    for kind, path in (("units", EXAMPLES / "units.csv"),
                       ("positions", EXAMPLES / "positions.csv"),
                       ("people", EXAMPLES / "people.csv"),
                       ("people", NOMINATION / "people.csv")):
        import_file(office, kind, path)
    return office


def later(office: Office, day: dt.date) -> Office:
    """The same office on a later day."""
    moment = dt.datetime.combine(day, dt.time(9), tzinfo=office.now().tzinfo)
    return Office(office.db, office.pm, actor=office.actor, clock=lambda: moment)


@pytest.fixture
def make(registry, tmp_path):
    """make(**settings) -> a nomination on POSTS with a roll of `electors` all present."""

    def build(electors: int = 12, present: int | None = None, issued: int | None = None,
              returned: int | None = None, close: bool = True,
              **settings) -> store.Nomination:
        nom = actions.create(registry, title="测试推荐", positions=POSTS, reference_date=REF,
                             settings=Settings(**settings))
        ready(registry, nom, tmp_path, electors, present, issued, returned, close)
        return nom

    return build


def ready(office: Office, nom: store.Nomination, folder: Path, electors: int = 12,
          present: int | None = None, issued: int | None = None,
          returned: int | None = None, close: bool = True) -> store.Round:
    """Load a roll for the latest round, mark `present` of them, close attendance (unless
    `close` is false: the test records attendance itself), record issued/returned."""
    rnd = store.get_round(office.db, nom)
    present = electors if present is None else present
    path = write_csv(folder / f"roll-{rnd.key.replace(':', '-')}.csv", ["code", "name"],
                     [[f"E{i:03d}", f"选举人{i}"] for i in range(1, electors + 1)])
    actions.load_roll(office, rnd, path)
    if present:
        actions.attend(office, rnd, [f"E{i:03d}" for i in range(1, present + 1)])
    if close:
        actions.close_attendance(office, rnd)
    actions.record_figures(office, rnd, present if issued is None else issued,
                           present if returned is None else returned)
    return store.get_round(office.db, nom)


def enter(office: Office, nom: store.Nomination, folder: Path,
          ballots: dict[int, dict[str, list[str]]]) -> dict:
    rnd = store.get_round(office.db, nom)
    path = ballot_file(folder / f"ballots-{len(list(folder.iterdir()))}.csv", ballots)
    return actions.import_ballots(office, nom, rnd, path)


def posts(report: dict) -> dict[str, dict]:
    return {p["position"]: p for p in report["positions"]}


def votes(post: dict) -> dict[str, int]:
    return {r["person"]: r["votes"] for r in post["results"]}


def going(post: dict) -> set[str]:
    return {r["person"] for r in post["results"] if r["advances"]}
