"""Resident ID numbers (公民身份号码) on import: what a real registry holds, and no person twice.

GB 11643-1999 fixes the number: a 6-digit administrative region code (GB/T 2260), the birth
date as YYYYMMDD, a 3-digit sequence and an ISO 7064 MOD 11-2 check character (0-9 or X). The
region code is the one where the number was first issued: a person born in 1962 in a district
created in 1983 carries the new district's code, so the region code is never tied to the year.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civic.errors import InputError
from civic.importers import import_file
from civic.registry import normalise_id_number


def _with_check(first17: str) -> str:
    from stdnum.cn import ric

    return first17 + ric.calc_check_digit(first17 + "0")


# (number, accepted?, why) -- regions from GB/T 2260 as python-stdnum ships it.
NUMBERS = [
    # 130102 长安区 (石家庄) was created in 1983; a person born there in 1962 got its code.
    (_with_check("13010219620315001"), True, "born before the district's code existed"),
    # 530102 五华区 (昆明): Kunming's own, born 1965.
    (_with_check("53010219650301001"), True, "an ordinary Kunming number"),
    (_with_check("53010219650301001").replace("X", "0")[:-1] + "9", None, "wrong check digit"),
    (_with_check("99000019650301001"), False, "no such region (99)"),
    (_with_check("53999919650301001"), False, "no such county in Yunnan"),
    (_with_check("53010230010301001"), False, "born in 3001"),
    (_with_check("53010218890301001"), False, "born before 1900"),
    (_with_check("53010219651301001"), False, "month 13"),
    (_with_check("53010219650230001"), False, "30 February"),
    ("5301021965030100", False, "16 characters"),
    ("53010219650301001A", False, "a letter other than X"),
]


def _people_file(path: Path, numbers: list[tuple[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["编号", "姓名", "性别", "身份证号", "单位", "状态"])
        for code, number in numbers:
            w.writerow([code, f"测试{code}", "男", number, "KM", "在职"])
    return path


@pytest.mark.parametrize(("number", "accepted", "why"), NUMBERS, ids=[n[2] for n in NUMBERS])
def test_id_numbers_on_import(fault_office, tmp_path, number, accepted, why):
    from stdnum.cn import ric

    if accepted is None:  # the check digit case: make sure it is really wrong
        accepted = False
        assert number[-1] != ric.calc_check_digit(number)
    path = _people_file(tmp_path / "people.csv", [("Z0001", number)])
    if accepted:
        result = import_file(fault_office, "people", path)
        assert result.added == 1
        stored = fault_office.db.execute(
            "SELECT id_number FROM people WHERE code = 'Z0001'").fetchone()[0]
        assert stored == number
    else:
        with pytest.raises(InputError) as caught:
            import_file(fault_office, "people", path)
        (problem,) = caught.value.problems
        assert (problem.row, problem.column) == (2, "身份证号"), problem
        assert "resident ID number" in problem.reason


VALID = _with_check("53010219650301001")
FULL_WIDTH = VALID.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))


@pytest.mark.parametrize("second", [VALID, FULL_WIDTH, f" {VALID.lower()} "],
                         ids=["same", "full-width", "spaces-lower"])
def test_the_same_number_twice_in_a_file_is_refused(fault_office, tmp_path, second):
    path = _people_file(tmp_path / "people.csv", [("Z0001", VALID), ("Z0002", second)])
    with pytest.raises(InputError) as caught:
        import_file(fault_office, "people", path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (3, "身份证号"), problem
    assert "row 2" in problem.reason and "Z0001" in problem.reason


def test_a_number_already_in_the_office_under_another_code_is_refused(fault_office, tmp_path):
    import_file(fault_office, "people", _people_file(tmp_path / "a.csv", [("Z0001", VALID)]))
    path = _people_file(tmp_path / "b.csv", [("Z0002", FULL_WIDTH)])
    with pytest.raises(InputError) as caught:
        import_file(fault_office, "people", path)
    (problem,) = caught.value.problems
    assert problem.row == 2 and "Z0001" in problem.reason


def test_the_same_person_imported_again_keeps_their_number(fault_office, tmp_path):
    path = _people_file(tmp_path / "a.csv", [("Z0001", VALID)])
    import_file(fault_office, "people", path)
    again = import_file(fault_office, "people", _people_file(tmp_path / "b.csv",
                                                             [("Z0001", FULL_WIDTH)]))
    assert again.unchanged == 1


_FULL = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.booleans())
def test_normalising_is_idempotent_and_width_blind(first17, wide):
    number = first17 + "x"
    text = number.translate(_FULL) if wide else number
    once = normalise_id_number(text)
    assert once == first17 + "X"
    assert normalise_id_number(once) == once
