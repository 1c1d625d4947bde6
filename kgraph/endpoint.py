"""The graph on an existing SPARQL server: `kgraph build --sparql-endpoint URL`, and URL as GRAPH.

For graphs that outgrow one process's memory, or that many people query at
once, the graph lives on a SPARQL 1.1 server (Oxigraph, Apache Jena Fuseki,
GraphDB, Virtuoso …) and kgraph talks to it over HTTP with the SPARQL 1.1
Protocol (queries) and SPARQL 1.1 Update (writes):

- one named graph per document, named by the document's IRI
  (https://w3id.org/kgraph/id/doc/ID), holding exactly the triples that
  document contributes (graph.document_triples: its measures, assignments,
  evidence, and the actors it names with the labels it uses). The graph of
  the whole corpus is the union of these graphs, which is what a local
  build's graph.ttl holds;
- building a document replaces its graph (DROP SILENT GRAPH, then INSERT
  DATA, in one request when the document has at most `batch_triples`
  triples); a document whose checksum is already on the server is not even
  extracted; `kgraph remove URL DOC` drops the graph. A document's
  kg:checksum triple is written last, so a write cut short is seen as a
  changed document and written again by the next build;
- documents are written as they are extracted, several per request, at most
  `batch_triples` triples per request (1,000 by default: Virtuoso's limit for
  one INSERT DATA; Oxigraph and Fuseki take far more): the graph is never held
  in kgraph's memory;
- queries (`kgraph query/render/matrix URL`) read the union of the graphs: the
  server's default graph must be that union. Oxigraph is asked for it with its
  `union-default-graph` parameter; Fuseki needs `tdb2:unionDefaultGraph true`
  in its dataset configuration; Virtuoso and GraphDB query all graphs by default.

URL is the server's query endpoint. Updates go to `update_url`, by default
derived from it: `…/query` -> `…/update` (Oxigraph, Fuseki's `/ds/query`),
`…/repositories/ID` -> `…/repositories/ID/statements` (GraphDB), otherwise
the same URL (Virtuoso's `/sparql`, Fuseki's dataset URL `/ds`). A user name
and password in the URL (http://user:pw@host/…) are sent with HTTP Basic
authentication and never printed.
"""
from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from .model import KgraphError
from .store import DocumentGraphs, QueryError, ResultTable, StoreError

if TYPE_CHECKING:
    from .pipeline import BuildOptions, BuildReport

BATCH_TRIPLES = 1000
TIMEOUT = 600.0  # seconds for one request
RESULTS_JSON = "application/sparql-results+json"
ACCEPT = f"{RESULTS_JSON}, application/n-triples;q=0.9"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def is_endpoint(location: object) -> bool:
    """True when GRAPH (or OUTDIR) names a SPARQL server rather than a file or folder."""
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class _Url:
    """A URL without its user name and password, and the Authorization header they make."""

    url: str
    authorization: str | None

    @classmethod
    def parse(cls, url: str) -> "_Url":
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"{url}: not an http(s) URL of a SPARQL endpoint")
        if parts.username is None:
            return cls(url, None)
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        user = urllib.parse.unquote(parts.username)
        password = urllib.parse.unquote(parts.password or "")
        token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
        return cls(urllib.parse.urlunsplit(parts._replace(netloc=netloc)), f"Basic {token}")


def update_url_for(query_url: str) -> str:
    """Where a server takes SPARQL Update, guessed from its query endpoint (see the module doc)."""
    parts = urllib.parse.urlsplit(query_url)
    path = parts.path.rstrip("/")
    if path.endswith("/query"):
        path = path[: -len("query")] + "update"
    elif re.search(r"/repositories/[^/]+$", path):
        path += "/statements"
    else:
        return query_url
    return urllib.parse.urlunsplit(parts._replace(path=path))


class EndpointStore(DocumentGraphs):
    """A SPARQL server as a kgraph Store (kgraph.store.Store): queries, and per-document writes."""

    engine = "sparql-endpoint"

    def __init__(self, url: str, update_url: str | None = None, *, batch_triples: int | None = None,
                 timeout: float = TIMEOUT):
        self._query = _Url.parse(url)
        self._update = _Url.parse(update_url) if update_url else None
        self.location = self._query.url
        self.batch_triples = max(1, batch_triples or BATCH_TRIPLES)
        self.timeout = timeout
        self._server: str | None = None  # the Server header, read on first contact

    @property
    def update_location(self) -> str:
        return self._update.url if self._update else update_url_for(self.location)

    # ------------------------------------------------------------ HTTP

    def _post(self, target: _Url, body: bytes, content_type: str, accept: str, what: str, prologue_lines: int = 0):
        request = urllib.request.Request(target.url, data=body, method="POST",
                                         headers={"Content-Type": content_type, "Accept": accept})
        if target.authorization:
            request.add_header("Authorization", target.authorization)
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as err:
            message = _one_line(err.read().decode("utf-8", "replace")) or err.reason
            if err.code == 400:
                raise _located(message, what, prologue_lines) from None
            hint = {401: "; give a user name and password in the URL (http://user:password@host/…)",
                    403: "; the server refused: does this user have write access?" if what == "update" else "",
                    404: "; is this the server's SPARQL endpoint URL?" if what == "query"
                         else "; pass the update endpoint with --sparql-update URL"}.get(err.code, "")
            raise StoreError(f"{target.url}: the SPARQL server answered {err.code} {err.reason} to the {what}: "
                             f"{message[:200]}{hint}") from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise StoreError(f"{target.url}: cannot reach the SPARQL server ({_one_line(reason)})") from None
        if self._server is None:
            self._server = response.headers.get("Server", "")
        return response

    def _ensure_contact(self) -> None:
        """Learn which server this is (one small query): Oxigraph needs a parameter for the union graph."""
        if self._server is None:
            self._post(self._query, urllib.parse.urlencode({"query": "ASK {}"}).encode("ascii"),
                       "application/x-www-form-urlencoded", RESULTS_JSON, "query").close()

    def update(self, sparql: str) -> None:
        """Run SPARQL Update operations (one request)."""
        target = self._update or _Url(update_url_for(self._query.url), self._query.authorization)
        self._post(target, sparql.encode("utf-8"), "application/sparql-update; charset=utf-8", "*/*",
                   "update").close()

    # ------------------------------------------------------------ the Store protocol

    def query(self, sparql: str, limit: int | None = None) -> ResultTable:
        self._ensure_contact()
        prologue = _missing_prefixes(sparql)
        form = {"query": prologue + sparql}
        if (self._server or "").lower().startswith("oxigraph"):
            form["union-default-graph"] = ""
        with self._post(self._query, urllib.parse.urlencode(form).encode("utf-8"),
                        "application/x-www-form-urlencoded; charset=utf-8", ACCEPT, "query",
                        prologue.count("\n")) as response:
            content_type = response.headers.get_content_type()
            data = response.read()
        try:
            if content_type in (RESULTS_JSON, "application/json"):
                return _json_results(json.loads(data.decode("utf-8")), limit)
            return _graph_results(data, content_type, limit)
        except QueryError:
            raise
        except (ValueError, KeyError, TypeError) as err:
            raise StoreError(f"{self.location}: cannot read the server's answer ({content_type}): "
                             f"{_one_line(err)}") from None

    def triple_count(self) -> int:
        table = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(table.rows[0][0]) if table.rows else 0

    def close(self) -> None:
        pass

    # ------------------------------------------------------------ documents

    def sees_named_graphs(self) -> bool:
        """Whether plain queries (no GRAPH) see the documents' named graphs."""
        return self.ask("ASK { ?d a kg:Document }")


SHARED_GRAPH = "https://w3id.org/kgraph/id/graph/shared"
# after documents were replaced or dropped: the labels and nodes of the shared graph no document uses
# any more go, as graph.remove_document does in a local build (run twice: concepts, then their scheme)
_TIDY_LABELS = f"""DELETE {{ GRAPH <{SHARED_GRAPH}> {{ ?actor skos:altLabel ?label }} }}
WHERE {{ GRAPH <{SHARED_GRAPH}> {{ ?actor skos:altLabel ?label }}
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?assignment prov:agent ?actor ; kg:actorText ?label }} }} }}"""
_TIDY_NODES = f"""DELETE {{ GRAPH <{SHARED_GRAPH}> {{ ?node ?p ?o }} }}
WHERE {{ GRAPH <{SHARED_GRAPH}> {{ ?node ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?other ?q ?node }} FILTER(?other != ?node) }} }}"""


class GraphWriter:
    """Replaces and drops documents' named graphs, packing several documents into one update request.

    A document's graph holds the triples about its own nodes (every IRI under its document IRI: the
    document, measures, assignments, evidence). The triples about nodes documents share (actors with
    their labels, measure categories) go to one more graph, SHARED_GRAPH, where each is stored once:
    a server's union of the graphs may repeat a triple held by two graphs (Oxigraph's does), which
    would count an actor twice in the queries.

    Requests are sent by a thread, one at a time, while the caller goes on extracting (at most one
    more request waits): the server's work and kgraph's overlap, memory stays bounded.
    """

    def __init__(self, store: EndpointStore):
        import queue
        import threading

        self.store = store
        self.operations: list[str] = []
        self.triples = 0
        self.requests = 0
        self.stale = False  # documents were replaced or dropped: the shared graph needs tidying
        self.terms = _Terms()
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._sender = threading.Thread(target=self._send, name="kgraph-sparql-writer", daemon=True)
        self._sender.start()

    def replace(self, doc_id: str, triples: Iterable[tuple], existed: bool = True) -> None:
        """The named graph of `doc_id` holds exactly its own `triples` (its kg:checksum written last)."""
        from rdflib import URIRef

        from .namespace import KG, document_iri

        doc = document_iri(doc_id)
        owned = str(doc) + "/"
        term = self.terms
        own, shared, last = [], [], []
        for s, p, o in triples:  # as graph.remove_document tells a document's triples
            line = f"{term(s)} {term(p)} {term(o)} ."
            if p == KG.checksum:
                last.append(line)
            elif s == doc or s.startswith(owned) or (isinstance(o, URIRef) and (o == doc or o.startswith(owned))):
                own.append(line)
            else:
                shared.append(line)
        self.stale = self.stale or existed
        graph = _iri(doc)
        self.operations.append(f"DROP SILENT GRAPH {graph}")
        self._insert(_iri(SHARED_GRAPH), shared)
        self._insert(graph, own + last)

    def _insert(self, graph: str, lines: list[str]) -> None:
        size = self.store.batch_triples
        for start in range(0, len(lines), size):
            chunk = lines[start:start + size]
            if self.triples and self.triples + len(chunk) > size:
                self.flush()
            self.operations.append(f"INSERT DATA {{ GRAPH {graph} {{\n" + "\n".join(chunk) + "\n} }")
            self.triples += len(chunk)

    def drop(self, doc_id: str) -> None:
        from .namespace import document_iri

        self.operations.append(f"DROP SILENT GRAPH {_iri(document_iri(doc_id))}")
        self.stale = True

    def flush(self) -> None:
        """Hand the operations so far to the sender (waits while it still has one to send)."""
        if self.operations:
            self._check()
            self._queue.put(" ;\n".join(self.operations))
            self.requests += 1
        self.operations, self.triples = [], 0

    def _send(self) -> None:
        while True:
            request = self._queue.get()
            try:
                if request is None:
                    return
                if self._error is None:
                    self.store.update(request)
            except BaseException as err:  # handed to the caller at its next flush, or at the end
                self._error = err
            finally:
                self._queue.task_done()

    def _check(self) -> None:
        if self._error is not None:
            raise self._error

    def close(self, send: bool = True) -> None:
        """Send what is left (unless `send` is false), wait for the sender; raise what it met."""
        if send:
            self.flush()
        self._queue.put(None)
        self._sender.join()
        self._check()

    def finish(self) -> None:
        """Send what is left; then, if documents were replaced or dropped, tidy the shared graph."""
        self.close()
        if self.stale:
            self.store.update(_missing_prefixes(_TIDY_LABELS) + " ;\n".join([_TIDY_LABELS, _TIDY_NODES, _TIDY_NODES]))

    def __enter__(self) -> "GraphWriter":
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is None:
            self.finish()
        else:
            self.close(send=False)


# ---------------------------------------------------------------- build and remove

def build_to_endpoint(inputs: Sequence, options: "BuildOptions") -> "BuildReport":
    """`kgraph build INPUT --sparql-endpoint URL`: each document replaces its named graph on the server.

    Documents are written as they are extracted (several per request), so with --strict the
    documents before a failing file are on the server already; each is whole.
    """
    from .categories import load_scheme
    from .graph import document_triples
    from .pipeline import BuildReport, no_document_read, process
    from .read import DocIds

    store = EndpointStore(options.sparql_endpoint, options.sparql_update)
    categories = load_scheme(options.category_files)
    known = store.documents()
    report = BuildReport()
    ids = DocIds(known={doc_id: source for doc_id, (_, source) in known.items()})

    def wanted(document) -> bool:
        if known.get(document.doc_id, ("",))[0] == document.checksum:
            report.unchanged.append(document.doc_id)
            return False
        return True

    with store.writer() as writer:
        for result in process(inputs, options.lexicon_files, report.failures if options.keep_going else None,
                              ids=ids, progress=options.progress, wanted=wanted, **options.workers()):
            doc_id = result.document.doc_id
            report.count(result)
            (report.replaced if doc_id in known else report.added).append(doc_id)
            writer.replace(doc_id, document_triples(result, categories), existed=doc_id in known)
            if options.on_document is not None:
                options.on_document(result)
    if not report.added and not report.replaced and not report.unchanged:
        raise KgraphError(no_document_read(report.failures, options))
    _finish(store, report)
    return report


def remove(url: str, doc_ids: Sequence[str], options: "BuildOptions | None" = None) -> "BuildReport":
    """`kgraph remove URL DOC...`: drop the documents' named graphs from the server."""
    from .pipeline import BuildReport

    store = EndpointStore(url, options.sparql_update if options else None)
    known = store.documents()
    unknown = [doc_id for doc_id in doc_ids if doc_id not in known]
    if unknown:
        listed = ", ".join(sorted(known)[:10]) + (", …" if len(known) > 10 else "")
        raise KgraphError(f"{store.location}: no document {', '.join(unknown)} on the server "
                          f"(its documents: {listed or 'none'})")
    report = BuildReport()
    with store.writer() as writer:
        for doc_id in dict.fromkeys(doc_ids):
            writer.drop(doc_id)
            report.removed.append(doc_id)
    _finish(store, report)
    return report


def _finish(store: EndpointStore, report: "BuildReport") -> None:
    report.graph_documents, report.actors, report.measures = store.counts()
    report.outputs["graph"] = store.location  # type: ignore[assignment]
    if report.graph_documents and not store.sees_named_graphs():
        report.notes.append(f"{store.location}: queries without GRAPH do not see the documents' named graphs; "
                            "make the server's default graph their union (Fuseki: tdb2:unionDefaultGraph true) "
                            "so that kgraph query, render and matrix read them")


# ---------------------------------------------------------------- terms and results

_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_STRING_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _iri(value) -> str:
    text = _IRI_UNSAFE.sub(lambda m: urllib.parse.quote(m.group(0), safe=""), str(value))
    return f"<{text}>"


class _Terms:
    """rdflib terms in N-Triples syntax (which SPARQL's INSERT DATA accepts); IRIs memoised."""

    def __init__(self):
        from rdflib import BNode, Literal

        self.Literal, self.BNode = Literal, BNode
        self.iris: dict[str, str] = {}

    def __call__(self, term) -> str:
        if isinstance(term, self.Literal):
            text = str(term).translate(_STRING_ESCAPES)
            if _CONTROL.search(text):
                text = _CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04X}", text)
            if term.language:
                return f'"{text}"@{term.language}'
            if term.datatype is not None and term.datatype != XSD_STRING:
                return f'"{text}"^^{self(term.datatype)}'
            return f'"{text}"'
        if isinstance(term, self.BNode):
            return f"_:b{term}"
        found = self.iris.get(term)
        if found is None:
            if len(self.iris) > 100_000:
                self.iris.clear()
            found = self.iris[term] = _iri(term)
        return found


_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.I)


def _missing_prefixes(sparql: str) -> str:
    """PREFIX lines for the standard prefixes the query does not declare itself."""
    from .namespace import PREFIXES

    declared = {name or "" for name in _DECLARED.findall(sparql)}
    return "".join(f"PREFIX {name}: <{namespace}>\n" for name, namespace in PREFIXES.items()
                   if name not in declared)


def _json_results(data: dict, limit: int | None) -> ResultTable:
    if "boolean" in data:
        return ResultTable([], kind="ask", boolean=bool(data["boolean"]))
    variables = list(data["head"].get("vars", []))
    bindings = data["results"]["bindings"]
    truncated = limit is not None and len(bindings) > limit
    rows = [tuple(_json_term(row.get(v)) for v in variables) for row in (bindings[:limit] if truncated else bindings)]
    return ResultTable(variables, rows, truncated=truncated)


def _json_term(value: dict | None):
    from rdflib import BNode, Literal, URIRef

    if value is None:
        return None
    kind, text = value["type"], value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return Literal(text, lang=value["xml:lang"])
        datatype = value.get("datatype")
        return Literal(text, datatype=URIRef(datatype)) if datatype and datatype != XSD_STRING else Literal(text)
    return Literal(json.dumps(value, ensure_ascii=False))  # an RDF-star triple term


def _graph_results(data: bytes, content_type: str, limit: int | None) -> ResultTable:
    from rdflib import Graph

    formats = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
               "application/rdf+xml": "xml", "application/ld+json": "json-ld"}
    if content_type not in formats:
        raise ValueError(f"unexpected content type {content_type}")
    graph = Graph()
    graph.parse(data=data.decode("utf-8"), format=formats[content_type])
    triples = list(graph)
    truncated = limit is not None and len(triples) > limit
    return ResultTable(["subject", "predicate", "object"], triples[:limit] if truncated else triples,
                       kind="graph", truncated=truncated)


_OXIGRAPH_POSITION = re.compile(r"^error at (\d+):(\d+):\s*(.*)$", re.S)
_LINE_COLUMN = re.compile(r"line (\d+), column (\d+)", re.I)  # Jena (Fuseki), RDF4J (GraphDB)


def _located(message: str, what: str, prologue_lines: int) -> QueryError:
    """The server's 400 answer as a QueryError, located in the user's query when the server says where.

    `prologue_lines` lines of standard prefixes were put before the user's query."""
    if what != "query":
        return QueryError(f"the server rejected the update: {_short(message)}")
    match = _OXIGRAPH_POSITION.match(message)
    if match:
        line = max(1, int(match.group(1)) - prologue_lines)
        return QueryError(_short(match.group(3)), line, int(match.group(2)))
    match = _LINE_COLUMN.search(message)
    if match:
        line = max(1, int(match.group(1)) - prologue_lines)
        message = message[:match.start(1)] + str(line) + message[match.end(1):]
        return QueryError(_short(message), line, int(match.group(2)))
    return QueryError(_short(message))


def _short(message: str) -> str:
    message = _one_line(message)
    return message if len(message) <= 200 else message[:197] + "…"


def _one_line(value: object) -> str:
    return " ".join(str(value).split())[:500]
