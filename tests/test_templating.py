"""The sandboxed notice environment: escaping, limits, and where templates come from."""

from __future__ import annotations

import sys
import types

import pytest

from civic import hookimpl
from civic.pm import make_plugin_manager
from civic.templating import (
    NoticeTemplateError,
    environment,
    localize,
    render,
    render_document,
    render_string,
    text_table,
)
from tests.plugin_example import plugin as example

NOTICE = {"id": 1, "kind": "general", "subject": "s", "status": "published",
          "published_on": "2008-09-26", "ends_on": "2008-10-08", "period_days": 5,
          "chain_entry": 4, "chain_head": "f" * 64}
OFFICE = {"name": "中共昆明市委组织部", "address": "示范路1号", "postcode": "650000",
          "phone": "0871-12380", "mailbox": "a@b.example", "website": ""}


def _ctx(**extra):
    return {"notice": NOTICE, "office": OFFICE, "title": "任前公示", "intro": None,
            "table": None, "body": None, **extra}


@pytest.mark.parametrize("source", [
    "{{ ''.__class__ }}",
    "{{ ''|attr('__class__') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ kit }}{{ range.__globals__ }}",
    "{{ [1].append(2) }}",
])
def test_python_internals_are_out_of_reach(source):
    with pytest.raises(NoticeTemplateError):
        render_string(None, source, {"kit": 1})


@pytest.mark.parametrize("source", [
    "{{ 'a' * 10**8 }}",
    "{{ 10**8 * 'a' }}",
    "{{ [0] * 10**8 }}",
    "{{ 10 ** 100000000 }}",
    "{{ range(10**6)|length }}",
    "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "{% for i in range(10000) %}{{ 'x' * 1000 }}{% endfor %}",
    "{{ 'a'.center(10**9) }}",
    "{{ 'a'|center(10**9) }}",
    "{{ 'a'|indent(10**9) }}",
    "{{ '%999999999d'|format(1) }}",
    "{{ '%999999999d' % 1 }}",
    "{{ '{:>999999999}'.format('a') }}",
    "{{ '{:>{w}}'.format('a', w=10**9) }}",
    "{{ ('a' * 1000).replace('a', 'b' * 1000) }}",
    "{{ 'a'|pad(10**9) }}",
])
def test_runaway_templates_are_refused(source):
    with pytest.raises(NoticeTemplateError, match="Template"):
        render_string(None, source, {})


def test_small_values_still_work():
    out = render_string(None, "{{ 'ab' * 3 }} {{ 2 ** 10 }} {{ range(3)|list }} "
                              "{{ '%3d'|format(7) }} {{ 'x'.center(5) }}", {})
    assert out == "ababab 1024 [0, 1, 2]   7   x  "


def test_undefined_names_fail_clearly():
    with pytest.raises(NoticeTemplateError, match="nomination_round"):
        render_string(None, "{{ nomination_round }}", {})


def test_autoescape_is_for_html_only():
    ctx = {"x": "<b>&</b>"}
    assert render_string(None, "{{ x }}", ctx, fmt="html") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert render_string(None, "{{ x }}", ctx, fmt="md") == "<b>&</b>"
    assert render_string(None, "{{ x }}", ctx, fmt="txt") == "<b>&</b>"


def test_core_notice_in_three_formats_and_two_languages():
    ctx = _ctx(table={"columns": ["姓名", "职务"], "rows": [["张<三>", "局长"]]})
    zh = render_document(None, "notice", "zh_CN", "md", ctx)
    assert "# 任前公示" in zh and "| 张<三> | 局长 |" in zh
    # No starts_on in this context: the line falls back to the day of publication. The posted
    # copy carries no chain head (it goes on the archive copy).
    assert "2008年9月26日至2008年10月8日（5个工作日）" in zh and "f" * 64 not in zh
    en = render_document(None, "notice", "en", "txt", ctx)
    assert "from 26 September 2008 to 8 October 2008 (5 working days)" in en
    assert "f" * 64 not in en
    archive = render_document(None, "archive", "en", "txt",
                              {**ctx, "body_sha256": "e" * 64, "objections": 0})
    assert "entry 4" in archive and "f" * 64 in archive and "e" * 64 in archive
    html = render_document(None, "notice", "zh_CN", "html", ctx)
    assert "<td>张&lt;三&gt;</td>" in html and '<html lang="zh-CN">' in html


def test_txt_tables_line_up_chinese():
    out = text_table(["姓名", "x"], [["张三丰", "1"], ["ab", "2"]]).splitlines()
    assert out == ["姓名    x", "------  -", "张三丰  1", "ab      2"]


def test_localize_picks_the_language_anywhere_in_the_context():
    ctx = {"table": {"columns": [{"zh_CN": "姓名", "en": "Name"}], "rows": [["张三"]]},
           "title": {"zh_CN": "公示"}}
    assert localize(ctx, "en") == {"table": {"columns": ["Name"], "rows": [["张三"]]},
                                   "title": "公示"}


def _plugin_module(tmp_path, name):
    """A plugin module whose file sits next to a templates/ folder, as a package's would."""
    folder = tmp_path / name
    (folder / "templates").mkdir(parents=True)
    module = types.ModuleType(f"civic_test_{name}")
    module.__file__ = str(folder / "__init__.py")

    @hookimpl
    def prepare_jinja2_environment(env):
        env.globals["plugin_name"] = name

    module.prepare_jinja2_environment = prepare_jinja2_environment
    sys.modules[module.__name__] = module
    return module, folder / "templates"


def test_loader_order_override_then_plugin_then_core(tmp_path, monkeypatch):
    module, plugin_dir = _plugin_module(tmp_path, "demoplug")
    (plugin_dir / "round.zh_CN.j2").write_text("plugin {{ plugin_name }}", encoding="utf-8")
    pm = make_plugin_manager(only=[])
    pm.register(module, name="demoplug")
    user = tmp_path / "office"
    (user / "demoplug").mkdir(parents=True)
    # The office's own wording: extends core's, so `core:` must reach core's original.
    (user / "notice.zh_CN.j2").write_text(
        '{% extends "core:notice.zh_CN.j2" %}{% block intro %}OFFICE {% endblock %}',
        encoding="utf-8")

    out = render_document(pm, "notice", "zh_CN", "md", _ctx(), user_dir=user)
    assert out.startswith("# 任前公示\n\nOFFICE") and "公示时间" in out
    assert "OFFICE" not in render(pm, "core:notice.zh_CN.j2", {**_ctx(), "kit": _kit(pm)})
    assert render(pm, "demoplug/round.zh_CN.j2", {}, user_dir=user) == "plugin demoplug"
    (user / "demoplug" / "round.zh_CN.j2").write_text("office's round", encoding="utf-8")
    assert render(pm, "demoplug/round.zh_CN.j2", {}, user_dir=user) == "office's round"
    assert render(pm, "demoplug:round.zh_CN.j2", {}, user_dir=user) == "plugin demoplug"

    monkeypatch.setenv("CIVIC_TEMPLATES", str(user))
    assert "OFFICE" in render_document(pm, "notice", "zh_CN", "md", _ctx())


def _kit(pm):
    return environment(pm, "md").get_template("format/md.j2").make_module(
        {"lang": "zh_CN", "fmt": "md"})


def test_a_format_specific_template_wins_for_its_format_only(tmp_path):
    (tmp_path / "notice.en.html.j2").write_text("<p>{{ title }}</p>", encoding="utf-8")
    ctx = _ctx(title="A & B")
    assert render_document(None, "notice", "en", "html", ctx, user_dir=tmp_path) == (
        "<p>A &amp; B</p>\n")
    assert "# A & B" in render_document(None, "notice", "en", "md", ctx, user_dir=tmp_path)


def test_the_jinja_hook_reaches_the_environment():
    pm = make_plugin_manager(only=[], extra=[example])
    assert render_string(pm, "{{ 'objection'|shout }}", {}) == "OBJECTION"


def test_a_missing_override_folder_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CIVIC_TEMPLATES", str(tmp_path / "nowhere"))
    with pytest.raises(NoticeTemplateError, match="does not exist"):
        render_document(None, "notice", "zh_CN", "md", _ctx())


def test_template_errors_name_the_template(tmp_path):
    (tmp_path / "bad.zh_CN.j2").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(NoticeTemplateError, match="bad.zh_CN"):
        render_document(None, "bad", "zh_CN", "md", _ctx(), user_dir=tmp_path)
    with pytest.raises(NoticeTemplateError, match="No template named"):
        render_document(None, "absent", "zh_CN", "md", _ctx())


def test_a_reused_template_is_checked_by_stat_and_reloaded_when_it_changes(tmp_path, monkeypatch):
    """Rendering again reads no template file (the staleness check costs a `stat`, not a read),
    yet an edited override, a new one and a removed one all show without a restart."""
    import os

    from jinja2 import FileSystemLoader

    module, plugin_dir = _plugin_module(tmp_path, "staleplug")
    (plugin_dir / "round.zh_CN.j2").write_text("plugin", encoding="utf-8")
    pm = make_plugin_manager(only=[])
    pm.register(module, name="staleplug")
    user = tmp_path / "office"
    (user / "staleplug").mkdir(parents=True)
    assert render(pm, "staleplug/round.zh_CN.j2", {}, user_dir=user) == "plugin"

    reads: list[str] = []
    original = FileSystemLoader.get_source

    def counting(self, environment, template):
        reads.append(template)
        return original(self, environment, template)

    monkeypatch.setattr(FileSystemLoader, "get_source", counting)
    assert render(pm, "staleplug/round.zh_CN.j2", {}, user_dir=user) == "plugin"
    assert reads == []

    override = user / "staleplug" / "round.zh_CN.j2"
    override.write_text("office", encoding="utf-8")  # appears in front of the plugin's
    assert render(pm, "staleplug/round.zh_CN.j2", {}, user_dir=user) == "office"
    override.write_text("office, edited", encoding="utf-8")
    later = override.stat().st_mtime_ns + 2_000_000_000  # a coarse file system's clock
    os.utime(override, ns=(later, later))
    assert render(pm, "staleplug/round.zh_CN.j2", {}, user_dir=user) == "office, edited"
    override.unlink()
    assert render(pm, "staleplug/round.zh_CN.j2", {}, user_dir=user) == "plugin"
