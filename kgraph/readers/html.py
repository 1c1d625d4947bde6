"""HTML pages (.html, .htm, .shtml): the main text, without scripts, styles and navigation.

The page is parsed with BeautifulSoup and Python's own html.parser (the same
text on every machine). The main text is `<main>`, `<article>` or
`role="main"` when the page has one, else the body less its navigation,
header, footer and side bars. Block elements (p, div, li, h1…) end a
paragraph; tables are read row by row like Word tables, so task-division
tables on web pages give assignments too.
"""
from __future__ import annotations

import re
from pathlib import Path

from . import Content, TextBuilder
from .text import decode

DROP_TAGS = {"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form",
             "iframe", "button", "select", "input", "textarea", "head", "link", "meta", "object", "canvas"}
DROP_ROLES = {"navigation", "banner", "contentinfo", "menu", "menubar", "search", "complementary"}
DROP_NAME_PARTS = {"nav", "navbar", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "footer", "sidebar",
                   "share", "copyright", "toolbar", "skip"}
BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3",
              "h4", "h5", "h6", "blockquote", "pre", "address", "figure", "figcaption", "center", "hr", "body"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SOURCE_BREAK = re.compile(r"\s*\n\s*")
_SPACES = re.compile(r"\s+")
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def read(path: Path, data: bytes) -> Content:
    from bs4 import BeautifulSoup

    markup = _decode_html(data)
    content = _main_text(BeautifulSoup(markup, "html.parser"), by_name=True)
    if not content.text:  # a page wrapped whole in <div id="menu-wrapper">: drop only tags then
        content = _main_text(BeautifulSoup(markup, "html.parser"), by_name=False)
    return content


def _main_text(soup, by_name: bool) -> Content:
    title_tag = soup.find("title")
    page_title = title_tag.get_text(" ", strip=True) if title_tag else ""
    for tag in soup.find_all(lambda tag: _is_boilerplate(tag, by_name)):
        if not tag.decomposed:  # not inside one removed before
            tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.find(attrs={"role": "main"}) or soup.body or soup
    heading = root.find("h1")
    builder = TextBuilder()
    walker = _Walker(builder)
    walker.walk(root)
    walker.flush()
    return builder.content(heading.get_text(" ", strip=True) if heading else page_title)


def _decode_html(data: bytes) -> str:
    declared = _META_CHARSET.search(data[:4096])
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        name = declared.group(1).decode("ascii").lower()
        encoding = "gb18030" if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936") else name
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common: detect instead
    return decode(data)


def _is_boilerplate(tag, by_name: bool = True) -> bool:
    if tag.name in DROP_TAGS:
        return True
    if not by_name:
        return False
    attrs = getattr(tag, "attrs", None) or {}
    if str(attrs.get("role", "")).lower() in DROP_ROLES or attrs.get("hidden") is not None:
        return True
    names = " ".join([attrs.get("id") or "", *(attrs.get("class") or [])]).lower()
    return bool(DROP_NAME_PARTS & set(re.split(r"[\s_-]+", names)))


def _inline_text(text: str) -> str:
    # a line break in the source between two Chinese characters is layout, not a space
    text = _SOURCE_BREAK.sub("\n", text)
    text = text.replace("\n", " ")
    return _SPACE_BETWEEN_CJK.sub("", _SPACES.sub(" ", text))


class _Walker:
    def __init__(self, builder: TextBuilder):
        self.builder = builder
        self.buffer: list[str] = []

    def flush(self) -> None:
        if self.buffer:
            self.builder.paragraph("".join(self.buffer))
            self.buffer = []

    def walk(self, node) -> None:
        """Collect the text below `node`; a loop, not recursion, so that deep nesting is no problem."""
        from bs4 import Comment, NavigableString, Tag

        stack = [(iter(node.children), False)]
        while stack:
            child = next(stack[-1][0], None)
            if child is None:
                if stack.pop()[1]:
                    self.flush()
            elif isinstance(child, Comment) or (isinstance(child, NavigableString)
                                                and type(child) is not NavigableString):
                continue  # comments, doctype, CDATA, processing instructions
            elif isinstance(child, NavigableString):
                self.buffer.append(_inline_text(str(child)))
            elif isinstance(child, Tag):
                if child.name == "br":
                    self.flush()
                elif child.name == "table":
                    self.flush()
                    self.builder.table(_grid(child))
                else:
                    block = child.name in BLOCK_TAGS
                    if block:
                        self.flush()
                    stack.append((iter(child.children), block))


def _grid(table) -> list[list[str | None]]:
    """Rows of cell texts; a cell spanning rows (rowspan) is repeated in each row it covers, one
    spanning columns (colspan) is None after its first column, as in Word tables."""
    grid: list[list[str | None]] = []
    pending: dict[int, tuple[int, str | None]] = {}  # column -> (rows left, text) of rowspans
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue  # rows of nested tables
        row: list[str | None] = []
        cells = tr.find_all(["td", "th"], recursive=False)
        column = 0
        for cell in cells:
            while column in pending:
                row.append(_take_pending(pending, column))
                column += 1
            text = _cell_text(cell)
            rows_spanned = _int(cell.get("rowspan"))
            for offset in range(_int(cell.get("colspan"))):
                value = text if offset == 0 else None
                row.append(value)
                if rows_spanned > 1:
                    pending[column] = (rows_spanned - 1, value)
                column += 1
        while column in pending:
            row.append(_take_pending(pending, column))
            column += 1
        grid.append(row)
    return grid


def _take_pending(pending: dict[int, tuple[int, str | None]], column: int) -> str | None:
    left, text = pending[column]
    if left <= 1:
        del pending[column]
    else:
        pending[column] = (left - 1, text)
    return text


def _cell_text(cell) -> str:
    # paragraphs and <br> inside a cell become line breaks (tables.py splits unit lists at them)
    builder = TextBuilder()
    walker = _Walker(builder)
    walker.walk(cell)
    walker.flush()
    return "\n".join(part for part in builder.content().text.split("\n") if part)


def _int(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), 100))
    except (TypeError, ValueError):
        return 1
