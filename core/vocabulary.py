"""Words stored as codes (statuses, roles, tables, ladder steps) and their translated labels.

Codes stay English in the database; `label(code)` translates one for display. Marking them
here with N_ puts them in the catalogs, since `_(variable)` cannot be extracted.
"""

from __future__ import annotations

from civic.i18n import N_, _

WORDS = {
    # person statuses
    "serving": N_("serving"),
    "reserve": N_("reserve"),
    "transferred": N_("transferred"),
    "retired": N_("retired"),
    "removed": N_("removed"),
    # operator roles
    "admin": N_("admin"),
    "operator": N_("operator"),
    "supervisor": N_("supervisor"),
    "viewer": N_("viewer"),
    # operator accounts' states (civic.auth.list_operators; "active" is below)
    "pending": N_("waiting for setup"),
    "deactivated": N_("deactivated"),
    # unit kinds the formats document names (docs/formats.md); an office's own kinds show as typed
    "city": N_("city"),
    "district": N_("district"),
    "county": N_("county"),
    "department": N_("department"),
    "school": N_("school"),
    "enterprise": N_("enterprise"),
    "hospital": N_("hospital"),
    "party": N_("party committee"),
    "government": N_("government"),
    "congress": N_("people's congress"),
    "cppcc": N_("CPPCC committee"),
    "discipline": N_("discipline commission"),
    "mass_org": N_("mass organisation"),
    # registry tables
    "units": N_("units"),
    "people": N_("people"),
    "positions": N_("positions"),
    # appointment actions and reserve states
    "appoint": N_("appoint"),
    "remove": N_("remove"),
    "transfer_in": N_("transfer in"),
    "active": N_("active"),
    "withdrawn": N_("withdrawn"),
    "used": N_("used"),
    # voting (civic.voting, and the rounds that use it): a round's status, the tie policy, why
    # a mark counts for nobody, a write-in waiting for a decision.
    "open": N_("open"),
    "certified": N_("certified"),
    "void": N_("void"),
    "revote": N_("re-vote among the tied"),
    "include": N_("all the tied go on"),
    "meeting": N_("the department's meeting decides (部务会研究决定)"),
    "over_vote": N_("more names than allowed"),
    "unknown_name": N_("no such person"),
    "not_eligible": N_("not eligible"),
    "not_on_slate": N_("not on the slate"),
    "unresolved": N_("waiting for a decision"),
    "invalid": N_("invalid"),
    # ranks and education (English names of the ladder steps)
    "Clerk": N_("Clerk"),
    "Deputy section chief": N_("Deputy section chief"),
    "Section chief": N_("Section chief"),
    "Deputy division / deputy county": N_("Deputy division / deputy county"),
    "Division / county": N_("Division / county"),
    "Deputy bureau": N_("Deputy bureau"),
    "Bureau": N_("Bureau"),
    "High school": N_("High school"),
    "College": N_("College"),
    "Bachelor": N_("Bachelor"),
    "Master": N_("Master"),
    "Doctorate": N_("Doctorate"),
    # elections and ratings (civic.contests, civic.tally): one word per concept, the trade's
    # (zh_CN: 赞成/反对/弃权/另选他人, 监票人/总监票人/计票人, 差额/等额, 有效票/无效票, 民主测评).
    "for": N_("in favour"),
    "against": N_("against"),
    "abstain": N_("abstention"),
    "write_in": N_("another person"),
    "scrutineer": N_("scrutineer"),
    "chief_scrutineer": N_("chief scrutineer"),
    "teller": N_("teller"),
    "contested": N_("contested"),
    "uncontested": N_("uncontested"),
    "valid_ballot": N_("valid ballot"),
    "invalid_ballot": N_("invalid ballot"),
    "democratic_rating": N_("democratic rating"),
    # accountability (问责): the forms of the 2009 interim rules and the party's 问责条例
    "public_apology": N_("ordered to apologise publicly"),
    "suspension": N_("suspended for review"),
    "resign_blame": N_("resignation taking responsibility"),
    "ordered_resign": N_("ordered to resign"),
    "dismissal": N_("dismissal"),
    "circulated_criticism": N_("circulated criticism"),
    "admonition": N_("admonishment"),
    "organizational_adjustment": N_("organizational adjustment"),
    "disciplinary_sanction": N_("disciplinary sanction"),
    # eligibility conditions the built-in plugins add (shown as the condition of a problem)
    "training.short": N_("training requirement"),
    # notices (civic.notices): kinds and the words of a notice's record
    "nomination.round1": N_("first-round nomination notice"),
    "nomination.inspection": N_("notice of those to be examined"),
    "placement.result": N_("placement result notice"),
    "appointment": N_("pre-appointment notice"),
    "general": N_("notice"),
    "workdays": N_("working days"),
    "days": N_("days"),
}

# The trade's zh_CN term for each of these concepts (the glossary test checks the catalog and
# every template against REPLACED: a word on the left must not appear; the right one is used).
# Source: the terms of the 组织部 trade, as DOMAIN.md "Words" and its corrections give them.
REPLACED: dict[str, str] = {
    "监督员": "纪委监督人员",
    "会签": "监督人员签字确认",
    "预先安排": "照顾安置",
    "未安置（无可选且符合条件的职位）": "由市军转办另行调剂安置",
    "抽签种子": "随机数种子（抽签号）",
}
# Replaced only in a nomination's words (a nomination's ballot is a 推荐票; an election's is a
# 选票): checked in the entries used only by the nomination plugin and in its templates.
REPLACED_IN_NOMINATION: dict[str, str] = {"选票": "推荐票"}


def label(code: str | None) -> str:
    """The translated label of a stored code; unknown codes are shown as they are."""
    if not code:
        return ""
    word = WORDS.get(code)
    return _(word) if word else code
