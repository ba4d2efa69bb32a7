"""What the election plugin shows elsewhere: open workflows (rounds awaiting their count or
certification, terms and targets ending soon) and the section of a person's record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from civic.i18n import _

# Terms and targets ending within this many days are shown on the dashboard and in status.
SOON_DAYS = 90


def open_workflows(db: Any, today: dt.date | None = None) -> list:
    from civic.workflows import Workflow

    out = []
    for row in db.execute(
            "SELECT id, title, held_on FROM election_elections WHERE status = 'open'"
            " AND batch IS NULL ORDER BY id"):
        out.append(Workflow("election", str(row[0]), row[1], _("awaiting count and"
                                                              " certification"),
                            mode="election", due=dt.date.fromisoformat(row[2])))
    for term, name, office_title, ends in db.execute(
            "SELECT t.id, p.name, t.office_title, t.ends FROM election_terms t JOIN people p"
            " ON p.code = t.person WHERE t.status = 'serving' ORDER BY t.ends, t.id"):
        day = dt.date.fromisoformat(ends)
        if today is None or day <= today + dt.timedelta(days=SOON_DAYS):
            out.append(Workflow("election", f"term-{term}", f"{name} {office_title}",
                                _("term ends"), mode="election", due=day))
    # A target names whose it is (the same target text recurs across organisations).
    for target, text, due, name, office_title in db.execute(
            "SELECT g.id, g.text, g.due, p.name, t.office_title FROM election_targets g"
            " JOIN election_terms t ON t.id = g.term JOIN people p ON p.code = t.person"
            " WHERE g.status = 'open' ORDER BY g.due, g.id"):
        day = dt.date.fromisoformat(due)
        if today is None or day <= today + dt.timedelta(days=SOON_DAYS):
            out.append(Workflow("election", f"target-{target}",
                                f"{text}（{name} {office_title}）", _("term target due"),
                                mode="election", due=day))
    for recall, status in db.execute(
            "SELECT id, status FROM election_recalls WHERE status IN ('filed', 'voting')"):
        out.append(Workflow("election", f"recall-{recall}", _("Recall {id}").format(id=recall),
                            _("recall petition open") if status == "filed"
                            else _("recall vote to count"), mode="election"))
    return out


def person_section(db: Any, person: dict) -> list:
    from civic.plugins.election.rules import TERM_STATUS
    from civic.registry import Section

    rows = [(office_title, _("{starts} to {ends} ({status})").format(
                starts=starts, ends=ends, status=_(TERM_STATUS[status])))
            for office_title, starts, ends, status in db.execute(
                "SELECT office_title, starts, ends, status FROM election_terms"
                " WHERE person = ? ORDER BY starts", [person["code"]])]
    return [Section(_("Elected office"), rows)] if rows else []
