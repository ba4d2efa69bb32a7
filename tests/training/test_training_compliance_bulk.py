"""Compliance in bulk (`store.compliance`: one SQL aggregation, no Fraction per person) gives
exactly the rows of the plain per-person computation (`store.compliance_plain`: `rules.assess`
over each one's records), on random offices: window edges either side of 1 January and five
years back, caps passed or not, half, quarter and odd hours, leave that withdraws, promotions
inside and outside the catch-up year, on days under each pack (2006: days only; 2015/2023:
hours, days and caps)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civic.plugins.training import rules, store

D = dt.date
# Under the 2006 pack, on a leap day, on the first and last day of a year, under 2015 and 2023.
DAYS_ON = [D(2008, 6, 2), D(2008, 2, 29), D(2008, 1, 1), D(2007, 12, 31), D(2016, 3, 1),
           D(2024, 3, 1)]
RANKS = [None, *rules.RANK_LEVELS]
STATUSES = ["serving", "reserve", "retired"]

hours_st = st.one_of(
    st.fractions(0, 120, max_denominator=4),  # what sheets carry: exact in floats
    st.fractions(0, 40, max_denominator=7),  # thirds and sevenths: the Fraction path
)
person_st = st.tuples(st.sampled_from(RANKS),
                      st.one_of(st.none(), st.dates(D(2002, 1, 1), D(2024, 3, 1))),
                      st.sampled_from(STATUSES), st.booleans())
session_st = st.tuples(st.integers(-2000, 30), st.sampled_from(list(rules.CATEGORIES)),
                       hours_st, st.integers(1, 6))
office_st = st.tuples(
    st.sampled_from(DAYS_ON),
    st.lists(person_st, min_size=1, max_size=8),
    st.lists(session_st, max_size=10),
    st.sets(st.tuples(st.integers(0, 9), st.integers(0, 7)), max_size=40),
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 7), st.fractions(1, 30)),
             max_size=3),
)


def _fill(db, on, people, sessions, attended, leave, units) -> None:
    """Writes the random office straight into the tables (set-up, not the thing tested)."""
    with db.conn:
        for table in ("training_leave", "training_attendance", "training_sessions",
                      "training_programmes"):
            db.execute(f"DELETE FROM {table}")
        db.execute("DELETE FROM people WHERE code LIKE 'H%'")
        for i, (rank, since, status, first_unit) in enumerate(people):
            db.execute("INSERT INTO people (code, name, rank, rank_since, status, unit)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       (f"H{i}", f"人{i}", rank, since.isoformat() if since else None, status,
                        units[0] if first_unit else units[1]))
        for i, (offset, category, hours, half_days) in enumerate(sessions):
            day = (on + dt.timedelta(days=offset)).isoformat()
            db.execute("INSERT INTO training_programmes (id, title, category, starts, ends)"
                       " VALUES (?, ?, ?, ?, ?)", (i + 1, f"班{i}", category, day, day))
            db.execute("INSERT INTO training_sessions (id, programme, day, half_days, hours)"
                       " VALUES (?, ?, ?, ?, ?)", (i + 1, i + 1, day, half_days, float(hours)))
        for session, person in attended:
            if session < len(sessions) and person < len(people):
                db.execute("INSERT INTO training_attendance (session, person) VALUES (?, ?)",
                           (session + 1, f"H{person}"))
        for programme, person, hours in leave:
            if programme < len(sessions) and person < len(people):
                db.execute("INSERT INTO training_leave (programme, person, hours, reason)"
                           " VALUES (?, ?, ?, '病假')", (programme + 1, f"H{person}",
                                                         float(hours)))


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(office_st)
def test_bulk_compliance_is_the_plain_computation(civic_registry, office):
    on, people, sessions, attended, leave = office
    db = civic_registry.db
    units = [r[0] for r in db.execute("SELECT code FROM units ORDER BY code")][:2]
    _fill(db, on, people, sessions, attended, leave, units)
    assert store.compliance(db, on) == store.compliance_plain(db, on)
    assert store.compliance(db, on, units[0]) == store.compliance_plain(db, on, units[0])


def test_bulk_path_covers_the_cases_it_hands_on(civic_registry):
    """One office with a person for each case the bulk path leaves to Fractions (over a cap,
    odd hours, withdrawn) beside plain ones: the rows still agree, and the plain ones are the
    figures the rule gives (2023 pack: 550 hours or 90 days in five years; online capped at
    110 hours, 条例 第十九条)."""
    db = civic_registry.db
    on = D(2024, 3, 1)
    units = [r[0] for r in db.execute("SELECT code FROM units ORDER BY code")][:2]
    people = [("division", D(2010, 1, 1), "serving", True)] * 5
    sessions = [(-10, "full_time", F(560), 180), (-20, "online", F(150), 20),
                (-30, "lecture", F(10, 3), 1), (-40, "full_time", F(70), 10)]
    # H0 meets by hours; H1 is over the online cap (110 of 150 hours credited, days scaled);
    # H2 has a third of an hour; H3 is withdrawn from programme 4 (leave over 1/7 of 70 h).
    attended = {(0, 0), (1, 1), (2, 2), (3, 3), (0, 3)}
    leave = [(3, 3, F(11))]
    _fill(db, on, people, sessions, attended, leave, units)
    rows = {r["person"]: r for r in store.compliance(db, on) if r["person"].startswith("H")}
    assert rows == {r["person"]: r for r in store.compliance_plain(db, on)
                    if r["person"].startswith("H")}
    assert (rows["H0"]["status"], rows["H0"]["hours"]) == ("met", "560")
    assert (rows["H1"]["hours"], rows["H1"]["days"]) == ("110", "7.33")  # 10 days x 110/150
    assert rows["H2"]["hours"] == "3.33"
    assert (rows["H3"]["hours"], rows["H3"]["status"]) == ("560", "met")  # programme 4 gone
    assert (rows["H4"]["status"], rows["H4"]["short_hours"], rows["H4"]["due"]) == (
        "short", "550", "2024-03-01")
