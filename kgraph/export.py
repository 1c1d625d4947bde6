"""Assignments -> TSV / CSV / JSON Lines, the format `../shared/tools/score.py` reads."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import IO, Iterable

from .model import Assignment

COLUMNS = ("doc", "actor", "role", "measure", "evidence", "start", "end",
           "deadline", "negated", "canonical_actor", "actor_kind")
FORMATS = ("tsv", "csv", "jsonl")
TSV_HEADER = "\t".join(COLUMNS) + "\n"


def _record(a: Assignment) -> dict:
    record = asdict(a)
    return {column: record[column] for column in COLUMNS}


def _flat(value: object) -> str:
    # one record per line: tabs and line breaks inside evidence would break TSV readers
    text = "true" if value is True else "false" if value is False else str(value)
    return text.replace("\t", " ").replace("\r", "").replace("\n", "")


def tsv_row(a: Assignment) -> str:
    """One line of assignments.tsv."""
    record = _record(a)
    return "\t".join(_flat(record[c]) for c in COLUMNS) + "\n"


def write_assignments(assignments: Iterable[Assignment], handle: IO[str], fmt: str = "tsv") -> int:
    """Write assignments to an open text handle; returns how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    count = 0
    if fmt == "jsonl":
        for a in assignments:
            handle.write(json.dumps(_record(a), ensure_ascii=False) + "\n")
            count += 1
        return count
    if fmt == "tsv":
        handle.write(TSV_HEADER)
        for a in assignments:
            handle.write(tsv_row(a))
            count += 1
        return count
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(COLUMNS)
    for a in assignments:
        record = _record(a)
        writer.writerow([_flat(record[c]) for c in COLUMNS])
        count += 1
    return count


def assignments_text(assignments: Iterable[Assignment], fmt: str = "tsv") -> str:
    buffer = io.StringIO()
    write_assignments(assignments, buffer, fmt)
    return buffer.getvalue()
