"""`civic notice ...` end to end, on a database made by `civic init` like an office's."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from civic.cli.main import build_cli

ADMIN_PW = "admin-pass"
SUP_PW = "sup-pass"


@pytest.fixture
def civic(tmp_path, pm):
    """Run civic on a fresh database with admin `admin` and supervisor `sup`."""
    base = {"CIVIC_DB": str(tmp_path / "office.db"), "CIVIC_USER": "admin",
            "CIVIC_PASSWORD": ADMIN_PW, "CIVIC_LANG": "en"}

    def run(*args: str, env: dict | None = None, ok: bool = True):
        result = CliRunner().invoke(build_cli(pm), list(args), env={**base, **(env or {})},
                                    catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    run("init", "--admin", "admin", "--supervisor", "sup",
        env={"CIVIC_SUPERVISOR_PASSWORD": SUP_PW})
    return run


@pytest.fixture
def body(tmp_path):
    path = tmp_path / "body.md"
    path.write_text("经研究，拟任命<b>张三</b>同志为市财政局局长。\n\n特此公示。\n", encoding="utf-8")
    return path


def draft(civic, body, *extra: str) -> int:
    out = civic("notice", "draft", "--subject", "appointment:1", "--title", "任前公示",
                "--body-file", str(body), "--json", *extra).output
    return json.loads(out)["id"]


def publish(civic, notice_id: int, *extra: str, **kw):
    return civic("notice", "publish", str(notice_id), "--supervisor", "sup", "--json", *extra,
                 env={"CIVIC_SUPERVISOR_PASSWORD": SUP_PW}, **kw)


def test_publish_is_refused_without_a_supervisor(civic, body):
    nid = draft(civic, body)
    refused = civic("notice", "publish", str(nid), ok=False)
    assert refused.exit_code == 1 and "co-signature" in refused.output
    wrong = civic("notice", "publish", str(nid), "--supervisor", "sup", ok=False,
                  env={"CIVIC_SUPERVISOR_PASSWORD": "nope"})
    assert wrong.exit_code == 1 and "Wrong operator name or password" in wrong.output
    shown = json.loads(civic("notice", "show", str(nid), "--json").output)
    assert shown["status"] == "draft" and shown["published_on"] is None


def test_published_on_paper_2008_09_26_ends_2008_10_08(civic, body):
    nid = draft(civic, body)
    out = json.loads(publish(civic, nid, "--on", "2008-09-26").output)
    assert (out["published_on"], out["period_days"], out["ends_on"]) == (
        "2008-09-26", 5, "2008-10-08")
    log = json.loads(civic("audit", "log", "--type", "core.notice_published", "--json").output)
    assert (log[0]["actor"], log[0]["cosigner"]) == ("admin", "sup")
    listed = json.loads(civic("notice", "list", "--json").output)
    assert [(n["id"], n["status"], n["days_left"]) for n in listed] == [(nid, "published", 0)]
    assert civic("audit", "verify").exit_code == 0


def test_objections_block_confirmation_until_resolved(civic, body):
    nid = draft(civic, body)
    publish(civic, nid, "--on", "2008-09-26")
    recorded = civic("notice", "object", str(nid), "--channel", "letter", "--on", "2008-09-30",
                     "--content", "反映张三有违规问题", "--json")
    oid = json.loads(recorded.output)["objection"]
    refused = civic("notice", "confirm", str(nid), "--supervisor", "sup", ok=False,
                    env={"CIVIC_SUPERVISOR_PASSWORD": SUP_PW})
    assert refused.exit_code == 1 and "1 objection is not resolved" in refused.output
    shown = json.loads(civic("notice", "show", str(nid), "--json").output)
    assert shown["blockers"] == [f"Notice {nid}: 1 objection is not resolved."]
    civic("notice", "resolve", str(oid), "--handling", "经核查，反映问题不属实。",
          "--on", "2008-10-10")
    no_sup = civic("notice", "confirm", str(nid), ok=False)
    assert no_sup.exit_code == 1 and "co-signature" in no_sup.output
    civic("notice", "confirm", str(nid), "--supervisor", "sup",
          env={"CIVIC_SUPERVISOR_PASSWORD": SUP_PW})
    shown = json.loads(civic("notice", "show", str(nid), "--json").output)
    assert shown["status"] == "confirmed" and shown["blockers"] == []
    assert shown["objections"][0]["handling"] == "经核查，反映问题不属实。"


def test_render_in_chinese_and_english_with_the_chain_head(civic, body):
    nid = draft(civic, body)
    head = json.loads(publish(civic, nid, "--on", "2008-09-26").output)["chain_head"]
    zh = civic("notice", "render", str(nid)).output
    assert "# 任前公示" in zh and "公示时间：2008年9月27日至2008年10月8日（5个工作日）" in zh
    assert head not in zh  # the posted copy carries nothing technical; the archive copy does
    assert head in civic("notice", "render", str(nid), "--archive").output
    en_id = draft(civic, body, "--lang", "en", "--intro", "Proposed appointment.")
    publish(civic, en_id, "--on", "2008-09-26")
    en = civic("notice", "render", str(en_id), "--format", "txt").output
    assert "Notice period: from 27 September 2008 to 8 October 2008 (5 working days)." in en
    archive = civic("notice", "render", str(en_id), "--format", "txt", "--archive",
                    "--lang", "en").output
    assert "Audit chain head at publication: entry" in archive


def test_html_escapes_the_typed_text(civic, body, tmp_path):
    nid = draft(civic, body)
    out = tmp_path / "notice.html"
    civic("notice", "render", str(nid), "--format", "html", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "&lt;b&gt;张三&lt;/b&gt;" in html and "<b>张三</b>" not in html
    assert "<h1>任前公示</h1>" in html


def test_settings_are_printed_on_the_next_notice(civic, body):
    civic("notice", "settings", "set", "office.phone", "0871-63100000")
    rows = json.loads(civic("notice", "settings", "list", "--json").output)
    phone = next(r for r in rows if r["key"] == "office.phone")
    assert phone["value"] == "0871-63100000" and not phone["default"]
    unknown = civic("notice", "settings", "set", "office.fax", "1", ok=False)
    assert unknown.exit_code == 1 and "Unknown setting" in unknown.output
    nid = draft(civic, body)
    assert "0871-63100000" in civic("notice", "render", str(nid), "--format", "txt").output


def test_a_bad_date_is_refused_before_anything_happens(civic, body):
    nid = draft(civic, body)
    bad = publish(civic, nid, "--on", "2008-09", ok=False)
    assert bad.exit_code == 2 and "not a full date" in bad.output


def test_a_supervisor_records_an_objection_but_may_not_resolve_it(civic, body):
    """The discipline commission receives objections too: its supervisor enters one as
    themself (a receipt decides nothing); resolving it stays the office's."""
    nid = draft(civic, body)
    publish(civic, nid, "--on", "2008-09-26")
    as_sup = {"CIVIC_USER": "sup", "CIVIC_PASSWORD": SUP_PW}
    recorded = civic("notice", "object", str(nid), "--channel", "visit", "--on", "2008-09-29",
                     "--content", "来访反映张三问题", "--json", env=as_sup)
    oid = json.loads(recorded.output)["objection"]
    log = json.loads(civic("audit", "log", "--type", "core.objection_recorded",
                           "--json").output)
    assert (log[0]["actor"], log[0]["cosigner"]) == ("sup", None)
    refused = civic("notice", "resolve", str(oid), "--handling", "不属实", "--on", "2008-10-10",
                    env=as_sup, ok=False)
    assert refused.exit_code != 0 and "may not resolve an objection" in refused.output


def test_an_office_cannot_give_a_viewer_the_receipt():
    from civic.actions import CORE_ACTIONS, check_roles
    from civic.errors import CivicError

    [objection] = [a for a in CORE_ACTIONS if a.name == "notice.object"]
    assert check_roles(objection, ["supervisor"]) == {"supervisor"}
    with pytest.raises(CivicError, match="only admins, operators and supervisors"):
        check_roles(objection, ["viewer"])
    [resolve] = [a for a in CORE_ACTIONS if a.name == "notice.resolve"]
    with pytest.raises(CivicError, match="only admins and operators"):
        check_roles(resolve, ["supervisor"])
