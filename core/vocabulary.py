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
}


def label(code: str | None) -> str:
    """The translated label of a stored code; unknown codes are shown as they are."""
    if not code:
        return ""
    word = WORDS.get(code)
    return _(word) if word else code
