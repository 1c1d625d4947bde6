"""The dataclasses that flow between pipeline stages.

read -> Document; segment -> Paragraph/Sentence/Clause (character offsets into
Document.text); extract -> Assignment (surface forms and evidence);
normalise -> Assignment with canonical actor filled in.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("lead", "responsible", "support", "supervise")
ROLE_LABELS_ZH = {"lead": "牵头", "responsible": "负责", "support": "配合", "supervise": "督导"}
ACTOR_KINDS = ("organisation", "post", "collective")


@dataclass(frozen=True)
class Document:
    """One input document, decoded to text.

    `doc_id` is the file name without extension (what the gold files and the
    scorer use); `checksum` is the sha256 of the decoded text, so re-encoding a
    file does not count as a change.
    """

    doc_id: str
    text: str
    source: str = ""
    title: str = ""
    checksum: str = ""
    # Rows of task-division tables (docx) that carry their own columns; see read.py.
    tables: tuple["TaskRow", ...] = ()


@dataclass(frozen=True)
class TaskRow:
    """One row of a task-division table: the task text and the units per role column."""

    measure: str
    units: tuple[tuple[str, str], ...]  # (role, unit surface form)
    deadline: str = ""
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Clause:
    """A stretch of a sentence between clause punctuation (，；：,;:)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence with its clauses; offsets are into Document.text."""

    text: str
    start: int
    end: int
    paragraph: int
    clauses: tuple[Clause, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    text: str
    start: int
    end: int
    index: int


@dataclass(frozen=True)
class Assignment:
    """Actor `actor` has role `role` for measure `measure`, stated in `evidence`.

    `start`/`end` locate the evidence sentence in the document text; `actor`
    and `measure` are copied from the text (surface forms). `canonical_actor`
    and `actor_kind` are filled in by normalisation.
    """

    doc: str
    actor: str
    role: str
    measure: str
    evidence: str
    start: int
    end: int
    deadline: str = ""
    negated: bool = False
    canonical_actor: str = ""
    actor_kind: str = ""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; expected one of {', '.join(ROLES)}")


@dataclass
class DocumentResult:
    """What extraction produced for one document (the unit of parallel work)."""

    document: Document
    sentences: int
    assignments: list[Assignment] = field(default_factory=list)


class KgraphError(Exception):
    """A user-facing error: the CLI prints its message as one line, no traceback."""
