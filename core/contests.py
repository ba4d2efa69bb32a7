"""Storage of the ballot model beyond name choices: contests, constituencies, value ballots,
tally files, counting a round on the model, and chaining rounds (runoff, re-vote, recall).

Built on `civic.ballots` (rounds, rolls, ballots, marks, locking) and counted by the pure
`civic.tally`. A round holds either name-choice contests (the nomination's write-ins, counted by
`civic.ballots.count`) or value and graded contests (counted here), never both.

Storage (core migration m006_ballot_model):
- A contest is a `voting_posts` row (seats, kind, scale) with its ordered candidate list in
  `voting_candidates`.
- A value mark is a `voting_marks` row like any other; its `voting_written` row holds the
  value (for / against / abstain / write_in / grade), the grade as on the scale, and the text:
  the candidate's code, or the name written in a space for another person, resolved by the
  mechanism's `Resolver` (a write-in is a for-vote for the person it names).
- A constituency is a `voting_constituencies` row; a ballot may carry its constituency code
  (`voting_ballots.constituency`), never its elector: secrecy stays structural.
- A tally file (totals counted on paper) fills `voting_tallies` and `voting_tally_contests`
  for its constituencies; a constituency is counted from ballots or from a tally, not both.
"""

from __future__ import annotations

import json
import math
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from itertools import chain, groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from civic import ballots
from civic.audit import digest_rows
from civic.ballots import Resolver, VotingRound
from civic.bulk import kept
from civic.db import Database
from civic.errors import CivicError, InputError, InputProblem
from civic.events import (
    BallotsEntered,
    ConstituencyFiguresRecorded,
    ContestsDeclared,
    TallyImported,
)
from civic.i18n import _
from civic.office import Change
from civic.tabular import (
    Column,
    Row,
    Schema,
    file_sha256,
    load_table,
    one_line,
    read_rows,
    visible,
)
from civic.tally import (
    ABSTAIN,
    AGAINST,
    FIRST,
    FOR,
    GRADES,
    NAMES,
    ONLY,
    VALUED,
    Constituency,
    Contest,
    ContestResult,
    ContestTally,
    ElectionRules,
    FormValidity,
    GradeStanding,
    Quorum,
    Section,
    Threshold,
    Votes,
    check_quorum,
    check_weights,
    decide,
    decimal_text,
    figure_problems,
    grade_results,
    naming,
    round_void,
    seating,
    tally_counted,
    tally_grades,
    tally_problems,
    tally_values,
)

# 村委会组织法 (2010) art. 16: a recall passes with more than half of the registered voting and
# more than half of those voting in favour.
RECALL_RULES = ElectionRules(threshold=Threshold("returned", Fraction(1, 2), True),
                             quorum=Quorum("returned", Fraction(1, 2), True))

_SHAPE = ballots.shape_of(1, 0, 1)  # value marks are counted per ballot, not by their shape


# --- declaring -------------------------------------------------------------------------------

def declare(change: Change, key: str, title: str, contests: Sequence[Contest], *,
            constituencies: Sequence[Constituency] = (), kind: str = FIRST,
            parent: VotingRound | None = None,
            titles: Mapping[str, str] | None = None) -> VotingRound:
    """A new round of contests (seats, candidates, scale) and constituencies (registered count,
    weight), chained to the round it continues. `titles` names contests and constituencies."""
    if not contests:
        raise CivicError(_("A round needs at least one position."))
    kinds = {c.kind for c in contests}
    if NAMES in kinds and len(kinds) > 1:
        raise CivicError(_("A round holds either name-choice contests or value and graded"
                           " contests, not both."))
    codes = [c.code for c in constituencies]
    if len(set(codes)) != len(codes):
        raise CivicError(_("A constituency is listed twice."))
    if ONLY in codes:
        raise CivicError(_("A constituency needs a code."))
    check_weights(constituencies)
    for contest in contests:
        if contest.kind != NAMES and not contest.candidates:
            raise CivicError(_("Contest {contest} needs its list of candidates.").format(
                contest=contest.code))
    names = dict(titles or {})
    vround = ballots.create_round(change, key, title, [c.code for c in contests],
                                  seats={c.code: c.seats for c in contests}, kind=kind,
                                  parent=parent,
                                  candidates={c.code: c.candidates for c in contests})
    db = change.db
    db.conn.executemany(
        "UPDATE voting_posts SET kind = ?, scale = ?, title = ? WHERE round = ? AND position = ?",
        [(c.kind, json.dumps(c.scale, ensure_ascii=False) if c.scale else "",
          names.get(c.code, ""), vround.id, c.code) for c in contests])
    db.conn.executemany(
        "INSERT INTO voting_constituencies (round, code, title, seq, registered, weight)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(vround.id, c.code, names.get(c.code, ""), i, c.registered, str(c.weight))
         for i, c in enumerate(constituencies, 1)])
    change.record(ContestsDeclared(
        round=key,
        contests=[{"code": c.code, "kind": c.kind, "seats": c.seats,
                   "candidates": list(c.candidates), "scale": list(c.scale)} for c in contests],
        constituencies=[{"code": c.code, "registered": c.registered, "weight": str(c.weight)}
                        for c in constituencies]))
    return vround


def contests(db: Database, vround: VotingRound) -> tuple[Contest, ...]:
    """The round's contests in ballot order; a name-choice contest without declared seats has
    one (its mechanism's count rules say how many go on)."""
    listed: dict[str, list[str]] = {}
    for contest, person in db.execute(
            "SELECT contest, candidate FROM voting_candidates WHERE round = ?"
            " ORDER BY contest, seq", (vround.id,)):
        listed.setdefault(contest, []).append(person)
    return tuple(
        Contest(code, seats or 1, tuple(listed.get(code, ())), kind,
                tuple(json.loads(scale)) if scale else ())
        for code, seats, kind, scale in db.execute(
            "SELECT position, seats, kind, scale FROM voting_posts WHERE round = ?"
            " ORDER BY seq", (vround.id,)))


def constituencies(db: Database, vround: VotingRound, *,
                   need_figures: bool = True) -> tuple[Constituency, ...]:
    """The declared constituencies with their figures, or the round's one (weight 1) from its
    roll and recorded ballots. `need_figures`: raise while a figure is not recorded."""
    rows = db.execute(
        "SELECT code, registered, weight, present, issued, returned FROM voting_constituencies"
        " WHERE round = ? ORDER BY seq", (vround.id,)).fetchall()
    if not rows:
        if not need_figures:
            return (Constituency(),)
        f = ballots.figures(db, vround)
        return (Constituency(ONLY, f.registered, Fraction(1), f.present, f.issued, f.returned),)
    out = []
    for code, registered, weight, present, issued, returned in rows:
        if need_figures and None in (present, issued, returned):
            raise CivicError(_("Round {key}: record the figures of constituency {code} first.")
                             .format(key=vround.key, code=code))
        out.append(Constituency(code, registered, Fraction(weight), present or 0, issued or 0,
                                returned or 0))
    return tuple(out)


def record_constituency_figures(change: Change, vround: VotingRound, code: str, *,
                                present: int | None = None, issued: int,
                                returned: int) -> None:
    """A constituency's electors present and ballots issued and returned, from the record.

    `present` None: those marked present on the roll whose category is the constituency's code
    (an elector carries the constituency as a category; a ballot only its code)."""
    vround.require_open()
    row = change.db.execute("SELECT registered FROM voting_constituencies WHERE round = ?"
                            " AND code = ?", (vround.id, code)).fetchone()
    if row is None:
        raise CivicError(_("Round {key} has no constituency {code}.").format(
            key=vround.key, code=code))
    if present is None:
        present = change.db.execute(
            "SELECT coalesce(sum(present), 0) FROM voting_electors WHERE round = ?"
            " AND category = ?", (vround.id, code)).fetchone()[0]
    # the tally file's checks (civic.tally.figure_problems): returned > issued voids the round
    wrong = figure_problems(row[0], present, issued, returned)
    if wrong:
        raise CivicError("\n".join(reason for _field, reason in wrong))
    change.db.execute("UPDATE voting_constituencies SET present = ?, issued = ?, returned = ?"
                      " WHERE round = ? AND code = ?", (present, issued, returned, vround.id,
                                                        code))
    change.record(ConstituencyFiguresRecorded(round=vround.key, constituency=code,
                                              present=present, issued=issued,
                                              returned=returned))


# --- value ballots ---------------------------------------------------------------------------

_VALUE_WORDS = {
    FOR: ("for", "yes", "赞成", "同意", "○", "〇", "√", "✓"),
    AGAINST: ("against", "no", "反对", "不同意", "×", "✗"),
    ABSTAIN: ("abstain", "弃权"),
}
_VALUE_OF = {word.casefold(): value for value, words in _VALUE_WORDS.items() for word in words}

VALUE_BALLOT_SCHEMA = Schema([
    Column("ballot", ("票号", "选票编号", "选票号", "表号"), required=True),
    Column("constituency", ("选区", "选举单位", "测评类别", "constituency"), parse=one_line),
    Column("contest", ("选举项目", "测评项目", "职务"), required=True, parse=one_line),
    Column("candidate", ("候选人", "被测评人"), parse=one_line),
    Column("value", ("表决", "意见", "等次", "评价")),
    Column("write_in", ("另选他人", "另选人", "write-in"), parse=one_line),
])


@dataclass
class _Ballot:
    number: int
    row: int
    constituency: str | None
    marks: list[tuple[str, str, str, str]] = field(default_factory=list)  # contest,value,grade,text


def _entry(db: Database, vround: VotingRound) -> tuple[
        dict[str, Contest], set[str], set[str], set[int], dict[str, dict[str, str]]]:
    """What entering value ballots checks against: the contests by code, the declared
    constituencies, those counted from a tally, the ballot numbers entered, each contest's
    grades by their normalised spelling. On a round with a roll, ballots wait for attendance
    to close, as every ballot entry does (civic.ballots: the log must not order electors
    against ballots); a round counted from constituency figures logs no elector at all."""
    vround.require_open()
    if db.execute("SELECT 1 FROM voting_electors WHERE round = ? LIMIT 1",
                  (vround.id,)).fetchone() is not None:
        ballots.require_attendance_closed(db, vround)
    by_code = {c.code: c for c in contests(db, vround)}
    if any(c.kind == NAMES for c in by_code.values()):
        raise CivicError(_("Round {key} votes on names: import its ballots with the name-ballot"
                           " file.").format(key=vround.key))
    wards = {c.code for c in constituencies(db, vround, need_figures=False)} - {ONLY}
    entered = {n for (n,) in db.execute("SELECT number FROM voting_ballots WHERE round = ?",
                                        (vround.id,))}
    scales = {code: {ballots.normalise(g): g for g in c.scale} for code, c in by_code.items()}
    return by_code, wards, _tallied(db, vround), entered, scales


def import_value_ballots(change: Change, vround: VotingRound, path: str | Path,
                         resolve: Resolver) -> dict[str, Any]:
    """Import a file of value ballots (one row per mark: ballot, constituency, contest,
    candidate, value, write-in) as one audited batch. Every problem is named by file, row and
    column and the whole file is refused; nothing is written."""
    path = Path(path)
    db = change.db
    by_code, wards, tallied, entered, scales = _entry(db, vround)
    papers: dict[int, _Ballot] = {}
    order: list[_Ballot] = []

    def check(row: Row) -> Iterable[tuple[str | None, str]]:
        try:
            number = ballots.ballot_number(row["ballot"])
        except ValueError as exc:
            yield "ballot", str(exc)
            return
        where = row["constituency"]
        if wards and where not in wards:
            yield "constituency", _("not a constituency of this round: {code}").format(
                code=where or "-")
            return
        if not wards and where:
            yield "constituency", _("this round declares no constituencies")
            return
        paper = papers.get(number)
        if paper is None:
            if number in entered:
                yield "ballot", _("ballot {number} is entered already").format(number=number)
                return
            paper = papers[number] = _Ballot(number, row.number, where)
            order.append(paper)
        elif paper is not order[-1]:
            yield "ballot", _("ballot {number} again, after other ballots (its rows begin at"
                              " row {row}); keep each ballot's rows together").format(
                                  number=number, row=paper.row)
            return
        elif paper.constituency != where:
            yield "constituency", _("ballot {number} is from one constituency only").format(
                number=number)
            return
        if (where or ONLY) in tallied:
            yield "constituency", _("constituency {code} is counted from a tally file").format(
                code=where)
            return
        contest = by_code.get(row["contest"])
        if contest is None:
            yield "contest", _("not a contest of this round: {code}").format(
                code=row["contest"])
            return
        yield from _read_mark(row, contest, scales[contest.code], paper)

    load_table(path, VALUE_BALLOT_SCHEMA, check)
    result = _write_ballots(db, vround, order, resolve)
    change.record(BallotsEntered(round=vround.key, source=path.name,
                                 file_sha256=file_sha256(path), **result))
    return result


KeyedMark = tuple[str, str | None, str | None, str | None]
"""(contest, candidate, value, write-in) as a value ballot file's columns hold them."""


def enter_value_ballots(change: Change, vround: VotingRound,
                        stack: Iterable[tuple[int, str | None, Sequence[KeyedMark]]],
                        resolve: Resolver, source: str = "keyed") -> dict[str, Any]:
    """Add keyed ballots (number, constituency, marks) as one audited batch; the same rules as
    a file (`import_value_ballots`), refused whole with the first problem (CivicError)."""
    db = change.db
    by_code, wards, tallied, seen, scales = _entry(db, vround)
    papers = []
    # A keyed mark -> what it adds to a paper, once read: a batch of forms repeats a few
    # hundred (contest, candidate, grade) marks 500,000 times.
    read: dict[tuple[Any, ...], list[tuple[str, str, str, str]]] = {}
    for number, where, marks in stack:
        where = where or None
        problem = None
        if number in seen:
            problem = _("ballot {number} is entered already").format(number=number)
        elif (where not in wards) if wards else where is not None:
            problem = _("not a constituency of this round: {code}").format(code=where or "-")
        elif (where or ONLY) in tallied:
            problem = _("constituency {code} is counted from a tally file").format(code=where)
        seen.add(number)
        paper = _Ballot(number, 0, where)
        marks = marks if isinstance(marks, list | tuple) else list(marks)  # read twice below
        try:  # every mark read before (most papers of a batch): the paper at once
            known = None if problem else [read[m] for m in marks]
        except (KeyError, TypeError):  # a mark not met yet, or one given as a list
            known = None
        if known is not None:
            paper.marks = list(chain.from_iterable(known))
            marks = ()
        add = paper.marks.extend
        for mark in marks if not problem else ():
            key = mark if type(mark) is tuple else tuple(mark)
            given = read.get(key)
            if given is not None:
                add(given)
                continue
            contest, candidate, value, written = key
            if contest not in by_code:
                problem = _("not a contest of this round: {code}").format(code=contest)
                break
            row = Row(0, {"candidate": candidate or None, "value": value or None,
                          "write_in": (written or "").strip() or None})
            alone = _Ballot(number, 0, where)
            problem = next((reason for _column, reason in _read_mark(
                row, by_code[contest], scales[contest], alone)), None)
            if problem:
                break
            given = read[key] = alone.marks
            add(given)
        if problem:
            raise CivicError(_("Ballot {number}: {problem}.").format(number=number,
                                                                    problem=problem))
        papers.append(paper)
    result = _write_ballots(db, vround, papers, resolve)
    change.record(BallotsEntered(round=vround.key, source=source, file_sha256=None, **result))
    return result


def _read_mark(row: Row, contest: Contest, scale: Mapping[str, str],
               paper: _Ballot) -> Iterable[tuple[str | None, str]]:
    candidate, raw, written = row["candidate"], row["value"], row["write_in"]
    if candidate is not None and candidate not in contest.candidates:
        yield "candidate", _("not a candidate of {contest}: {code}").format(
            contest=contest.code, code=candidate)
        return
    value = grade = ""
    if raw is not None:
        if candidate is None:
            yield "value", _("a mark needs its candidate")
            return
        if contest.kind == GRADES:
            grade = scale.get(ballots.normalise(raw), "")
            value = "grade"
            if not grade:
                yield "value", _("not a grade of the scale ({scale}): {value}").format(
                    scale=" / ".join(contest.scale), value=raw)
                return
        else:
            value = _VALUE_OF.get(raw.strip().casefold(), "")
            if not value:
                yield "value", _("expected for, against or abstain: {value}").format(value=raw)
                return
    if written is not None:
        if contest.kind == GRADES:
            yield "write_in", _("a rating form has no spaces for other names")
            return
        if value not in ("", AGAINST):
            yield "write_in", _("a name written in goes with an against, or on its own")
            return
    if value:
        paper.marks.append((contest.code, value, grade, candidate))
    if written is not None:
        paper.marks.append((contest.code, "write_in", "", written))


def _write_ballots(db: Database, vround: VotingRound, papers: Sequence[_Ballot],
                   resolve: Resolver) -> dict[str, Any]:
    """Add the checked papers: ballots with the ids AUTOINCREMENT would give, each distinct
    mark's text once, and the marks packed per text (`ballots.insert_marks`, as name ballots
    go in): a rating round of 500,000 marks ran a statement per ballot and a row per mark."""
    # mark -> (its voting_written id, its line in the digest, the `append` of its bucket)
    written: dict[tuple[str, str, str, str], tuple[int, str, Callable[[int], None]]] = {}
    buckets: dict[int, array] = {}
    for known, post, value, grade, text in db.execute(
            "SELECT id, position, value, grade, text FROM voting_written WHERE round = ?",
            (vround.id,)):
        bucket = buckets[known] = array("q")
        written[(post, value, grade, text)] = (known, ballots.mark_repr(post, value, grade,
                                                                        text), bucket.append)
    Entry = tuple[int, str, Callable[[int], None]]

    def text_of(mark: tuple[str, str, str, str]) -> Entry:
        """A mark's text not met before: written, with a bucket of its own."""
        post, value, grade, text = mark
        key = ballots.encode(resolve(post, text) if value == "write_in" else text)
        wid = db.execute("INSERT INTO voting_written (round, position, value, grade, text,"
                         " mark_key) VALUES (?, ?, ?, ?, ?, ?)",
                         (vround.id, post, value, grade, text, key)).lastrowid or 0
        bucket = buckets[wid] = array("q")
        entry = written[mark] = (wid, ballots.mark_repr(*mark), bucket.append)
        return entry

    digest = ballots.BallotDigest()
    first = ballots.next_ballot_id(db)
    shape = _SHAPE << 48
    rows = []
    marks = 0
    line = itemgetter(1)
    for bid, paper in enumerate(papers, first):
        if len(paper.marks) > ballots.MAX_SEQ:
            raise CivicError(_("Ballot {number} has more than {n} marks.").format(
                number=paper.number, n=ballots.MAX_SEQ))
        rows.append((bid, vround.id, paper.number, paper.constituency))
        entries: list[Any] = [written.get(mark) for mark in paper.marks]
        if None in entries:
            # (a text new here may stand twice on the paper: written once)
            entries = [entry or written.get(mark) or text_of(mark)
                       for entry, mark in zip(entries, paper.marks, strict=True)]
        base = shape | bid << 16
        for seq, entry in enumerate(entries):
            entry[2](base | seq)
        reprs = [] if paper.constituency is None else [
            ballots.constituency_repr(paper.constituency)]
        reprs += map(line, entries)
        digest.add(paper.number, reprs)
        marks += len(entries)
    db.conn.executemany("INSERT INTO voting_ballots (id, round, number, constituency)"
                        " VALUES (?, ?, ?, ?)", rows)
    ballots.insert_marks(db.conn, vround.id, buckets)
    return {"ballots": len(papers), "marks": marks, "first_ballot": first if papers else None,
            "last_ballot": first + len(papers) - 1 if papers else None,
            "rows_digest": digest.hexdigest()}


# --- tally files -----------------------------------------------------------------------------

def _count_cell(text: str) -> int:
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise ValueError(_("a count is a whole number, 0 or more"))
    return int(text)


TALLY_SCHEMA = Schema([
    Column("constituency", ("选区", "选举单位", "constituency"), parse=one_line),
    Column("contest", ("选举项目", "职务"), parse=one_line),
    Column("candidate", ("候选人",), parse=one_line),
    Column("for", ("赞成", "赞成票"), parse=_count_cell),
    Column("against", ("反对", "反对票"), parse=_count_cell),
    Column("abstain", ("弃权", "弃权票"), parse=_count_cell),
    Column("present", ("实到", "出席", "到会"), parse=_count_cell),
    Column("issued", ("发出", "发出选票"), parse=_count_cell),
    Column("returned", ("收回", "收回选票"), parse=_count_cell),
    Column("invalid", ("无效", "无效票"), parse=_count_cell),
])
_TOTALS: tuple[str, ...] = ("for", "against", "abstain")
_FIGURES: tuple[str, ...] = ("present", "issued", "returned")


def _candidate_names(db: Database, listed: Iterable[Contest],
                     given: Iterable[Mapping[str, Any]],
                     names: Mapping[str, str] | None) -> dict[str, str]:
    """The names of a tally's candidates and written-in persons, for its messages: `names`
    (the mechanism's list) first, then the registry's."""
    codes = {c for contest in listed for c in contest.candidates}
    codes.update(c for place in given for c in place)
    out = {c: names[c] for c in codes if names and c in names}
    missing = sorted(codes - out.keys())
    for at in range(0, len(missing), 900):  # under the 999 variables of an older SQLite
        chunk = missing[at:at + 900]
        out.update(db.execute("SELECT code, name FROM people WHERE code IN"
                              f" ({', '.join('?' * len(chunk))})", chunk).fetchall())
    return out


def _tallied(db: Database, vround: VotingRound) -> set[str]:
    return {w for (w,) in db.execute(
        "SELECT DISTINCT constituency FROM voting_tally_contests WHERE round = ?", (vround.id,))}


def import_tally(change: Change, vround: VotingRound, path: str | Path, *,
                 names: Mapping[str, str] | None = None, read: Sequence[Row] | None = None,
                 headers: Mapping[str, str] | None = None, sha256: str | None = None
                 ) -> dict[str, Any]:
    """Import a tally file: per constituency its figures (present, issued, returned), per
    contest its invalid ballots, per candidate the for / against / abstain totals (a name not on
    the list: write-in for-votes). Checked to add up; refused whole, with file:row:column.

    More ballots returned than issued is recorded as the sheet says it: it voids the round
    (the count says so), and a paper count stops there, so the contests' rows may be left out.
    `names`: the candidates' names for the messages (else the registry's).
    `read` (with `headers`, the file's headers as written, and `sha256`, its digest): this
    round's rows of `path` read already (by a schema holding TALLY_SCHEMA's columns, numbered
    as in the file), when one file holds many rounds' tallies: checked as the file's own rows
    are, the file not read again (a batch of 528 schools reads it once, not once a school)."""
    vround.require_open()
    path = Path(path)
    db = change.db
    by_code = {c.code: c for c in contests(db, vround)}
    if any(c.kind != VALUED for c in by_code.values()):
        raise CivicError(_("Only for / against / abstain contests are counted from tally"
                           " files."))
    declared = {c.code: c for c in constituencies(db, vround, need_figures=False)}
    if ONLY in declared:
        raise CivicError(_("Round {key}: declare its constituencies (registered electors and"
                           " weights) before importing a tally file.").format(key=vround.key))
    done = _tallied(db, vround) | {w or ONLY for (w,) in db.execute(
        "SELECT DISTINCT constituency FROM voting_ballots WHERE round = ?", (vround.id,))}
    figures: dict[str, tuple[int, ...]] = {}
    sections: dict[tuple[str, str], int] = {}
    totals: dict[tuple[str, str], dict[str, tuple[int, int, int]]] = {}
    first_row: dict[str, int] = {}
    row_of: dict[tuple[str, str | None, str | None], int] = {}  # where the figures were read

    def check(row: Row) -> Iterable[tuple[str | None, str]]:
        where, contest, person = row["constituency"] or ONLY, row["contest"], row["candidate"]
        if where not in declared:
            yield "constituency", _("not a constituency of this round: {code}").format(
                code=where or "-")
            return
        if where in done:
            yield "constituency", _("constituency {code} is counted already").format(
                code=where or "-")
            return
        first_row.setdefault(where, row.number)
        row_of.setdefault((where, contest, person), row.number)
        if contest is None:
            if person is not None:
                yield "contest", _("a candidate's totals need their contest")
                return
            kind, needed = "figures", _FIGURES
        elif contest not in by_code:
            yield "contest", _("not a contest of this round: {code}").format(code=contest)
            return
        elif person is None:
            kind, needed = "contest", ("invalid",)
        else:
            # a written-in name (not on the list) has for-votes only
            listed = person in by_code[contest].candidates
            kind, needed = "totals", _TOTALS if listed else ("for",)
        allowed = _TOTALS if kind == "totals" else needed
        for name in _FIGURES + _TOTALS + ("invalid",):
            if name in needed and row[name] is None:
                yield name, _("this figure is needed on this row")
            elif name not in allowed and row[name] is not None:
                yield name, _("this figure does not belong on this row")
        if kind == "figures":
            if where in figures:
                yield None, _("constituency {code}'s figures are given twice").format(
                    code=where or "-")
            figures[where] = tuple(row[c] or 0 for c in _FIGURES)
        elif kind == "contest":
            if (where, contest) in sections:
                yield None, _("contest {code} is given twice").format(code=contest)
            sections[(where, contest)] = row["invalid"] or 0
        else:
            place = totals.setdefault((where, contest), {})
            if person in place:
                yield "candidate", _("{code} is given twice").format(code=person)
            if not listed and (row["against"] or row["abstain"]):
                yield "candidate", _("not a candidate of {contest}: {code}; a written-in name"
                                     " has for-votes only").format(contest=contest, code=person)
            place[person] = (row["for"] or 0, row["against"] or 0,
                             row["abstain"] or 0)

    rows: Sequence[Row]
    written: Mapping[str, str]
    if read is None:
        reader = read_rows(path, TALLY_SCHEMA, check)
        rows, written = list(reader), reader.headers
    else:
        rows, written = _checked(path.name, read, check, headers or {}), headers or {}
    problems: list[InputProblem] = []

    def problem(row: int | None, reason: str, column: str | None = None) -> None:
        problems.append(InputProblem(path.name, row, column and written.get(column, column),
                                     reason))

    @cache
    def worded() -> Callable[[str], str]:  # read only for a problem's message
        return naming(_candidate_names(db, by_code.values(), totals.values(), names))

    # a void round (returned > issued anywhere) is not counted: its contests' rows may be absent
    void = any(f[2] > f[1] for f in figures.values())
    tallies: list[ContestTally] = []
    for where, start in first_row.items():
        if where not in figures:
            problem(start, _("constituency {code} has no row with its figures").format(
                code=where))
            continue
        present, issued, returned = figures[where]
        for column, reason in figure_problems(declared[where].registered, present, issued,
                                              returned):
            problem(row_of[(where, None, None)], reason, column)
        for contest in by_code.values():
            if (where, contest.code) not in sections:
                if void:
                    continue
                problem(start, _("constituency {code} has no row for contest {contest}")
                        .format(code=where, contest=contest.code))
                continue
            place = totals.get((where, contest.code), {})
            tally = ContestTally(
                contest.code, where, returned, sections[(where, contest.code)],
                {c: Votes(*v) for c, v in place.items() if c in contest.candidates},
                {c: v[0] for c, v in place.items() if c not in contest.candidates})
            for person, reason in tally_problems(contest, tally,
                                                 name=lambda c: worded()(c)):
                problem(row_of.get((where, contest.code, person)), f"{where}: {reason}",
                        "candidate" if person is not None else None)
            tallies.append(tally)
    if problems:
        raise InputError(problems)
    for where in first_row:
        db.execute("UPDATE voting_constituencies SET present = ?, issued = ?, returned = ?"
                   " WHERE round = ? AND code = ?", (*figures[where], vround.id, where))
    for tally in tallies:
        db.execute("INSERT INTO voting_tally_contests (round, constituency, contest, invalid)"
                   " VALUES (?, ?, ?, ?)", (vround.id, tally.constituency, tally.contest,
                                            tally.invalid))
        db.conn.executemany(
            "INSERT INTO voting_tallies (round, constituency, contest, candidate, for_votes,"
            " against_votes, abstain_votes) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(vround.id, tally.constituency, tally.contest, c, *v[:3])
             for c, v in tally.candidates.items()]
            + [(vround.id, tally.constituency, tally.contest, c, n, 0, 0)
               for c, n in tally.write_ins.items()])
    # the tally's own columns, whatever else a batch file's rows hold (its school)
    digest = digest_rows(tuple(r[c.name] for c in TALLY_SCHEMA.columns) for r in rows)
    change.record(TallyImported(round=vround.key, file=path.name,
                                file_sha256=sha256 or file_sha256(path),
                                constituencies=list(first_row), rows=len(rows),
                                rows_digest=digest))
    return {"constituencies": list(first_row), "rows": len(rows), "rows_digest": digest,
            "void": void}


def _checked(file: str, rows: Sequence[Row], check: Callable[[Row], Iterable[Any]],
             headers: Mapping[str, str]) -> Sequence[Row]:
    """A reader's `check` over rows read already: every problem (file:row:column, the column
    as written), or the rows."""
    problems = [InputProblem(file, row.number, column and visible(headers.get(column, column)),
                             visible(reason))
                for row in rows for column, reason in check(row) or ()]
    if problems:
        raise InputError(problems)
    return rows


# --- counting --------------------------------------------------------------------------------

@dataclass(frozen=True)
class RoundCount:
    round: str
    kind: str
    parent: str | None
    void: bool
    constituencies: tuple[Constituency, ...]
    entered: Mapping[str, int]  # ballots entered per constituency (tallied ones: none)
    results: Mapping[str, ContestResult]  # values contests; empty when void
    grades: Mapping[str, tuple[GradeStanding, ...]]  # graded contests; empty when void
    # graded contests: forms voided whole by the mechanism's validity rule, reason -> forms
    invalid: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


def _sections(db: Database, vround: VotingRound) -> dict[tuple[str, str], list[Section]]:
    """(constituency, contest) -> the sections of every ballot cast there (blank included).

    Marks are read as (ballot, text id) only, each text's part worked out once: a rating
    round has 500,000 marks of a few hundred texts."""
    posts = vround.positions
    # text id -> (its contest, whether a name written in, the section's item)
    part = {wid: (post, value == "write_in",
                  ballots.decode(key) if value == "write_in" else (text, grade or value))
            for wid, post, value, grade, text, key in db.execute(
                "SELECT id, position, value, grade, text, mark_key FROM voting_written"
                " WHERE round = ?", (vround.id,))}
    by_ballot = {bid: [wid for _b, wid in marks] for bid, marks in groupby(db.execute(
        "SELECT ballot, written FROM voting_marks WHERE round = ? ORDER BY ballot, seq",
        (vround.id,)), itemgetter(0))}
    out: dict[tuple[str, str], list[Section]] = {}
    places = {(where, post): out.setdefault((where, post), []).append
              for (where,) in db.execute("SELECT DISTINCT coalesce(constituency, '') FROM"
                                         " voting_ballots WHERE round = ?", (vround.id,))
              for post in posts}
    kind, item = itemgetter(0, 1), itemgetter(2)
    for bid, where in db.execute("SELECT id, coalesce(constituency, '') FROM voting_ballots"
                                 " WHERE round = ?", (vround.id,)):
        marks: dict[str, list[Any]] = {p: [] for p in posts}
        written: dict[str, list[Any]] = {p: [] for p in posts}
        # A run of marks of one contest at a time (a form's are keyed a contest after another)
        for (post, named), run in groupby(map(part.__getitem__, by_ballot.get(bid, ())), kind):
            (written if named else marks)[post].extend(map(item, run))
        for post in posts:
            places[(where, post)](Section(marks[post], written[post]))
    return out


def _tally_rows(db: Database, vround: VotingRound,
                by_code: Mapping[str, Contest]) -> dict[tuple[str, str], ContestTally]:
    returned = {c.code: c.returned for c in constituencies(db, vround)}
    invalid = {(w, c): n for w, c, n in db.execute(
        "SELECT constituency, contest, invalid FROM voting_tally_contests WHERE round = ?",
        (vround.id,))}
    listed: dict[tuple[str, str], dict[str, Votes]] = {k: {} for k in invalid}
    written: dict[tuple[str, str], dict[str, int]] = {k: {} for k in invalid}
    for w, c, person, f, a, ab in db.execute(
            "SELECT constituency, contest, candidate, for_votes, against_votes, abstain_votes"
            " FROM voting_tallies WHERE round = ?", (vround.id,)):
        if person in by_code[c].candidates:
            listed[(w, c)][person] = Votes(f, a, ab)
        else:
            written[(w, c)][person] = f
    return {k: ContestTally(k[1], k[0], returned[k[0]], n, listed[k], written[k])
            for k, n in invalid.items()}


def form_validity(pm: Any, db: Database, vround: VotingRound) -> FormValidity | None:
    """The round's mechanism's rule on a graded form's section (hook `ballot_form_validity`,
    first answer), or None when no plugin claims the round."""
    if pm is None:
        return None
    return pm.hook.ballot_form_validity(db=db, round_key=vround.key)


def count(db: Database, vround: VotingRound, rules: ElectionRules | None = None, *,
          pm: Any = None) -> RoundCount:
    """Count a round of value or graded contests from its ballots and tallies.

    Raises below quorum; a round with more ballots returned than issued in any constituency is
    void and counts nothing (re-run it). `pm`: the office's plugin manager, asked for the
    mechanism's form validity rule (graded contests): a form's section it voids is counted as
    a form and reported in `invalid` by reason, never dropped before the count."""
    rules = rules or ElectionRules()
    wards = constituencies(db, vround)
    by_code = {c.code: c for c in contests(db, vround)}
    if any(c.kind == NAMES for c in by_code.values()):
        raise CivicError(_("Round {key} votes on names: count it with its mechanism.").format(
            key=vround.key))
    check_quorum(wards, rules.quorum)
    parent = ballots.get_round(db, vround.parent).key if vround.parent else None
    entered = dict(db.execute("SELECT coalesce(constituency, ''), count(*) FROM voting_ballots"
                              " WHERE round = ? GROUP BY 1", (vround.id,)).fetchall())
    validity = form_validity(pm, db, vround) if GRADES in {
        c.kind for c in by_code.values()} else None
    return _settle(vround, parent, wards, by_code, entered, rules,
                   lambda: (_sections(db, vround), _tally_rows(db, vround, by_code)), validity)


def _settle(vround: VotingRound, parent: str | None, wards: tuple[Constituency, ...],
            by_code: Mapping[str, Contest], entered: dict[str, int], rules: ElectionRules,
            load: Callable[[], tuple[Mapping[tuple[str, str], Sequence[Section]],
                                     Mapping[tuple[str, str], ContestTally]]],
            validity: FormValidity | None = None) -> RoundCount:
    """The rules of a round's count once its figures are read (`count` and `count_many`):
    void, ballots entered within those returned, then each contest decided. `load` gives
    the ballots' sections and the ready tallies per (constituency, contest); a ready tally
    stands for that place's ballots; `validity` the mechanism's rule on a graded form."""
    if round_void(wards):
        return RoundCount(vround.key, vround.kind, parent, True, wards, entered, {}, {})
    for ward in wards:
        if entered.get(ward.code, 0) > ward.returned:
            raise CivicError(_("{entered} ballots entered in constituency {code} but only"
                               " {returned} returned.").format(
                entered=entered[ward.code], code=ward.code or "-", returned=ward.returned))
    sections, paper = load()
    results: dict[str, ContestResult] = {}
    grades: dict[str, tuple[GradeStanding, ...]] = {}
    invalid: dict[str, dict[str, int]] = {}
    for code, contest in by_code.items():
        if contest.kind == GRADES:
            graded = [tally_grades(contest, sections.get((w.code, code), ()), w.code, validity)
                      for w in wards]
            grades[code] = grade_results(contest, graded, wards)
            reasons = invalid.setdefault(code, {})
            for tally in graded:
                for reason, n in tally.invalid.items():
                    reasons[reason] = reasons.get(reason, 0) + n
            continue
        tallies = [paper.get((w.code, code))
                   or tally_values(contest, sections.get((w.code, code), ()), w.code)
                   for w in wards]
        results[code] = decide(contest, tallies, wards, rules)
    return RoundCount(vround.key, vround.kind, parent, False, wards, entered, results, grades,
                      invalid)


# --- counting many rounds at once ------------------------------------------------------------

_CHUNK = 900  # round ids per IN list: under the 999 variables of an older SQLite


def _in_rounds(db: Database, sql: str, ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """Rows of `sql` (its `{ids}` a list of round ids) over all `ids`, a chunk at a time.
    A list (fetchall), not a generator: a generator's step per row was a fifth of a batch's
    count (bench/election.py); every caller here reads aggregated or per-round rows."""
    rows: list[tuple[Any, ...]] = []
    for at in range(0, len(ids), _CHUNK):
        chunk = ids[at:at + _CHUNK]
        rows += db.execute(sql.format(ids=", ".join("?" * len(chunk))), chunk).fetchall()
    return rows


# Value ballots of many rounds as kinds of ballot: per round and constituency, each set of
# written marks a ballot carries (their voting_written ids, in any order, repeated or not) and
# how many ballots carry it. One GROUP BY over the marks alone (no join per mark); a batch's
# 600,000 ballots come back as a few thousand rows, and the rules (`civic.tally.tally_counted`,
# the same as `tally_values`) run once per kind of ballot. A ballot with no mark is not here:
# the ballots entered less those listed are blank.
_KINDS_SQL = """
    SELECT k.round, coalesce(b.constituency, ''), k.marks, count(*)
    FROM (SELECT round, ballot, group_concat(written) AS marks FROM voting_marks
          WHERE round IN ({ids}) GROUP BY round, ballot) k
    JOIN voting_ballots b ON b.id = k.ballot
    GROUP BY 1, 2, 3
"""


def _ballot_tallies(db: Database, ids: Sequence[int],
                    contests_of: Mapping[int, Mapping[str, Contest]],
                    entered: Mapping[int, Mapping[str, int]]
                    ) -> dict[int, dict[tuple[str, str], ContestTally]]:
    """Every (constituency, contest) tally of the rounds' value ballots: the figures
    `tally_values` gives over each ballot's sections (`count` does that), counted once per
    kind of ballot with its number."""
    written: dict[int, tuple[str, str, str, Any]] = {}
    for wid, post, value, text, key in _in_rounds(
            db, "SELECT id, position, value, text, mark_key FROM voting_written"
            " WHERE round IN ({ids})", ids):
        written[wid] = (post, value, text, ballots.decode(key) if value == "write_in" else None)
    kinds: dict[tuple[int, str], dict[frozenset[int], int]] = {}
    for rid, where, carried, n in _in_rounds(db, _KINDS_SQL, ids):
        place = kinds.setdefault((rid, where), {})
        key = frozenset(map(int, carried.split(",")))  # a mark repeated on a ballot counts once
        place[key] = place.get(key, 0) + n
    out: dict[int, dict[tuple[str, str], ContestTally]] = {}
    for rid, by_code in contests_of.items():
        for where, cast in entered.get(rid, {}).items():
            papers = kinds.get((rid, where), {})
            # each kind of ballot's section per contest, as `_sections` reads a ballot
            sections: dict[str, list[tuple[Section, int]]] = {code: [] for code in by_code}
            for key, n in papers.items():
                marks: dict[str, list[tuple[str, str]]] = {code: [] for code in by_code}
                names: dict[str, list[Any]] = {code: [] for code in by_code}
                for wid in key:
                    post, value, text, mark = written[wid]
                    if value == "write_in":
                        names[post].append(mark)
                    else:
                        marks[post].append((text, value))
                for code in by_code:
                    sections[code].append((Section(marks[code], names[code]), n))
            blank = cast - sum(papers.values())
            for code, contest in by_code.items():
                if blank:
                    sections[code].append((Section(), blank))
                out.setdefault(rid, {})[(where, code)] = tally_counted(contest, sections[code],
                                                                      where)
    return out


def rounds_by_id(db: Database, ids: Sequence[int]) -> dict[int, VotingRound]:
    """Many rounds read at once (as `civic.ballots.get_round` reads one)."""
    posts: dict[int, list[str]] = {}
    for rid, post in _in_rounds(db, "SELECT round, position FROM voting_posts"
                                " WHERE round IN ({ids}) ORDER BY round, seq", ids):
        posts.setdefault(rid, []).append(post)
    return {rid: VotingRound(rid, key, title, status, issued, returned,
                             tuple(posts.get(rid, ())), kind, parent)
            for rid, key, title, status, issued, returned, kind, parent in _in_rounds(db, "SELECT id, key, title, status, issued, returned, kind,"
                                  " parent FROM voting_rounds WHERE id IN ({ids})", ids)}


def _ward(code: str, registered: int, weight: Fraction, present: int, issued: int,
          returned: int) -> Constituency:
    """A Constituency from its stored row without its checks run again per round: the
    figures' CHECKs (>= 0) hold in the table and the weight is checked once per text by the
    caller. A batch reads thousands (bench/election.py)."""
    ward = object.__new__(Constituency)
    ward.__dict__.update(code=code, registered=registered, weight=weight, present=present,
                         issued=issued, returned=returned)
    return ward


def constituencies_many(db: Database, vrounds: Sequence[VotingRound]
                        ) -> dict[int, tuple[Constituency, ...] | CivicError]:
    """`constituencies` of many rounds with one query: each round's, or the CivicError a
    figure not yet recorded raises."""
    rows: dict[int, list[tuple[Any, ...]]] = {}
    for row in _in_rounds(db, "SELECT round, code, registered, weight, present, issued,"
                          " returned FROM voting_constituencies WHERE round IN ({ids})"
                          " ORDER BY round, seq", [r.id for r in vrounds]):
        rows.setdefault(row[0], []).append(row[1:])
    weights: dict[str, Fraction] = {}  # a batch publishes a few weights: parse each once
    out: dict[int, tuple[Constituency, ...] | CivicError] = {}
    for vround in vrounds:
        if vround.id not in rows:
            try:
                out[vround.id] = constituencies(db, vround)
            except CivicError as exc:
                out[vround.id] = kept(exc)
            continue
        wards = []
        for code, registered, weight, present, issued, returned in rows[vround.id]:
            if None in (present, issued, returned):
                out[vround.id] = CivicError(_(
                    "Round {key}: record the figures of constituency {code} first.").format(
                        key=vround.key, code=code))
                break
            if weight not in weights:  # checked (0 to 1) as a Constituency checks it
                weights[weight] = Constituency(weight=Fraction(weight)).weight
            wards.append(_ward(code, registered, weights[weight], present, issued, returned))
        else:
            out[vround.id] = tuple(wards)
    return out


def count_many(db: Database, vrounds: Sequence[VotingRound],
               rules: Mapping[int, ElectionRules],
               wards: Mapping[int, tuple[Constituency, ...] | CivicError] | None = None,
               *, pm: Any = None) -> dict[int, RoundCount | CivicError]:
    """Count many rounds (a batch's hundreds) as `count` counts each: a few set-based queries
    over all of them (value ballots read as kinds of ballot with their numbers), then the same
    rules per round (`_settle`, `civic.tally.tally_counted`). Each round's RoundCount, or
    the CivicError `count` raises for it (below quorum, a figure missing...). `rules` by round
    id (missing: the default rules). A round with graded or name-choice contests is counted
    by `count` alone (with `pm`, for the mechanism's form validity rule)."""
    out: dict[int, RoundCount | CivicError] = {}
    ids = [r.id for r in vrounds]
    listed: dict[tuple[int, str], list[str]] = {}
    for rid, code, person in _in_rounds(db, "SELECT round, contest, candidate FROM"
                                        " voting_candidates WHERE round IN ({ids})"
                                        " ORDER BY round, contest, seq", ids):
        listed.setdefault((rid, code), []).append(person)
    contests_of: dict[int, dict[str, Contest]] = {}
    for rid, code, seats, kind, scale in _in_rounds(
            db, "SELECT round, position, seats, kind, scale FROM voting_posts"
            " WHERE round IN ({ids}) ORDER BY round, seq", ids):
        contests_of.setdefault(rid, {})[code] = Contest(
            code, seats or 1, tuple(listed.get((rid, code), ())), kind,
            tuple(json.loads(scale)) if scale else ())
    entered: dict[int, dict[str, int]] = {}
    for rid, where, n in _in_rounds(db, "SELECT round, coalesce(constituency, ''), count(*)"
                                    " FROM voting_ballots WHERE round IN ({ids})"
                                    " GROUP BY 1, 2", ids):
        entered.setdefault(rid, {})[where] = n
    parents = {r.parent for r in vrounds if r.parent}
    parent_keys = dict(_in_rounds(db, "SELECT id, key FROM voting_rounds WHERE id IN ({ids})",
                                  sorted(parents))) if parents else {}
    wards_of = constituencies_many(db, vrounds) if wards is None else wards
    simple = [r for r in vrounds if all(c.kind == VALUED for c in contests_of.get(r.id, {})
                                        .values())]
    valued = {r.id for r in simple}
    countable = [r for r in simple if not isinstance(wards_of[r.id], CivicError)]
    paper = _tally_rows_many(db, [r.id for r in countable],
                             {r.id: wards_of[r.id] for r in countable}, contests_of)  # type: ignore[misc]
    with_ballots = [r.id for r in countable if entered.get(r.id)]
    cast = _ballot_tallies(db, with_ballots, {i: contests_of.get(i, {}) for i in with_ballots},
                           entered) if with_ballots else {}
    for vround in vrounds:
        counting = rules.get(vround.id) or ElectionRules()
        try:
            if vround.id not in valued:
                out[vround.id] = count(db, vround, counting, pm=pm)
                continue
            figures = wards_of[vround.id]
            if isinstance(figures, CivicError):
                raise figures
            check_quorum(figures, counting.quorum)
            ready = {**cast.get(vround.id, {}), **paper.get(vround.id, {})}
            out[vround.id] = _settle(
                vround, parent_keys.get(vround.parent) if vround.parent else None, figures,
                contests_of.get(vround.id, {}), entered.get(vround.id, {}), counting,
                lambda ready=ready: ({}, ready))  # type: ignore[misc]
        except CivicError as exc:
            out[vround.id] = kept(exc)
    return out


# --- counting a batch of tallied rounds -------------------------------------------------------

# A contest's standing as `count_tallied` gives it: (candidate, for, against, abstain, share
# numerator over the contest's `den`, rank, qualified, elected, for-votes per constituency in
# declaration order), as `civic.tally.Standing` holds it without the Fraction.
TalliedStanding = tuple[str, int, int, int, int, int, bool, bool, list[int]]


class TalliedContest(NamedTuple):
    """One contest of a tallied round decided (`count_tallied`), as plain data: what
    `civic.tally.decide` gives (ContestResult) with each share an integer numerator over
    `den` and each constituency's valid ballots (`valid`, declaration order)."""

    contest: Contest
    ballots: int
    invalid: int
    valid: tuple[int, ...]
    den: int
    standings: list[TalliedStanding]
    tied: list[str]
    tied_seats: int
    shortfall: int
    runoff_slate: list[str]


class TalliedRound(NamedTuple):
    """A round counted from tally files (`count_tallied`): void, or its contests decided."""

    void: bool
    constituencies: tuple[Constituency, ...]
    contests: tuple[TalliedContest, ...]


# Each tallied place (round, constituency, contest) with its invalid ballots and the rows of
# its totals, in primary-key order (no sort): one query for a whole batch.
_TALLIED_SQL = """
    SELECT k.round, k.constituency, k.contest, k.invalid, t.candidate, t.for_votes,
           t.against_votes, t.abstain_votes
    FROM voting_tally_contests k LEFT JOIN voting_tallies t
      ON t.round = k.round AND t.constituency = k.constituency AND t.contest = k.contest
    WHERE k.round IN ({ids})
"""


def count_tallied(db: Database, vrounds: Sequence[VotingRound],
                  rules: Mapping[int, ElectionRules],
                  wards: Mapping[int, tuple[Constituency, ...] | CivicError] | None = None
                  ) -> dict[int, TalliedRound | CivicError]:
    """The rounds of a batch counted from tally files alone, decided in one pass over their
    rows: what `count` (and `count_many`) gives each, as plain data (`TalliedRound`) for a
    caller that reports it (a batch of 528 schools: bench/election.py), or the CivicError
    `count` raises for it. Only rounds of for / against / abstain contests with no ballot
    entered are taken; the others are left out (count them with `count_many`).
    tests/election/test_count_tallied.py holds this equal to `count` round by round."""
    ids = [r.id for r in vrounds]
    listed: dict[int, dict[str, list[Any]]] = {}  # round -> contest -> [seats, candidates]
    plain: set[int] = set(ids)
    for rid, code, seats, kind, person in _in_rounds(
            db, "SELECT p.round, p.position, p.seats, p.kind, c.candidate FROM voting_posts p"
            " LEFT JOIN voting_candidates c ON c.round = p.round AND c.contest = p.position"
            " WHERE p.round IN ({ids}) ORDER BY p.round, p.seq, c.seq", ids):
        if kind != VALUED:
            plain.discard(rid)
        place = listed.setdefault(rid, {}).get(code)
        if place is None:
            place = listed[rid][code] = [seats or 1, []]
        if person is not None:
            place[1].append(person)
    for (rid,) in _in_rounds(db, "SELECT DISTINCT round FROM voting_ballots"
                             " WHERE round IN ({ids})", ids):
        plain.discard(rid)
    taken = [r for r in vrounds if r.id in plain]
    wards_of = constituencies_many(db, taken) if wards is None else wards
    out: dict[int, TalliedRound | CivicError] = {}
    # round -> (constituency -> (its place in declaration order, its factor, ballots cast),
    #           the shares' common denominator, contest -> (person -> [for, against, abstain,
    #           for per constituency, share numerator], constituency place -> invalid))
    ready: dict[int, tuple[dict[str, tuple[int, int, int]], int,
                           dict[str, tuple[dict[str, list[Any]], dict[int, int]]]]] = {}
    for vround in taken:
        figures = wards_of[vround.id]
        if isinstance(figures, CivicError):
            out[vround.id] = figures
            continue
        counting = rules.get(vround.id) or ElectionRules()
        # Shares as integers over one denominator, as `civic.tally._sums` keeps them: a
        # constituency with nobody to divide by adds nothing. Its denominator here also
        # counts the scale of a constituency with no tally (`_sums` leaves it out): a multiple
        # of that one, so every share comparison and printed share is the same. The quorum
        # and the void test (`check_quorum`, `round_void`) summed in the same pass.
        base = counting.threshold.base
        quorum = counting.quorum
        den = 1
        registered = part = 0
        void = False
        scales = []
        for w in figures:
            registered += w.registered
            part += w.present if quorum.of == "present" else w.returned
            void = void or w.returned > w.issued
            scale = w.weight.denominator * (w.returned if base == "returned" else w.base(base))
            if scale:
                den = math.lcm(den, scale)
            scales.append(scale)
        if not quorum.met(part, registered):
            try:
                check_quorum(figures, quorum)  # its refusal, worded
            except CivicError as exc:
                out[vround.id] = kept(exc)
            continue
        if void:
            out[vround.id] = TalliedRound(True, figures, ())
            continue
        ready[vround.id] = (
            {w.code: (i, w.weight.numerator * (den // scale) if scale else 0, w.returned)
             for i, (w, scale) in enumerate(zip(figures, scales, strict=True))},
            den, {code: ({}, {}) for code in listed.get(vround.id, {})})
    # One pass over every tally row, in key order (round, constituency, contest): each
    # person's totals, for-votes per constituency and share numerator summed as they come.
    at: Any = None
    where_at = code_at = None
    people: dict[str, list[Any]] = {}
    names: list[str] = []
    i = factor = 0
    for rid, where, code, invalid, person, f, a, ab in _in_rounds(db, _TALLIED_SQL,
                                                                  list(ready)):
        if rid != at:
            at, where_at, code_at = rid, None, None
            places, den, by_code = ready[rid]
            n = len(places)
        if where != where_at or code != code_at:
            where_at, code_at = where, code
            i, factor, _cast = places[where]
            people, seen = by_code[code]
            seen[i] = invalid
            names = listed[rid][code][1]
        if person is None:  # a place with no totals (LEFT JOIN)
            continue
        if person not in names:  # a name written in: its for-votes only
            a = ab = 0
        mine = people.get(person)
        if mine is None:
            fors = [0] * n
            fors[i] = f
            people[person] = [f, a, ab, fors, factor * f]
        else:
            mine[0] += f
            mine[1] += a
            mine[2] += ab
            mine[3][i] += f
            mine[4] += factor * f
    for rid, (places, den, by_code) in ready.items():
        figures = wards_of[rid]
        counting = rules.get(rid) or ElectionRules()
        decided = []
        for code, (people, seen) in by_code.items():
            seats, candidates = listed[rid][code]
            decided.append(_tallied_contest(Contest(code, seats, tuple(candidates)), places,
                                            den, people, seen, counting))
        out[rid] = TalliedRound(False, figures, tuple(decided))  # type: ignore[arg-type]
    return out


def _tallied_contest(contest: Contest, places: Mapping[str, tuple[int, int, int]], den: int,
                     people: dict[str, list[Any]], seen: Mapping[int, int],
                     rules: ElectionRules) -> TalliedContest:
    """One contest decided from its summed rows (`count_tallied`), as `_settle` and `decide`
    decide it: a constituency with no tally is one where no ballot was cast."""
    n = len(places)
    valid = [0] * n
    ballots = invalid = 0
    for i, _factor, cast in places.values():
        if i in seen:
            ballots += cast
            invalid += seen[i]
            valid[i] = cast - seen[i]
    for person in contest.candidates:
        if person not in people:
            people[person] = [0, 0, 0, [0] * n, 0]
    share = {p: mine[4] for p, mine in people.items()}
    order, ranks, qualifies, elected, tied, tied_seats, shortfall, slate = seating(
        contest, share, den, people, rules)
    won = set(elected)
    return TalliedContest(
        contest, ballots, invalid, tuple(valid), den,
        [(p, *people[p][:3], share[p], ranks[p], qualifies[p], p in won, people[p][3])
         for p in order],
        sorted(tied), tied_seats, shortfall, slate)


def _tally_rows_many(db: Database, ids: Sequence[int],
                     wards_of: Mapping[int, Sequence[Constituency]],
                     contests_of: Mapping[int, Mapping[str, Contest]]
                     ) -> dict[int, dict[tuple[str, str], ContestTally]]:
    """`_tally_rows` of many rounds: the tally files' totals, two queries over all."""
    invalid: dict[tuple[int, str, str], int] = {}
    for rid, where, code, n in _in_rounds(db, "SELECT round, constituency, contest, invalid"
                                          " FROM voting_tally_contests"
                                          " WHERE round IN ({ids})", ids):
        invalid[(rid, where, code)] = n
    votes: dict[tuple[int, str, str], dict[str, Votes]] = {k: {} for k in invalid}
    written: dict[tuple[int, str, str], dict[str, int]] = {k: {} for k in invalid}
    at = None
    listed: tuple[str, ...] = ()
    given: dict[str, Votes] = {}
    named: dict[str, int] = {}
    # In primary-key order (round, constituency, contest, candidate): one place's rows follow
    # each other, so its dicts are looked up once per place, not once per row.
    for rid, where, code, person, f, a, ab, v in _in_rounds(
            db, "SELECT round, constituency, contest, candidate, for_votes, against_votes,"
            " abstain_votes, 0 FROM voting_tallies WHERE round IN ({ids})"
            " ORDER BY round, constituency, contest", ids):
        if at != (rid, where, code):
            at = (rid, where, code)
            listed = contests_of[rid][code].candidates
            given, named = votes[at], written[at]
        if person in listed:
            given[person] = tuple.__new__(Votes, (f, a, ab, v))  # Votes(f, a, ab), no call
        else:
            named[person] = f
    returned = {(rid, w.code): w.returned for rid in ids for w in wards_of[rid]}
    out: dict[int, dict[tuple[str, str], ContestTally]] = {}
    for (rid, where, code), n in invalid.items():
        out.setdefault(rid, {})[(where, code)] = _place_tally(
            code, where, returned[(rid, where)], n, votes[(rid, where, code)],
            written[(rid, where, code)])
    return out


def _place_tally(contest: str, where: str, cast: int, invalid: int,
                 candidates: dict[str, Votes], written: dict[str, int]) -> ContestTally:
    """A ContestTally of a tally file's totals, as `ContestTally(...)` makes it (no write-in
    waits for adjudication on paper) without the frozen dataclass's per-field set: a batch
    makes thousands (bench/election.py)."""
    tally = object.__new__(ContestTally)
    tally.__dict__.update(contest=contest, constituency=where, ballots=cast, invalid=invalid,
                          candidates=candidates, write_ins=written, unresolved=0,
                          invalid_write_ins={})
    return tally


def report(result: RoundCount, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The JSON-able count: exact fractions as "n/d" and decimal strings beside them."""
    name = (names or {}).get

    def share(value: Fraction) -> dict[str, str]:
        return {"fraction": str(value), "decimal": decimal_text(value)}

    out: dict[str, Any] = {
        "round": result.round, "kind": result.kind, "continues": result.parent,
        "void": result.void,
        "constituencies": [{"code": w.code, "registered": w.registered,
                            "weight": share(w.weight), "present": w.present,
                            "issued": w.issued, "returned": w.returned,
                            "entered": result.entered.get(w.code, 0)}
                           for w in result.constituencies],
        "contests": [], "ratings": []}
    for code, r in result.results.items():
        out["contests"].append({
            "contest": code, "seats": r.contest.seats, "ballots": r.ballots,
            "invalid": r.invalid, "unresolved": r.unresolved,
            "by_constituency": [
                {"constituency": t.constituency, "ballots": t.ballots, "invalid": t.invalid,
                 "valid": t.valid,
                 "candidates": {c: dict(zip(("for", "against", "abstain", "void"), v,
                                            strict=True)) for c, v in t.candidates.items()},
                 "write_ins": dict(t.write_ins)} for t in r.tallies],
            "results": [{"person": s.candidate, "name": name(s.candidate, ""),
                         "for": s.for_votes, "against": s.against, "abstain": s.abstain,
                         "share": share(s.share), "rank": s.rank, "qualified": s.qualified,
                         "elected": s.elected} for s in r.standings],
            "elected": list(r.elected), "tied": list(r.tied), "tied_seats": r.tied_seats,
            "shortfall": r.shortfall, "runoff_slate": list(r.runoff_slate)})
    for code, standings in result.grades.items():
        out["ratings"].append({"contest": code, "ratees": [
            {"person": g.ratee, "name": name(g.ratee, ""), "counts": dict(g.counts),
             "shares": {k: share(v) for k, v in g.shares.items()}, "void": g.void,
             "blank": g.blank, "invalid": g.invalid} for g in standings],
            "invalid_forms": dict(result.invalid.get(code, {}))})
    return out


# --- chaining rounds -------------------------------------------------------------------------

def follow_on(change: Change, parent: VotingRound, key: str, title: str, kind: str,
              contests: Sequence[Contest]) -> VotingRound:
    """A round continuing `parent` (runoff, re-vote...), with its constituencies (registered
    counts and weights; figures are the new round's own)."""
    wards = [c for c in constituencies(change.db, parent, need_figures=False) if c.code != ONLY]
    titles = dict(change.db.execute("SELECT code, title FROM voting_constituencies"
                                    " WHERE round = ?", (parent.id,)).fetchall())
    return declare(change, key, title, contests, constituencies=wards, kind=kind,
                   parent=parent, titles=titles)


def runoff_contests(results: Iterable[ContestResult]) -> list[Contest]:
    """另行选举: each contest with a shortfall, for the open seats, among its runoff slate."""
    return [Contest(r.contest.code, r.shortfall, r.runoff_slate, VALUED)
            for r in results if r.shortfall and r.runoff_slate]


def revote_contests(results: Iterable[ContestResult]) -> list[Contest]:
    """A re-vote among those tied for the last seats only (no draw, 暂行条例 art. 21)."""
    return [Contest(r.contest.code, r.tied_seats, r.tied, VALUED) for r in results if r.tied]


def recall_contest(person: str, code: str = "recall") -> Contest:
    """A recall vote (罢免): one candidate; a for-vote is a vote to recall. Count it with
    `RECALL_RULES`."""
    return Contest(code, 1, (person,), VALUED)

