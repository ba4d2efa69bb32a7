"""Pure rules of direct elections: rule packs, the 差额 check, quorum, the count contract,
batch outcomes, terms and recall. No I/O beyond reading a pack file.

Counting itself is core's (`civic.tally`: over-votes per contest, write-ins, void rounds,
ties, shortfall and runoff slate, weighted shares); a pack says which base, fraction and
"more than" or "at least" apply, each with its source (packs/*.toml).
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from civic.errors import CivicError
from civic.i18n import N_, _, current_language
from civic.tally import Constituency, ElectionRules, Quorum, decimal_text, ratio_text
from civic.voting import Threshold

if TYPE_CHECKING:  # a type only: the rules stay pure (no storage imported)
    from civic.contests import TalliedRound

PACKS = Path(__file__).parent / "packs"

# Why an election of a batch elected nobody (or not everybody): the batch summary's reasons.
NOT_HELD = "not_held"  # fewer candidates than the pack's 差额 needs: no election held
NO_QUORUM = "no_quorum"
VOID = "void"  # more ballots returned than issued: the round is void (重选)
NOBODY = "nobody_over_threshold"
TIE = "tie_for_seat"
ELECTED = "elected"
PENDING = "pending"  # figures or tallies not in yet
OUTCOMES = {
    ELECTED: N_("elected"),
    PENDING: N_("not counted yet"),
    NOT_HELD: N_("fewer than two candidates: no election held"),
    NO_QUORUM: N_("no quorum"),
    NOBODY: N_("nobody over the threshold"),
    TIE: N_("tie for a seat: re-vote"),
    VOID: N_("void: more ballots returned than issued"),
}

# What a threshold is a fraction of, as the count says it (the pack stores the code).
BASE_LABELS = {"present": N_("those present"), "registered": N_("those registered"),
               "returned": N_("ballots cast")}
TERM_STATUS = {"serving": N_("serving"), "ended": N_("ended"), "recalled": N_("recalled")}


@dataclass(frozen=True)
class Slate:
    """差额: candidates beyond seats. `min_extra` a fraction of the seats (rounded up) and at
    least `min_extra_count`; at most `max_extra` x seats (or `max_extra_count`) more."""

    min_extra: Fraction = Fraction(0)
    min_extra_count: int = 1
    max_extra: Fraction | None = None
    max_extra_count: int | None = None
    single_seat_equal: bool = False  # a single seat may be elected 等额 (one candidate)

    def least(self, seats: int) -> int:
        if seats == 1 and self.single_seat_equal:
            return 1
        return seats + max(self.min_extra_count, math.ceil(self.min_extra * seats))

    def most(self, seats: int) -> int | None:
        bounds = []
        if self.max_extra is not None:
            bounds.append(seats + math.floor(self.max_extra * seats))
        if self.max_extra_count is not None:
            bounds.append(seats + self.max_extra_count)
        return max(min(bounds), self.least(seats)) if bounds else None


@dataclass(frozen=True)
class Recall:
    petition: Fraction  # of the registered electors (0: a count, `petition_count`)
    petition_count: int
    petition_representatives: Fraction | None
    validity: Quorum
    passing: Threshold
    bar_months: int


@dataclass(frozen=True)
class Pack:
    key: str
    title: str
    regulation: str
    edition: str
    effective: dt.date
    weighted: bool
    quorum: Quorum
    threshold: Threshold
    slate: Slate
    runoff: Threshold
    runoff_extra: int
    recall: Recall
    term_years: int
    extension_months: int
    articles: Mapping[str, str]  # rule -> article (or the office's own rule)
    raw: Mapping[str, Any]  # the pack as read: stored with the election, shown on its notice
    title_en: str = ""
    # code -> language -> word, for contests and constituencies (the pack's [..._labels])
    contest_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    constituency_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # rules whose article could not be confirmed against the regulation's text ("checked =
    # false" in the pack): shown with the pack so an office checks them before relying on them
    to_check: frozenset[str] = frozenset()

    def name(self, lang: str | None = None) -> str:
        """The pack's title in `lang` (default: the operator's language)."""
        if (lang or current_language()) == "en" and self.title_en:
            return self.title_en
        return self.title

    def contest_label(self, code: str, lang: str | None = None) -> str:
        """A contest's code in words: the pack's label, the plugin's own for a recall, or the
        code itself (an office's own word, as its file gave it)."""
        return _label(self.contest_labels, code, lang)

    def constituency_label(self, code: str, lang: str | None = None) -> str:
        return _label(self.constituency_labels, code, lang)

    def source(self, rule: str) -> str:
        return f"{self.regulation} ({self.edition}) {self.articles.get(rule, '')}".strip()

    def rules(self) -> ElectionRules:
        return ElectionRules(threshold=self.threshold, quorum=self.quorum,
                             runoff_extra=self.runoff_extra)

    def runoff_rules(self) -> ElectionRules:
        return ElectionRules(threshold=self.runoff, quorum=self.quorum,
                             runoff_extra=self.runoff_extra)

    def recall_rules(self) -> ElectionRules:
        return ElectionRules(threshold=self.recall.passing, quorum=self.recall.validity)


# Codes the plugin itself gives (a recall vote's one contest), in both languages for notices.
OWN_LABELS = {"recall": {"zh_CN": "罢免", "en": "recall"}}


def _label(labels: Mapping[str, Mapping[str, str]], code: str, lang: str | None) -> str:
    words = labels.get(code) or OWN_LABELS.get(code)
    if not words:
        return code
    return words.get(lang or current_language()) or words.get("zh_CN") or code


def _labels(data: Any) -> dict[str, dict[str, str]]:
    return {str(code): {str(k): str(v) for k, v in words.items()}
            for code, words in (data or {}).items()}


def _frac(text: Any) -> Fraction:
    return Fraction(str(text))


def parse_pack(data: Mapping[str, Any], where: str = "") -> Pack:
    """A pack from its data (a shipped file, an office's copy, or the copy an election keeps).
    A missing or bad value is a CivicError naming the pack and the key."""
    try:
        q, t, s, r, rc, term = (data[k] for k in ("quorum", "threshold", "slate", "runoff",
                                                   "recall", "term"))
        effective = data["effective"]
        if isinstance(effective, str):
            effective = dt.date.fromisoformat(effective)
        pack = Pack(
            key=str(data["key"]), title=str(data["title"]), regulation=str(data["regulation"]),
            edition=str(data["edition"]), effective=effective, weighted=bool(data["weighted"]),
            quorum=Quorum(q["of"], _frac(q["fraction"]), bool(q["strict"])),
            threshold=Threshold(t["base"], _frac(t["fraction"]), bool(t["strict"])),
            slate=Slate(_frac(s.get("min_extra", 0)), int(s.get("min_extra_count", 1)),
                        _frac(s["max_extra"]) if "max_extra" in s else None,
                        int(s["max_extra_count"]) if "max_extra_count" in s else None,
                        bool(s.get("single_seat_equal", False))),
            runoff=Threshold(r["base"], _frac(r["fraction"]), bool(r["strict"])),
            runoff_extra=int(r["extra"]),
            recall=Recall(_frac(rc["petition"]), int(rc.get("petition_count", 0)),
                          _frac(rc["petition_representatives"])
                          if "petition_representatives" in rc else None,
                          Quorum(rc["validity_of"], _frac(rc["validity"]), True),
                          Threshold(rc["passing_base"], _frac(rc["passing"]), True),
                          int(rc.get("bar_months", 0))),
            term_years=int(term["years"]), extension_months=int(term["extension_months"]),
            articles={k: str(data[k]["article"]) for k in ("quorum", "threshold", "slate",
                                                           "runoff", "recall", "term")},
            raw=_jsonable(data), title_en=str(data.get("title_en", "")),
            contest_labels=_labels(data.get("contest_labels")),
            constituency_labels=_labels(data.get("constituency_labels")),
            to_check=frozenset(k for k in ("quorum", "threshold", "slate", "runoff", "recall",
                                           "term") if data[k].get("checked", True) is False))
    except (KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError) as exc:
        raise CivicError(_("Rule pack {pack}: missing or bad value ({problem}).").format(
            pack=where or data.get("key", "?"), problem=exc)) from None
    if pack.runoff_extra < 1 or pack.term_years < 1 or not 0 <= pack.extension_months <= 12:
        raise CivicError(_("Rule pack {pack}: a runoff has more candidates than seats, a term"
                           " at least a year, an extension at most one year.").format(
                               pack=pack.key))
    return pack


def _jsonable(data: Any) -> Any:
    if isinstance(data, Mapping):
        return {k: _jsonable(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_jsonable(v) for v in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    return data


def read_pack_file(path: str | Path) -> Pack:
    """An office's copy of a pack (the shipped files are never edited)."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise CivicError(_("Cannot read rule pack {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise CivicError(_("Rule pack {path} is not valid TOML: {reason}").format(
            path=path.name, reason=exc)) from None
    return parse_pack(data, path.name)


@cache
def packs() -> dict[str, Pack]:
    """The shipped packs by key."""
    out = {}
    for path in sorted(PACKS.glob("*.toml")):
        pack = read_pack_file(path)
        out[pack.key] = pack
    return out


def pack(key: str) -> Pack:
    found = packs().get(key)
    if found is None:
        raise CivicError(_("No rule pack {key}; the packs are: {keys}.").format(
            key=key, keys=", ".join(packs())))
    return found


# --- 差额 --------------------------------------------------------------------------------------

def slate_problem(pack: Pack, seats: int, candidates: int) -> str | None:
    """Why an election with `candidates` for `seats` cannot be opened under `pack` (差额)."""
    if seats < 1:
        return _("An election needs at least one seat.")
    least = pack.slate.least(seats)
    most = pack.slate.most(seats)
    if candidates < least:
        return _("{candidates} candidates for {seats} seats: {pack} needs at least {least}"
                 " ({source}).").format(candidates=candidates, seats=seats, pack=pack.key,
                                        least=least, source=pack.source("slate"))
    if most is not None and candidates > most:
        return _("{candidates} candidates for {seats} seats: {pack} allows at most {most}"
                 " ({source}).").format(candidates=candidates, seats=seats, pack=pack.key,
                                        most=most, source=pack.source("slate"))
    return None


# --- quorum and the count contract ------------------------------------------------------------

def quorum_met(wards: Sequence[Constituency], quorum: Quorum) -> bool:
    return quorum.met(sum(w.base(quorum.of) for w in wards), sum(w.registered for w in wards))


def threshold_of(wards: Sequence[Constituency], threshold: Threshold) -> int:
    """The number the threshold's base comes to, summed over the constituencies."""
    return sum(w.base(threshold.base) for w in wards)


def contract(election: int, round_no: int, pack: Pack, wards: Sequence[Constituency],
             counted: Any, names: Mapping[str, str], threshold: Threshold,
             weighted: bool) -> dict[str, Any]:
    """The count as `civic election count --json` prints it (docs/formats.md): `counted` is a
    `civic.contests.RoundCount`, or None when the quorum is not met (nothing counted)."""
    void = counted is not None and counted.void
    out, of = _contract_head(election, round_no, pack, wards, counted is not None, void,
                             threshold)
    if counted is None or counted.void:
        return out
    for code, result in counted.results.items():
        # each constituency's figures read once per contest, not once per candidate: a batch
        # builds this for hundreds of elections (bench/election.py)
        by_ward = {t.constituency: (t.candidates, t.write_ins, t.valid)
                   for t in result.tallies}
        results = []
        for s in result.standings:
            person = s.candidate
            row = {"candidate": person, "name": names.get(person, person),
                   "for": s.for_votes, "against": s.against, "abstain": s.abstain,
                   "weighted_share": decimal_text(s.share) if weighted else None,
                   "rank": s.rank, "elected": s.elected}
            if weighted:  # raw tallies per constituency always beside the weighted share
                raw = {}
                for w, (listed, written, valid) in by_ward.items():
                    votes = listed.get(person)
                    raw[w] = {"for": (votes.for_ if votes else 0) + written.get(person, 0),
                              "valid": valid}
                row["by_constituency"] = raw
            results.append(row)
        out["contests"].append({
            "contest": code, "seats": result.contest.seats,
            "threshold": {"base": threshold.base, "of": of},
            "ballots": {"valid": result.ballots - result.invalid, "invalid": result.invalid},
            "results": results, "tie_for_seat": list(result.tied),
            "shortfall": result.shortfall, "runoff_slate": list(result.runoff_slate)})
    return out


def tallied_contract(election: int, round_no: int, pack: Pack,
                     counted: TalliedRound, names: Mapping[str, str], threshold: Threshold,
                     weighted: bool) -> dict[str, Any]:
    """`contract` of a round counted from tally files in a batch
    (`civic.contests.count_tallied`): the same JSON, built straight from its plain rows.
    tests/election/test_count_tallied.py holds the two equal."""
    wards = counted.constituencies
    out, of = _contract_head(election, round_no, pack, wards, True, counted.void, threshold)
    codes = [w.code for w in wards]
    name = names.get
    listing = out["contests"].append
    for result in counted.contests:
        den, valid = result.den, result.valid
        if weighted:  # raw tallies per constituency always beside the weighted share
            results = [
                {"candidate": p, "name": name(p, p), "for": f, "against": a, "abstain": ab,
                 "weighted_share": ratio_text(num, den), "rank": rank, "elected": won,
                 "by_constituency": {w: {"for": n, "valid": v}
                                     for w, n, v in zip(codes, fors, valid, strict=True)}}
                for p, f, a, ab, num, rank, _qualified, won, fors in result.standings]
        else:
            results = [
                {"candidate": p, "name": name(p, p), "for": f, "against": a, "abstain": ab,
                 "weighted_share": None, "rank": rank, "elected": won}
                for p, f, a, ab, _num, rank, _qualified, won, _fors in result.standings]
        listing({
            "contest": result.contest.code, "seats": result.contest.seats,
            "threshold": {"base": threshold.base, "of": of},
            "ballots": {"valid": result.ballots - result.invalid, "invalid": result.invalid},
            "results": results, "tie_for_seat": result.tied,
            "shortfall": result.shortfall, "runoff_slate": result.runoff_slate})
    return out


def _contract_head(election: int, round_no: int, pack: Pack, wards: Sequence[Constituency],
                   met: bool, void: bool, threshold: Threshold) -> tuple[dict[str, Any], int]:
    """A count contract without its contests, and the number its threshold is a fraction
    of: the constituencies' figures summed in one pass (a batch builds hundreds of these)."""
    due = present = issued = returned = 0
    listed = []
    for w in wards:
        due += w.registered
        present += w.present
        issued += w.issued
        returned += w.returned
        if w.code:
            listed.append({"code": w.code, "weight": str(w.weight), "due": w.registered,
                           "present": w.present, "returned": w.returned})
    out: dict[str, Any] = {
        "election": election, "round": round_no, "kind": pack.key,
        "void": bool(void), "void_reason": "returned_exceeds_issued" if void else None,
        "quorum": {"met": met, "due": due, "present": present},
        "ballots": {"issued": issued, "returned": returned},
        "constituencies": listed,
        "contests": []}
    return out, {"present": present, "registered": due}.get(threshold.base, returned)


def outcome(data: Mapping[str, Any]) -> str:
    """One election's outcome from its count contract (or NOT_HELD when it has none)."""
    if data.get("not_held"):
        return NOT_HELD
    if data.get("pending"):
        return PENDING
    if data["void"]:
        return VOID
    if not data["quorum"]["met"]:
        return NO_QUORUM
    contests = data["contests"]
    if any(r["elected"] for c in contests for r in c["results"]):
        return ELECTED
    if any(c["tie_for_seat"] for c in contests):
        return TIE
    return NOBODY


def summary(counts: Sequence[Mapping[str, Any]],
            incumbents: Mapping[int, set[str]]) -> dict[str, Any]:
    """A batch's summary: held, elected, reasons for the others, incumbents re-elected vs new.
    `incumbents`: election -> its incumbent candidates."""
    reasons = dict.fromkeys(OUTCOMES, 0)
    elected = reelected = new = 0
    for data in counts:
        reasons[data.get("outcome") or outcome(data)] += 1  # a batch's counts carry theirs
        mine = incumbents.get(data["election"], set())
        for contest in data["contests"]:
            for row in contest["results"]:
                if row["elected"]:
                    elected += 1
                    if row["candidate"] in mine:
                        reelected += 1
                    else:
                        new += 1
    held = len(counts) - reasons[NOT_HELD]
    return {"elections": len(counts), "held": held, "elected": elected,
            "with_elected": reasons.pop(ELECTED), "not_elected": {k: v for k, v in
                                                                   reasons.items() if v},
            "incumbents_reelected": reelected, "new": new}


# --- terms and recall ------------------------------------------------------------------------

def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def term_end(pack: Pack, start: dt.date) -> dt.date:
    """The first day the term no longer holds: start + the pack's years."""
    return add_months(start, 12 * pack.term_years)


def extension_problem(pack: Pack, original_end: dt.date, new_end: dt.date) -> str | None:
    """A term extended at most `extension_months` past its end (with the level above's
    approval, recorded with it)."""
    limit = add_months(original_end, pack.extension_months)
    if new_end <= original_end:
        return _("An extension ends after the term's end ({end}).").format(
            end=original_end.isoformat())
    if new_end > limit:
        return _("{pack} allows a term to be extended to {limit} at most ({source}).").format(
            pack=pack.key, limit=limit.isoformat(), source=pack.source("term"))
    return None


def petition_problem(pack: Pack, signers: int, registered: int,
                     representatives: bool = False) -> str | None:
    """Enough signers for a recall petition: a fraction of the registered electors (or of the
    representatives, where the pack allows it), or a fixed number."""
    rule = pack.recall
    fraction = rule.petition_representatives if representatives else rule.petition
    if representatives and fraction is None:
        return _("{pack} takes no petition from representatives.").format(pack=pack.key)
    if fraction:
        least = math.ceil(fraction * registered)
        if signers < least:
            return _("{signers} signers of {registered}: a recall petition needs at least"
                     " {least} ({source}).").format(signers=signers, registered=registered,
                                                    least=least, source=pack.source("recall"))
    elif signers < rule.petition_count:
        return _("{signers} signers: a recall petition needs at least {least} ({source})."
                 ).format(signers=signers, least=rule.petition_count,
                          source=pack.source("recall"))
    return None


def petition_barred_until(pack: Pack, failed_on: dt.date) -> dt.date | None:
    """The first day a new petition on the same grounds may be filed after a failed recall."""
    return add_months(failed_on, pack.recall.bar_months) if pack.recall.bar_months else None


def recall_passed(pack: Pack, registered: int, present: int, returned: int,
                  for_votes: int) -> tuple[bool, bool]:
    """(valid, passed) of a recall vote: validity by the pack's quorum (those present or those
    voting, of the registered), passing by its base (those voting, or the registered)."""
    rule = pack.recall
    valid = rule.validity.met(present if rule.validity.of == "present" else returned,
                              registered)
    base = {"registered": registered, "present": present}.get(rule.passing.base, returned)
    share = Fraction(for_votes, base) if base else Fraction(0)
    passed = valid and (share > rule.passing.fraction if rule.passing.strict
                        else share >= rule.passing.fraction)
    return valid, passed


def share_text(value: Fraction) -> str:
    return decimal_text(value)
