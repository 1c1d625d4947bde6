"""Where a built graph lives, and how everything downstream reads it.

`open_store(location)` accepts what users pass as GRAPH on the command line: a
graph file (.ttl, .nt, .jsonld, .nq, .trig), or the output folder of `kgraph
build`. Every reader downstream of extraction (query, render, matrix, serve)
goes through `Store.select` / `Store.query`, so they work the same on every
backend. Results are rdflib terms whatever the engine.

Engines (measured in bench/sparql_bench.py, figures in the README):
- "oxigraph" (the default when pyoxigraph is installed): pyoxigraph, the Rust
  SPARQL engine. A graph file is loaded into an in-memory pyoxigraph store; a
  build folder written with `kgraph build --store oxigraph` holds an on-disk
  store (OUTDIR/oxigraph) that is opened read-only, without parsing anything.
  Oxigraph keeps numbers as values: an xsd:nonNegativeInteger (oa:start) comes
  back as an xsd:integer of the same value.
- "rdflib": rdflib's in-memory graph and SPARQL engine (pure Python).

Standard prefixes (kg:, kgi:, prov:, org:, oa:, skos:, rdfs:, rdf:, dcterms:,
xsd:, owl:) are predeclared for every query; a query's own PREFIX wins.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Protocol

from .model import KgraphError

GRAPH_FORMATS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt", ".jsonld": "json-ld",
    ".json": "json-ld", ".nq": "nquads", ".trig": "trig", ".rdf": "xml", ".owl": "xml", ".xml": "xml",
}
BUILD_GRAPH_FILE = "graph.ttl"
STORE_DIR = "oxigraph"                 # OUTDIR/oxigraph: the on-disk store of `kgraph build --store oxigraph`
STORE_MANIFEST = "kgraph-store.json"   # inside it: which graph.ttl the store holds, and its layout
DOCUMENT_GRAPHS = "documents"          # the layout of a build's store: one named graph per document (store_build)
ENGINES = ("oxigraph", "rdflib")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class StoreError(KgraphError):
    pass


class QueryError(StoreError):
    """A query the engine cannot parse or run; `line`/`column` (1-based) locate a syntax error."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column

    def located(self, source: str) -> "QueryError":
        """The same error, its message naming `source` (a file name, a named query, 'the query')."""
        where = f", line {self.line}, column {self.column}" if self.line is not None else ""
        kind = "SPARQL syntax error" if self.line is not None else "SPARQL error"
        return QueryError(f"{source}{where}: {kind}: {self.message}", self.line, self.column)


@dataclass
class ResultTable:
    """What a query returned, as rdflib terms.

    `kind` is "select" (`rows[i][j]` is the term bound to `variables[j]`, or None), "ask"
    (`boolean`; no rows) or "graph" for CONSTRUCT/DESCRIBE (rows of subject, predicate, object).
    `truncated` is true when a row limit cut the result.
    """

    variables: list[str]
    rows: list[tuple] = field(default_factory=list)
    kind: str = "select"
    boolean: bool | None = None
    truncated: bool = False

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
    engine: str

    def query(self, sparql: str, limit: int | None = None) -> ResultTable: ...

    def select(self, sparql: str, limit: int | None = None) -> ResultTable: ...

    def ask(self, sparql: str) -> bool: ...

    def triple_count(self) -> int: ...

    def close(self) -> None: ...


class _Queries:
    """select/ask on top of an engine's `query`."""

    def select(self, sparql: str, limit: int | None = None) -> ResultTable:
        result = self.query(sparql, limit)
        if result.kind != "select":
            raise QueryError(f"expected a SELECT query, got {'ASK' if result.kind == 'ask' else 'CONSTRUCT'}")
        return result

    def ask(self, sparql: str) -> bool:
        result = self.query(sparql)
        if result.kind != "ask":
            raise QueryError("expected an ASK query")
        return bool(result.boolean)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class DocumentGraphs(_Queries):
    """The documents of a store laid out one named graph per document (kgraph.endpoint, kgraph.store_build)."""

    def documents(self) -> dict[str, tuple[str, str]]:
        """id -> (checksum, source) of the documents, each read in its own named graph."""
        table = self.select("SELECT ?id ?checksum ?source WHERE { GRAPH ?g { ?g a kg:Document ; "
                            "dcterms:identifier ?id ; kg:checksum ?checksum . "
                            "OPTIONAL { ?g dcterms:source ?source } } }")
        return {row["id"]: (row["checksum"], row["source"] or "") for row in table.dicts()}

    def counts(self) -> tuple[int, int, int]:
        """(documents, actors, measures) over all the graphs."""
        table = self.select("SELECT (COUNT(DISTINCT ?d) AS ?docs) (COUNT(DISTINCT ?a) AS ?actors) "
                            "(COUNT(DISTINCT ?m) AS ?measures) WHERE { GRAPH ?g { "
                            "{ ?d a kg:Document } UNION { ?a a kg:Actor } UNION { ?m a kg:Measure } } }")
        return tuple(int(value) for value in table.rows[0]) if table.rows else (0, 0, 0)

    def writer(self):
        """A kgraph.endpoint.GraphWriter: replaces and drops documents' graphs through `self.update`."""
        from .endpoint import GraphWriter

        return GraphWriter(self)


class MemoryStore(_Queries):
    """An rdflib in-memory graph (rdflib's SPARQL engine)."""

    engine = "rdflib"

    def __init__(self, graph, location: str = ""):
        self.graph = graph
        self.location = location

    @classmethod
    def from_file(cls, path: Path) -> "MemoryStore":
        from rdflib import Dataset, Graph

        fmt = _graph_format(path)
        graph = Dataset(default_union=True) if fmt in ("nquads", "trig") else Graph()
        try:
            graph.parse(str(path), format=fmt)
        except FileNotFoundError:
            raise StoreError(f"{path}: no such graph file") from None
        except Exception as err:  # rdflib raises many parser-specific types
            raise StoreError(f"{path}: cannot parse as {fmt}: {_one_line(err)}") from None
        return cls(graph, str(path))

    def query(self, sparql: str, limit: int | None = None) -> ResultTable:
        from .namespace import PREFIXES

        try:
            result = self.graph.query(sparql, initNs=PREFIXES)
            if result.type == "ASK":
                return ResultTable([], kind="ask", boolean=bool(result.askAnswer))
            if result.type == "SELECT":
                variables = [str(v) for v in result.vars]
                rows, truncated = _take((tuple(row) for row in result), limit)
                return ResultTable(variables, rows, truncated=truncated)
            rows, truncated = _take(iter(result.graph), limit)
            return ResultTable(["subject", "predicate", "object"], rows, kind="graph", truncated=truncated)
        except Exception as err:  # pyparsing.ParseException, rdflib's plain Exceptions
            raise _rdflib_error(err, sparql) from None

    def triple_count(self) -> int:
        return len(self.graph)

    def close(self) -> None:
        pass


class OxigraphStore(DocumentGraphs):
    """A pyoxigraph store: in memory (loaded from a graph file) or on disk (opened read-only)."""

    engine = "oxigraph"

    def __init__(self, ox_store, location: str = "", path: Path | None = None):
        self.store = ox_store
        self.location = location
        self.path = path  # the on-disk store folder, None when in memory
        self._graph = None

    @classmethod
    def from_file(cls, path: Path) -> "OxigraphStore":
        import pyoxigraph as ox

        fmt = _graph_format(path)
        ox_format = _OX_FORMATS.get(fmt)
        if ox_format is None:  # a format pyoxigraph does not read: parse with rdflib, copy over
            memory = MemoryStore.from_file(path)
            store = ox.Store()
            store.extend(_to_ox_quads(memory.graph))
            return cls(store, str(path))
        store = ox.Store()
        try:
            store.bulk_load(path=str(path), format=getattr(ox.RdfFormat, ox_format))
        except FileNotFoundError:
            raise StoreError(f"{path}: no such graph file") from None
        except (SyntaxError, ValueError, OSError) as err:
            raise StoreError(f"{path}: cannot parse as {fmt}: {_one_line(err)}") from None
        return cls(store, str(path))

    @classmethod
    def open(cls, folder: Path, location: str = "") -> "OxigraphStore":
        """The on-disk store in `folder` (written by `write_store`), read-only."""
        import pyoxigraph as ox

        try:
            store = ox.Store.read_only(str(folder))
        except OSError as err:
            raise StoreError(f"{folder}: cannot open the oxigraph store: {_one_line(err)}; "
                             f"rebuild it with `kgraph build --store oxigraph`") from None
        return cls(store, location or str(folder), Path(folder))

    def query(self, sparql: str, limit: int | None = None) -> ResultTable:
        import pyoxigraph as ox

        try:
            result = self.store.query(sparql, prefixes=_ox_prefixes(), use_default_graph_as_union=True)
            if isinstance(result, ox.QueryBoolean):
                return ResultTable([], kind="ask", boolean=bool(result))
            convert = _TermConverter()
            if isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                width = range(len(variables))
                rows, truncated = _take((tuple(convert(solution[i]) for i in width) for solution in result), limit)
                return ResultTable(variables, rows, truncated=truncated)
            rows, truncated = _take(((convert(t.subject), convert(t.predicate), convert(t.object))
                                     for t in result), limit)
            return ResultTable(["subject", "predicate", "object"], rows, kind="graph", truncated=truncated)
        except SyntaxError as err:
            raise _oxigraph_syntax_error(str(err), sparql) from None
        except (OSError, RuntimeError, ValueError, TypeError) as err:
            raise QueryError(_one_line(err)) from None

    @property
    def graph(self):
        """The data as an rdflib Graph, for rdflib-only code (SHACL validation).

        Parsed from the graph file the store was loaded from when there is one: Oxigraph keeps
        numbers as values (xsd:nonNegativeInteger "7" comes back as xsd:integer 7), the file keeps
        the terms as written. Otherwise copied out of the store.
        """
        if self._graph is None:
            source = self.source_file()
            if source is not None:
                self._graph = MemoryStore.from_file(source).graph
            else:
                from rdflib import Dataset

                self._graph = Dataset(default_union=True)
                convert = _TermConverter()
                for quad in self.store:
                    self._graph.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
        return self._graph

    def source_file(self) -> Path | None:
        """The graph file behind this store: the file loaded, or the build folder's graph.ttl."""
        location = Path(self.location)
        if location.is_dir():
            location = location / BUILD_GRAPH_FILE
        return location if location.is_file() and location.suffix.lower() in GRAPH_FORMATS else None

    def triple_count(self) -> int:
        return len(self.store)

    def close(self) -> None:
        self._graph = None
        self.store = None


def open_store(location: str | Path, engine: str | None = None) -> Store:
    """The store behind GRAPH: a graph file or a `kgraph build` output folder.

    A build folder with a current on-disk store (OUTDIR/oxigraph) opens that store; otherwise
    the graph file is loaded with `engine` ("oxigraph" or "rdflib"; default: oxigraph when
    pyoxigraph is installed).
    """
    if str(location).lower().startswith(("http://", "https://")):  # a SPARQL server (kgraph.endpoint)
        from .endpoint import EndpointStore

        return EndpointStore(str(location))
    path = Path(location)
    engine = engine or default_engine()
    if engine not in ENGINES:
        raise StoreError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if path.is_dir():
        candidate = path / BUILD_GRAPH_FILE
        store_dir = path / STORE_DIR
        if engine == "oxigraph" and store_is_current(store_dir, candidate):
            return OxigraphStore.open(store_dir, str(path))
        if candidate.exists():
            return _load_file(candidate, engine)
        if (store_dir / STORE_MANIFEST).exists():
            return OxigraphStore.open(store_dir, str(path))
        raise StoreError(f"{path}: folder has no {BUILD_GRAPH_FILE}; pass a graph file or a `kgraph build` output folder")
    if not path.exists():
        raise StoreError(f"{path}: no such graph file or folder")
    return _load_file(path, engine)


def default_engine() -> str:
    """oxigraph when pyoxigraph is installed (it is a dependency of kgraph), else rdflib."""
    import importlib.util

    return "oxigraph" if importlib.util.find_spec("pyoxigraph") is not None else "rdflib"


def _load_file(path: Path, engine: str) -> Store:
    _graph_format(path)  # unknown extension: one clear line before any engine runs
    return OxigraphStore.from_file(path) if engine == "oxigraph" else MemoryStore.from_file(path)


# ---------------------------------------------------------------- the on-disk store

def write_store(graph_file: str | Path, store_dir: str | Path) -> Path:
    """Load `graph_file` into a new on-disk pyoxigraph store at `store_dir` (replacing one there).

    The store is written next to its destination and renamed into place, and carries a manifest
    naming the graph file it was loaded from, so `open_store` uses it only while that file is
    unchanged.
    """
    import pyoxigraph as ox

    graph_file, store_dir = Path(graph_file), Path(store_dir)
    ox_format = _OX_FORMATS.get(_graph_format(graph_file))
    if ox_format is None:
        raise StoreError(f"{graph_file}: the oxigraph store reads Turtle, N-Triples, N-Quads, TriG, "
                         f"JSON-LD or RDF/XML; convert the file first")
    temp = store_dir.with_name(f".{store_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(temp, ignore_errors=True)
    try:
        store = ox.Store(str(temp))
        try:
            store.bulk_load(path=str(graph_file), format=getattr(ox.RdfFormat, ox_format))
        except (SyntaxError, ValueError) as err:
            raise StoreError(f"{graph_file}: cannot load into the oxigraph store: {_one_line(err)}") from None
        store.flush()
        del store  # closes the RocksDB database
        write_manifest(temp, graph_file)
        old = store_dir.with_name(f".{store_dir.name}.old-{os.getpid()}")
        if store_dir.exists():
            os.replace(store_dir, old)
        os.replace(temp, store_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return store_dir


def store_kind(outdir: str | Path, kind: str | None) -> str:
    """The store a build into OUTDIR writes: `kind` ("oxigraph" or "memory"), or None: what OUTDIR has now."""
    if kind is None:
        return "oxigraph" if (Path(outdir) / STORE_DIR / STORE_MANIFEST).exists() else "memory"
    if kind not in ("memory", "oxigraph"):
        raise StoreError(f"unknown store {kind!r}; use memory or oxigraph")
    return kind


def write_manifest(store_dir: Path, graph_file: Path, layout: str | None = None) -> None:
    """Record in `store_dir` which graph file the store holds (and, for a build's store, its layout)."""
    manifest = _fingerprint(graph_file) | ({"layout": layout} if layout else {})
    (store_dir / STORE_MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


def has_document_graphs(store_dir: Path, graph_file: Path) -> bool:
    """True when `store_dir` is a current store of `graph_file` with one named graph per document."""
    try:
        manifest = json.loads((store_dir / STORE_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return manifest.get("layout") == DOCUMENT_GRAPHS and store_is_current(store_dir, graph_file)


def store_is_current(store_dir: Path, graph_file: Path) -> bool:
    """True when `store_dir` holds a store loaded from `graph_file` as it is now."""
    try:
        manifest = json.loads((store_dir / STORE_MANIFEST).read_text(encoding="utf-8"))
        stat = graph_file.stat()
    except (OSError, ValueError):
        return False
    if manifest.get("size") != stat.st_size:
        return False
    if manifest.get("mtime_ns") == stat.st_mtime_ns:
        return True
    return manifest.get("sha256") == _sha256(graph_file)  # copied or touched, same content


def _fingerprint(path: Path) -> dict:
    stat = path.stat()
    return {"graph": path.name, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": _sha256(path)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------- helpers

_OX_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG", "json-ld": "JSON_LD",
               "xml": "RDF_XML"}


def _graph_format(path: Path) -> str:
    fmt = GRAPH_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise StoreError(f"{path}: unknown graph format {path.suffix or '(none)'}; "
                         f"use one of {', '.join(sorted(GRAPH_FORMATS))} or a `kgraph build` output folder")
    return fmt


def _take(items: Iterator, limit: int | None) -> tuple[list, bool]:
    """At most `limit` items (all when None), and whether there were more."""
    if limit is None:
        return list(items), False
    rows = []
    for item in items:
        if len(rows) == limit:
            return rows, True
        rows.append(item)
    return rows, False


_PREFIXES: dict[str, str] = {}


def _ox_prefixes() -> dict[str, str]:
    if not _PREFIXES:
        from .namespace import PREFIXES

        _PREFIXES.update({name: str(ns) for name, ns in PREFIXES.items()})
    return _PREFIXES


class _TermConverter:
    """pyoxigraph terms -> rdflib terms (plain literals for xsd:string, as rdflib parses them), memoised."""

    def __init__(self):
        from rdflib import BNode, Literal, URIRef

        self.cache: dict = {}
        self.URIRef, self.Literal, self.BNode = URIRef, Literal, BNode

    def __call__(self, term):
        if term is None:
            return None
        try:
            return self.cache[term]
        except KeyError:
            pass
        kind = type(term).__name__
        if kind == "NamedNode":
            value = self.URIRef(term.value)
        elif kind == "Literal":
            if term.language:
                value = self.Literal(term.value, lang=term.language)
            elif term.datatype.value == XSD_STRING:
                value = self.Literal(term.value)
            else:
                value = self.Literal(term.value, datatype=self.URIRef(term.datatype.value))
        elif kind == "BlankNode":
            value = self.BNode(term.value)
        else:  # an RDF-star triple term
            value = self.Literal(str(term))
        if len(self.cache) < 100_000:
            self.cache[term] = value
        return value


def _to_ox_quads(graph) -> Iterable:
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    def term(t):
        if isinstance(t, URIRef):
            return ox.NamedNode(str(t))
        if isinstance(t, BNode):
            return ox.BlankNode(str(t))
        return ox.Literal(str(t), language=t.language,
                          datatype=ox.NamedNode(str(t.datatype)) if t.datatype and not t.language else None)

    for s, p, o in graph:
        yield ox.Quad(term(s), term(p), term(o))


_OX_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)


def _oxigraph_syntax_error(text: str, query: str = "", line_offset: int = 0) -> QueryError:
    """Oxigraph's "error at L:C: expected ..." as a QueryError located in `query`.

    Oxigraph often places the error at the end of the text; rdflib's parser names the clause that
    failed, so its position (and the text there) is given when it also rejects the query.
    `line_offset` counts lines put before the user's query (a prologue of prefixes).
    """
    match = _OX_POSITION.match(text)
    if not match:
        return QueryError(_one_line(text))
    line, column, message = int(match.group(1)) - line_offset, int(match.group(2)), match.group(3)
    if "Prefix not found" in message:
        return QueryError(_UNKNOWN_PREFIX, max(line, 1), column)
    located = _rdflib_position(query) if query else None
    if located is not None:
        line, column = located
    return QueryError(_short(message) + _near(query, line, column), max(line, 1), column)


def _rdflib_position(query: str) -> tuple[int, int] | None:
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(query)
    except Exception as err:  # pyparsing.ParseException
        if getattr(err, "lineno", None) is not None and getattr(err, "col", None) is not None:
            return err.lineno, err.col
    return None


def _near(query: str, line: int, column: int) -> str:
    """' (near “…”)': the query text at line/column, up to 24 characters."""
    lines = query.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    snippet = lines[line - 1][max(column - 1, 0):].strip()
    if not snippet:
        return ""
    return f" (near “{snippet[:24]}{'…' if len(snippet) > 24 else ''}”)"


_UNKNOWN_PREFIX = ("unknown prefix: declare it with PREFIX name: <iri> (kg:, kgi:, prov:, org:, oa:, skos:, "
                   "rdfs:, rdf:, dcterms:, xsd: and owl: are predeclared)")


def _rdflib_error(err: Exception, query: str) -> QueryError:
    line, column = getattr(err, "lineno", None), getattr(err, "col", None)
    if line is not None and column is not None:  # pyparsing.ParseException
        return QueryError(_short(getattr(err, "msg", str(err))) + _near(query, line, column), line, column)
    text = _one_line(err)
    if text.startswith("Unknown namespace prefix"):
        return QueryError(_UNKNOWN_PREFIX)
    return QueryError(text)


def _short(message: str) -> str:
    """The parser's message on one line, without the long lists of expected characters."""
    message = _one_line(message)
    return message if len(message) <= 160 else message[:157] + "…"


def _one_line(err: object) -> str:
    return " ".join(str(err).split())[:300]
