"""Write matrix tables (kgraph.matrix.Table) as .xlsx, .csv, .md or .html, atomically.

- .xlsx (openpyxl): one sheet per layout plus a 说明 sheet; frozen header row (and first
  column of the matrices), column widths that fit Chinese text (a CJK character counts
  double), wrapped cells, autofilter over the data rows, printing on landscape pages
  with the header row repeated.
- .csv: one layout, UTF-8 with a BOM so that Excel opens Chinese correctly.
- .md: one section per layout, GitHub tables.
- .html: one self-contained page; click a column header to sort, type in the box to
  filter; the script is inline (no external URL) and every text is HTML-escaped.
"""
from __future__ import annotations

import base64
import hashlib
import html
import math
import unicodedata
from pathlib import Path
from typing import Sequence

from .model import KgraphError

FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
MIN_WIDTH, MAX_WIDTH, HEADER_WIDTH = 6, 50, 16  # column widths in Excel units (one per Latin character)
LINE_HEIGHT, MAX_HEIGHT = 15, 409               # points
XLSX_MAX_COLUMNS = 16384                        # what Excel can open
ABOUT_SHEET = "说明"


def format_of(path: str | Path) -> str:
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise KgraphError(f"{path}: unknown matrix format {Path(path).suffix or '(none)'!r}; "
                          f"use {', '.join(sorted(FORMATS))}")
    return fmt


def write_tables(tables: Sequence, path: str | Path, notes: Sequence[str] = ()) -> Path:
    """Write `tables` to `path` in the format its extension names; returns the path."""
    from .atomic import atomic_write_bytes, atomic_write_text

    path = Path(path)
    fmt = format_of(path)
    if fmt == "xlsx":
        atomic_write_bytes(path, xlsx_bytes(tables, notes))
    elif fmt == "csv":
        atomic_write_text(path, csv_text(tables[0]), encoding="utf-8-sig")
    elif fmt == "md":
        atomic_write_text(path, markdown_text(tables, notes))
    else:
        atomic_write_text(path, html_text(tables, notes))
    return path


# ---------------------------------------------------------------- text width

def display_width(text: str) -> int:
    """Width in Latin-character units: CJK (wide and full-width) characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(table) -> list[int]:
    """Widths that fit each column's widest line, at most MAX_WIDTH; headers wrap beyond HEADER_WIDTH."""
    widths = []
    for index, name in enumerate(table.header):
        cells = [row[index] for row in table.rows + table.totals if index < len(row)]
        widest = max((display_width(line) for cell in cells for line in _text(cell).split("\n")), default=0)
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, max(widest, min(display_width(name), HEADER_WIDTH)) + 2)))
    return widths


def _lines(text: str, width: int) -> int:
    """How many lines `text` takes wrapped in a column `width` wide."""
    return sum(max(1, math.ceil(display_width(line) / max(1, width - 1))) for line in text.split("\n"))


def _text(value) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------- xlsx

def xlsx_bytes(tables: Sequence, notes: Sequence[str] = ()) -> bytes:
    import io

    from openpyxl import Workbook

    from .matrix import Table

    workbook = Workbook()
    workbook.remove(workbook.active)
    tables = [_fit_columns(table) for table in tables]
    for table in tables:
        _sheet(workbook, table)
    about = [["项目", "内容"], *([table.title, table.note] for table in tables), *(["筛选", n] for n in notes),
             ["生成", "kgraph matrix：由 RDF 图经 SPARQL 查询生成"]]
    _sheet(workbook, Table("about", ABOUT_SHEET, about[0], about[1:]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fit_columns(table):
    """`table` cut to the columns Excel can open, saying so in its note."""
    from dataclasses import replace

    if len(table.header) <= XLSX_MAX_COLUMNS:
        return table
    cut = XLSX_MAX_COLUMNS
    return replace(table, header=table.header[:cut], rows=[row[:cut] for row in table.rows],
                   totals=[row[:cut] for row in table.totals],
                   note=f"{table.note}（Excel 最多 {cut} 列：只列出前 {cut} 列，共 {len(table.header)} 列；"
                        "全部列请用 --by category、--doc，或写成 .html/.csv）")


def _sheet(workbook, table) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(table.title[:31])
    widths = column_widths(table)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    all_rows = [table.header, *table.rows, *table.totals]
    for row_index, values in enumerate(all_rows, start=1):
        height = 1
        for column, value in enumerate(values, start=1):
            content = _xlsx_value(value)
            if content is None and row_index > 1:
                continue  # no cell at all: fast on wide, sparse matrices
            cell = sheet.cell(row=row_index, column=column)
            cell.value = content
            if cell.data_type == "f":  # text that starts with "=" is text, not a formula
                cell.data_type = "s"
            cell.alignment = wrap_top
            height = max(height, _lines(_text(value), widths[column - 1]))
        if row_index == 1 or row_index > 1 + len(table.rows):
            for cell in sheet[row_index]:
                cell.font = bold
        sheet.row_dimensions[row_index].height = min(MAX_HEIGHT, LINE_HEIGHT * height + 3)
    for cell in sheet[1]:
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    last = get_column_letter(len(table.header))
    sheet.freeze_panes = f"{get_column_letter(table.frozen_columns + 1)}2"
    sheet.auto_filter.ref = f"A1:{last}{1 + len(table.rows)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _xlsx_value(value):
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


# ---------------------------------------------------------------- csv

def csv_text(table) -> str:
    """One table as CSV (header, rows, totals); the caller writes it as UTF-8 with a BOM."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)  # \r\n line ends, as Excel writes them
    for row in [table.header, *table.rows, *table.totals]:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue()


def _csv_cell(value) -> str:
    text = _text(value)
    # a spreadsheet would run a cell starting with = + - @ as a formula
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not isinstance(value, (int, float)) else text


# ---------------------------------------------------------------- markdown

def markdown_text(tables: Sequence, notes: Sequence[str] = ()) -> str:
    parts = []
    for note in notes:
        parts.append(f"> {_md_cell(note)}\n")
    for table in tables:
        parts.append(f"## {table.title}\n")
        if table.note:
            parts.append(_md_cell(table.note) + "\n")
        lines = ["| " + " | ".join(_md_cell(h) for h in table.header) + " |",
                 "|" + "".join(" ---: |" if _numeric(table, i) else " --- |" for i in range(len(table.header)))]
        for row in table.rows:
            lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
        for row in table.totals:
            lines.append("| " + " | ".join(f"**{_md_cell(v)}**" if _text(v) else "" for v in row) + " |")
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def _md_cell(value) -> str:
    text = html.escape(_text(value), quote=False)
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def _numeric(table, index: int) -> bool:
    values = [row[index] for row in table.rows if index < len(row) and _text(row[index])]
    return bool(values) and all(isinstance(v, (int, float)) for v in values)


# ---------------------------------------------------------------- html

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 1.5em; color: #222; }
nav a { margin-right: 1em; }
.wrap { overflow: auto; max-height: 85vh; border: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: 4px 6px; vertical-align: top; white-space: pre-line; }
thead th { position: sticky; top: 0; background: #ddebf7; cursor: pointer; min-width: 3em; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
td.num { text-align: right; }
tfoot td { font-weight: bold; background: #f3f3f3; }
input[type=search] { margin: 0.5em 0; padding: 3px; width: 20em; }
.note { color: #555; max-width: 60em; }
"""

_SCRIPT = """
document.querySelectorAll('table.sortable').forEach(function (table) {
  var body = table.tBodies[0], heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    th.tabIndex = 0;
    function sort() {
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(body.rows);
      var numeric = rows.every(function (r) { var t = r.cells[col].textContent.trim(); return t === '' || !isNaN(t); });
      rows.sort(function (a, b) {
        var x = a.cells[col].textContent.trim(), y = b.cells[col].textContent.trim();
        var order = numeric ? (x === '' ? -1 : +x) - (y === '' ? -1 : +y) : x.localeCompare(y, 'zh');
        return ascending ? order : -order;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
    });
  });
});
document.querySelectorAll('input[data-table]').forEach(function (input) {
  var body = document.getElementById(input.getAttribute('data-table')).tBodies[0];
  input.addEventListener('input', function () {
    var wanted = input.value.trim();
    Array.prototype.forEach.call(body.rows, function (r) {
      r.hidden = wanted !== '' && r.textContent.indexOf(wanted) < 0;
    });
  });
});
"""


def _csp_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def html_text(tables: Sequence, notes: Sequence[str] = ()) -> str:
    esc = html.escape
    policy = f"default-src 'none'; style-src {_csp_source(_STYLE)}; script-src {_csp_source(_SCRIPT)}"
    out = ['<!DOCTYPE html>', '<html lang="zh">', '<head>', '<meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<title>kgraph 责任分工表</title>', f'<style>{_STYLE}</style>', '</head>', '<body>',
           '<h1>责任分工表</h1>']
    out += [f'<p class="note">{esc(n)}</p>' for n in notes]
    if len(tables) > 1:
        out.append("<nav>" + "".join(f'<a href="#{esc(t.key)}">{esc(t.title)}</a>' for t in tables) + "</nav>")
    for table in tables:
        ident = esc(table.key)
        out += [f'<section id="{ident}">', f"<h2>{esc(table.title)}</h2>"]
        if table.note:
            out.append(f'<p class="note">{esc(table.note)}</p>')
        out.append(f'<input type="search" placeholder="筛选…" aria-label="筛选 {esc(table.title)}" '
                   f'data-table="{ident}-table">')
        out.append(f'<div class="wrap"><table class="sortable" id="{ident}-table">')
        out.append("<thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in table.header) + "</tr></thead>")
        out.append("<tbody>")
        out += ["<tr>" + "".join(_html_cell(v) for v in row) + "</tr>" for row in table.rows]
        out.append("</tbody>")
        if table.totals:
            out.append("<tfoot>" + "".join("<tr>" + "".join(_html_cell(v) for v in row) + "</tr>"
                                          for row in table.totals) + "</tfoot>")
        out += ["</table></div>", "</section>"]
    out += [f"<script>{_SCRIPT}</script>", "</body>", "</html>", ""]
    return "\n".join(out)


def _html_cell(value) -> str:
    if isinstance(value, (int, float)):
        return f'<td class="num">{value}</td>'
    return f"<td>{html.escape(_text(value))}</td>"
