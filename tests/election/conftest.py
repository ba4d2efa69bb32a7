"""Sample batch files shared by the election tests: two schools, one with two candidates
and four-constituency-free weights (teachers and parents, 1/2 each), one with a single
candidate (no election held)."""

from __future__ import annotations

import pytest

ELECTIONS = """学校,学校名称,应选,候选人编号,姓名,现任,选区,应到,权重
S001,一中,1,S001-A,甲,是,,,
S001,一中,1,S001-B,乙,否,,,
S001,,,,,,teachers,40,1/2
S001,,,,,,parents,200,1/2
S002,二中,1,S002-A,丙,是,,,
S002,,,,,,teachers,30,1
"""

TALLIES = """学校,选区,选举项目,候选人,赞成,反对,弃权,实到,发出,收回,无效
S001,teachers,,,,,,35,35,35,
S001,teachers,principal,,,,,,,,0
S001,teachers,principal,S001-A,30,5,0,,,,
S001,teachers,principal,S001-B,5,30,0,,,,
S001,parents,,,,,,150,150,150,
S001,parents,principal,,,,,,,,0
S001,parents,principal,S001-A,100,50,0,,,,
S001,parents,principal,S001-B,50,100,0,,,,
"""


@pytest.fixture
def batch_files(tmp_path):
    """(elections, tallies) paths; a test may rewrite either."""
    elections, tallies = tmp_path / "e.csv", tmp_path / "t.csv"
    elections.write_text(ELECTIONS, encoding="utf-8")
    tallies.write_text(TALLIES, encoding="utf-8")
    return elections, tallies
