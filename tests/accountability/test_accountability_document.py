"""The decision document (问责决定书): a core notice of kind accountability.decision, in both
languages, with the factors, forms, effects and the appeal right printed; DOCX through core;
drafted only by those who may read the case's content."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.office import Operator
from civic.plugins.accountability import actions
from civic.testing import cli_runner

SUP = Operator("sup", "supervisor")


@pytest.fixture
def admin_cli(civic_pm, civic_db_path):
    return cli_runner(civic_pm, civic_db_path, user="admin")


def _decided(office) -> int:
    case = actions.open_case(office, person="C0002", trigger="abuse", source="complaint",
                             summary="对群众反映的问题推诿扯皮", opened_on=dt.date(2008, 5, 2))
    actions.step(office, case, "investigated", dt.date(2008, 5, 8))
    actions.decide(office, case, dt.date(2008, 5, 12), ["gov_demerit", "no_merit"],
                   [("aggravating", "隐瞒事实"), ("mitigating", "主动挽回损失")], SUP)
    return case


def test_the_document_prints_factors_forms_effects_and_the_appeal(civic_registry, admin_cli):
    case = _decided(civic_registry)
    name = civic_registry.db.execute("SELECT name FROM people WHERE code = 'C0002'"
                                     ).fetchone()[0]
    result = admin_cli("accountability", "case", "document", str(case), "--lang", "zh_CN")
    assert result.exit_code == 0, result.output
    text = result.output
    assert f"关于对{name}同志问责的决定" in text
    assert "具有以下从重情节：隐瞒事实。" in text and "从轻、减轻情节：主动挽回损失" in text
    assert "依据《关于实行党政领导干部问责的暂行规定》第五条（四），属于“滥用职权或不作为”情形" in text
    assert "记过" in text and "取消当年评优" in text
    # 记过: 12 months from the decision, the last day the day before the anniversary.
    assert "自2008年5月12日至2009年5月11日，不得提拔任用。" in text
    assert "2008年度考核等次不得高于“称职”" in text
    # 问责暂行规定 2009 art. 22: 15 days from receipt; execution not suspended.
    assert "自接到本决定书之日起15日内" in text and "不停止本决定的执行" in text
    assert "纪委监督人员（sup）签字确认" in text
    english = admin_cli("accountability", "case", "document", str(case), "--lang", "en")
    assert english.exit_code == 0, english.output
    assert "Aggravating factors: 隐瞒事实." in english.output
    assert "within 15 days of receiving it" in english.output
    # Drafted once: a second print is the same notice, not another draft.
    assert civic_registry.db.execute("SELECT count(*) FROM notices WHERE kind ="
                                     " 'accountability.decision'").fetchone()[0] == 1


def test_the_document_as_docx(civic_registry, admin_cli, tmp_path):
    from docx import Document

    case = _decided(civic_registry)
    out = tmp_path / "decision.docx"
    result = admin_cli("accountability", "case", "document", str(case), "-o", str(out))
    assert result.exit_code == 0, result.output
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert any("问责的决定" in p for p in paragraphs)
    assert any("隐瞒事实" in p for p in paragraphs)


@pytest.mark.parametrize("user", ["op", "view"])
def test_only_the_content_readers_who_change_data_draft_it(user, civic_registry, civic_pm,
                                                          civic_db_path):
    case = _decided(civic_registry)
    result = cli_runner(civic_pm, civic_db_path, user=user)(
        "accountability", "case", "document", str(case))
    assert result.exit_code != 0
    assert civic_registry.db.execute("SELECT count(*) FROM notices").fetchone()[0] == 0


def test_an_undecided_case_has_no_document(civic_registry, admin_cli):
    case = actions.open_case(civic_registry, person="C0002", trigger="abuse", source="complaint",
                             summary="推诿扯皮", opened_on=dt.date(2008, 5, 2))
    result = admin_cli("accountability", "case", "document", str(case))
    assert result.exit_code != 0 and "not decided" in result.output


def test_a_document_drafted_after_a_revocation_still_states_the_decision(civic_registry,
                                                                         admin_cli):
    case = _decided(civic_registry)
    actions.step(civic_registry, case, "served", dt.date(2008, 5, 16))
    actions.step(civic_registry, case, "appealed", dt.date(2008, 5, 30))
    actions.step(civic_registry, case, "reviewed", dt.date(2008, 6, 20), outcome="revoked")
    text = admin_cli("accountability", "case", "document", str(case)).output
    # The restriction ended on review (the record says so); the decision served said 12 months.
    assert "自2008年5月12日至2009年5月11日，不得提拔任用。" in text
