"""`civic election ...`: packs, new, list, show, slate, roll, attend, figures, ballots import,
tallies import, count, revote, runoff, certify, notice, batch import|count|list, recall
file|reply|vote|figures|tallies|decide|list, terms, target, extend, report. Reads take
`--json` (the count's JSON is documented in docs/formats.md); changes log an operator in."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import click

from civic.actions import performs
from civic.cli.context import (
    DATE,
    State,
    emit,
    json_option,
    out_option,
    pass_state,
    supervisor_option,
    table,
    write_out,
)
from civic.errors import CivicError
from civic.i18n import _


def _contest_spec(db: Any, text: str) -> Any:
    """"code:seats:A,B*,C=名字": a contest, its seats and candidates (a registry code, or
    code=name for someone not in it; * marks the incumbent)."""
    from civic.plugins.election.actions import Candidate, ContestSpec

    parts = text.split(":", 2)
    if len(parts) != 3 or not parts[1].strip().isdigit():
        raise CivicError(_("A contest is written code:seats:candidate,candidate,... ({text})."
                           ).format(text=text))
    listed = []
    for item in filter(None, (p.strip() for p in parts[2].split(","))):
        incumbent = item.endswith("*")
        item = item.rstrip("*")
        code, _sep, name = item.partition("=")
        if not name:
            row = db.execute("SELECT name FROM people WHERE code = ?", (code,)).fetchone()
            if row is None:
                raise CivicError(_("{code} is not in the registry; write it code=name.").format(
                    code=code))
            name = row[0]
        listed.append(Candidate(code.strip(), name.strip(), incumbent))
    return ContestSpec(parts[0].strip(), int(parts[1]), tuple(listed))


def _ward(text: str) -> Any:
    from civic.tally import Constituency

    parts = text.split(":")
    try:
        code, due, weight = parts
        return Constituency(code.strip(), int(due), Fraction(weight.strip()))
    except (ValueError, ZeroDivisionError):
        raise CivicError(_("A constituency is written code:registered:weight, such as"
                           " teachers:60:1/2 ({text}).").format(text=text)) from None


_out_option = out_option(_("a row per candidate"))


def _write_count(out: str, counts: list[dict[str, Any]], packs: dict[int, Any]) -> None:
    """The count as a table an office opens in Excel: per election, contest and candidate the
    votes, the share, the rank and the outcome, contests and constituencies in words."""
    from civic.plugins.election import rules

    columns = [_("Election"), _("Title"), _("Round"), _("Election result"), _("Contest"),
               _("Seats"), _("Candidate"), _("Name"), _("For"), _("Against"), _("Abstain"),
               _("Weighted share"), _("Rank"), _("Elected")]
    rows = []
    for data in counts:
        pack = packs[data["election"]]
        outcome = _(rules.OUTCOMES[data.get("outcome") or rules.outcome(data)])
        head = [data["election"], data.get("title", ""), data["round"], outcome]
        if not data["contests"]:
            rows.append(head + [""] * 10)
        for contest in data["contests"]:
            for r in contest["results"]:
                rows.append(head + [pack.contest_label(contest["contest"]), contest["seats"],
                                    r["candidate"], r["name"], r["for"], r["against"],
                                    r["abstain"], r["weighted_share"] or "", r["rank"],
                                    _("yes") if r["elected"] else _("no")])
    write_out(out, columns, rows)


def _count_text(d: dict[str, Any]) -> str:
    from civic.plugins.election import rules
    from civic.plugins.election.rules import OUTCOMES, outcome

    lines = [_("Election {id}, round {round} ({kind}): {outcome}").format(
        id=d["election"], round=d["round"], kind=d["kind"], outcome=_(OUTCOMES[outcome(d)]))]
    q = d["quorum"]
    lines.append(_("Due {due}, present {present}; ballots issued {issued}, returned {returned}"
                   ).format(due=q["due"], present=q["present"], **d["ballots"]))
    for c in d["contests"]:
        lines.append(_("{contest}: {seats} seats; threshold over {base} {of}; valid {valid},"
                       " invalid {invalid}").format(contest=c["contest"], seats=c["seats"],
                                                    base=_(rules.BASE_LABELS.get(
                                                        c["threshold"]["base"],
                                                        c["threshold"]["base"])),
                                                    of=c["threshold"]["of"],
                                                    **c["ballots"]))
        lines.append(table(c["results"], [
            ("rank", _("Rank")), ("name", _("Name")), ("for", _("For")),
            ("against", _("Against")), ("abstain", _("Abstain")),
            ("weighted_share", _("Weighted share")), ("elected", _("Elected"))]))
        if c["tie_for_seat"]:
            lines.append(_("Tied for a seat (re-vote among them): {codes}").format(
                codes=", ".join(c["tie_for_seat"])))
        if c["shortfall"]:
            lines.append(_("Shortfall {n}; runoff slate: {codes}").format(
                n=c["shortfall"], codes=", ".join(c["runoff_slate"])))
    return "\n".join(lines)


def build_group() -> click.Group:  # noqa: C901 - one command per nested function
    from civic.plugins.election import actions, rules, store

    @click.group("election", help=_("Direct elections (公推直选): party organisations, school "
                                    "principals, deputies, villages; runoffs, terms, recall."))
    def election() -> None:
        pass

    @performs("election.read")
    @election.command("packs", help=_("The rule packs, each value with its source."))
    @json_option
    @pass_state
    def packs(state: State, as_json: bool) -> None:
        rows = [{"key": p.key, "title": p.title, "edition": p.edition,
                 "quorum": f"{p.quorum.of} {'>' if p.quorum.strict else '>='} "
                           f"{p.quorum.fraction}",
                 "threshold": f"{p.threshold.base} {'>' if p.threshold.strict else '>='} "
                              f"{p.threshold.fraction}",
                 "term_years": p.term_years,
                 "sources": {k: p.source(k) for k in p.articles},
                 "to_check": sorted(p.to_check)}
                for p in rules.packs().values()]
        emit(rows, as_json, lambda rs: table([
            dict(r, unchecked=", ".join(r["to_check"]) or "-") for r in rs], [
            ("key", _("Pack")), ("title", _("Title")), ("quorum", _("Quorum")),
            ("threshold", _("Threshold")), ("term_years", _("Term (years)")),
            ("unchecked", _("Articles to be checked"))]))

    @performs("election.create")
    @election.command("new", help=_("Create an election from a rule pack; refused without the "
                                    "差额 the pack needs."))
    @click.argument("title")
    @click.option("--pack", "pack_key", help=_("A shipped rule pack (see election packs)."))
    @click.option("--pack-file", type=click.Path(exists=True, dir_okay=False),
                  help=_("The office's copy of a pack (TOML)."))
    @click.option("--held-on", type=DATE, required=True, help=_("Day of the election."))
    @click.option("--contest", "specs", multiple=True, required=True,
                  help=_("code:seats:candidate,... (code=name for someone not in the "
                         "registry; * marks the incumbent)."))
    @click.option("--constituency", "wards", multiple=True,
                  help=_("code:registered:weight, e.g. teachers:60:1/2."))
    @click.option("--office-title", default="", help=_("The office the elected hold."))
    @click.option("--position", help=_("The registry post the election fills."))
    @pass_state
    def new(state: State, title: str, pack_key: str | None, pack_file: str | None,
            held_on: dt.date, specs: tuple[str, ...], wards: tuple[str, ...],
            office_title: str, position: str | None) -> None:
        office = state.office_for("election.create")  # the operator first, then the input
        if bool(pack_key) == bool(pack_file):
            raise CivicError(_("Name either --pack or --pack-file."))
        pack = rules.read_pack_file(pack_file) if pack_file else rules.pack(pack_key or "")
        number = actions.create(office, title=title, pack=pack, held_on=held_on,
                                contests_=[_contest_spec(office.db, s) for s in specs],
                                constituencies=[_ward(w) for w in wards],
                                office_title=office_title, position=position)
        click.echo(_("Election {id} created.").format(id=number))

    @performs("election.read")
    @election.command("list", help=_("List the elections."))
    @click.option("--batch", type=int, help=_("Only this batch's."))
    @json_option
    @pass_state
    def list_(state: State, batch: int | None, as_json: bool) -> None:
        emit(store.elections(state.db(), batch=batch), as_json, lambda rs: table(rs, [
            ("id", _("No.")), ("title", _("Title")), ("pack", _("Pack")),
            ("held_on", _("Day")), ("status", _("Status")), ("rounds", _("Rounds"))]))

    @performs("election.read")
    @election.command("show", help=_("An election: pack and sources, candidates, rounds."))
    @click.argument("number", type=int)
    @json_option
    @pass_state
    def show(state: State, number: int, as_json: bool) -> None:
        db = state.db()
        data = store.show(db, store.get_election(db, number))

        def text(d: dict) -> str:
            head = f"{d['id']}  {d['title']}  {d['pack_title']}  {d['held_on']}  {d['status']}"
            src = "\n".join(f"  {k}: {v}" for k, v in d["sources"].items())
            return "\n".join([head, src, table(d["candidates"], [
                ("contest", _("Contest")), ("code", _("Code")), ("name", _("Name")),
                ("incumbent", _("Incumbent"))]), table(d["rounds"], [
                    ("round", _("Round")), ("kind", _("Kind")), ("status", _("Status"))])])

        emit(data, as_json, text)

    @performs("election.read")
    @election.command("slate", help=_("The candidates on the ballot, in surname stroke order."))
    @click.argument("number", type=int)
    @json_option
    @pass_state
    def slate(state: State, number: int, as_json: bool) -> None:
        db = state.db()
        store.get_election(db, number)
        emit(store.candidates(db, number), as_json, lambda rs: table(rs, [
            ("contest", _("Contest")), ("code", _("Code")), ("name", _("Name")),
            ("incumbent", _("Incumbent"))]))

    @performs("election.roll")
    @election.command("roll", help=_("Load the roll of electors (a CSV or XLSX file)."))
    @click.argument("number", type=int)
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @pass_state
    def roll(state: State, number: int, path: str) -> None:
        office = state.office_for("election.roll")
        result = actions.load_roll(office, number, path)
        click.echo(_("Roll loaded: {n} electors.").format(n=sum(result.values())))

    @performs("election.roll")
    @election.command("attend", help=_("Mark electors present; --close before ballots."))
    @click.argument("number", type=int)
    @click.argument("codes", nargs=-1)
    @click.option("--all", "everyone", is_flag=True, help=_("Everyone on the roll."))
    @click.option("--absent", is_flag=True, help=_("Mark them absent instead."))
    @click.option("--close", is_flag=True, help=_("Close attendance."))
    @pass_state
    def attend(state: State, number: int, codes: tuple[str, ...], everyone: bool, absent: bool,
               close: bool) -> None:
        office = state.office_for("election.roll")
        result = actions.attend(office, number, None if everyone else codes,
                                present=not absent, close=close)
        click.echo(_("Present: {n}.").format(n=result.get("present", "-")))

    @performs("election.roll")
    @election.command("figures", help=_("Record ballots issued and returned (per "
                                        "constituency: and those present)."))
    @click.argument("number", type=int)
    @click.option("--issued", type=click.IntRange(0), required=True, help=_("Ballots issued."))
    @click.option("--returned", type=click.IntRange(0), required=True,
                  help=_("Ballots returned."))
    @click.option("--constituency", help=_("The constituency."))
    @click.option("--present", type=click.IntRange(0), help=_("Electors present."))
    @pass_state
    def figures(state: State, number: int, issued: int, returned: int,
                constituency: str | None, present: int | None) -> None:
        office = state.office_for("election.roll")
        actions.record_figures(office, number, issued=issued, returned=returned,
                               constituency=constituency, present=present)
        click.echo(_("Figures recorded."))

    @election.group("ballots", help=_("Ballots of an election."))
    def ballots_group() -> None:
        pass

    @performs("election.ballots")
    @ballots_group.command("import", help=_("Import value ballots (one row per mark); refused "
                                            "whole with file:row:column."))
    @click.argument("number", type=int)
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @pass_state
    def ballots_import(state: State, number: int, path: str) -> None:
        office = state.office_for("election.ballots")
        result = actions.import_ballots(office, number, path)
        click.echo(_("{n} ballots imported.").format(n=result["ballots"]))

    @election.group("tallies", help=_("Tally files (totals counted on paper)."))
    def tallies_group() -> None:
        pass

    @performs("election.ballots")
    @tallies_group.command("import", help=_("Import a tally file; refused whole with "
                                            "file:row:column."))
    @click.argument("number", type=int)
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @pass_state
    def tallies_import(state: State, number: int, path: str) -> None:
        office = state.office_for("election.ballots")
        result = actions.import_tallies(office, number, path)
        click.echo(_("Tally imported: {n} rows.").format(n=result["rows"]))
        if result.get("void"):  # recorded as the sheet says: the count says void
            click.echo(_("More ballots returned than issued: the round is void (重选). Hold it"
                         " again: civic election revote {id}.").format(id=number))

    @performs("election.read")
    @election.command("count", help=_("Count a round: quorum, thresholds, elected, ties, "
                                      "shortfall and runoff slate."))
    @click.argument("number", type=int)
    @click.option("--round", "round_no", type=int, help=_("Round (default: the latest)."))
    @_out_option
    @json_option
    @pass_state
    def count(state: State, number: int, round_no: int | None, out: str | None,
              as_json: bool) -> None:
        db = state.db()
        found = store.get_election(db, number)
        data = (store.election_count(db, found) if round_no is None and found.status ==
                "not_held" else store.count(db, found, store.get_round(db, number, round_no)))
        if out:
            _write_count(out, [dict(data, title=found.title)], {found.id: found.pack})
        emit(data, as_json, _count_text)

    def _follow(kind: str, name: str, help_text: str) -> None:
        @performs("election.round")
        @election.command(name, help=help_text)
        @click.argument("number", type=int)
        @pass_state
        def follow(state: State, number: int) -> None:
            office = state.office_for("election.round")
            rnd = actions.open_follow_on(office, number, kind)
            click.echo(_("Round {round} of election {id} opened.").format(round=rnd.round_no,
                                                                          id=number))

    from civic.tally import REVOTE, RUNOFF

    _follow(RUNOFF, "runoff", _("Open another election (另行选举) for the shortfall."))
    _follow(REVOTE, "revote", _("Open a re-vote among those tied, or hold a void round again."))

    @performs("election.certify")
    @election.command("certify", help=_("Certify the latest round with a supervisor's "
                                        "co-signature: terms and appointments recorded."))
    @click.argument("number", type=int)
    @click.option("--on", type=DATE, help=_("First day of the term (default: today)."))
    @supervisor_option
    @pass_state
    def certify(state: State, number: int, on: dt.date | None, supervisor: str | None) -> None:
        office = state.office_for("election.certify")
        signer = state.cosigner(office, supervisor, "election.certify")
        data = actions.certify(office, number, signer, on)
        n = sum(r["elected"] for c in data["contests"] for r in c["results"])
        click.echo(_("Election {id} certified, co-signed by {name}: {n} elected.").format(
            id=number, name=signer.name, n=n))

    @performs("election.notice")
    @election.command("notice", help=_("Draft the results notice (当选公告); publish it with "
                                       "civic notice publish."))
    @click.argument("number", type=int)
    @pass_state
    def notice(state: State, number: int) -> None:
        from civic.plugins.election import notice as notices

        office = state.office_for("election.notice")
        drafted = notices.draft(office, number)
        click.echo(_("Notice {id} drafted.").format(id=drafted.id))

    @election.group("batch", help=_("Batches of elections (hundreds of schools)."))
    def batch() -> None:
        pass

    @performs("election.create")
    @batch.command("import", help=_("Import a file of elections and one of tallies; refused "
                                    "whole with file:row:column."))
    @click.argument("elections", type=click.Path(exists=True, dir_okay=False))
    @click.argument("tallies", type=click.Path(exists=True, dir_okay=False), required=False)
    @click.option("--title", required=True, help=_("Title of the batch."))
    @click.option("--pack", "pack_key", default="principal-kunming-2008", show_default=True,
                  help=_("Rule pack of rows that name none."))
    @click.option("--held-on", type=DATE, required=True, help=_("Day of the elections."))
    @pass_state
    def batch_import(state: State, elections: str, tallies: str | None, title: str,
                     pack_key: str, held_on: dt.date) -> None:
        office = state.office_for("election.create")
        result = actions.import_batch(office, elections, tallies, title=title, pack=pack_key,
                                      held_on=held_on)
        click.echo(_("Batch {batch}: {n} elections ({not_held} not held), {tallied} with "
                     "tallies.").format(batch=result["batch"], n=result["elections"],
                                        not_held=result["not_held"],
                                        tallied=result["tallied"]))

    @performs("election.read")
    @batch.command("count", help=_("Count every election of a batch and summarise."))
    @click.argument("number", type=int)
    @_out_option
    @json_option
    @pass_state
    def batch_count(state: State, number: int, out: str | None, as_json: bool) -> None:
        db = state.db()
        data = store.batch_count(db, number)
        if out:
            _write_count(out, data["elections"], {e.id: e.pack for e in (
                store.get_election(db, row["id"]) for row in store.elections(db, batch=number))})

        def text(d: dict) -> str:
            s = d["summary"]
            # the elections, then why the others elected nobody, then who was elected (one
            # line of it all ran past 80 columns in both languages)
            lines = [_("{n} elections, {held} held, {with_elected} with principals elected")
                     .format(n=s["elections"], held=s["held"], with_elected=s["with_elected"])]
            for reason, n in s["not_elected"].items():
                # the dashboard's words: "候选人不足两名，未举行选举：14", a Chinese colon
                lines.append("  " + _("{reason}: {n}").format(reason=_(rules.OUTCOMES[reason]),
                                                              n=n))
            lines.append(_("{elected} elected: {reelected} incumbents re-elected, {new} new")
                         .format(elected=s["elected"], reelected=s["incumbents_reelected"],
                                 new=s["new"]))
            return "\n".join(lines)

        emit(data, as_json, text)

    @performs("election.read")
    @batch.command("list", help=_("List the batches."))
    @json_option
    @pass_state
    def batch_list(state: State, as_json: bool) -> None:
        emit(store.batches(state.db()), as_json, lambda rs: table(rs, [
            ("id", _("No.")), ("title", _("Title")), ("elections", _("Elections")),
            ("created_on", _("Day"))]))

    @performs("election.read")
    @election.command("terms", help=_("Terms of elected office, with their targets."))
    @click.option("--election", "number", type=int, help=_("Only this election's."))
    @click.option("--on", type=DATE, help=_("Only terms held on this day."))
    @json_option
    @pass_state
    def terms(state: State, number: int | None, on: dt.date | None, as_json: bool) -> None:
        db = state.db()
        rows = store.terms(db, election=number, on=on)
        for row in rows:
            row["targets"] = store.targets(db, row["id"])
        emit(rows, as_json, lambda rs: table(rs, [
            ("id", _("No.")), ("name", _("Name")), ("office_title", _("Office")),
            ("starts", _("From")), ("ends", _("Until")), ("status", _("Status"))]))

    @performs("election.term")
    @election.command("target", help=_("Set a term target (任期目标), or its status with "
                                       "--target."))
    @click.argument("term", type=int)
    @click.argument("text", default="")
    @click.option("--due", type=DATE, help=_("Due day of a new target."))
    @click.option("--target", "target", type=int, help=_("An existing target."))
    @click.option("--status", type=click.Choice(["open", "met", "missed"]), default="open",
                  help=_("The target's status."))
    @pass_state
    def target(state: State, term: int, text: str, due: dt.date | None, target: int | None,
               status: str) -> None:
        office = state.office_for("election.term")
        if target is None and due is None:
            raise CivicError(_("A new target needs --due."))
        number = actions.set_target(office, term, text, due or office.today(), status, target)
        click.echo(_("Target {id} recorded.").format(id=number))

    @performs("election.term")
    @election.command("extend", help=_("Extend a term (at most a year, with the level above's "
                                       "approval)."))
    @click.argument("term", type=int)
    @click.option("--ends", type=DATE, required=True, help=_("New end of the term."))
    @click.option("--approval", required=True, help=_("The level above's approval."))
    @pass_state
    def extend(state: State, term: int, ends: dt.date, approval: str) -> None:
        office = state.office_for("election.term")
        actions.extend_term(office, term, ends, approval)
        click.echo(_("Term {id} extended to {ends}.").format(id=term, ends=ends.isoformat()))

    @election.group("recall", help=_("Recall (罢免): petition, reply, vote, decision."))
    def recall() -> None:
        pass

    @performs("election.recall")
    @recall.command("file", help=_("File a recall petition against a term."))
    @click.argument("term", type=int)
    @click.option("--signers", type=click.IntRange(1), required=True, help=_("Signers."))
    @click.option("--registered", type=click.IntRange(1), required=True,
                  help=_("Registered electors (or representatives)."))
    @click.option("--grounds", required=True, help=_("The grounds stated."))
    @click.option("--representatives", is_flag=True,
                  help=_("Signed by representatives, not electors."))
    @pass_state
    def recall_file(state: State, term: int, signers: int, registered: int, grounds: str,
                    representatives: bool) -> None:
        office = state.office_for("election.recall")
        number = actions.file_recall(office, term, signers=signers, registered=registered,
                                     grounds=grounds, representatives=representatives)
        click.echo(_("Recall {id} filed.").format(id=number))

    @performs("election.recall")
    @recall.command("reply", help=_("Record the respondent's reply."))
    @click.argument("number", type=int)
    @click.argument("text")
    @pass_state
    def recall_reply(state: State, number: int, text: str) -> None:
        office = state.office_for("election.recall")
        actions.reply_recall(office, number, text)
        click.echo(_("Reply recorded."))

    @performs("election.recall")
    @recall.command("vote", help=_("Open the recall vote (one constituency of the registered "
                                   "electors)."))
    @click.argument("number", type=int)
    @pass_state
    def recall_vote(state: State, number: int) -> None:
        office = state.office_for("election.recall")
        key = actions.open_recall_vote(office, number)
        click.echo(_("Recall vote {key} opened.").format(key=key))

    @performs("election.recall")
    @recall.command("figures", help=_("Record the recall vote's figures."))
    @click.argument("number", type=int)
    @click.option("--present", type=click.IntRange(0), required=True, help=_("Present."))
    @click.option("--issued", type=click.IntRange(0), required=True, help=_("Ballots issued."))
    @click.option("--returned", type=click.IntRange(0), required=True,
                  help=_("Ballots returned."))
    @pass_state
    def recall_figures(state: State, number: int, present: int, issued: int,
                       returned: int) -> None:
        office = state.office_for("election.recall")
        actions.recall_figures(office, number, present=present, issued=issued,
                               returned=returned)
        click.echo(_("Figures recorded."))

    @performs("election.recall")
    @recall.command("tallies", help=_("Import the recall vote's tally file."))
    @click.argument("number", type=int)
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @pass_state
    def recall_tallies(state: State, number: int, path: str) -> None:
        office = state.office_for("election.recall")
        actions.recall_tallies(office, number, path)
        click.echo(_("Tally imported."))

    @performs("election.recall_decide")
    @recall.command("decide", help=_("Count the recall vote and decide, co-signed."))
    @click.argument("number", type=int)
    @click.option("--on", type=DATE, help=_("Day of the decision (default: today)."))
    @supervisor_option
    @json_option
    @pass_state
    def recall_decide(state: State, number: int, on: dt.date | None, supervisor: str | None,
                      as_json: bool) -> None:
        office = state.office_for("election.recall_decide")
        signer = state.cosigner(office, supervisor, "election.recall_decide")
        data = actions.decide_recall(office, number, signer, on)
        emit(data, as_json, _("Recall {id}: valid {valid}, passed {passed}.").format(
            id=number, valid=data["valid"], passed=data["passed"]))

    @performs("election.read")
    @recall.command("list", help=_("List recall petitions."))
    @json_option
    @pass_state
    def recall_list(state: State, as_json: bool) -> None:
        emit(store.recalls(state.db()), as_json, lambda rs: table(rs, [
            ("id", _("No.")), ("term", _("Term")), ("filed_on", _("Filed")),
            ("signers", _("Signers")), ("status", _("Status")),
            ("barred_until", _("Barred until"))]))

    @performs("election.read")
    @election.command("report", help=_("The figures of the year's elections, computed from "
                                       "the data."))
    @json_option
    @pass_state
    def report(state: State, as_json: bool) -> None:
        from civic.plugins.election.report import figures, text

        emit(figures(state.db()), as_json, text)

    return election
