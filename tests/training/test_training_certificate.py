"""The certificate of training hours (培训学时证明): a core notice of kind training.certificate
in both languages, its figures from the records (store.person_hours), DOCX through core."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

import pytest

from civic.plugins.training import actions

D = dt.date


@pytest.fixture
def attended(civic_registry):
    office = civic_registry
    prog = actions.create_programme(office, "县处级干部进修班", "full_time", D(2008, 3, 3),
                                    D(2008, 3, 14), "市委党校")
    for i in range(10):
        session = actions.add_session(office, prog, D(2008, 3, 3 + i), 2, F(7))
        actions.record_attendance(office, session, ["C0001", "C0002"])
    return office


def _count(office) -> int:
    return office.db.execute("SELECT count(*) FROM notices WHERE kind = 'training.certificate'"
                             ).fetchone()[0]


def test_the_certificate_counts_from_the_records(attended, civic_cli):
    # 干部教育培训工作条例（试行）2006 art. 12: county level, 3 months (90 days) in 5 years;
    # ten full days of 7 hours credit 10 days, 80 short.
    result = civic_cli("training", "certificate", "C0001", "--on", "2008-06-02",
                       "--lang", "zh_CN")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "# 张建华同志培训学时证明" in text
    assert "在2003年6月3日至2008年6月2日期间" in text
    assert "1. 县处级干部进修班（脱产培训（集中培训），2008年3月3日至2008年3月12日，70学时）" in text
    assert "合计计入70学时，折合10天。" in text
    assert "按规定应达到90天，尚差80天" in text
    english = civic_cli("training", "certificate", "C0001", "--on", "2008-06-02",
                        "--lang", "en")
    assert "Required: 90 days; short by 80 days" in english.output
    assert _count(attended) == 1  # the same figures: the same certificate


def test_online_hours_beyond_the_cap_are_shown_and_not_credited(attended, civic_cli):
    # The 2006 pack caps online and lecture hours at 100 each: 120 online hours credit 100.
    prog = actions.create_programme(attended, "网络学院专题", "online", D(2008, 4, 1),
                                    D(2008, 4, 30), "网络学院")
    for i in range(12):
        session = actions.add_session(attended, prog, D(2008, 4, 1 + i), 2, F(10))
        actions.record_attendance(attended, session, ["C0001"])
    text = civic_cli("training", "certificate", "C0001", "--on", "2008-06-02").output
    assert "网络培训：120学时，计入100学时（该类别计入上限100学时）。" in text


def test_a_late_sheet_gives_a_new_certificate_not_a_stale_one(attended, civic_cli):
    assert civic_cli("training", "certificate", "C0002", "--on", "2008-06-02").exit_code == 0
    prog = actions.create_programme(attended, "专题讲座", "lecture", D(2008, 5, 6),
                                    D(2008, 5, 6), "市委党校")
    session = actions.add_session(attended, prog, D(2008, 5, 6), 1, F(3))
    actions.record_attendance(attended, session, ["C0002"])
    text = civic_cli("training", "certificate", "C0002", "--on", "2008-06-02").output
    assert "专题讲座" in text and _count(attended) == 2


def test_the_certificate_as_docx(attended, civic_cli, tmp_path):
    from docx import Document

    out = tmp_path / "hours.docx"
    result = civic_cli("training", "certificate", "C0001", "--on", "2008-06-02", "-o", str(out))
    assert result.exit_code == 0, result.output
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert any("培训学时证明" in p for p in paragraphs)
    assert any("合计计入70学时" in p for p in paragraphs)


def test_a_viewer_drafts_no_certificate(attended, civic_pm, civic_db_path):
    from civic.testing import cli_runner

    result = cli_runner(civic_pm, civic_db_path, user="view")(
        "training", "certificate", "C0001", "--on", "2008-06-02")
    assert result.exit_code != 0 and _count(attended) == 0
