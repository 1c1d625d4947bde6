"""Files -> Documents.

`iter_documents` expands folders recursively and yields one `ReadResult` per
file, so a build streams documents and never holds all texts at once.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .model import Document, KgraphError

TEXT_SUFFIXES = {".txt", ".md", ".text"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES


class ReadError(KgraphError):
    """A file that cannot be read; the message names the file and the reason."""


@dataclass(frozen=True)
class ReadResult:
    path: Path
    document: Document | None = None
    error: str = ""


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named directly, and supported files found recursively in folders, in a stable order."""
    files: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        elif path.exists():
            files.append(path)
        else:
            raise ReadError(f"{path}: no such file or folder")
    return files


def iter_documents(inputs: Iterable[str | Path]) -> Iterator[ReadResult]:
    for path in expand_inputs(inputs):
        try:
            yield ReadResult(path, read_document(path))
        except ReadError as err:
            yield ReadResult(path, error=str(err))


def read_document(path: str | Path) -> Document:
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ReadError(f"{path}: unsupported file type {path.suffix or '(none)'}; "
                        f"kgraph reads {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReadError(f"{path}: cannot read ({err.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    return make_document(path, text)


def make_document(path: str | Path, text: str, title: str = "", tables=()) -> Document:
    """A Document for decoded `text`: id from the file name, title from the first line, sha256 checksum."""
    path = Path(path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadError(f"{path}: the file has no text")
    if not title:
        title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)[:200]
    checksum = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(doc_id=path.stem, text=text, source=str(path), title=title,
                    checksum=checksum, tables=tuple(tables))
