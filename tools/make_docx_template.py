"""Build core/docx/official.docx: the styles and page of an official document (GB/T 9704-2012
党政机关公文格式). Run it when the layout changes; an office replaces the file by putting its own
official.docx in its template folder ($CIVIC_TEMPLATES).

    .venv/bin/python tools/make_docx_template.py
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "core" / "docx" / "official.docx"

# GB/T 9704-2012 §5.2.1 and §7.1: body 仿宋_GB2312 三号 (16 pt), title 小标宋 二号 (22 pt),
# page numbers 宋体 四号 (14 pt) Arabic numerals with a dash either side.
BODY_FONT, TITLE_FONT, NUMBER_FONT = "仿宋_GB2312", "方正小标宋简体", "宋体"
BODY_PT, TITLE_PT, NUMBER_PT = 16, 22, 14
# §5.2.2: 22 lines a page; on a 225 mm text block that is a 28.95 pt pitch, set exactly.
LINE_PT = 28.95


def fonts(style, east_asian: str, latin: str, size: float, bold: bool = False) -> None:
    """Name the font for every script: w:eastAsia is what WPS and Word read for Chinese; the
    Latin fallback keeps digits and English readable where the Chinese font is missing."""
    style.font.name = latin
    style.font.size = Pt(size)
    style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian),
                        ("w:cs", latin)):
        rfonts.set(qn(attr), value)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def off_grid(style) -> None:
    """Text of another size than the body's keeps its own pitch instead of two grid cells a
    character (the title at 22 pt, tables, notes, page numbers)."""
    ppr = style.element.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.append(snap)


def paragraph_style(doc, name: str, base: str | None = "Normal"):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(
        name, WD_STYLE_TYPE.PARAGRAPH)
    if base and name != base:
        style.base_style = styles[base]
    return style


def exact_lines(style, pitch: float = LINE_PT) -> None:
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(pitch)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def page_number(paragraph) -> None:
    """「— N —」: an em dash either side of a PAGE field (§7.5)."""
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    paragraph.add_run(" —")


def main() -> None:
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    # A4 and the margins of §5.2.1: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)  # the number sits 7 mm below the text block
    # A document grid of 22 lines and 28 characters (§5.2.2).
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    # A line grid only: a character grid narrower than the glyphs makes LibreOffice and WPS
    # give each character two cells. The 28 characters come from condensing the body by
    # 0.2 pt instead (Normal below): 156 mm = 442.2 pt holds 28 x 15.8 pt.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PT * 20)))

    # The grid's character pitch counts from the document's default size: make it the body's.
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = defaults.find(qn("w:rPr"))
    size = rpr.find(qn("w:sz"))
    if size is None:
        size = OxmlElement("w:sz")
        rpr.append(size)
    size.set(qn("w:val"), str(BODY_PT * 2))
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr, value in (("w:ascii", "Times New Roman"), ("w:hAnsi", "Times New Roman"),
                        ("w:eastAsia", BODY_FONT), ("w:cs", "Times New Roman")):
        rfonts.set(qn(attr), value)
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    fonts(normal, BODY_FONT, "Times New Roman", BODY_PT)
    exact_lines(normal)
    normal.paragraph_format.first_line_indent = Pt(2 * BODY_PT)  # two characters
    condense = OxmlElement("w:spacing")
    condense.set(qn("w:val"), "-4")  # twentieths of a point: 16 - 0.2 = 15.8 pt a character
    normal.element.get_or_add_rPr().append(condense)

    title = paragraph_style(doc, "Title")
    fonts(title, TITLE_FONT, "Times New Roman", TITLE_PT)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    exact_lines(title, 36)
    title.paragraph_format.space_after = Pt(LINE_PT)  # one empty line under the title (§7.3.1)
    # The built-in Title style carries a border and a colour in python-docx's default template.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    title.font.color.rgb = None
    off_grid(title)

    for name, align, indent in (("Civic Signature", WD_ALIGN_PARAGRAPH.RIGHT, 0),
                                ("Civic Mark", WD_ALIGN_PARAGRAPH.CENTER, 0),
                                ("Civic Table", WD_ALIGN_PARAGRAPH.CENTER, 0)):
        style = paragraph_style(doc, name)
        style.paragraph_format.alignment = align
        style.paragraph_format.first_line_indent = Pt(indent)
    signature = doc.styles["Civic Signature"]
    signature.paragraph_format.right_indent = Pt(4 * BODY_PT)  # 落款 right-indented 4 字 (§7.3.5)
    doc.styles["Civic Mark"].font.bold = True
    table_text = doc.styles["Civic Table"]
    fonts(table_text, BODY_FONT, "Times New Roman", 14)  # tables one size down: 四号
    exact_lines(table_text, 22)
    off_grid(table_text)

    small = paragraph_style(doc, "Civic Note")
    fonts(small, BODY_FONT, "Times New Roman", 12)
    exact_lines(small, 20)
    small.paragraph_format.first_line_indent = Pt(0)
    off_grid(small)

    number = paragraph_style(doc, "Civic Page Number", base=None)
    fonts(number, NUMBER_FONT, "Times New Roman", NUMBER_PT)
    number.paragraph_format.first_line_indent = Pt(0)
    off_grid(number)
    # §7.5: odd page numbers right, even left, each one character in from the edge.
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.style = number
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(NUMBER_PT)
    page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.style = number
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(NUMBER_PT)
    page_number(even)

    # The template's body is empty: civic.docx writes each document into a copy of it.
    for p in list(doc.paragraphs):
        p._element.getparent().remove(p._element)
    doc.core_properties.title = ""
    doc.core_properties.author = "civic"
    doc.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
