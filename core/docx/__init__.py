"""Official documents as DOCX (GB/T 9704 党政机关公文格式), for offices that print from Word/WPS.

The page, fonts and sizes live in a template document, `official.docx` beside this file (built by
tools/make_docx_template.py); an office replaces it by putting its own `official.docx` in its
template folder (`--templates` or $CIVIC_TEMPLATES), as it does with the notice templates. This
module only chooses the template's styles: Title, Normal, Civic Signature, Civic Mark,
Civic Table, Civic Note.

A notice is rendered through its HTML kit and the HTML read back as blocks, so an office's
overridden notice template shapes the DOCX as it shapes the posted page.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from civic.errors import CivicError
from civic.i18n import _

TEMPLATE_NAME = "official.docx"
STYLE_FOR = {"title": "Title", "para": "Normal", "signature": "Civic Signature",
             "mark": "Civic Mark", "note": "Civic Note"}


@dataclass
class Block:
    """One piece of a document: kind is title, para, signature, mark, note or table."""

    kind: str
    lines: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # a table's, header row first


def template_path(user_dir: str | os.PathLike | None = None) -> Path:
    """The office's official.docx when its template folder has one, else the shipped one."""
    from civic.templating import override_dir

    folder = override_dir(user_dir)
    if folder is not None and (folder / TEMPLATE_NAME).is_file():
        return folder / TEMPLATE_NAME
    return Path(__file__).with_name(TEMPLATE_NAME)


class _NoticeHTML(HTMLParser):
    """Reads the HTML kit's output (templates/format/html.j2) back into blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._block: Block | None = None
        self._text: list[str] = []
        self._row: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("head", "style", "title"):
            self._in_head = True
        elif tag == "h1":
            self._open(Block("title"))
        elif tag == "p":
            kind = ("signature" if "signature" in classes else
                    "mark" if "draft" in classes else "para")
            self._open(Block(kind))
        elif tag == "footer":
            self._open(Block("note"))
        elif tag == "table":
            self._open(Block("table"))
        elif tag == "tr" and self._block is not None and self._block.kind == "table":
            self._row = []
        elif tag in ("td", "th"):
            self._text = []
        elif tag == "br":
            self._line()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "style", "title"):
            self._in_head = False
        elif tag in ("td", "th") and self._row is not None:
            self._row.append(" ".join("".join(self._text).split()))
            self._text = []
        elif tag == "tr" and self._row is not None and self._block is not None:
            self._block.rows.append(self._row)
            self._row = None
        elif tag in ("h1", "p", "footer", "table"):
            self._close()

    def handle_data(self, data: str) -> None:
        if not self._in_head:
            self._text.append(data)

    def _open(self, block: Block) -> None:
        self._close()
        self._block = block
        self._text = []

    def _line(self) -> None:
        if self._block is not None and self._block.kind != "table":
            line = " ".join("".join(self._text).split())
            if line:
                self._block.lines.append(line)
        self._text = []

    def _close(self) -> None:
        if self._block is None:
            return
        self._line()
        if self._block.lines or self._block.rows:
            self.blocks.append(self._block)
        self._block = None


def blocks_from_html(html: str) -> list[Block]:
    parser = _NoticeHTML()
    parser.feed(html)
    parser.close()
    return parser.blocks


def notice_blocks(office: Any, notice: Any, *, lang: str | None = None,
                  user_dir: str | None = None) -> list[Block]:
    from civic import notices

    return blocks_from_html(notices.render(office, notice, lang=lang, fmt="html",
                                           user_dir=user_dir))


def table_blocks(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
                 intro: str | None = None, signature: Sequence[str] = ()) -> list[Block]:
    """A result document (a count, a ranking, a placement list): title, table, 落款."""
    blocks = [Block("title", [title])]
    if intro:
        blocks.append(Block("para", [intro]))
    blocks.append(Block("table", rows=[[str(c) for c in columns]] + [
        ["" if v is None else str(v) for v in row] for row in rows]))
    if signature:
        blocks.append(Block("signature", [s for s in signature if s]))
    return blocks


def write_docx(path: str | os.PathLike, blocks: Sequence[Block], *,
               user_dir: str | None = None, title: str | None = None) -> Path:
    """Lay the blocks out in a copy of the template and write it (beside, then renamed, so a
    failed export never leaves half a file)."""
    from docx import Document

    template = template_path(user_dir)
    try:
        doc = Document(str(template))
    except Exception as exc:  # a damaged or non-DOCX override file
        raise CivicError(_("The document template {path} cannot be read: {reason}").format(
            path=template, reason=exc)) from exc
    names = {s.name for s in doc.styles}
    for block in blocks:
        if block.kind == "table":
            _add_table(doc, block.rows, names)
            continue
        style = STYLE_FOR.get(block.kind, "Normal")
        for line in block.lines:
            doc.add_paragraph(line, style=style if style in names else None)
    if title:
        doc.core_properties.title = title
    target = Path(path)
    temp = target.with_name(f".{target.name}.part")
    try:
        doc.save(str(temp))
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise CivicError(_("cannot write {file}: {reason}").format(
            file=target, reason=exc.strerror or exc)) from exc
    return target


def _add_table(doc: Any, rows: list[list[str]], names: set[str]) -> None:
    if not rows:
        return
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=width)
    if "Table Grid" in names:
        table.style = doc.styles["Table Grid"]
    style = "Civic Table" if "Civic Table" in names else None
    for r, row in enumerate(rows):
        for c in range(width):
            cell = table.cell(r, c)
            cell.text = row[c] if c < len(row) else ""
            for paragraph in cell.paragraphs:
                if style:
                    paragraph.style = doc.styles[style]
                if r == 0:
                    for run in paragraph.runs:
                        run.bold = True
    doc.add_paragraph("")


def write_notice(office: Any, notice: Any, path: str | os.PathLike, *,
                 lang: str | None = None, user_dir: str | None = None) -> Path:
    """A notice as an official DOCX document."""
    blocks = notice_blocks(office, notice, lang=lang, user_dir=user_dir)
    titles = [b.lines[0] for b in blocks if b.kind == "title" and b.lines]
    return write_docx(path, blocks, user_dir=user_dir, title=titles[0] if titles else None)
