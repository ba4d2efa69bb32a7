"""Notices and result documents as official DOCX (GB/T 9704-2012 党政机关公文格式)."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from civic.cli.main import build_cli
from civic.docx import blocks_from_html, table_blocks, template_path, write_docx

ADMIN_PW = "admin-pass"
SUP_PW = "sup-pass"


@pytest.fixture
def civic(tmp_path, pm):
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
def notice_id(civic, tmp_path):
    body = tmp_path / "body.md"
    body.write_text("经研究，拟任命张三同志为市财政局局长。\n\n特此公示。\n", encoding="utf-8")
    out = civic("notice", "draft", "--subject", "appointment:1", "--title", "任前公示",
                "--body-file", str(body), "--json").output
    nid = json.loads(out)["id"]
    civic("notice", "publish", str(nid), "--supervisor", "sup", "--on", "2008-09-24",
          env={"CIVIC_SUPERVISOR_PASSWORD": SUP_PW})
    return nid


def east_asian(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_a_notice_is_an_official_document(civic, notice_id, tmp_path):
    out = tmp_path / "notice.docx"
    civic("notice", "render", str(notice_id), "--format", "docx", "-o", str(out))
    doc = Document(str(out))
    section = doc.sections[0]
    # GB/T 9704-2012 §5.2.1: A4; margins top 37, bottom 35, left 28, right 26 mm.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                  section.left_margin, section.right_margin)] == [37, 35, 28, 26]
    # §5.2.2: 22 lines a page, an exact pitch of 28.95 pt.
    assert section._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")) == "579"
    title = next(p for p in doc.paragraphs if p.style.name == "Title")
    assert title.text == "任前公示"
    # §7.3.1 and §5.2.1: title 小标宋 二号 (22 pt), body 仿宋_GB2312 三号 (16 pt).
    assert title.style.font.size == Pt(22) and east_asian(title.style) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if "张三" in p.text)
    assert body.style.name == "Normal"
    assert body.style.font.size == Pt(16) and east_asian(body.style) == "仿宋_GB2312"
    # 落款: the issuing body and the date, right-aligned.
    signature = [p for p in doc.paragraphs if p.style.name == "Civic Signature"]
    assert signature[-1].text == "2008年9月24日"
    assert signature[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # §7.5: page numbers 「— N —」 in 宋体 四号, a PAGE field on odd and even pages.
    for footer in (section.footer, section.even_page_footer):
        number = footer.paragraphs[0]
        assert number.text.startswith("— ") and number.text.endswith(" —")
        assert "PAGE" in number._p.xml
        assert number.style.font.size == Pt(14) and east_asian(number.style) == "宋体"


def test_docx_needs_a_file(civic, notice_id):
    refused = civic("notice", "render", str(notice_id), "--format", "docx", ok=False)
    assert refused.exit_code == 1 and "-o FILE" in refused.output


def test_an_office_replaces_the_layout(civic, notice_id, tmp_path):
    folder = tmp_path / "office-templates"
    folder.mkdir()
    own = folder / "official.docx"
    shutil.copy(template_path(), own)
    doc = Document(str(own))
    doc.styles["Normal"].font.size = Pt(15)  # an office that prints its body one size down
    doc.save(str(own))
    assert template_path(str(folder)) == own
    out = tmp_path / "n.docx"
    civic("notice", "render", str(notice_id), "--format", "docx", "-o", str(out),
          "--templates", str(folder))
    assert Document(str(out)).styles["Normal"].font.size == Pt(15)


def test_html_blocks_keep_the_kit_parts():
    html = ('<html><head><title>x</title><style>h1{}</style></head><body>'
            '<h1>标题</h1><p class="draft">草稿</p><p>一行<br>\n二行</p>'
            '<table><tr><th>姓名</th></tr><tr><td>王&amp;五</td></tr></table>'
            '<p class="signature">某组织部</p><footer>存档</footer></body></html>')
    blocks = blocks_from_html(html)
    assert [(b.kind, b.lines or b.rows) for b in blocks] == [
        ("title", ["标题"]), ("mark", ["草稿"]), ("para", ["一行", "二行"]),
        ("table", [["姓名"], ["王&五"]]), ("signature", ["某组织部"]), ("note", ["存档"])]


def test_a_result_table_round_trips(tmp_path):
    out = write_docx(tmp_path / "r.docx", table_blocks(
        "计票结果", ["序号", "姓名", "得票"], [[1, "王建军", 42], [2, "=cmd", None]],
        signature=["某组织部", "2008年7月4日"]))
    doc = Document(str(out))
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells == [["序号", "姓名", "得票"], ["1", "王建军", "42"], ["2", "=cmd", ""]]
    assert [p.text for p in doc.paragraphs if p.style.name == "Civic Signature"] == [
        "某组织部", "2008年7月4日"]
