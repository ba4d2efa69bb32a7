"""civic.scoring: service-year rounding, points and caps, scheme files, the tie-break chain."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civic.errors import CivicError, InputError
from civic.scoring import (
    Ranked,
    UnresolvedTie,
    draw_groups,
    draw_ticket,
    load_scheme,
    min_max,
    parse_scheme,
    parse_tie_break,
    rank,
    round_part_year,
    service_years,
    to_date,
    weighted_sum,
    z_scores,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "placement-scheme.toml"
D = Decimal


# 各地计划分配军队转业干部量化评分办法:「不满6个月的按半年计算，超过6个月不满1年的按1年计算」, read
# as written ("part-year"): any part of a year counts, days included; up to six months 0.5, over
# six months 1.
@pytest.mark.parametrize(
    ("start", "cutoff", "expected"),
    [
        ("1988-01-01", "2008-01-01", "20"),  # exactly 20 years: no part-year
        ("1988-01-01", "2008-01-21", "20.5"),  # 20 years 0 months 20 days: 不满6个月 -> half
        ("1988-01-01", "2008-02-01", "20.5"),  # 20 years 1 month
        ("1988-01-01", "2008-07-01", "20.5"),  # 20 years 6 months: exactly half a year
        ("1988-01-01", "2008-07-02", "21"),  # 6 months 1 day: 超过6个月 -> a whole year
        ("1988-01-01", "2008-07-30", "21"),  # 20 years 6 months 29 days
        ("1988-01-01", "2008-12-31", "21"),  # 20 years 11 months 30 days
        ("1988-03-15", "2008-03-14", "20"),  # one day short of 20 years: 19y 11m 28d
        ("1988-01-31", "2008-02-29", "20.5"),  # the 31st's anniversary is the month's last day
        ("1988-01-31", "2008-01-31", "20"),
        ("2008-06-30", "2008-06-30", "0"),
        ("2008-06-01", "2008-06-30", "0.5"),  # 29 days of service is a part-year
    ],
)
def test_service_years_part_year_rule(start: str, cutoff: str, expected: str) -> None:
    assert service_years(date.fromisoformat(start), date.fromisoformat(cutoff)) == D(expected)


# The variant an office may name instead ("completed-months"): completed calendar months only,
# leftover days dropped, then 1-6 months 0.5 and 7-11 months 1.
@pytest.mark.parametrize(
    ("start", "cutoff", "expected"),
    [
        ("1988-01-01", "2008-01-01", "20"),  # exactly 20 years
        ("1988-01-01", "2008-01-21", "20"),  # 20 years 0 months 20 days: no complete month
        ("1988-01-01", "2008-02-01", "20.5"),  # 20 years 1 month
        ("1988-01-01", "2008-07-01", "20.5"),  # 20 years 6 months: exactly half
        ("1988-01-01", "2008-07-30", "20.5"),  # 6 months 29 days is still 6 complete months
        ("1988-01-01", "2008-08-01", "21"),  # 20 years 7 months: over half
        ("1988-03-15", "2008-03-14", "20"),  # 19y 11m
        ("1988-01-31", "2008-02-28", "20"),  # a day short of the 31st's anniversary
        ("2008-06-01", "2008-06-30", "0"),
    ],
)
def test_service_years_completed_months(start: str, cutoff: str, expected: str) -> None:
    got = service_years(date.fromisoformat(start), date.fromisoformat(cutoff),
                        "completed-months")
    assert got == D(expected)


@pytest.mark.parametrize(
    ("start", "cutoff", "expected"),
    [("1988-01-01", "2008-12-31", "20"), ("1988-01-01", "2009-01-01", "21")],
)
def test_service_years_whole(start: str, cutoff: str, expected: str) -> None:
    got = service_years(date.fromisoformat(start), date.fromisoformat(cutoff), "whole")
    assert got == D(expected)


@pytest.mark.parametrize(
    ("years", "expected"),
    [("20", "20"), ("20.25", "20.5"), ("20.5", "20.5"), ("20.51", "21"), ("0.01", "0.5")],
)
def test_round_part_year(years: str, expected: str) -> None:
    assert round_part_year(D(years)) == D(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1985-09-01", date(1985, 9, 1)),
        ("1985/9/1", date(1985, 9, 1)),
        ("1985年9月1日", date(1985, 9, 1)),
        ("1985.09", date(1985, 9, 1)),  # month only: the first of the month
        ("198509", date(1985, 9, 1)),
        ("19850901", date(1985, 9, 1)),
        ("１９８５－０９－０１", date(1985, 9, 1)),  # full-width, NFKC-folded
    ],
)
def test_dates_as_offices_write_them(text: str, expected: date) -> None:
    assert to_date(text) == expected


AWARDS = """
name = "t"
[[components]]
name = "awards"
kind = "points"
column = "awards"
multiple = true
cap = 30
points = { "一等功" = 30, "二等功" = 10, "三等功" = 2 }
"""


@pytest.mark.parametrize(
    ("cell", "points", "capped"),
    [
        ("", "0", False),
        ("三等功", "2", False),
        ("二等功;三等功", "12", False),
        ("二等功、三等功、三等功", "14", False),  # the same award twice counts twice
        ("二等功；三等功", "12", False),  # full-width semicolon
        ("二等功;二等功;二等功", "30", False),  # exactly the cap
        ("一等功;二等功", "30", True),  # 40, capped after adding up
        (" 一等功 ; 一等功 ", "30", True),
    ],
)
def test_awards_add_up_before_the_cap(cell: str, points: str, capped: bool) -> None:
    b = parse_scheme(AWARDS).score({"awards": cell})
    assert b.components["awards"] == D(points)
    assert ("awards" in b.capped) is capped


def test_unknown_award_is_reported_with_its_column() -> None:
    scheme = parse_scheme(AWARDS)
    assert scheme.problems({"awards": "二等功;特等功"}, None) == [
        ("awards", "'特等功' is not in the points table (一等功、二等功、三等功)")
    ]
    with pytest.raises(CivicError, match="特等功"):
        scheme.score({"awards": "特等功"})


NUMERIC = """
name = "t"
places = 2
[[components]]
name = "exam"
kind = "numeric"
column = "exam"
weight = 0.4
cap = 38
[[components]]
name = "years"
kind = "numeric"
column = "years"
rounding = "part-year"
"""


@pytest.mark.parametrize(
    ("exam", "years", "exam_pts", "years_pts", "total"),
    [
        ("80", "20", "32.00", "20", "52.00"),
        ("85.25", "20.2", "34.10", "20.5", "54.60"),
        ("99", "20.7", "38", "21", "59"),  # 39.6 capped at 38
        ("87.3333", "0", "34.93", "0", "34.93"),  # 34.93332 rounds half-up to 2 places
        ("87.3375", "0", "34.94", "0", "34.94"),  # 34.935 -> 34.94 (四舍五入, not banker's)
        ("８０", "20", "32.00", "20", "52.00"),  # full-width digits from a spreadsheet
    ],
)
def test_weights_caps_and_exact_totals(
    exam: str, years: str, exam_pts: str, years_pts: str, total: str
) -> None:
    b = parse_scheme(NUMERIC).score({"exam": exam, "years": years})
    assert b.components == {"exam": D(exam_pts), "years": D(years_pts)}
    assert b.total == D(total)
    # The published breakdown adds up exactly to the published total.
    assert sum(D(v) for v in b.display().values()) == b.total


def test_float_weights_are_read_exactly() -> None:
    text = NUMERIC.replace("weight = 0.4", "weight = 0.1").replace("cap = 38", "")
    b = parse_scheme(text).score({"exam": "0.2", "years": "0"})
    assert b.components["exam"] == D("0.02")  # 0.1 * 0.2, no binary float noise


def test_numeric_problems() -> None:
    scheme = parse_scheme(NUMERIC)
    assert scheme.problems({"exam": "缺考", "years": ""}, None) == [
        ("exam", "'缺考' is not a number"),
        ("years", "missing value"),
    ]


SERVICE = """
name = "t"
[[components]]
name = "service_years"
kind = "service_years"
column = "start"
per_year = 2
cap = 50
"""


@pytest.mark.parametrize(
    ("start", "points", "capped"),
    [("1988-01-01", "41.00", False), ("1984.01", "49.00", False), ("1980-01-01", "50.00", True)],
)
def test_service_years_component(start: str, points: str, capped: bool) -> None:
    b = parse_scheme(SERVICE).score({"start": start}, date(2008, 4, 1))
    assert b.components["service_years"] == D(points)
    assert ("service_years" in b.capped) is capped


def test_service_years_needs_a_cutoff_and_a_start_before_it() -> None:
    scheme = parse_scheme(SERVICE)
    assert scheme.problems({"start": "1988-01-01"}, None)[0][1] == (
        "no cut-off date given for service years"
    )
    assert "after the cut-off" in scheme.problems({"start": "2009-01-01"}, date(2008, 1, 1))[0][1]


def test_example_scheme_scores_a_kunming_officer() -> None:
    scheme = load_scheme(EXAMPLE)
    record = {
        "rank": "正团",
        "service_start": "1984.09",
        "rank_date": "2003-07-01",
        "awards": "二等功;三等功、三等功",
        "assessment": "88.5",
        "exam": "79",
        "birth_date": "1965-03-02",
    }
    b = scheme.score(record, date(2008, 6, 30))
    assert b.display() == {
        "rank": "60.00",
        "service_years": "24.00",  # 23 years 9 months: over half a year
        "rank_years": "2.00",  # 4 completed years x 0.5
        "awards": "14.00",
        "assessment": "26.55",
        "exam": "31.60",
    }
    assert b.total == D("158.15")
    assert b.measures["service_years"] == D("24")


# --- scheme file errors: file, TOML key path as 'column', reason ---------------------------


@pytest.mark.parametrize(
    ("text", "column", "reason"),
    [
        ('name = "t"\ncolour = 1\n[[components]]\n' + AWARDS.split("[[components]]")[1], "colour", "unknown key"),
        ('name = "t"\n[[components]]\nname = "x"\nkind = "linear"\ncolumn = "x"\n', "components[0].kind", "must be one of numeric, points, service_years"),
        ('name = "t"\n[[components]]\nname = "x"\nkind = "points"\ncolumn = "x"\n', "components[0].points", "a points table is required"),
        ('name = "t"\n[[components]]\nname = "x"\nkind = "points"\ncolumn = "x"\npoints = { "正团" = "sixty" }\n', "components[0].points.正团", "must be a number"),
        ('name = "t"\n[[components]]\nname = "x"\nkind = "numeric"\ncolumn = "x"\nper_year = 1\n', "components[0].per_year", "unknown key for kind 'numeric'"),
        ('name = "t"\n[[components]]\nname = "x"\nkind = "service_years"\ncolumn = "x"\nrounding = "none"\n', "components[0].rounding", "must be one of part-year, completed-months, whole"),
        ('name = "t"\n[[components]]\nkind = "numeric"\ncolumn = "x"\n', "components[0].name", "required text"),
        ('name = "t"\n', "components", "at least one [[components]] table is needed"),
        ('name = "t"\ntie_break = ["draw", "score desc"]\n' + NUMERIC.split('places = 2')[1], "tie_break", "The draw can only be the last tie-break."),
        ('name = "t"\ntie_break = ["score"]\n' + NUMERIC.split('places = 2')[1], "tie_break", "Tie-break 'score' must be 'FIELD asc', 'FIELD desc' or 'draw'."),
        (NUMERIC.replace('name = "years"', 'name = "exam"'), "components", "component name 'exam' is used twice"),
    ],
)  # fmt: skip
def test_scheme_errors_name_the_key_path(text: str, column: str, reason: str) -> None:
    with pytest.raises(InputError) as err:
        parse_scheme(text, "scheme.toml")
    assert (column, reason) in [(p.column, p.reason) for p in err.value.problems]
    assert all(p.file == "scheme.toml" for p in err.value.problems)


def test_every_problem_is_reported_at_once() -> None:
    text = 'name = "t"\nplaces = -1\n[[components]]\nname = "x"\nkind = "numeric"\ncolumn = "x"\ncap = "big"\n'
    with pytest.raises(InputError) as err:
        parse_scheme(text, "s.toml")
    assert {p.column for p in err.value.problems} == {"places", "components[0].cap"}


def test_toml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "t"\n[[components]\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_scheme(path)
    (problem,) = err.value.problems
    assert problem.file == str(path) and problem.row == 2


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_scheme(tmp_path / "absent.toml")


# --- ranking ---------------------------------------------------------------------------------

CHAIN = ["score desc", "service_years desc", "birth_date asc", "draw"]


def test_tie_break_chain_score_then_service_then_older_then_draw() -> None:
    items = {
        "low": {"score": D(150), "service_years": 9000, "birth_date": date(1960, 1, 1)},
        "top": {"score": D(160), "service_years": 7000, "birth_date": date(1970, 1, 1)},
        # same score: longer service first
        "long": {"score": D(155), "service_years": 8000, "birth_date": date(1968, 1, 1)},
        "short": {"score": D(155), "service_years": 7500, "birth_date": date(1960, 1, 1)},
        # same score and service: the older first
        "older": {"score": D("152.50"), "service_years": 7000, "birth_date": date(1964, 5, 1)},
        "younger": {"score": D("152.5"), "service_years": 7000, "birth_date": date(1966, 5, 1)},
        # tied on everything: the draw
        "twinA": {"score": D(151), "service_years": 7000, "birth_date": date(1965, 1, 1)},
        "twinB": {"score": D(151), "service_years": 7000, "birth_date": date(1965, 1, 1)},
    }
    ranking = rank(items, CHAIN, seed=2008)
    order = [r.key for r in ranking]
    twins = sorted(["twinA", "twinB"], key=lambda k: draw_ticket(2008, k))
    assert order == ["top", "long", "short", "older", "younger", *twins, "low"]
    assert [r.rank for r in ranking] == list(range(1, 9))
    assert draw_groups(ranking) == [tuple(twins)]
    assert {r.key for r in ranking if r.decided_by_draw} == {"twinA", "twinB"}
    assert all(r.ticket is None for r in ranking if not r.decided_by_draw)


def test_draw_ticket_is_plain_sha256() -> None:
    assert draw_ticket(2008, "J001") == hashlib.sha256(b"2008|J001").hexdigest()


def test_tie_without_a_draw_is_refused() -> None:
    items = {"a": {"score": D(1)}, "b": {"score": D(1)}}
    with pytest.raises(UnresolvedTie, match="a, b"):
        rank(items, ["score desc"], seed=1)


def test_missing_tie_value_is_refused() -> None:
    with pytest.raises(CivicError, match="birth_date"):
        rank({"a": {"score": D(1), "birth_date": None}}, ["score desc", "birth_date asc"], 1)


@pytest.mark.parametrize(
    "chain", [["score"], ["score up"], ["draw", "score desc"], ["x asc", "x desc"]]
)
def test_bad_chains(chain: list[str]) -> None:
    with pytest.raises(CivicError):
        parse_tie_break(chain)


def test_scheme_rank_uses_exact_service_days_and_record_columns() -> None:
    scheme = load_scheme(EXAMPLE)
    base = {"rank": "正团", "rank_date": "2004-07-01", "awards": "", "exam": "80"}

    def officer(start: str, assessment: str, born: str) -> dict[str, str]:
        return {**base, "service_start": start, "assessment": assessment, "birth_date": born}

    records = {
        # J1 and J2 both count 24 years and score the same; J2 joined a month earlier and
        # wins the tie although J1 is older.
        "J1": officer("1984-10-01", "90", "1965-01-01"),
        "J2": officer("1984-09-01", "90", "1966-01-01"),
        "J3": officer("1984-09-01", "91", "1966-01-01"),
    }
    ranking = scheme.rank(records, date(2008, 6, 30), seed=7)
    assert [r.key for r in ranking] == ["J3", "J2", "J1"]
    assert ranking[1].breakdown is not None
    assert ranking[1].breakdown.total == ranking[2].breakdown.total  # type: ignore[union-attr]
    assert not draw_groups(ranking)


tie_values = st.fixed_dictionaries(
    {
        "score": st.integers(0, 3).map(Decimal),
        "service_years": st.integers(0, 2),
        "birth_date": st.sampled_from([date(1960, 1, 1), date(1965, 1, 1)]),
    }
)


@given(st.lists(tie_values, min_size=1, max_size=12), st.randoms(), st.integers(0, 10**6))
def test_ranking_ignores_input_order(values: list, rnd, seed: int) -> None:
    items = {f"J{i:03}": v for i, v in enumerate(values)}
    keys = list(items)
    rnd.shuffle(keys)
    shuffled = {k: items[k] for k in keys}
    first, second = rank(items, CHAIN, seed), rank(shuffled, CHAIN, seed)
    assert [(r.rank, r.key, r.draw_group) for r in first] == [
        (r.rank, r.key, r.draw_group) for r in second
    ]
    assert [r.rank for r in first] == list(range(1, len(items) + 1))
    _check_sorted(first)


def _check_sorted(ranking: list[Ranked]) -> None:
    for a, b in zip(ranking, ranking[1:], strict=False):
        ka = (-a.values["score"], -a.values["service_years"], a.values["birth_date"])
        kb = (-b.values["score"], -b.values["service_years"], b.values["birth_date"])
        assert ka <= kb
        if ka == kb:  # only the draw separates them, and it is recorded
            assert a.draw_group == b.draw_group and a.key in a.draw_group
            assert a.ticket is not None and b.ticket is not None and a.ticket < b.ticket


# --- generic helpers ---------------------------------------------------------------------------


def test_weighted_sum_is_exact() -> None:
    weights = {"econ": D("0.35"), "env": D("0.25"), "life": D("0.20"), "social": D("0.20")}
    values = {"econ": 80, "env": "90", "life": D("70.5"), "social": 60.1}
    assert weighted_sum(values, weights) == D("76.62")
    with pytest.raises(CivicError, match="social"):
        weighted_sum({"econ": 1}, {"econ": 1, "social": 1})


def test_min_max() -> None:
    assert min_max({"a": 10, "b": 20, "c": 15}, scale=100) == {"a": 0, "b": 100, "c": 50}
    assert min_max({"a": 10, "b": 20}, higher_is_better=False) == {"a": 1, "b": 0}
    assert min_max({"a": 5, "b": 5}) == {"a": 1, "b": 1}
    assert min_max({}) == {}


def test_z_scores() -> None:
    z = z_scores({"a": 2, "b": 4, "c": 4, "d": 4, "e": 5, "f": 5, "g": 7, "h": 9})  # sd 2
    assert z["a"] == D("-1.5") and z["h"] == D(2)
    assert z_scores({"a": 3, "b": 3}) == {"a": 0, "b": 0}
    assert z_scores({"a": 1, "b": 3}, higher_is_better=False) == {"a": 1, "b": -1}


def test_birth_dates_written_as_year_dot_month_compare_as_dates() -> None:
    scheme = parse_scheme(
        NUMERIC.replace("places = 2", 'tie_break = ["score desc", "birth_date asc"]')
    )
    records = {
        # As numbers 1965.9 > 1965.10; as dates September comes first: the older ranks higher.
        "Oct": {"exam": "80", "years": "20", "birth_date": "1965.10"},
        "Sep": {"exam": "80", "years": "20", "birth_date": "1965.9"},
    }
    assert [r.key for r in scheme.rank(records, None, seed=1)] == ["Sep", "Oct"]


def test_mixed_tie_values_are_refused() -> None:
    items = {"a": {"score": D(1), "born": date(1965, 1, 1)}, "b": {"score": D(1), "born": D(5)}}
    with pytest.raises(CivicError, match="cannot be compared"):
        rank(items, ["score desc", "born asc", "draw"], seed=1)


@settings(max_examples=60)
@given(st.lists(st.tuples(st.dates(date(1975, 1, 1), date(2008, 6, 1)),
                          st.integers(60, 100), st.dates(date(1955, 1, 1), date(1975, 1, 1))),
                min_size=1, max_size=15), st.integers(0, 10**6))
def test_scheme_rank_reuses_the_tie_values_score_found(rows: list, seed: int) -> None:
    # rank() keeps each component's tie value from scoring instead of evaluating it again:
    # the tie values are those tie_values works out afresh, and the ranking the same.
    scheme = load_scheme(EXAMPLE)
    cutoff = date(2008, 6, 30)
    records = {f"J{i:03}": {"rank": "正团", "rank_date": "2004-07-01", "awards": "",
                            "exam": "80", "service_start": start.isoformat(),
                            "assessment": str(assessment), "birth_date": born.isoformat()}
               for i, (start, assessment, born) in enumerate(rows)}
    ranking = scheme.rank(records, cutoff, seed)
    for r in ranking:
        assert r.breakdown is not None
        assert r.values == scheme.tie_values(records[r.key], cutoff, r.breakdown)


MANY = """
name = "t"
places = 2
tie_break = ["score desc", "start desc", "draw"]
[[components]]
name = "awards"
kind = "points"
column = "awards"
multiple = true
cap = 12
points = { "一等功" = 30, "二等功" = 10, "三等功" = 2 }
[[components]]
name = "exam"
kind = "numeric"
column = "exam"
weight = 0.4
cap = 38
default = 0
[[components]]
name = "start"
kind = "service_years"
column = "start"
per_year = 0.5
rounding = "whole"
cap = 5
"""
CELLS = {
    "awards": ["", "三等功", "二等功;三等功", "一等功、一等功", " 三等功 ", None, "特等功"],
    "exam": ["80", "85.25", "８０", 80, 80.0, True, 1, 1.0, "", None, "x", 99.5],
    "start": ["1988-01-01", "1984.01", "2001/3/4", "2009-01-01", "bad", "1988年1月1日"],
}


@settings(max_examples=200)
@given(st.lists(st.fixed_dictionaries({k: st.sampled_from(v) for k, v in CELLS.items()}),
                min_size=1, max_size=12))
def test_scoring_many_agrees_with_one_at_a_time(records: list[dict]) -> None:
    # A run scores 10,000 officers remembering each distinct cell's points: the same
    # breakdowns (1, 1.0 and True kept apart, as the measures print them), tie values and
    # errors as scoring each record on its own.
    scheme = parse_scheme(MANY)
    cutoff = date(2008, 6, 30)
    keyed = {f"k{n}": r for n, r in enumerate(records)}
    sorts: dict[str, dict] = {k: {} for k in keyed}
    plain_sorts: dict[str, dict] = {k: {} for k in keyed}
    try:
        plain = {k: scheme.score(r, cutoff, plain_sorts[k]) for k, r in keyed.items()}
    except CivicError as exc:
        with pytest.raises(CivicError) as many:
            scheme.score_many(keyed, cutoff, sorts)
        assert str(many.value) == str(exc)
        return
    many = scheme.score_many(keyed, cutoff, sorts)
    assert many == plain
    assert [{n: (type(v), str(v)) for n, v in b.measures.items()} for b in many.values()] == \
        [{n: (type(v), str(v)) for n, v in b.measures.items()} for b in plain.values()]
    assert sorts == plain_sorts
