"""The notices mode: list public notices (公示), preview the text, publish with a supervisor's
co-signature, record objections and their handling, confirm once the period is over."""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Static

from civic import notices
from civic.errors import CivicError
from civic.i18n import N_, _, current_language
from civic.office import Operator
from civic.subjects import describer
from civic.tui.dialogs.cosign import CosignDialog
from civic.tui.dialogs.form import Field, FormDialog, iso_date
from civic.tui.screens.base import CivicScreen
from civic.tui.text import cell
from civic.tui.widgets.wide_table import WideTable
from civic.vocabulary import label

NOTICE_STATUS = {"draft": N_("draft"), "published": N_("published"),
                 "confirmed": N_("confirmed")}
OBJECTION_STATUS = {"open": N_("open"), "resolved": N_("resolved")}
# The preview's language by name, not by its code (zh_CN): each in its own words.
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}


PAGE = 72  # the plain-text notice's page width (templates/format/txt.j2)


def _wrap(line: str, width: int) -> list[str]:
    """`line` in pieces of at most `width` cells: at a space when there is one in the second
    half (English), else between characters (Chinese has no spaces to break at)."""
    pieces = []
    while cell_len(line) > width:
        fits = cells = 0
        for ch in line:
            if cells + cell_len(ch) > width:
                break
            cells += cell_len(ch)
            fits += 1
        cut = fits if line[fits:fits + 1] == " " else line.rfind(" ", 0, fits)
        if cut < fits // 2:
            cut = fits
            # Not inside a number or a Latin word ("47名" stays whole).
            while cut > fits // 2 and line[cut - 1].isascii() and line[cut - 1].isalnum() \
                    and line[cut:cut + 1].isascii() and line[cut:cut + 1].isalnum():
                cut -= 1
        pieces.append(line[:cut].rstrip(" "))
        line = line[cut:].lstrip(" ")
    pieces.append(line)
    return pieces


def fit_page(body: str, width: int) -> str:
    """The plain-text notice laid out again for a preview `width` cells wide.

    A table row (columns apart by two spaces or more) is left whole: the preview scrolls
    sideways to it rather than wrap it into a jumble. Other lines wrap at `width`; on a preview
    narrower than the page a centred line (title, draft mark) is centred in `width` and a
    right-aligned one (signature, date) set right, so none breaks where the terminal cuts."""
    if width <= 0:
        return body
    lines = []
    for line in body.split("\n"):
        text = line.lstrip(" ")
        lead = len(line) - len(text)
        if "  " in text.rstrip(" "):
            lines.append(line)
        elif lead >= 2 and width < PAGE and cell_len(text) <= width:
            if cell_len(line) >= PAGE:
                lines.append(" " * (width - cell_len(text)) + text)
            else:
                lines.append(" " * ((width - cell_len(text)) // 2) + text)
        else:
            lines.extend(_wrap(line, width))
    return "\n".join(lines)


class PageText(Static):
    """A notice's plain text, laid out again for the width its preview has: as wide as its
    longest line, so a table row scrolls sideways instead of wrapping."""

    body = ""

    def show(self, body: str) -> None:
        self.body = body
        self.relayout()

    def on_mount(self) -> None:
        self.call_after_refresh(self.relayout)

    def relayout(self) -> None:
        parent = self.parent
        width = parent.scrollable_content_region.width if isinstance(parent, Widget) else 0
        self.update(Text(fit_page(self.body, width), no_wrap=True))


def _clip(text: str, n: int) -> str:
    """Chinese text has no spaces to shorten at, so cut by characters."""
    return text if len(text) <= n else text[:n - 1] + "…"


class NoticesScreen(CivicScreen):
    shown_lang = ""  # the code of the language the preview shows (its border names it)
    SCREEN_TITLE = N_("Notices")
    HELP = N_("Public notices (公示): the list with each one's period and open objections, "
              "and the highlighted notice's text. p publishes a draft (a supervisor "
              "co-signs), o records an objection, s resolves the highlighted objection, "
              "c confirms a notice whose period is over, l switches the preview's language, "
              "a shows the archive copy (存档页) kept by the discipline commission.")
    PERFORMS = {"publish": "notice.publish", "object": "notice.object",
                "resolve": "notice.resolve", "confirm": "notice.confirm"}
    BINDINGS = [
        Binding("p", "publish", N_("Publish")),
        Binding("o", "object", N_("Objection")),
        Binding("s", "resolve", N_("Resolve")),
        Binding("c", "confirm", N_("Confirm")),
        Binding("l", "language", N_("Language")),
        Binding("a", "archive", N_("Archive copy")),
        Binding("w", "export_docx", N_("DOCX")),
    ]

    def action_export_docx(self) -> None:
        """The highlighted notice as an official DOCX document (civic.docx)."""
        from civic.docx import write_notice

        notice = self.current
        shown = self.shown_lang  # the language on screen
        if notice is not None:
            self.export_file(_("Export notice {id} as DOCX").format(id=notice.id),
                             f"notice-{notice.id}.docx",
                             lambda path: write_notice(self.civic.office, notice, path,
                                                       lang=str(shown) or None))

    def compose_body(self) -> ComposeResult:
        table = WideTable(id="notices-table", classes="panel", cursor_type="row")
        table.border_title = _("Notices")
        yield table
        with Horizontal(id="notices-body"):
            with VerticalScroll(id="notice-preview", classes="panel") as preview:
                preview.border_title = _("Text")
                yield PageText(id="notice-text")
            objections = WideTable(id="objections-table", classes="panel", cursor_type="row")
            objections.border_title = _("Objections")
            yield objections

    def on_mount(self) -> None:
        self.items: list[notices.Notice] = []
        self.objection_rows: list[dict] = []
        self.preview_lang: str | None = None
        self.archive = False  # the preview shows the archive copy (存档页), not the posted one
        self.query_one("#notices-table", DataTable).add_columns(
            _("No."), _("Status"), _("Kind"), _("Related matter"), _("Title"), _("Published"),
            _("Ends on"), _("Days left"), _("Open objections"))
        self.query_one("#objections-table", DataTable).add_columns(
            _("No."), _("Status"), _("Content"), _("Received"), _("Channel"), _("Handling"),
            _("By"))
        self.query_one("#notices-table", DataTable).focus()

    # -- showing ----------------------------------------------------------------------------

    @property
    def current(self) -> notices.Notice | None:
        table = self.query_one("#notices-table", DataTable)
        if not self.items or not 0 <= table.cursor_row < len(self.items):
            return None
        return self.items[table.cursor_row]

    def refresh_data(self) -> None:
        db = self.civic.db
        today = self.civic.office.today()
        table = self.query_one("#notices-table", DataTable)
        keep = table.cursor_row
        self.items = notices.list_notices(db)
        table.clear()
        word = describer(db, self.civic.pm)
        for n in self.items:
            pending = len(notices.objections(db, n.id, open_only=True))
            table.add_row(n.id, _(NOTICE_STATUS.get(n.status, n.status)), label(n.kind),
                          Text(word(n.subject)), Text(n.title),
                          n.published_on or "", n.ends_on or "",
                          cell(notices.days_left(n, today)), pending or "")
        table.border_subtitle = "" if self.items else _("no notices yet")
        if self.items:
            table.move_cursor(row=min(keep, len(self.items) - 1))
        self.show_current()

    def show_current(self) -> None:
        notice = self.current
        text = self.query_one("#notice-text", PageText)
        objections = self.query_one("#objections-table", DataTable)
        objections.clear()
        self.objection_rows = []
        if notice is None:
            text.show(_("No notice selected."))
            return
        lang = self.preview_lang if self.preview_lang in notice.langs else (
            current_language() if current_language() in notice.langs else notice.lang)
        try:
            body = notices.render(self.civic.office, notice, lang=lang, fmt="txt",
                                  archive=self.archive)
        except CivicError as error:
            body = str(error)
        text.show(body)
        preview = self.query_one("#notice-preview")
        self.shown_lang = lang
        preview.border_subtitle = LANGUAGE_NAMES.get(lang, lang)
        preview.border_title = _("Archive copy") if self.archive else _("Text")
        self.objection_rows = notices.objections(self.civic.db, notice.id)
        for o in self.objection_rows:
            channel = notices.CHANNELS.get(o["channel"])
            objections.add_row(o["id"], _(OBJECTION_STATUS.get(o["status"], o["status"])),
                               Text(o["content"]), o["received_on"],
                               _(channel) if channel else o["channel"],
                               Text(o["handling"] or ""), o["resolved_by"] or "")

    def on_resize(self) -> None:
        self.call_after_refresh(self.query_one("#notice-text", PageText).relayout)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "notices-table":
            self.show_current()

    def action_language(self) -> None:
        notice = self.current
        if notice is None or len(notice.langs) < 2:
            return
        shown = self.shown_lang
        i = notice.langs.index(shown) if shown in notice.langs else 0
        self.preview_lang = notice.langs[(i + 1) % len(notice.langs)]
        self.show_current()

    def action_archive(self) -> None:
        """Switch the preview between the posted text and the archive copy."""
        self.archive = not self.archive
        self.show_current()

    # -- changes ----------------------------------------------------------------------------

    def _changed(self, message: str) -> None:
        self.notify(message, markup=False)
        self.civic.data_changed()

    def action_publish(self) -> None:
        notice = self.current
        action = "notice.publish"
        if notice is None or not self.civic.require_change(action):
            return
        if notice.status != "draft":
            self.civic.show_error(_("Notice {id} is {status} already.").format(
                id=notice.id, status=_(NOTICE_STATUS.get(notice.status, notice.status))))
            return

        today = self.civic.office.today()

        def posted_on(values: dict[str, str]) -> dt.date:
            # The day it went up on the board: often earlier than the day it is recorded.
            day = dt.date.fromisoformat(values["posted_on"])
            if day > today:
                raise CivicError(_("A notice cannot be recorded as published on {date}, "
                                   "after today.").format(date=day.isoformat()))
            return day

        def cosign(day: dt.date) -> None:
            def signed(signer: Operator | None) -> None:
                if signer is None:
                    return
                try:
                    done = notices.publish(self.civic.office, notice.id, cosigner=signer,
                                           on=day)
                except CivicError as error:
                    self.civic.show_error(error)
                    return
                self._changed(_("Notice {id} published, co-signed by {name}; its period ends "
                                "on {end}.").format(id=done.id, name=signer.name,
                                                    end=done.ends_on))

            self.app.push_screen(CosignDialog(self.civic.title_of(action), explanation=_(
                "Publishing notice {id} «{title}» needs a supervisor's co-signature.").format(
                    id=notice.id, title=notice.title)), signed)

        self.app.push_screen(FormDialog(
            _("Publish notice {id}").format(id=notice.id),
            [Field("posted_on", _("Posted on"), today.isoformat(), check=iso_date)],
            submit=_("Next"), apply=posted_on), lambda day: None if day is None else cosign(day))

    def action_object(self) -> None:
        notice = self.current
        if notice is None or not self.civic.require_change("notice.object"):
            return
        today = self.civic.office.today().isoformat()

        def record(values: dict[str, str]) -> int:
            return notices.record_objection(
                self.civic.office, notice.id, channel=values["channel"],
                received_on=dt.date.fromisoformat(values["received_on"]),
                content=values["content"])

        self.push_form(_("Objection to notice {id}").format(id=notice.id), [
            Field("received_on", _("Received on"), today, check=iso_date),
            Field("channel", _("Channel"), "letter",
                  choices=[(_(label), code) for code, label in notices.CHANNELS.items()]),
            Field("content", _("What the objection says"), multiline=True),
        ], record, lambda number: self.notify(_("Objection {n} recorded on notice {id}.").format(
            n=number, id=notice.id), markup=False), submit=_("Record"))

    def action_resolve(self) -> None:
        table = self.query_one("#objections-table", DataTable)
        if not self.objection_rows:
            self.civic.show_error(_("This notice has no objections to resolve."))
            return
        row = self.objection_rows[min(table.cursor_row, len(self.objection_rows) - 1)]
        if row["status"] != "open":
            row = next((o for o in self.objection_rows if o["status"] == "open"), row)
        if row["status"] != "open":
            self.civic.show_error(_("Every objection to this notice is resolved."))
            return
        if not self.civic.require_change("notice.resolve"):
            return

        self.push_form(
            _("Resolve objection {n}: {content}").format(
                n=row["id"], content=_clip(row["content"], 60)),
            [Field("handling", _("How it was handled (findings and outcome)"),
                   multiline=True)],
            lambda values: notices.resolve_objection(self.civic.office, row["id"],
                                                     handling=values["handling"]),
            lambda _result: self.notify(_("Objection {n} resolved.").format(n=row["id"]),
                                        markup=False), submit=_("Resolve"))

    def action_confirm(self) -> None:
        notice = self.current
        action = "notice.confirm"
        if notice is None or not self.civic.require_change(action):
            return
        problems = notices.notice_blockers(self.civic.db, notice, self.civic.office.today())
        if problems:
            self.civic.show_error("\n".join(problems))
            return

        def signed(signer: Operator | None) -> None:
            if signer is None:
                return
            try:
                notices.confirm(self.civic.office, notice.id, cosigner=signer)
            except CivicError as error:
                self.civic.show_error(error)
                return
            self._changed(_("Notice {id} confirmed, co-signed by {name}.").format(
                id=notice.id, name=signer.name))

        self.app.push_screen(CosignDialog(self.civic.title_of(action)), signed)
