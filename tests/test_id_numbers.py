"""The resident ID number check (GB 11643-1999) against python-stdnum's own parts.

`check_id_number` computes the check character itself and asks stdnum's region table once per
region code (an import of 1,000,000 people spent half its time in those calls): it must accept
and refuse exactly what the plain stdnum calls do.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import numdb
from stdnum.cn.ric import calc_check_digit

from civic import registry
from civic.registry import check_id_number

TODAY = dt.date(2026, 1, 1)
# Real county codes and some that name no county (a province, a made-up one).
REGIONS = ["110105", "530102", "530111", "440305", "110000", "999999", "530100", "653225"]


def plain(number: str) -> bool:
    """The slow, obvious check: stdnum's check digit and region table, asked every time."""
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not dt.date(1900, 1, 1) <= born <= TODAY:
        return False
    return calc_check_digit(number) == number[-1] and any(
        "county" in props for _part, props in numdb.get("cn/loc").info(number[:6]))


@settings(max_examples=400, deadline=None)  # stdnum loads its table on the first call
@given(region=st.sampled_from(REGIONS), born=st.dates(dt.date(1890, 1, 1), dt.date(2030, 1, 1)),
       sequence=st.integers(0, 999), last=st.sampled_from("0123456789X"),
       fix_check=st.booleans())
def test_agrees_with_stdnum(region, born, sequence, last, fix_check):
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    number = body + (calc_check_digit(body + "0") if fix_check else last)
    try:
        ok = check_id_number(number, TODAY) == number
    except ValueError:
        ok = False
    assert ok == plain(number)


def test_a_known_good_number():
    # GB 11643-1999's worked example.
    assert check_id_number("11010519491231002x", TODAY) == "11010519491231002X"


def test_the_region_table_is_stdnums():
    # civic ships the county codes of stdnum/cn/loc.dat (civic/data/region_codes.txt):
    # a python-stdnum that lists other codes shows here, and write_region_codes() renews it.
    assert registry.region_codes() == frozenset(registry.stdnum_region_codes())


@settings(max_examples=300, deadline=None)
@given(region=st.sampled_from(REGIONS), born=st.dates(dt.date(1890, 1, 1), dt.date(2100, 1, 1)),
       sequence=st.integers(0, 999))
def test_today_by_default_is_today(region, born, sequence):
    """Without `today` the birth date check is remembered per date (a date possible today
    stays possible): it refuses and accepts what the check against today's date does."""
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    number = body + calc_check_digit(body + "0")

    def outcome(*today):
        try:
            return check_id_number(number, *today)
        except ValueError as exc:
            return str(exc)

    assert outcome() == outcome(dt.date.today())
    assert outcome() == outcome()  # and again, from what was remembered
