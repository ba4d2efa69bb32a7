"""`civic placement ...`: new, list, show, scheme, officers import, posts import, preferences
import, override, room, pick, run, certify, notice. Reads take `--json`; changes log an
operator in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from civic.actions import performs
from civic.cli.context import (
    DATE,
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
from civic.i18n import _


def _file(f):
    return click.argument("file", type=click.Path(dir_okay=False))(f)


@click.group("placement", help=_("Military-transfer placement (军转干部安置): score, rank, "
                                 "choose posts in rank order."))
def placement() -> None:
    pass


@performs("placement.create")
@placement.command("new", help=_("Create a placement batch."))
@click.argument("title")
@click.option("--cutoff", type=DATE, required=True,
              help=_("Cut-off date for service years and eligibility."))
@click.option("--mode", type=click.Choice(["sealed", "live"]), default="sealed",
              show_default=True, help=_("sealed: preference lists; live: choosing room."))
@click.option("--seed", type=int, help=_("Seed of the random order that settles ties (a fallback, not a public draw; else at the run)."))
@json_option
@pass_state
def new(state: State, title: str, cutoff: dt.date, mode: str, seed: int | None,
        as_json: bool) -> None:
    from civic.plugins.placement.actions import new_batch

    office = state.office_for("placement.create")
    batch_id = new_batch(office, title, cutoff, mode, seed)
    emit({"batch": batch_id}, as_json, _("Created placement batch {id}.").format(id=batch_id))


@performs("placement.read")
@placement.command("list", help=_("List placement batches."))
@json_option
@pass_state
def list_cmd(state: State, as_json: bool) -> None:
    from civic.plugins.placement.store import list_batches
    from civic.plugins.placement.views import word

    rows = list_batches(state.db())
    emit(rows, as_json, lambda rs: table([{**r, "mode": word(r["mode"]),
                                           "status": word(r["status"])} for r in rs], [
        ("id", "#"), ("title", _("Title")), ("mode", _("Mode")), ("status", _("Status")),
        ("officers", _("Officers")), ("posts", _("Posts")), ("seats", _("Seats")),
        ("placed", _("Placed"))]))


@performs("placement.read")
@placement.command("show", help=_("Show a batch; with --officer, why that officer got "
                                  "what they got."))
@click.argument("batch_id", type=int)
@click.option("--officer", help=_("An officer's code: score, rank, and each listed post "
                                  "they did not get, with why."))
@out_option(_("the result, a row per officer in rank order"))
@json_option
@pass_state
def show(state: State, batch_id: int, officer: str | None, out: str | None,
         as_json: bool) -> None:
    from civic.plugins.placement import views

    office = state.office()
    if officer:
        data = views.officer_view(office, batch_id, officer)
        emit(data, as_json, views.officer_text)
    else:
        data = views.batch_view(office, batch_id)
        if out:
            write_out(out, *views.results_rows(data["results"]))
        emit(data, as_json, views.batch_text)


@performs("placement.scheme", "placement.read")
@placement.command("scheme", help=_("Set a batch's scoring scheme from a TOML file "
                                    "(docs/scoring.md), or show it."))
@click.argument("batch_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False), required=False)
@json_option
@pass_state
def scheme(state: State, batch_id: int, file: str | None, as_json: bool) -> None:
    from civic.plugins.placement import store
    from civic.plugins.placement.actions import set_scheme

    if file is None:
        batch = store.get_batch(state.db(), batch_id)
        data = {"batch": batch_id, "name": batch["scheme_name"],
                "sha256": batch["scheme_sha256"], "text": batch["scheme_text"]}
        emit(data, as_json, lambda d: d["text"] or _("Batch {id} has no scheme yet.")
             .format(id=batch_id))
        return
    office = state.office_for("placement.scheme")
    data = set_scheme(office, batch_id, file)
    emit(data, as_json, _("Scheme {name} set for batch {id} ({n} components).").format(
        name=data["name"], id=batch_id, n=len(data["components"])))


def _import(state: State, act: Any, batch_id: int, file: str, dry_run: bool, as_json: bool,
            text: Any) -> None:
    """One of the batch's files imported, or previewed with --dry-run (civic.preview)."""
    run_import(state.office_for("placement.import"), lambda o: act(o, batch_id, file),
               file=file, dry_run=dry_run, as_json=as_json, text=text)


@placement.group("officers", help=_("The batch's officers."))
def officers() -> None:
    pass


@performs("placement.import")
@officers.command("import", help=_("Import officers (CSV or XLSX): code, name, birth_date "
                                   "and the scheme's columns; see docs/formats.md."))
@click.argument("batch_id", type=int)
@_file
@dry_run_option
@json_option
@pass_state
def officers_import(state: State, batch_id: int, file: str, dry_run: bool,
                    as_json: bool) -> None:
    from civic.plugins.placement.actions import import_officers

    _import(state, import_officers, batch_id, file, dry_run, as_json, lambda r: _(
        "{n} officers imported into batch {id} ({added} new in the people registry)."
    ).format(n=r["officers"], id=batch_id, added=len(r["people_added"])))


@placement.group("posts", help=_("The batch's posts."))
def posts() -> None:
    pass


@performs("placement.import")
@posts.command("import", help=_("Import posts (CSV or XLSX): position, capacity, "
                                "eligibility; see docs/formats.md."))
@click.argument("batch_id", type=int)
@_file
@dry_run_option
@json_option
@pass_state
def posts_import(state: State, batch_id: int, file: str, dry_run: bool,
                 as_json: bool) -> None:
    from civic.plugins.placement.actions import import_posts

    _import(state, import_posts, batch_id, file, dry_run, as_json, lambda r: _(
        "{n} posts with {seats} seats imported into batch {id}."
    ).format(n=r["posts"], seats=r["seats"], id=batch_id))


@placement.group("preferences", help=_("The officers' ranked lists of posts."))
def preferences() -> None:
    pass


@performs("placement.import")
@preferences.command("import", help=_("Import preference lists (CSV or XLSX): officer, "
                                      "choice, position; see docs/formats.md."))
@click.argument("batch_id", type=int)
@_file
@dry_run_option
@json_option
@pass_state
def preferences_import(state: State, batch_id: int, file: str, dry_run: bool,
                       as_json: bool) -> None:
    from civic.plugins.placement.actions import import_preferences

    _import(state, import_preferences, batch_id, file, dry_run, as_json, lambda r: _(
        "Lists of {n} officers ({choices} choices) imported into batch {id}."
    ).format(n=r["officers"], choices=r["choices"], id=batch_id))


@performs("placement.override")
@placement.command("override", help=_("Pre-assign an officer to a post before the run "
                                      "(logged with a reason); --clear withdraws it."))
@click.argument("batch_id", type=int)
@click.argument("officer")
@click.argument("position", required=False)
@click.option("--reason", required=True, help=_("Why (e.g. a couple transferring "
                                                "together)."))
@click.option("--basis", help=_("The policy that allows the pre-assignment (照顾安置): its "
                                 "document and article."))
@click.option("--clear", is_flag=True, help=_("Withdraw the officer's pre-assignment."))
@json_option
@pass_state
def override(state: State, batch_id: int, officer: str, position: str | None, reason: str,
             basis: str | None, clear: bool, as_json: bool) -> None:
    from civic.errors import CivicError
    from civic.plugins.placement.actions import set_override

    if clear == (position is not None):
        raise CivicError(_("Give a POSITION, or --clear, not both."))
    data = set_override(state.office_for("placement.override"), batch_id, officer,
                        position, reason, basis)
    emit(data, as_json, (_("{officer} pre-assigned to {position}.") if position else
                         _("Pre-assignment of {officer} withdrawn.")).format(
        officer=officer, position=position))


@performs("placement.draw", "placement.read")
@placement.command("draw", help=_(
    "The public draw held on site (公开抽签) for the ties the scheme leaves: without numbers, "
    "list the tied officers and the numbers drawn; with OFFICER=NUMBER for each, record the "
    "numbers drawn, co-signed by the supervisor. Without a public draw the seeded random "
    "order settles ties (the fallback)."))
@click.argument("batch_id", type=int)
@click.argument("numbers", nargs=-1, metavar="[OFFICER=NUMBER]...")
@supervisor_option
@json_option
@pass_state
def draw(state: State, batch_id: int, numbers: tuple[str, ...], supervisor: str | None,
         as_json: bool) -> None:
    from civic.errors import CivicError
    from civic.plugins.placement.actions import draw_groups_of, record_draw

    def text(d: dict[str, Any]) -> str:
        if not d["groups"]:
            return _("No tie is left for a draw to settle.")
        lines = []
        for n, group in enumerate(d["groups"], 1):
            lines.append(_("Tie {n}:").format(n=n) + "  " + "  ".join(
                f"{m['officer']} {m['name'] or ''}"
                + (f" = {m['number']}" if m["number"] is not None else "") for m in group))
        lines.append(_("The public draw is complete.") if d["complete"] else
                     _("Enter the numbers drawn: civic placement draw {id} OFFICER=NUMBER ..."
                       " (co-signed).").format(id=batch_id))
        return "\n".join(lines)

    if not numbers:
        emit(draw_groups_of(state.office(), batch_id), as_json, text)
        return
    drawn: dict[str, int] = {}
    for item in numbers:
        code, sep, n = item.partition("=")
        if not sep or not n.strip().isdigit():
            raise CivicError(_("Write each draw number as OFFICER=NUMBER, not {item}.").format(
                item=item))
        drawn[code.strip()] = int(n)
    action = "placement.draw"
    office = state.office_for(action)
    signer = state.cosigner(office, supervisor, action)
    emit(record_draw(office, batch_id, drawn, signer), as_json, text)


@performs("placement.room", "placement.read")
@placement.command("room", help=_(
    "Open a live batch's choosing room if it is not open yet (this fixes the order of "
    "choosing), and show it: who is choosing now, the posts still open with their seats "
    "left, the ranking and the picks so far. On an open or closed room any reader may "
    "look."))
@click.argument("batch_id", type=int)
@click.option("--seed", type=int, help=_("Seed of the random order that settles ties (not a public draw), if the batch has none yet."))
@json_option
@pass_state
def room(state: State, batch_id: int, seed: int | None, as_json: bool) -> None:
    from civic.errors import CivicError
    from civic.plugins.placement import views
    from civic.plugins.placement.actions import open_room
    from civic.plugins.placement.store import get_batch

    office = state.office()
    batch = get_batch(office.db, batch_id)
    opened = batch["status"] == "setup"
    if opened:
        # Logged in before anything else is checked, as every change is: a viewer is told
        # they may not, whatever the batch.
        office = state.office_for("placement.room")
        open_room(office, batch_id, seed)
    elif seed is not None and seed != batch["seed"]:
        raise CivicError(_("Batch {id} was given seed {seed}; it cannot change.").format(
            id=batch_id, seed=batch["seed"]))
    data = views.room_view(office, batch_id)

    def text(d: dict[str, Any]) -> str:
        head = _("The room of batch {id} is open: the order of choosing is fixed (seed "
                 "{seed}).").format(id=batch_id, seed=d["seed"]) + "\n\n" if opened else ""
        return head + views.room_text(d)

    emit(data, as_json, text)


@performs("placement.pick")
@placement.command("pick", help=_(
    "Record a turn in a live batch's room for the officer choosing now: POST takes that "
    "post, --pass records that none of the open posts is acceptable (the officer stays "
    "unplaced), --undo --reason TEXT takes back the last pick."))
@click.argument("batch_id", type=int)
@click.argument("position", metavar="[POST]", required=False)
@click.option("--pass", "pass_", is_flag=True, help=_(
    "The officer takes none of the open posts; the city's transfer office re-assigns him."))
@click.option("--undo", is_flag=True, help=_("Take back the last pick (a slip); needs "
                                             "--reason."))
@click.option("--reason", help=_("Why the pick is taken back (logged)."))
@click.option("--officer", help=_("Refuse unless it is this officer's turn (for --undo: "
                                  "unless the last pick was theirs)."))
@json_option
@pass_state
def pick(state: State, batch_id: int, position: str | None, pass_: bool, undo: bool,
         reason: str | None, officer: str | None, as_json: bool) -> None:
    from civic.errors import CivicError
    from civic.plugins.placement import actions, views

    # Who is asking comes first, as for every change; then what they ask.
    office = state.office_for("placement.pick")
    if (position is not None) + pass_ + undo != 1:
        raise CivicError(_("Give a POST, or --pass, or --undo: one of them."))
    if reason is not None and not undo:
        raise CivicError(_("--reason goes with --undo."))
    before = views.room_view(office, batch_id)
    if undo:
        actions.undo(office, batch_id, reason or "", officer)
        last = before["picks"][-1]
        action, who, post = "undo", last["officer"], last["position"]
        taken = next(r for r in before["ranking"] if r["officer"] == who)
        said = _("The pick of {who}, {post}, is taken back: it is their turn again.").format(
            who=views.who_text(taken),
            post=views.post_text(post, last["position_title"]) or _("passed"))
    else:
        now = before["now"]
        who = now["officer"] if now else None
        if pass_:
            actions.pass_turn(office, batch_id, officer)
            action, post = "pass", None
            said = _("{who} passes; the city's transfer office re-assigns him.").format(
                who=views.who_text(now))
        else:
            actions.choose(office, batch_id, position or "", officer)
            action, post = "choose", position
            title = next(p["title"] for p in before["open"] if p["position"] == post)
            said = _("{who} takes {post}.").format(who=views.who_text(now),
                                                  post=views.post_text(post, title))
    after = views.room_view(office, batch_id)
    emit({"action": action, "officer": who, "position": post, "room": after}, as_json,
         lambda d: said + "\n\n" + views.room_text(after))


@performs("placement.run", "placement.read")
@placement.command("run", help=_("Rank the officers and resolve the batch; on a batch "
                                 "that has run, re-run it and check the stored result."))
@click.argument("batch_id", type=int)
@click.option("--seed", type=int, help=_("Seed of the random order that settles ties (not a public draw), if the batch has none yet."))
@json_option
@pass_state
def run(state: State, batch_id: int, seed: int | None, as_json: bool) -> None:
    from civic.cli.progress import Working
    from civic.plugins.placement import views
    from civic.plugins.placement.actions import run_batch
    from civic.plugins.placement.store import get_batch

    batch = get_batch(state.db(), batch_id)
    decided = batch["status"] in ("ran", "certified")
    office = state.office() if decided else state.office_for("placement.run")
    with Working(_("Running batch {id}").format(id=batch_id), as_json):
        result = run_batch(office, batch_id, seed)
    if as_json:  # what `emit` prints, written a block of officers at a time
        for chunk in views.json_chunks(result.data):
            click.echo(chunk, nl=False)
        click.echo()
    else:
        emit(result.data, as_json, lambda d: views.run_text(office, result))


@performs("placement.certify")
@placement.command("certify", help=_("Certify the result with a supervisor's co-signature; "
                                     "the appointments follow the notice (`appoint`) unless "
                                     "the rule placement.notice_first is 0."))
@click.argument("batch_id", type=int)
@supervisor_option
@click.option("--effective", type=DATE, help=_("Date the appointments take effect "
                                               "(default today)."))
@json_option
@pass_state
def certify(state: State, batch_id: int, supervisor: str | None,
            effective: dt.date | None, as_json: bool) -> None:
    from civic.plugins.placement.actions import certify as do_certify

    action = "placement.certify"
    office = state.office_for(action)
    signer = state.cosigner(office, supervisor, action)
    data = do_certify(office, batch_id, signer, effective)
    if data["notice_first"]:
        said = _("Batch {id} certified, co-signed by {name}. Post its notice; the appointments "
                 "are recorded once the notice is confirmed (`civic placement appoint {id}`)."
                 ).format(id=batch_id, name=data["cosigner"])
    else:
        said = _("Batch {id} certified, co-signed by {name}: {n} appointments recorded."
                 ).format(id=batch_id, name=data["cosigner"], n=data["appointments"])
    emit(data, as_json, said)


@performs("placement.appoint")
@placement.command("appoint", help=_("Record a certified batch's appointments once its notice "
                                     "is confirmed (notice first: 任前公示)."))
@click.argument("batch_id", type=int)
@json_option
@pass_state
def appoint(state: State, batch_id: int, as_json: bool) -> None:
    from civic.plugins.placement.actions import appoint_after_notice

    data = appoint_after_notice(state.office_for("placement.appoint"), batch_id)
    emit(data, as_json, _("Batch {id}: {n} appointments recorded, effective {effective}.")
         .format(id=batch_id, n=data["appointments"], effective=data["effective"]))


@performs("placement.draft_notice", "placement.read")
@placement.command("notice", help=_("Draft the batch's public notice (once) and print it; "
                                    "publish it with `civic notice publish`."))
@click.argument("batch_id", type=int)
@click.option("--lang", "lang", type=click.Choice(["zh_CN", "en"]), default="zh_CN",
              show_default=True)
@click.option("--format", "fmt", type=click.Choice(["md", "txt", "html"]), default="md",
              show_default=True)
@json_option
@pass_state
def notice(state: State, batch_id: int, lang: str, fmt: str, as_json: bool) -> None:
    from civic import notices
    from civic.plugins.placement import notice as placement_notice

    office = state.office()
    found = placement_notice.existing(office, batch_id)
    if found is None:
        office = state.office_for("placement.draft_notice")
        found = placement_notice.draft(office, batch_id, fmt)
    text = notices.render(office, found, lang=lang, fmt=fmt)
    emit({"notice": found.id, "status": found.status, "text": text}, as_json, text)


def register(cli: click.Group) -> None:
    cli.add_command(placement)
