"""Word .docx: paragraphs and table cells in reading order (python-docx).

Each table row is one line of the text with its cells separated by tabs;
task-division tables also give TaskRows (kgraph/tables.py). Merged cells are
read once per row: a cell merged across columns counts once, a cell merged
down several rows (a 牵头单位 shared by several tasks) is repeated in each row.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from . import Content, TextBuilder


class DocxError(ValueError):
    pass


def read(path: Path, data: bytes) -> Content:
    import io

    from docx import Document as open_docx
    from docx.opc.exceptions import PackageNotFoundError

    if not data.startswith(b"PK"):
        hint = "; it looks like an old binary .doc: save it as .docx" if data.startswith(b"\xd0\xcf\x11\xe0") else ""
        raise DocxError(f"not a .docx file (not a zip package){hint}")
    try:
        document = open_docx(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise DocxError(f"not a readable .docx file ({err})") from None
    builder = TextBuilder()
    _blocks(document, builder)
    # the title is the first line: the file's title property is often left over from a template
    return builder.content()


def _blocks(container, builder: TextBuilder) -> None:
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            builder.table(_grid(block))
            for row in block.rows:  # tables inside cells come after the row that holds them
                for cell in _unique_cells(row):
                    for inner in cell.tables:
                        builder.table(_grid(inner))
        else:
            builder.paragraph(block.text)


def _grid(table) -> list[list[str | None]]:
    """Rows of the layout grid; a cell merged across columns is None after its first column."""
    grid = []
    for row in table.rows:
        cells: list[str | None] = []
        previous = None
        for cell in row.cells:
            cells.append(None if cell._tc is previous else _cell_text(cell))
            previous = cell._tc
        grid.append(cells)
    return grid


def _unique_cells(row) -> list:
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _cell_text(cell) -> str:
    # paragraphs of a cell on separate lines: tables.py splits unit lists at line breaks too
    return "\n".join(p.text for p in cell.paragraphs)
