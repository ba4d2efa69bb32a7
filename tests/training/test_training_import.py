"""The sign-in sheet import (`actions.import_attendance`): every way a sheet is refused, named by
file:row:column, nothing written; and the fast path (rows straight into the table, the table's
own keys checking them) always answering as the checked path (`import_attendance_plain`) does.
Issue 15: "bad sign-in sheets refused whole with file:row:column"."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic.errors import InputError
from civic.plugins.training import actions

D = dt.date
PEOPLE = {"C0001": "张建华", "C0002": "李明", "C0003": "王丽", "C0004": "赵强",
          "C0005": "陈静"}  # civic.testing's sample registry


@pytest.fixture
def course(civic_registry):
    office = civic_registry
    prog = actions.create_programme(office, "县处级干部进修班", "full_time", D(2008, 3, 3),
                                    D(2008, 3, 14), "市委党校")
    sessions = [actions.add_session(office, prog, D(2008, 3, 3 + i), 2, F(7)) for i in range(3)]
    return office, sessions


def rows_in(office) -> list[tuple[int, str]]:
    return office.db.execute(
        "SELECT session, person FROM training_attendance ORDER BY session, person").fetchall()


def audit_entries(office) -> int:
    return office.db.execute("SELECT count(*) FROM audit_log WHERE type ="
                             " 'training.attendance_imported'").fetchone()[0]


# (what the sheet says, its text with {s1} {s2} for the first two sessions, the --session
# given (None, or an index into the sessions), the problems as "row:column: reason").
REFUSED = [
    ("unknown person", "人员编号\nC0001\nC0009\n", 0,
     ["3:人员编号: no person C0009 in the registry"]),
    ("a name that is not the person's", "人员编号,姓名\nC0001,张建华\nC0002,王丽\n", 0,
     ["3:姓名: C0002 is 李明, not 王丽"]),
    ("twice on the sheet", "人员编号\nC0001\nC0002\nC0001\n", 0,
     ["4:人员编号: C0001 already signed in on row 2"]),
    ("a session column naming no session", "课次,人员编号\n{s1},C0001\n99,C0002\n", None,
     ["3:课次: no training session 99"]),
    ("a session column that is not a number", "课次,人员编号\n{s1},C0001\n第一课,C0002\n", None,
     ["3:课次: no training session 第一课"]),
    ("a session column other than --session", "课次,人员编号\n{s1},C0001\n{s2},C0002\n", 0,
     ["3:课次: no training session {s2}"]),
    ("no session anywhere", "人员编号\nC0001\n", None,
     ["2:session: which session: give --session or a session column"]),
    ("an empty person cell", "课次,人员编号\n{s1},C0001\n{s1},\n", None,
     ["3:人员编号: a value is required"]),
    ("the same person at two sessions, then twice at one",
     "课次,人员编号\n{s1},C0001\n{s2},C0001\n{s2},C0001\n", None,
     ["4:人员编号: C0001 already signed in on row 3"]),
    ("several problems, each named, in row order",
     "课次,人员编号,姓名\n{s1},C0001,张建华\n{s1},C0009,\n99,C0002,李明\n{s1},C0003,陈静\n"
     "{s1},C0001,张建华\n", None,
     ["3:人员编号: no person C0009 in the registry", "4:课次: no training session 99",
      "5:姓名: C0003 is 王丽, not 陈静", "6:人员编号: C0001 already signed in on row 2"]),
]


@pytest.mark.parametrize(("what", "text", "given", "problems"), REFUSED,
                         ids=[r[0] for r in REFUSED])
def test_a_bad_sheet_is_refused_whole(course, tmp_path, what, text, given, problems):
    office, sessions = course
    path = tmp_path / "signin.csv"
    names = {"s1": sessions[0], "s2": sessions[1]}
    path.write_text(text.format(**names), encoding="utf-8")
    session = None if given is None else sessions[given]
    for importer in (actions.import_attendance, actions.import_attendance_plain):
        with pytest.raises(InputError) as err:
            importer(office, path, session)
        assert [str(p) for p in err.value.problems] == [
            "signin.csv:" + p.format(**names) for p in problems], importer
        assert rows_in(office) == [] and audit_entries(office) == 0


def test_a_person_already_recorded_is_refused(course, tmp_path):
    office, sessions = course
    first = tmp_path / "first.csv"
    first.write_text("人员编号\nC0002\n", encoding="utf-8")
    assert actions.import_attendance(office, first, sessions[0]) == 1
    again = tmp_path / "again.csv"
    again.write_text(f"课次,人员编号\n{sessions[1]},C0002\n{sessions[0]},C0001\n"
                     f"{sessions[0]},C0002\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        actions.import_attendance(office, again)
    assert [str(p) for p in err.value.problems] == [
        "again.csv:4:人员编号: C0002 is already recorded at this session"]
    assert rows_in(office) == [(sessions[0], "C0002")] and audit_entries(office) == 1


def test_a_good_sheet_is_written_with_one_audit_entry(course, tmp_path):
    office, sessions = course
    path = tmp_path / "good.csv"
    # Names given or left blank, spaces around cells, a blank line, an extra column.
    path.write_text(f"课次,人员编号,姓名,签到,备注\n{sessions[0]}, C0001 ,张建华,√,\n"
                    f"{sessions[1]},C0001,,√,迟到\n\n{sessions[1]},C0003,王丽,√,\n",
                    encoding="utf-8")
    assert actions.import_attendance(office, path) == 3
    assert rows_in(office) == [(sessions[0], "C0001"), (sessions[1], "C0001"),
                               (sessions[1], "C0003")]
    assert audit_entries(office) == 1


def test_an_import_inside_a_change_undoes_only_itself(course, tmp_path):
    """A refused sheet inside an outer change (a savepoint) leaves the outer change's own
    writes and lets it go on."""
    office, sessions = course
    bad = tmp_path / "bad.csv"
    bad.write_text("人员编号\nC0001\nC0001\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("人员编号\nC0004\n", encoding="utf-8")
    with office.change():
        actions.record_attendance(office, sessions[2], ["C0005"])
        with pytest.raises(InputError):
            actions.import_attendance(office, bad, sessions[0])
        assert actions.import_attendance(office, good, sessions[0]) == 1
    assert rows_in(office) == [(sessions[0], "C0004"), (sessions[2], "C0005")]


ROW = st.tuples(
    st.sampled_from(["", "1", "2", "3", "99", "x"]),  # 课次: the sessions are 1, 2 and 3
    st.sampled_from([*PEOPLE, "C0009", ""]),
    st.sampled_from(["", "right", "wrong"]))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, max_size=8), named=st.booleans(), given_session=st.booleans(),
       before=st.lists(st.tuples(st.sampled_from([1, 2, 3]), st.sampled_from(list(PEOPLE))),
                       max_size=3))
def test_fast_and_checked_paths_agree(course, tmp_path, rows, named, given_session, before):
    """Whatever the sheet, the import answers as the checked path does: the same count, or
    the same problems, and the same rows in the table afterwards."""
    office, sessions = course
    assert sessions == [1, 2, 3]
    office.db.execute("DELETE FROM training_attendance")
    office.db.conn.executemany("INSERT OR IGNORE INTO training_attendance VALUES (?, ?)",
                               before)
    office.db.conn.commit()
    names = {"": "", "right": None, "wrong": "某某"}
    lines = ["课次,人员编号" + (",姓名" if named else "")]
    for session, code, name in rows:
        written = PEOPLE.get(code, "无名") if names[name] is None else names[name]
        lines.append(f"{session},{code}" + (f",{written}" if named else ""))
    path = tmp_path / "random.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    session = 1 if given_session else None
    answers = []
    for importer in (actions.import_attendance, actions.import_attendance_plain):
        try:
            answer: object = importer(office, path, session)
        except InputError as err:
            answer = [str(p) for p in err.problems]
        answers.append((answer, rows_in(office)))
        office.db.execute("DELETE FROM training_attendance")
        office.db.conn.executemany("INSERT OR IGNORE INTO training_attendance VALUES (?, ?)",
                                   before)
        office.db.conn.commit()
    assert answers[0] == answers[1]


def test_a_good_sheet_takes_the_fast_path(course, tmp_path, monkeypatch):
    """A clean sheet is written by the fast path alone; the checked path reads only a sheet
    the table's keys refused."""
    office, sessions = course

    def checked(*args):
        raise AssertionError("the checked path read a clean sheet")

    monkeypatch.setattr(actions, "import_attendance_plain", checked)
    path = tmp_path / "good.csv"
    path.write_text("人员编号,姓名\nC0001,张建华\nC0002,李明\n", encoding="utf-8")
    assert actions.import_attendance(office, path, sessions[0]) == 2
    path.write_text("人员编号\nC0001\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="checked path"):
        actions.import_attendance(office, path, sessions[0])  # already recorded
