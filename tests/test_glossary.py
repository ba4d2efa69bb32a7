"""The trade's words: one term per concept in the zh_CN catalog and every template.

The table of replaced -> right terms is civic.vocabulary.REPLACED (issue 18, "Words (zh_CN)"):
a replaced term anywhere in a zh_CN msgstr or a template fails here, naming where.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import civic
import civic.plugins
import civic.templates
from civic import vocabulary

# Through the installed package, not the repo: CI also runs these tests against the wheel.
CORE = Path(civic.__file__).parent
ROOT = CORE.parent
CATALOG = CORE / "locale" / "zh_CN" / "LC_MESSAGES" / "civic.po"
TEMPLATES = sorted([*Path(civic.templates.__file__).parent.glob("**/*.j2"),
                    *Path(civic.plugins.__file__).parent.glob("*/templates/**/*.j2")])


def _entries() -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, used only by the nomination plugin) for every translated entry."""
    with CATALOG.open("rb") as f:
        catalog = read_po(f, locale="zh_CN")
    out = []
    for m in catalog:
        if not m.id or not m.string:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        # The catalog keeps no source locations: a nomination entry names the nomination.
        nomination = "nominat" in str(m.id).lower()
        out.extend((str(m.id if isinstance(m.id, str) else m.id[0]), s, nomination)
                   for s in strings)
    return out


@pytest.mark.parametrize(("wrong", "right"), sorted(vocabulary.REPLACED.items()))
def test_no_replaced_term_in_the_catalog(wrong, right):
    found = [msgid for msgid, text, _nom in _entries() if wrong in text]
    assert not found, f"{wrong!r} (say {right!r}) in the zh_CN entries of {found[:5]}"


@pytest.mark.parametrize(("wrong", "right"), sorted(vocabulary.REPLACED.items()))
def test_no_replaced_term_in_a_template(wrong, right):
    found = [str(p.relative_to(ROOT)) for p in TEMPLATES
             if wrong in p.read_text(encoding="utf-8")]
    assert not found, f"{wrong!r} (say {right!r}) in {found}"


@pytest.mark.parametrize(("wrong", "right"), sorted(vocabulary.REPLACED_IN_NOMINATION.items()))
def test_a_nomination_says_推荐票(wrong, right):
    in_catalog = [msgid for msgid, text, nom in _entries() if nom and wrong in text]
    in_templates = [str(p) for p in TEMPLATES if "nomination" in p.parts
                    and wrong in p.read_text(encoding="utf-8")]
    assert not in_catalog and not in_templates, (wrong, right, in_catalog, in_templates)


def test_the_catalog_is_read():
    # The checks above are not vacuous: the catalog has entries, nomination's among them.
    entries = _entries()
    assert len(entries) > 1000 and any(nom for _id, _text, nom in entries)


# Election, rating and accountability words the next mechanisms use (DOMAIN.md; 问责 forms
# from the 2009 interim rules and the party's 问责条例).
TRADE_WORDS = {"for": "赞成", "against": "反对", "abstain": "弃权", "write_in": "另选他人",
               "scrutineer": "监票人", "chief_scrutineer": "总监票人", "teller": "计票人",
               "contested": "差额", "uncontested": "等额", "valid_ballot": "有效票",
               "invalid_ballot": "无效票", "democratic_rating": "民主测评",
               "public_apology": "责令公开道歉", "suspension": "停职检查",
               "resign_blame": "引咎辞职", "ordered_resign": "责令辞职", "dismissal": "免职",
               "circulated_criticism": "通报", "admonition": "诫勉",
               "organizational_adjustment": "组织调整", "disciplinary_sanction": "纪律处分"}


@pytest.mark.parametrize(("code", "zh"), sorted(TRADE_WORDS.items()))
def test_trade_vocabulary_in_chinese(code, zh):
    from civic.i18n import current_language, set_language

    before = current_language()
    set_language("zh_CN")
    try:
        assert vocabulary.label(code) == zh
    finally:
        set_language(before)
