"""Task-division tables (任务分工表) -> TaskRows -> assignments.

Plans often state who does what in a table rather than in sentences:

    序号 | 重点任务 | 牵头单位 | 配合单位         | 完成时限
    1    | 加强河道整治 | 市水利局 | 市生态环境局、各区政府 | 2024年底前

The readers (kgraph/readers) give each table as rows of cell texts;
`task_rows` finds the header row (one or two rows: 责任单位 over 牵头/配合),
maps its columns to the measure, the roles and the deadline, and turns each
data row into a `model.TaskRow` whose start/end locate the row's line in
Document.text. `table_assignments` (called by the extractor) makes one
assignment per unit: the task cell is the measure, the unit's column gives the
role, the row is the evidence.
"""
from __future__ import annotations

import re
from typing import Sequence

from .model import ROLES, Assignment, Document, TaskRow
from .segment import split_outside_brackets

# Which column is the measure when a table has several: the most specific wording first.
MEASURE_HEADERS = ("具体任务", "工作任务", "任务内容", "具体措施", "工作措施", "主要措施", "工作内容", "具体内容",
                   "重点任务", "主要任务", "重点工作", "任务", "措施", "事项", "内容", "工作")
DEADLINE_HEADERS = ("完成时限", "完成时间", "完成期限", "时间节点", "时限", "期限", "时间")
# role words in a header; the one written first decides (牵头责任单位 is 牵头)
ROLE_WORDS = {
    "牵头": "lead", "主办": "lead",
    "责任": "responsible", "负责": "responsible", "承办": "responsible", "主责": "responsible",
    "落实": "responsible", "实施主体": "responsible", "实施单位": "responsible", "实施部门": "responsible",
    "配合": "support", "协办": "support", "协助": "support", "参与": "support", "协同": "support",
    "督导": "supervise", "督办": "supervise", "督查": "supervise", "监督": "supervise",
}
HEADER_TAILS = ("单位", "部门", "领导", "主体", "处室", "科室", "责任人", "机构")
INDEX_HEADERS = ("序号", "编号", "序")
MAX_HEADER_LENGTH = 16
HEADER_SEARCH_ROWS = 4

_UNIT_SEPARATORS = "、，,；;\n \t\u3000"
_ROLE_NOTE = re.compile(r"[（(](牵头|负责|配合|协办|督导)[)）]$|(牵头|配合|协办)$")
_NOTE_ROLE = {"牵头": "lead", "负责": "responsible", "配合": "support", "协办": "support", "督导": "supervise"}
_TRAILING_ETC = re.compile(r"等(?:单位|部门|有关单位|相关单位)?$")
_SPACE = re.compile(r"\s+")
_NOTE = re.compile(r"[（(][^（()）]*[)）]")

Cell = str | None  # None: the continuation of a cell merged across columns


def column_kind(header: Cell) -> str:
    """What a header cell names: "measure", "deadline", "index", a role, or "" (anything else)."""
    text = _SPACE.sub("", header or "").strip("*＊:：")
    if not text or len(text) > MAX_HEADER_LENGTH:
        return ""
    if text.startswith(INDEX_HEADERS):
        return "index"
    if any(word in text for word in DEADLINE_HEADERS):
        return "deadline"
    core = _NOTE.sub("", text)  # 责任单位（排第一位的为牵头单位）: the note does not name the column
    hits = [(core.find(word), role) for word, role in ROLE_WORDS.items() if word in core]
    if hits and (core.endswith(HEADER_TAILS) or core in ROLE_WORDS):
        return min(hits)[1]
    if any(word in text for word in MEASURE_HEADERS):
        return "measure"
    return ""


def header_columns(rows: Sequence[Sequence[Cell]]) -> tuple[dict[int, str], int] | None:
    """The column kinds of a task table and the number of header rows, or None if it is not one."""
    for first in range(min(HEADER_SEARCH_ROWS, len(rows))):
        kinds = {i: column_kind(cell) for i, cell in enumerate(rows[first])}
        used = 1
        if first + 1 < len(rows):
            below = {i: column_kind(cell) for i, cell in enumerate(rows[first + 1])}
            # 责任单位 over 牵头单位 | 配合单位: the second row names the roles of merged columns
            if any(kind in ROLES and kinds.get(i) != kind for i, kind in below.items()):
                kinds = {i: below.get(i) or kinds.get(i, "") for i in set(kinds) | set(below)}
                used = 2
        columns = {i: kind for i, kind in kinds.items() if kind and kind != "measure"}
        measure = _measure_column(rows[first:first + used])
        if measure is not None and any(kind in ROLES for kind in columns.values()):
            columns[measure] = "measure"
            return columns, first + used
    return None


def _measure_column(header_rows: Sequence[Sequence[Cell]]) -> int | None:
    """The most specific measure column (具体任务 before 重点任务 before 任务)."""
    best: tuple[int, int] | None = None
    for row in header_rows:
        for i, cell in enumerate(row):
            if column_kind(cell) != "measure":
                continue
            text = _SPACE.sub("", cell or "")
            rank = next(r for r, word in enumerate(MEASURE_HEADERS) if word in text)
            if best is None or rank < best[0]:
                best = (rank, i)
    return None if best is None else best[1]


def task_rows(rows: Sequence[Sequence[Cell]], spans: Sequence[tuple[int, int] | None]) -> list[TaskRow]:
    """The TaskRows of a table (none if it is not a task-division table).

    `spans[i]` is where row i stands in the document text (None for a blank row).
    """
    found = header_columns(rows)
    if found is None:
        return []
    columns, header_count = found
    header_texts = [[_SPACE.sub("", c or "") for c in row] for row in rows[:header_count]]
    measure_column = next(i for i, kind in columns.items() if kind == "measure")
    out: list[TaskRow] = []
    for row, span in zip(rows[header_count:], spans[header_count:]):
        if span is None or [_SPACE.sub("", c or "") for c in row] in header_texts:
            continue  # blank, or the header repeated on a new page
        measure = _cell(row, measure_column)
        if len(measure) < 2:
            continue  # a section row (一、水资源保护 across the whole table) or an empty one
        units: list[tuple[str, str]] = []
        deadline = ""
        for i, kind in sorted(columns.items()):
            value = _cell(row, i)
            if kind == "deadline":
                deadline = value
            elif kind in ROLES:
                units.extend(split_units(row[i] if i < len(row) else "", kind))
        if units:
            out.append(TaskRow(measure=measure, units=tuple(dict.fromkeys(units)), deadline=deadline,
                               start=span[0], end=span[1]))
    return out


def split_units(cell: Cell, role: str) -> list[tuple[str, str]]:
    """(role, unit) for each unit of a cell: 市水利局、市生态环境局 -> two units; 市水利局（牵头）-> lead."""
    out = []
    for part in split_outside_brackets(cell or "", _UNIT_SEPARATORS):
        part = part.strip(" \u3000。.：:")
        note = _ROLE_NOTE.search(part)
        unit_role = role
        if note and len(part) > len(note.group(0)) + 1:
            unit_role = _NOTE_ROLE[note.group(1) or note.group(2)]
            part = part[: note.start()]
        part = _TRAILING_ETC.sub("", part)
        if len(part) >= 2 and not part.isdigit():
            out.append((unit_role, part))
    return out


def _cell(row: Sequence[Cell], index: int) -> str:
    value = row[index] if index < len(row) else None
    return _SPACE.sub(" ", value or "").strip()


def with_table_assignments(document: Document, found: list[Assignment], recogniser=None,
                           split_measure=None) -> list[Assignment]:
    """The extractor's assignments `found`, with those read from the lines of task-table rows replaced
    by the rows' own: a row's columns say who does what, its line is no sentence to parse."""
    if not document.tables:
        return found
    rows = [(row.start, row.end) for row in document.tables]
    kept = [a for a in found if not any(a.start < end and start < a.end for start, end in rows)]
    return sorted(kept + table_assignments(document, recogniser, split_measure), key=lambda a: a.start)


def table_assignments(document: Document, recogniser=None, split_measure=None) -> list[Assignment]:
    """One assignment per unit and duty of each TaskRow; `recogniser` gives canonical names and
    `split_measure` cuts a task cell into its duties (one per verb phrase), as for marker tasks."""
    out = []
    for row in document.tables:
        evidence = document.text[row.start:row.end]
        measures = split_measure(row.measure) if split_measure is not None else [row.measure]
        for measure in measures:
            for role, unit in row.units:
                named = recogniser.classify(unit) if recogniser is not None else None
                out.append(Assignment(
                    doc=document.doc_id, actor=unit, role=role, measure=measure, evidence=evidence,
                    start=row.start, end=row.end, deadline=row.deadline,
                    canonical_actor=named.canonical if named else unit,
                    actor_kind=named.kind if named else "organisation"))
    return out
