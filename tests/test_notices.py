"""Public notices (公示): the period in working days, co-signature, objections, confirmation.

Rule: 党政领导干部选拔任用工作条例 (2014) art. 41 -- at least 5 working days, counted from the
day after publication; objections are handled before the result is confirmed.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from civic import audit, hookimpl, notices
from civic.db import table_checksums
from civic.errors import CivicError, PermissionDenied
from civic.office import Office, Operator
from civic.pm import make_plugin_manager
from civic.workdays import WorkCalendar
from tests.plugin_example import plugin as example

SUP = Operator("sup", "supervisor")
SUBJECT = "nomination:3:1"
TZ = dt.timezone(dt.timedelta(hours=8))


def on(office: Office, day: str, pm=None) -> Office:
    """The same office and operator on another day."""
    when = dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=TZ)
    return Office(office.db, pm or office.pm, actor=office.actor, clock=lambda: when)


def make_draft(office: Office, **kw) -> notices.Notice:
    args = {
        "kind": "nomination.round1", "subject": SUBJECT,
        "title": {"zh_CN": "第一轮推荐结果公示", "en": "Open-round results"},
        "context": {
            "intro": {"zh_CN": "现将推荐结果公示如下。", "en": "The results are posted below."},
            "table": {"columns": [{"zh_CN": "姓名", "en": "Name"}, {"zh_CN": "票数", "en": "Votes"}],
                      "rows": [["张<三>", 120], ["李四", 98]]},
        },
    }
    return notices.draft(office, **{**args, **kw})


@pytest.fixture
def published(office):
    """A round-1 notice posted on Friday 26 September 2008, recorded on 9 October."""
    n = make_draft(office)
    notices.publish(on(office, "2008-10-09"), n.id, cosigner=SUP, on=dt.date(2008, 9, 26))
    return notices.get(office.db, n.id)


def test_a_draft_keeps_one_body_per_language(office):
    n = make_draft(office)
    assert n.status == "draft" and n.langs == ("zh_CN", "en") and n.period_days == 5
    zh = notices.stored_body(office.db, n.id, "zh_CN")
    en = notices.stored_body(office.db, n.id, "en")
    assert "草稿" in zh and "| 张<三> | 120 |" in zh and "| 姓名 | 票数 |" in zh
    assert "DRAFT" in en and "| Name | Votes |" in en
    entry = audit.entries(office.db, type_prefix="core.notice_drafted")[0]
    assert entry.data()["bodies"]["en"] == notices.text_sha256(en)


def test_publishing_needs_a_supervisor_and_writes_nothing_without_one(office):
    n = make_draft(office)
    before = table_checksums(office.db)
    for cosigner in (None, Operator("admin", "admin"), Operator("op", "supervisor")):
        with pytest.raises(PermissionDenied):
            notices.publish(office, n.id, cosigner=cosigner)
    with pytest.raises(PermissionDenied):
        notices.publish(office.as_actor(SUP), n.id, cosigner=SUP)
    assert table_checksums(office.db) == before


def test_period_of_five_working_days_skips_national_day_2008(published, office):
    # Off 29 Sep - 5 Oct; Saturday 27 and Sunday 28 September were make-up working days.
    assert published.ends_on == "2008-10-08" and published.period_days == 5
    entry = audit.entries(office.db, type_prefix="core.notice_published")[0]
    assert (entry.actor, entry.cosigner) == ("op", "sup")
    assert entry.data()["ends_on"] == "2008-10-08"


def test_the_chain_head_at_publication_is_on_the_archive_copy_not_the_posted_one(published,
                                                                                 office):
    # Issue 17: the posted copy speaks to the public; the chain head, the digest of the posted
    # text and the commands to check them go on the archive copy (存档页) the commission keeps.
    entry = audit.entries(office.db, type_prefix="core.notice_published")[0]
    assert published.chain_head == entry.prev_hash
    assert published.chain_entry == entry.id - 1
    posted = notices.stored_body(office.db, published.id, "zh_CN")
    for lang, fmt in (("zh_CN", "md"), ("en", "txt"), ("en", "html")):
        text = notices.render(office, published.id, lang=lang, fmt=fmt)
        assert published.chain_head not in text and "civic" not in text
        archive = notices.render(office, published.id, lang=lang, fmt=fmt, archive=True)
        assert published.chain_head in archive and "civic audit verify" in archive
    assert notices.text_sha256(posted) in notices.render(office, published.id, archive=True)
    assert entry.data()["bodies"]["zh_CN"] == notices.text_sha256(posted)
    # Published on Friday 26 September 2008; the period counts from the next working day
    # (Saturday 27th was a working day that year, 国务院办公厅 2007 holiday notice).
    assert "2008年9月27日至2008年10月8日（5个工作日）" in posted and "草稿" not in posted


def test_a_published_notice_is_frozen(published, office):
    with pytest.raises(sqlite3.IntegrityError):
        office.db.execute("UPDATE notice_bodies SET body = 'x' WHERE notice = ?",
                          (published.id,))
    with pytest.raises(sqlite3.IntegrityError):
        office.db.execute("INSERT OR REPLACE INTO notice_bodies VALUES (?, 'en', 't', 'b', 's')",
                          (published.id,))
    with pytest.raises(sqlite3.IntegrityError):
        office.db.execute("UPDATE notices SET ends_on = '2008-09-27' WHERE id = ?",
                          (published.id,))
    with pytest.raises(CivicError, match="published already"):
        notices.publish(on(office, "2008-10-09"), published.id, cosigner=SUP)


def test_office_details_are_kept_as_they_were_at_publication(published, office):
    notices.set_setting(office, "office.phone", "0871-99999")
    assert "0871-12380" in notices.render(office, published.id, fmt="html")
    fresh = make_draft(office, subject="nomination:3:2")
    assert "0871-99999" in notices.render(office, fresh.id)
    assert audit.entries(office.db, type_prefix="core.setting_changed")[0].data() == {
        "key": "office.phone", "value": "0871-99999", "old": None}


def test_html_escapes_what_the_context_gives(published, office):
    html = notices.render(office, published.id, lang="en", fmt="html")
    assert "<td>张&lt;三&gt;</td>" in html and "<th>Name</th>" in html


def test_the_period_comes_from_the_plugin_or_the_setting_never_below_it(office, tmp_path):
    pm = make_plugin_manager(only=[], extra=[example])
    plugged = Office(office.db, pm, actor=office.actor, clock=office.clock)
    award = notices.draft(plugged, kind="commendations.award", subject="award:1", title="表彰公示")
    assert award.period_days == 7
    n = make_draft(office)
    with pytest.raises(CivicError, match="at least 5 working days"):
        notices.publish(on(office, "2008-10-09"), n.id, cosigner=SUP, days=3)
    done = notices.publish(on(office, "2008-10-09"), n.id, cosigner=SUP,
                           on=dt.date(2008, 9, 26), days=7)
    assert done.ends_on == "2008-10-10"


def test_a_year_without_calendar_data_refuses_and_writes_nothing(office):
    n = make_draft(office)
    later = on(office, "2099-03-02")
    before = table_checksums(office.db)
    with pytest.raises(CivicError, match="No holiday data for 2099"):
        notices.publish(later, n.id, cosigner=SUP)
    assert table_checksums(office.db) == before
    # With the office's own holiday file for that year it goes ahead.
    cal = WorkCalendar({dt.date(2099, 3, 3): False})
    done = notices.publish(later, n.id, cosigner=SUP, calendar=cal)
    assert done.ends_on == "2099-03-10"


def test_publication_date_cannot_be_in_the_future(office):
    n = make_draft(office)
    with pytest.raises(CivicError, match="after today"):
        notices.publish(office, n.id, cosigner=SUP, on=dt.date(2008, 7, 2))


def test_days_left_counts_working_days_still_to_run(published):
    left = {d: notices.days_left(published, dt.date.fromisoformat(d))
            for d in ("2008-09-26", "2008-09-27", "2008-09-30", "2008-10-08", "2008-10-09")}
    assert left == {"2008-09-26": 5, "2008-09-27": 5, "2008-09-30": 3, "2008-10-08": 1,
                    "2008-10-09": 0}


def test_blockers_explain_why_a_subject_cannot_go_ahead(office):
    today = dt.date(2008, 9, 30)
    assert notices.blockers(office.db, SUBJECT, today) == [
        f"No notice for {SUBJECT} has been published."]
    n = make_draft(office)
    assert notices.blockers(office.db, SUBJECT, today) == [
        f"Notice {n.id} is a draft, not yet published."]
    during = on(office, "2008-09-30")
    notices.publish(during, n.id, cosigner=SUP, on=dt.date(2008, 9, 26))
    assert notices.blockers(office.db, SUBJECT, today) == [
        f"Notice {n.id}: the notice period runs until 2008-10-08 (3 working days left)."]
    oid = notices.record_objection(during, n.id, channel="letter", content="反映张三问题")
    assert notices.blockers(office.db, SUBJECT, dt.date(2008, 10, 9)) == [
        f"Notice {n.id}: 1 objection is not resolved."]
    with pytest.raises(CivicError, match="runs until"):
        notices.confirm(during, n.id, cosigner=SUP)
    after = on(office, "2008-10-09")
    with pytest.raises(CivicError, match="not resolved"):
        notices.confirm(after, n.id, cosigner=SUP)
    notices.resolve_objection(after, oid, handling="经核查不属实", resolved_by="干部监督科")
    assert notices.blockers(office.db, SUBJECT, dt.date(2008, 10, 9)) == []
    with pytest.raises(PermissionDenied):
        notices.confirm(after, n.id, cosigner=None)
    done = notices.confirm(after, n.id, cosigner=SUP)
    assert done.status == "confirmed" and done.confirmed_on == "2008-10-09"
    entry = audit.entries(office.db, type_prefix="core.notice_confirmed")[0]
    assert entry.cosigner == "sup" and entry.data()["objections"] == 1
    assert notices.objections(office.db, n.id)[0]["resolved_by"] == "干部监督科"


def test_objections_are_checked(published, office):
    draft = make_draft(office, subject="other")
    today = on(office, "2008-10-20")
    with pytest.raises(CivicError, match="objections are recorded on published"):
        notices.record_objection(today, draft.id, channel="phone", content="x")
    with pytest.raises(CivicError, match="Unknown channel"):
        notices.record_objection(today, published.id, channel="pigeon", content="x")
    with pytest.raises(CivicError, match="received between"):
        notices.record_objection(today, published.id, channel="phone", content="x",
                                 received_on=dt.date(2008, 9, 25))
    late = notices.record_objection(today, published.id, channel="visit", content="迟到的反映",
                                    received_on=dt.date(2008, 10, 10))
    [row] = notices.objections(office.db, published.id)
    assert row["id"] == late and row["late"] and row["status"] == "open"
    notices.resolve_objection(today, late, handling="已核实")
    with pytest.raises(CivicError, match="resolved already"):
        notices.resolve_objection(today, late, handling="again")


def test_open_notices_for_the_dashboard(published, office):
    running = make_draft(office, subject="nomination:4:1")
    notices.publish(on(office, "2008-10-09"), running.id, cosigner=SUP)
    notices.record_objection(on(office, "2008-10-09"), running.id, channel="email",
                             content="x")
    rows = notices.open_notices(office.db, dt.date(2008, 10, 9))
    assert [(r["id"], r["in_period"], r["days_left"], r["objections_open"]) for r in rows] == [
        (running.id, True, 5, 1), (published.id, False, 0, 0)]


def test_supervisors_and_viewers_do_not_draft(office):
    for who in (SUP, Operator("view", "viewer")):
        with pytest.raises(PermissionDenied):
            make_draft(office.as_actor(who))


def test_a_context_may_not_shadow_what_core_provides(office):
    with pytest.raises(CivicError, match="office"):
        make_draft(office, context={"office": "x"})


def test_a_general_notice_in_one_language(office):
    n = notices.draft(office, kind="general", subject="appointment:7", title="任前公示",
                      body="拟任命张三同志为市财政局局长。\n\n特此公示。", langs=("zh_CN",))
    assert n.langs == ("zh_CN",)
    assert "拟任命张三同志" in notices.render(office, n.id, fmt="txt")
    with pytest.raises(CivicError, match="no en text"):
        notices.render(office, n.id, lang="en")


def test_a_published_notice_prints_the_last_signed_checkpoint(office):
    """Issue 6: checkpoints are printed on notices, so a rewrite cannot hide behind them."""
    from civic.events import CheckpointSigned
    from civic.notices import draft, publish, render
    from civic.office import Operator

    office.record(CheckpointSigned(entry=4, head="ab" * 32, key_id="cd" * 32, signature="sig"))
    notice = draft(office, kind="general", subject="general:1", title="公示", body="正文")
    publish(office, notice.id, cosigner=Operator("sup", "supervisor"))
    text = render(office, notice.id, lang="zh_CN", fmt="txt", archive=True)
    assert "第4条记录" in text and "ab" * 32 in text and "cdcdcdcdcdcdcdcd" in text


class _Kinds:
    """Notice kinds registered with a default period and no `notice_period` answer."""

    @hookimpl
    def register_notice_kinds(self, register):
        from civic.templating import NoticeKind

        register(NoticeKind("drill.long", "Long", period_days=9))
        register(NoticeKind("drill.short", "Short", period_days=3))


@pytest.mark.parametrize(("kind", "days"), [
    ("drill.long", 9),    # the kind's own default
    ("drill.short", 5),   # below the floor: 选拔任用条例 art. 41's five working days win
    ("drill.other", 5),   # not registered: the office's setting
])
def test_a_registered_kind_brings_its_period_never_below_the_floor(office, kind, days):
    plugged = Office(office.db, make_plugin_manager(only=[], extra=[_Kinds()]),
                     actor=office.actor, clock=office.clock)
    drafted = notices.draft(plugged, kind=kind, subject=f"{kind}:1", title="公示")
    assert (drafted.period_days, drafted.template) == (days, "notice")
