"""Files -> Documents.

`iter_documents` expands folders recursively and yields one `ReadResult` per
file, so a build streams documents and never holds all texts at once. The
reader is chosen by file suffix (kgraph/readers): plain text in any encoding
Chinese texts come in, Word .docx (paragraphs and tables), PDF with a text
layer, HTML pages. A file that cannot be read gives a ReadResult with the
reason instead of a Document; it never stops the other files.

Document ids: a document's id is its file name without extension (what the
gold files and `kgraph remove` use). When one run reads two files with the
same name from different folders, the later one (in input order) gets the
name of its folder appended (`notice~2023`), then a short hash of its path if
that is taken too. `DocIds` also knows the documents of an existing build, so
`build --update` gives a file the id it had before.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .model import Document, KgraphError

TEXT_SUFFIXES = {".txt", ".md", ".text"}
READERS = {
    **{suffix: "text" for suffix in TEXT_SUFFIXES},
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
}
SUPPORTED_SUFFIXES = set(READERS)
# documents people keep beside the ones kgraph reads: reported when found in a folder, not skipped silently
UNSUPPORTED_DOCUMENTS = {
    ".doc": "save it as .docx", ".wps": "save it as .docx", ".rtf": "save it as .docx", ".odt": "save it as .docx",
    ".ofd": "export it as PDF", ".caj": "export it as PDF", ".xps": "export it as PDF",
    ".xls": "kgraph reads tables in .docx files", ".xlsx": "kgraph reads tables in .docx files",
    ".et": "kgraph reads tables in .docx files",
}
ID_SEPARATOR = "~"


class ReadError(KgraphError):
    """A file that cannot be read; the message names the file and the reason."""


@dataclass(frozen=True)
class ReadResult:
    path: Path
    document: Document | None = None
    error: str = ""


@dataclass
class DocIds:
    """Gives each input file a document id that is unique in the build (see the module docstring).

    `known` maps the ids of documents already in a build to their source paths.
    """

    known: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._by_source = {_same_file_key(source): doc_id for doc_id, source in self.known.items()}

    def assign(self, path: Path) -> str:
        doc_id = self._by_source.get(_same_file_key(str(path)))
        if doc_id is None or doc_id in self.used:
            doc_id = path.stem
            if doc_id in self.used:
                doc_id = f"{path.stem}{ID_SEPARATOR}{path.resolve().parent.name}"
            if doc_id in self.used:
                digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:8]
                doc_id = f"{path.stem}{ID_SEPARATOR}{digest}"
        self.used.add(doc_id)
        return doc_id


def _same_file_key(source: str) -> str:
    return os.path.normcase(os.path.abspath(source))


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named directly, and readable files found recursively in folders, in a stable order.

    Hidden files and folders are skipped; so are files of other kinds found in folders, except
    documents kgraph cannot read (.doc, .wps, …), which are listed so that they get reported.
    A path that does not exist is a mistake in the command: ReadError before anything is read.
    A file named twice (or named and inside a folder named) is read once.
    """
    files: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and _wanted_in_folder(p)
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        elif path.exists():
            files.append(path)
        else:
            raise ReadError(f"{path}: no such file or folder")
    unique: dict[str, Path] = {}
    for file in files:
        unique.setdefault(_same_file_key(str(file)), file)
    return list(unique.values())


def _wanted_in_folder(path: Path) -> bool:
    """Documents; not the README or licence files that sit beside a collection (name them to read them)."""
    if path.stem in ("README", "LICENSE", "LICENCE"):
        return False
    suffix = path.suffix.lower()
    return suffix in SUPPORTED_SUFFIXES or suffix in UNSUPPORTED_DOCUMENTS


def iter_documents(inputs: Iterable[str | Path], ids: DocIds | None = None,
                   files: list[Path] | None = None) -> Iterator[ReadResult]:
    """One ReadResult per input file (`files`: the inputs already expanded)."""
    ids = ids if ids is not None else DocIds()
    for path in files if files is not None else expand_inputs(inputs):
        try:
            document = read_document(path, doc_id=ids.assign(path))
        except ReadError as err:
            yield ReadResult(path, error=str(err))
        else:
            yield ReadResult(path, document)


def read_document(path: str | Path, doc_id: str | None = None) -> Document:
    """The Document of one file; raises ReadError naming the file and the reason."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise ReadError(f"{path}: no such file or folder")
    if suffix not in READERS:
        hint = UNSUPPORTED_DOCUMENTS.get(suffix, f"kgraph reads {', '.join(sorted(SUPPORTED_SUFFIXES))}")
        raise ReadError(f"{path}: unsupported file type {path.suffix or '(no extension)'}; {hint}")
    if path.is_dir():
        raise ReadError(f"{path}: is a folder")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadError(f"{path}: no such file or folder") from None
    except OSError as err:
        raise ReadError(f"{path}: cannot read ({err.strerror or err})") from None
    if not data.strip():
        raise ReadError(f"{path}: the file is empty")
    content = _read_content(path, READERS[suffix], data)
    return make_document(path, content.text, content.title, content.tables, doc_id=doc_id)


def _read_content(path: Path, reader: str, data: bytes):
    import importlib

    module = importlib.import_module(f".readers.{reader}", __package__)
    try:
        return module.read(path, data)
    except ValueError as err:  # the readers' own errors (DecodeError, DocxError, PdfError …)
        raise ReadError(f"{path}: {err}") from None
    except RecursionError:
        raise ReadError(f"{path}: nested too deeply to read") from None
    except Exception as err:  # a parser library failing on a damaged file must not stop the build
        raise ReadError(f"{path}: cannot read as {reader} ({type(err).__name__}: {_one_line(err)})") from None


def make_document(path: str | Path, text: str, title: str = "", tables=(), doc_id: str | None = None) -> Document:
    """A Document for decoded `text`: id from the file name, title from the first line, sha256 checksum.

    Line breaks are normalised to \\n; readers that give `tables` produce text without \\r, so the
    tables' offsets stay valid.
    """
    path = Path(path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadError(f"{path}: the file has no text")
    if not title:
        title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    title = title[:200]
    checksum = "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return Document(doc_id=doc_id or path.stem, text=text, source=str(path), title=title,
                    checksum=checksum, tables=tuple(tables))


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())[:200]
