"""The rank ladder (职级) and education ladder (学历) as data, with English names.

Higher level = higher rank. Values in files may be given by code, Chinese or English name,
or an alias (副处 and 副县 are the same level: a county is a division-level unit).
"""

from __future__ import annotations

from typing import NamedTuple

from civic.errors import CivicError
from civic.i18n import _


class Step(NamedTuple):
    code: str
    level: int
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        # Chinese names are the official ones; English goes through the catalog for en.
        return self.name_zh if lang == "zh_CN" else self.name_en


RANKS: tuple[Step, ...] = (
    Step("clerk", 1, "科员", "Clerk", ("科员级",)),
    Step("deputy_section", 2, "副科", "Deputy section chief", ("副科级",)),
    Step("section", 3, "正科", "Section chief", ("正科级",)),
    Step("deputy_division", 4, "副处", "Deputy division / deputy county",
         ("副县", "副处级", "副县级", "副处(副县)", "副县处级")),
    Step("division", 5, "正处", "Division / county",
         ("正县", "正处级", "正县级", "正处(正县)", "正县处级", "县处级")),
    Step("deputy_bureau", 6, "副厅", "Deputy bureau", ("副厅级", "副局级")),
    Step("bureau", 7, "正厅", "Bureau", ("正厅级", "正局级")),
)

EDUCATION: tuple[Step, ...] = (
    Step("high_school", 1, "高中", "High school", ("中专", "高中及以下", "中专/高中")),
    Step("college", 2, "大专", "College", ("专科", "大学专科")),
    Step("bachelor", 3, "本科", "Bachelor", ("大学本科", "大学", "学士")),
    Step("master", 4, "硕士", "Master", ("研究生", "硕士研究生")),
    Step("doctor", 5, "博士", "Doctorate", ("博士研究生",)),
)


def _index(ladder: tuple[Step, ...]) -> dict[str, Step]:
    out: dict[str, Step] = {}
    for step in ladder:
        for key in (step.code, step.name_zh, step.name_en, *step.aliases):
            out[key.casefold()] = step
    return out


_RANK_INDEX = _index(RANKS)
_EDU_INDEX = _index(EDUCATION)
RANK_BY_CODE = {s.code: s for s in RANKS}
EDUCATION_BY_CODE = {s.code: s for s in EDUCATION}


def parse_rank(text: str) -> str:
    """Return the rank code for a code, name or alias; ValueError otherwise."""
    step = _RANK_INDEX.get(str(text).strip().casefold())
    if step is None:
        raise ValueError(_("unknown rank {value!r}").format(value=text))
    return step.code


def parse_education(text: str) -> str:
    step = _EDU_INDEX.get(str(text).strip().casefold())
    if step is None:
        raise ValueError(_("unknown education level {value!r}").format(value=text))
    return step.code


def rank_level(code: str | None) -> int | None:
    return RANK_BY_CODE[code].level if code else None


def education_level(code: str | None) -> int | None:
    return EDUCATION_BY_CODE[code].level if code else None


def rank_label(code: str | None, lang: str) -> str:
    if not code:
        return ""
    try:
        return RANK_BY_CODE[code].label(lang)
    except KeyError as exc:
        raise CivicError(_("unknown rank {value!r}").format(value=code)) from exc


def education_label(code: str | None, lang: str) -> str:
    return EDUCATION_BY_CODE[code].label(lang) if code else ""
