"""One reader per file format: bytes of a file -> `Content` (decoded text, title, task-table rows).

Each module has `read(path, data) -> Content` and imports its parser inside
the function, so that importing kgraph stays fast. kgraph/read.py picks the
reader by file suffix and turns Content into a Document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import TaskRow

PARAGRAPH_BREAK = "\n\n"  # docx and html know their paragraphs: a blank line keeps them apart for segment.py
CELL_SEPARATOR = "\t"
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


@dataclass
class Content:
    text: str
    title: str = ""
    tables: tuple[TaskRow, ...] = ()


@dataclass
class TextBuilder:
    """Collects paragraphs and table rows in reading order, keeping offsets of table rows.

    A table row becomes one line with its cells separated by a tab, so the
    rows of task-division tables (see kgraph/tables.py) have evidence offsets
    into the document text.
    """

    parts: list[str] = field(default_factory=list)
    length: int = 0
    tables: list[TaskRow] = field(default_factory=list)

    def paragraph(self, text: str, clean: bool = True) -> tuple[int, int] | None:
        """Add one paragraph; returns its (start, end) in the text, or None when it is blank."""
        text = clean_line(text) if clean else text
        if not text:
            return None
        if self.parts:
            self.parts.append(PARAGRAPH_BREAK)
            self.length += len(PARAGRAPH_BREAK)
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def table(self, grid: list[list[str | None]]) -> None:
        """Add a table given as rows of cell texts (None: a cell merged with the one on its left).

        Task-division tables also give TaskRows.
        """
        from ..tables import task_rows

        spans: list[tuple[int, int] | None] = []
        for row in grid:
            cells = [clean_line(cell) for cell in row if cell is not None]
            spans.append(self.paragraph(CELL_SEPARATOR.join(cell for cell in cells if cell), clean=False))
        self.tables.extend(task_rows(grid, spans))

    def content(self, title: str = "") -> Content:
        return Content("".join(self.parts), clean_line(title), tuple(self.tables))


def clean_line(text: str) -> str:
    """One line of text: line breaks and runs of spaces become one space, no space at the ends."""
    return _SPACES.sub(" ", text.replace("\r", " ").replace("\n", " ").replace("\x0b", " ")).strip()
