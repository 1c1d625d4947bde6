"""Where a built graph lives, and how everything downstream reads it.

`open_store(location)` accepts what users pass as GRAPH on the command line: a
graph file (.ttl, .nt, .jsonld, .nq, .trig), or the output folder of `kgraph
build`. Every reader downstream of extraction (query, render, matrix, serve)
goes through `Store.select`, so they work the same on every backend.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Protocol

from .model import KgraphError

GRAPH_FORMATS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt", ".jsonld": "json-ld",
    ".json": "json-ld", ".nq": "nquads", ".trig": "trig", ".rdf": "xml", ".owl": "xml", ".xml": "xml",
}
BUILD_GRAPH_FILE = "graph.ttl"


class StoreError(KgraphError):
    pass


@dataclass
class ResultTable:
    """Rows of a SELECT query: `rows[i][j]` is the rdflib term bound to `variables[j]`, or None."""

    variables: list[str]
    rows: list[tuple] = field(default_factory=list)

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> list[dict[str, str | None]]:
        """Rows as dicts of plain strings (None for unbound), for code that does not want rdflib terms."""
        return [{v: (None if t is None else str(t)) for v, t in zip(self.variables, row)} for row in self.rows]

    def column(self, name: str) -> list[str | None]:
        index = self.variables.index(name)
        return [None if row[index] is None else str(row[index]) for row in self.rows]


class Store(Protocol):
    location: str

    def select(self, sparql: str) -> ResultTable: ...

    def ask(self, sparql: str) -> bool: ...

    def triple_count(self) -> int: ...

    def close(self) -> None: ...


class MemoryStore:
    """An rdflib in-memory graph loaded from a file."""

    def __init__(self, graph, location: str = ""):
        self.graph = graph
        self.location = location

    @classmethod
    def from_file(cls, path: Path) -> "MemoryStore":
        from rdflib import Dataset, Graph

        fmt = GRAPH_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise StoreError(f"{path}: unknown graph format {path.suffix or '(none)'}; "
                             f"use one of {', '.join(sorted(GRAPH_FORMATS))} or a `kgraph build` output folder")
        graph = Dataset(default_union=True) if fmt in ("nquads", "trig") else Graph()
        try:
            graph.parse(str(path), format=fmt)
        except FileNotFoundError:
            raise StoreError(f"{path}: no such graph file") from None
        except Exception as err:  # rdflib raises many parser-specific types
            raise StoreError(f"{path}: cannot parse as {fmt}: {_one_line(err)}") from None
        return cls(graph, str(path))

    def select(self, sparql: str) -> ResultTable:
        result = self.graph.query(sparql)
        if result.type != "SELECT":
            raise StoreError(f"expected a SELECT query, got {result.type}")
        variables = [str(v) for v in result.vars]
        return ResultTable(variables, [tuple(row) for row in result])

    def ask(self, sparql: str) -> bool:
        return bool(self.graph.query(sparql).askAnswer)

    def triple_count(self) -> int:
        return len(self.graph)

    def close(self) -> None:
        pass


def open_store(location: str | Path) -> Store:
    """The store behind GRAPH: a graph file or a `kgraph build` output folder."""
    path = Path(location)
    if path.is_dir():
        candidate = path / BUILD_GRAPH_FILE
        if candidate.exists():
            return MemoryStore.from_file(candidate)
        raise StoreError(f"{path}: folder has no {BUILD_GRAPH_FILE}; pass a graph file or a `kgraph build` output folder")
    if not path.exists():
        raise StoreError(f"{path}: no such graph file or folder")
    return MemoryStore.from_file(path)


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())[:300]
