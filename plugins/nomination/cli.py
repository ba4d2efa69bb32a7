"""`civic nomination ...`: new, list, show, roll, attend (and --close), ballots, adjudicate,
count, revote, certify, notice, open-round, reserve. Reads take `--json`; changes log an operator in."""

from __future__ import annotations

import datetime as dt

import click

from civic.actions import performs
from civic.cli.context import (
    State,
    dry_run_option,
    emit,
    json_option,
    out_option,
    pass_state,
    run_import,
    supervisor_option,
    table,
    write_out,
)
from civic.errors import CivicError
from civic.i18n import _, ngettext


def register(cli: click.Group) -> None:
    cli.add_command(nomination)


def _date(value: str | None) -> dt.date | None:
    from civic.dates import parse_date

    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise CivicError(str(exc)) from exc


def _load(state: State, nid: int, round_no: int | None, *, change: str | None = None):
    from civic.plugins.nomination import store

    office = state.office_for(change) if change else state.office()
    nom = store.get(office.db, nid)
    return office, nom, store.get_round(office.db, nom, round_no)


round_option = click.option("--round", "round_no", type=click.IntRange(1, 2),
                            help=_("Round 1 or 2 (default: the latest)."))
id_argument = click.argument("nid", metavar="ID", type=int)


@click.group(help=_("Two-round nomination (两轮推荐提名): open round, public notice, "
                    "conference round, reserve candidates."))
def nomination() -> None:
    pass


@performs("nomination.create")
@nomination.command("new", help=_("Create a nomination for vacant posts; round 1 opens."))
@click.option("--title", required=True)
@click.option("--position", "-p", "positions", multiple=True, required=True,
              help=_("A vacant post's code (repeat, or separate with commas)."))
@click.option("--reference-date", help=_("Date the posts' conditions are checked on "
                                         "(default today)."))
@click.option("--advance1", type=int, default=5, show_default=True,
              help=_("How many per post go on from round 1."))
@click.option("--advance2", type=int, default=2, show_default=True,
              help=_("How many per post become reserve candidates in round 2."))
@click.option("--marks1", type=int, default=1, show_default=True,
              help=_("Names allowed per post on a round-1 ballot."))
@click.option("--marks2", type=int, default=2, show_default=True,
              help=_("Names allowed per post on a round-2 ballot."))
@click.option("--tie-policy", type=click.Choice(["revote", "include", "meeting"]),
              default="revote", show_default=True, help=_(
                  "A tie at the cut-off: re-vote among the tied (borrowed from election rules), "
                  "take them all, or the department's meeting decides (部务会研究决定)."))
@click.option("--quorum", help=_("Electors present, as a fraction of those registered (at "
                                 "least); default and minimum: the setting nomination.quorum."))
@click.option("--show-counts", is_flag=True, help=_("Print vote counts on the notice."))
@click.option("--ceiling", help=_("The highest level a nominee may hold, for every post "
                                  "(default: each post's own level)."))
@click.option("--post-ceiling", "post_ceilings", multiple=True, metavar="POST=LEVEL",
              help=_("The highest level a nominee may hold for one post (repeat)."))
@json_option
@pass_state
def new(state: State, title: str, positions: tuple[str, ...], reference_date: str | None,
        advance1: int, advance2: int, marks1: int, marks2: int, tie_policy: str,
        quorum: str | None, show_counts: bool, ceiling: str | None,
        post_ceilings: tuple[str, ...], as_json: bool) -> None:
    from civic.plugins.nomination import actions, store
    from civic.plugins.nomination.rules import QUORUM, Settings, parse_fraction
    from civic.rule_settings import value

    if quorum is None:
        quorum = str(value(state.db(), QUORUM))
    settings = Settings(advance=(advance1, advance2), marks=(marks1, marks2),
                        tie_policy=tie_policy, quorum=parse_fraction(quorum),
                        show_counts=show_counts)
    office = state.office_for("nomination.create")
    posts = [p for item in positions for p in item.split(",")]
    ceilings = {}
    for item in post_ceilings:
        post, sep, level = item.partition("=")
        if not sep or not post.strip() or not level.strip():
            raise CivicError(_("--post-ceiling {value}: write POST=LEVEL.").format(value=item))
        ceilings[post.strip()] = level.strip()
    nom = actions.create(office, title=title, positions=posts,
                           reference_date=_date(reference_date) or office.today(),
                           settings=settings, ceiling=ceiling, ceilings=ceilings)
    emit({"nomination": nom.id, "round": store.get_round(office.db, nom).key}, as_json,
         _("Created nomination {id} with {n} posts; round 1 is open.").format(
             id=nom.id, n=len(nom.positions)))


@performs("nomination.read")
@nomination.command("list", help=_("List nominations and where each stands."))
@json_option
@pass_state
def list_cmd(state: State, as_json: bool) -> None:
    from civic.plugins.nomination import store
    from civic.plugins.nomination.workflows import stage_text

    rows = store.list_all(state.db())
    emit(rows, as_json, lambda rs: table(
        [{**r, "stage": stage_text(r["stage"])} for r in rs],
        [("id", "#"), ("title", _("Title")), ("reference_date", _("Reference date")),
         ("positions", _("Posts")), ("stage", _("Stage"))]))


@performs("nomination.read")
@nomination.command("show", help=_("Show a nomination: posts, rounds, notice, reserve."))
@id_argument
@json_option
@pass_state
def show(state: State, nid: int, as_json: bool) -> None:
    from civic.plugins.nomination.workflows import overview, overview_text

    data = overview(state.db(), nid)
    emit(data, as_json, overview_text)


@performs("nomination.roll")
@nomination.command("roll", help=_("Load a round's roll of electors (CSV or XLSX: code, name, "
                                   "category[, present]); see docs/formats.md."))
@id_argument
@click.argument("file", type=click.Path(dir_okay=False))
@round_option
@dry_run_option
@json_option
@pass_state
def roll(state: State, nid: int, file: str, round_no: int | None, dry_run: bool,
         as_json: bool) -> None:
    from civic.plugins.nomination import actions

    office, _nom, rnd = _load(state, nid, round_no, change="nomination.roll")
    run_import(office, lambda o: actions.load_roll(o, rnd, file), file=file,
               dry_run=dry_run, as_json=as_json,
               text=lambda r: _("Roll of {key}: {added} added, {updated} updated, {unchanged} "
                                "unchanged.").format(key=rnd.key, **r))


@performs("nomination.attend")
@nomination.command("attend", help=_(
    "Record electors present (or --absent) by code, or --all; --close closes attendance (the "
    "number present is then final, and ballots can be entered)."))
@id_argument
@click.argument("codes", nargs=-1)
@click.option("--all", "everyone", is_flag=True, help=_("Everyone on the roll."))
@click.option("--absent", is_flag=True, help=_("Mark them absent instead."))
@click.option("--close", is_flag=True, help=_(
    "Close attendance: no attendance change after it; ballots only after it."))
@round_option
@json_option
@pass_state
def attend(state: State, nid: int, codes: tuple[str, ...], everyone: bool, absent: bool,
           close: bool, round_no: int | None, as_json: bool) -> None:
    from civic.plugins.nomination import actions

    if close:
        if codes or everyone or absent:
            raise CivicError(_("--close takes no electors: record attendance first, then "
                               "close it."))
        office, _nom, rnd = _load(state, nid, round_no, change="nomination.attend")
        result = actions.close_attendance(office, rnd)
        emit(result, as_json, _("{key}: attendance closed with {present} of {registered} "
                                "electors present; ballots can now be entered.").format(
            key=rnd.key, **result))
        return
    if everyone == bool(codes):
        raise CivicError(_("Give electors' codes, or --all."))
    office, _nom, rnd = _load(state, nid, round_no, change="nomination.attend")
    present = actions.attend(office, rnd, None if everyone else codes, not absent)
    emit({"present": present}, as_json,
         _("{key}: {n} electors present.").format(key=rnd.key, n=present))


@nomination.group("ballots", help=_("Ballots: import a file, record issued and returned, "
                                    "show or delete one."))
def ballots_group() -> None:
    pass


@performs("nomination.ballots_import")
@ballots_group.command("import", help=_("Import a ballot file (CSV or XLSX, one row per mark: "
                                        "ballot, position, choice); see docs/formats.md."))
@id_argument
@click.argument("file", type=click.Path(dir_okay=False))
@round_option
@dry_run_option
@json_option
@pass_state
def ballots_import(state: State, nid: int, file: str, round_no: int | None, dry_run: bool,
                   as_json: bool) -> None:
    from civic.plugins.nomination import actions

    office, nom, rnd = _load(state, nid, round_no, change="nomination.ballots_import")
    run_import(office, lambda o: actions.import_ballots(o, nom, rnd, file), file=file,
               dry_run=dry_run, as_json=as_json,
               text=lambda r: _imported_text(rnd.key, r))


def _imported_text(key: str, result: dict) -> str:
    """What the import did, and a warning per post whose sections were over-marked."""
    lines = [_("{key}: {ballots} ballots with {marks} marks imported.").format(
        key=key, ballots=result["ballots"], marks=result["marks"])]
    for post, n in sorted(result.get("over_voted", {}).items()):
        lines.append(ngettext(
            "Warning: {post}: {n} ballot marks more names than allowed; none of its marks "
            "for this post counts.",
            "Warning: {post}: {n} ballots mark more names than allowed; none of their marks "
            "for this post counts.", n).format(post=post, n=n))
    return "\n".join(lines)


@performs("nomination.ballots_record")
@ballots_group.command("record", help=_("Record how many ballots were issued and returned."))
@id_argument
@click.option("--issued", type=click.IntRange(min=0), required=True)
@click.option("--returned", type=click.IntRange(min=0), required=True)
@round_option
@pass_state
def ballots_record(state: State, nid: int, issued: int, returned: int,
                   round_no: int | None) -> None:
    from civic.plugins.nomination import actions

    office, _nom, rnd = _load(state, nid, round_no, change="nomination.ballots_record")
    actions.record_figures(office, rnd, issued, returned)
    click.echo(_("{key}: {issued} ballots issued, {returned} returned.").format(
        key=rnd.key, issued=issued, returned=returned))


@performs("nomination.read")
@ballots_group.command("show", help=_("Show what one ballot says."))
@id_argument
@click.argument("number", type=int)
@round_option
@json_option
@pass_state
def ballots_show(state: State, nid: int, number: int, round_no: int | None,
                 as_json: bool) -> None:
    from civic.ballots import ballot

    office, _nom, rnd = _load(state, nid, round_no)
    found = ballot(office.db, rnd.vround, number)
    if found is None:
        raise CivicError(_("No ballot {number} in round {key}.").format(number=number,
                                                                       key=rnd.key))
    emit({"ballot": number, "sections": found}, as_json, lambda d: "\n".join(
        f"{post}: {', '.join(texts) or '-'}" for post, texts in d["sections"].items()))


@performs("nomination.ballot_delete")
@ballots_group.command("delete", help=_(
    "Take a wrongly entered ballot out of an open round: give the reason; a supervisor "
    "co-signs. The log keeps the ballot's digest, not what it said."))
@id_argument
@click.argument("number", type=int)
@click.option("--reason", required=True, help=_("Why the ballot is deleted (kept in the "
                                                "audit log)."))
@round_option
@supervisor_option
@pass_state
def ballots_delete(state: State, nid: int, number: int, reason: str, round_no: int | None,
                   supervisor: str | None) -> None:
    from civic.ballots import ballot
    from civic.plugins.nomination import actions

    action = "nomination.ballot_delete"
    office, _nom, rnd = _load(state, nid, round_no, change=action)
    # Refused before the supervisor is asked for a password, not after.
    rnd.require_open()
    if not " ".join(reason.split()):
        raise CivicError(_("Give the reason the ballot is deleted."))
    if ballot(office.db, rnd.vround, number) is None:
        raise CivicError(_("No ballot {number} in round {key}.").format(number=number,
                                                                       key=rnd.key))
    signer = state.cosigner(office, supervisor, action)
    marks = actions.delete_ballot(office, rnd, number, reason=reason, cosigner=signer)
    click.echo(_("Ballot {number} deleted ({marks} marks), co-signed by {name}.").format(
        number=number, marks=marks, name=signer.name))


@performs("nomination.adjudicate", "nomination.read")
@nomination.command("adjudicate", help=_(
    "List written names waiting for a decision, or decide one: --position and --written with "
    "--person CODE, --invalid (intent not clear) or --reverse."))
@id_argument
@click.option("--position", help=_("The post the name was written for."))
@click.option("--written", help=_("The name as written."))
@click.option("--person", help=_("The person it means (code)."))
@click.option("--invalid", is_flag=True, help=_("The intent is not clear: the mark is void."))
@click.option("--reverse", is_flag=True, help=_("Undo the decision in force."))
@click.option("--note", default="", help=_("Why (kept in the audit log)."))
@click.option("--all", "everything", is_flag=True,
              help=_("List invalid and decided names too."))
@round_option
@json_option
@pass_state
def adjudicate(state: State, nid: int, position: str | None, written: str | None,
               person: str | None, invalid: bool, reverse: bool, note: str, everything: bool,
               round_no: int | None, as_json: bool) -> None:
    from civic.plugins.nomination import actions, store
    from civic.vocabulary import label

    if position is None and written is None and not (person or invalid or reverse):
        office, _nom, rnd = _load(state, nid, round_no)
        rows = store.queue(office.db, rnd, everything=everything)
        for row in rows:
            row["candidates"] = [c["code"] for c in store.candidates_for(office.db,
                                                                        row["written"])]
        emit(rows, as_json, lambda rs: table(
            [{**r, "state": label(r["state"]), "candidates": ", ".join(r["candidates"])}
             for r in rs],
            [("position", _("Post")), ("text", _("Written")), ("marks", _("Marks")),
             ("state", _("State")), ("decision", _("Decision")),
             ("candidates", _("Could be"))]) if rs else _("Nothing waits for adjudication."))
        return
    if not position or not written:
        raise CivicError(_("Give --position and --written."))
    office, nom, rnd = _load(state, nid, round_no, change="nomination.adjudicate")
    marks = actions.adjudicate(office, nom, rnd, position=position, written=written,
                               person=person, invalid=invalid, reverse=reverse, note=note)
    emit({"marks": marks}, as_json, _("Decision recorded; {n} marks affected.").format(n=marks))


@performs("nomination.read")
@nomination.command("count", help=_(
    "Count a round: votes per post, who goes on, invalid marks (--json for scripts, in the "
    "shape docs/formats.md describes)."))
@id_argument
@round_option
@out_option(_("a row per post and candidate"))
@json_option
@pass_state
def count(state: State, nid: int, round_no: int | None, out: str | None,
          as_json: bool) -> None:
    from civic.cli.progress import Working
    from civic.plugins.nomination import store
    from civic.plugins.nomination.workflows import count_rows, report_text

    office, nom, rnd = _load(state, nid, round_no)
    with Working(_("Counting {key}").format(key=rnd.key), as_json):
        data = store.report(office.db, nom, rnd, office.pm)
    if out:
        write_out(out, *count_rows(office.db, data))
    emit(data, as_json, report_text)


@performs("nomination.revote")
@nomination.command("revote", help=_("Record a re-vote among those tied at the cut-off: "
                                     "CODE=VOTES for each."))
@id_argument
@click.option("--position", required=True)
@click.argument("votes", nargs=-1, required=True, metavar="CODE=VOTES...")
@round_option
@json_option
@pass_state
def revote(state: State, nid: int, position: str, votes: tuple[str, ...], round_no: int | None,
           as_json: bool) -> None:
    from civic.plugins.nomination import actions

    tallies: dict[str, int] = {}
    for item in votes:
        code, sep, n = item.partition("=")
        if not sep or not n.strip().isdigit():
            raise CivicError(_("Write each re-vote result as CODE=VOTES, not {item}.").format(
                item=item))
        tallies[code.strip()] = int(n)
    office, nom, rnd = _load(state, nid, round_no, change="nomination.revote")
    settled = actions.record_revote(office, nom, rnd, position, tallies)
    data = {"advancing": list(settled.advancing), "tie_at_cutoff": list(settled.tie_at_cutoff)}
    emit(data, as_json, lambda d: _("Going on: {codes}.").format(
        codes=", ".join(d["advancing"])) + ("\n" + _("Still tied: {codes}; hold another "
                                                     "re-vote.").format(
        codes=", ".join(d["tie_at_cutoff"])) if d["tie_at_cutoff"] else ""))


@performs("nomination.decide_tie")
@nomination.command("decide-tie", help=_(
    "Record the department meeting's decision (部务会研究决定) on a tie at the cut-off: the "
    "codes of those of the tied who go on; a supervisor co-signs."))
@id_argument
@click.option("--position", required=True)
@click.option("--meeting", required=True, help=_("The meeting that decided (e.g. "
                                                 "2008年7月5日部务会)."))
@click.option("--on", "on", help=_("Day it decided (default today)."))
@click.argument("codes", nargs=-1, required=True)
@round_option
@supervisor_option
@json_option
@pass_state
def decide_tie(state: State, nid: int, position: str, meeting: str, on: str | None,
               codes: tuple[str, ...], round_no: int | None, supervisor: str | None,
               as_json: bool) -> None:
    from civic.plugins.nomination import actions

    action = "nomination.decide_tie"
    office, nom, rnd = _load(state, nid, round_no, change=action)
    # Refused before the supervisor is asked for a password, not after. (The tie policy is
    # checked by the step itself: a co-signed step's refusals begin with the co-signature.)
    rnd.require_open()
    signer = state.cosigner(office, supervisor, action)
    settled = actions.decide_tie(office, nom, rnd, position, codes, meeting=meeting,
                                 cosigner=signer, decided_on=_date(on))
    emit({"advancing": list(settled.advancing)}, as_json, lambda d: _(
        "Going on: {codes}; decided by {meeting}, co-signed by {name}.").format(
            codes=", ".join(d["advancing"]), meeting=meeting, name=signer.name))


@performs("nomination.certify")
@nomination.command("certify", help=_("Certify a round's count with a supervisor's "
                                      "co-signature; the round locks."))
@id_argument
@round_option
@supervisor_option
@pass_state
def certify(state: State, nid: int, round_no: int | None, supervisor: str | None) -> None:
    from civic.plugins.nomination import actions, store

    action = "nomination.certify"
    office, nom, rnd = _load(state, nid, round_no, change=action)
    problems = store.certify_problems(office.db, nom, rnd)
    if problems:
        raise CivicError("\n".join(problems))
    for warning in store.certify_warnings(office.db, nom, rnd):
        click.echo(_("Warning: {text}").format(text=warning), err=True)
    signer = state.cosigner(office, supervisor, action)
    actions.certify(office, nom, rnd, signer)
    rnd = store.get_round(office.db, nom, rnd.round_no)
    click.echo(_("Round {round} of nomination {id} certified, co-signed by {name}; report "
                 "sha256 {sha}.").format(round=rnd.round_no, id=nid, name=signer.name,
                                         sha=rnd.report_sha256))


@performs("nomination.publish_notice", "nomination.draft_notice", "nomination.read")
@nomination.command("notice", help=_(
    "Draft a round's public notice (公示) and print it: round 1's nominees, or after round 2 "
    "the candidates for inspection (考察对象公示); --publish posts it with a supervisor's "
    "co-signature."))
@id_argument
@click.option("--publish", is_flag=True)
@click.option("--on", "on", help=_("Day it was posted (default today)."))
@click.option("--lang", "lang", type=click.Choice(["zh_CN", "en"]))
@click.option("--round", "round_no", type=click.IntRange(1, 2), help=_(
    "Round 1 or 2 (default: round 2 once it is certified, else round 1)."))
@supervisor_option
@json_option
@pass_state
def notice_cmd(state: State, nid: int, publish: bool, on: str | None, lang: str | None,
               round_no: int | None, supervisor: str | None, as_json: bool) -> None:
    from civic import notices
    from civic.plugins.nomination import notice, store
    from civic.plugins.nomination.rules import CONFERENCE, OPEN

    office = state.office()
    nom = store.get(office.db, nid)
    if round_no is None:
        last = store.get_round(office.db, nom)
        round_no = CONFERENCE if (last.round_no, last.status) == (CONFERENCE, "certified") \
            else OPEN
    rnd = store.get_round(office.db, nom, round_no)
    if rnd.notice is None or publish:
        office = state.office_for("nomination.publish_notice" if publish
                                  else "nomination.draft_notice")
    if rnd.notice is None:
        notice.draft(office, nom, round_no)
    if publish:
        signer = state.cosigner(office, supervisor, "nomination.publish_notice")
        notice.publish(office, nom, signer, _date(on), round_no)
    rnd = store.get_round(office.db, nom, round_no)
    assert rnd.notice is not None  # drafted above if it was not
    found = notices.get(office.db, rnd.notice)
    emit(found.as_dict(), as_json, lambda _d: notices.render(office, found, lang=lang))


@performs("nomination.reserve")
@nomination.command("reserve", help=_(
    "Name round 2's reserve candidates once the notice of the candidates for inspection "
    "(考察对象公示) is confirmed (civic notice confirm)."))
@id_argument
@json_option
@pass_state
def reserve_cmd(state: State, nid: int, as_json: bool) -> None:
    from civic.plugins.nomination import actions, store

    office = state.office_for("nomination.reserve")
    nom = store.get(office.db, nid)
    named = actions.name_reserve(office, nom)
    emit(named, as_json, lambda d: _("Reserve candidates of nomination {id}: {n}.").format(
        id=nid, n=sum(len(c) for c in d.values())))


@performs("nomination.open_round")
@nomination.command("open-round", help=_("Open round 2 once round 1's notice period is over "
                                         "with no objection open; --rerun holds a void round "
                                         "again."))
@id_argument
@click.option("--rerun", is_flag=True, help=_("Hold the current (void) round again."))
@pass_state
def open_round(state: State, nid: int, rerun: bool) -> None:
    from civic.plugins.nomination import actions, store

    office = state.office_for("nomination.open_round")
    nom = store.get(office.db, nid)
    rnd = actions.open_round(office, nom, rerun=rerun)
    click.echo(_("Round {round} of nomination {id} is open ({key}); load its roll.").format(
        round=rnd.round_no, id=nid, key=rnd.key))
