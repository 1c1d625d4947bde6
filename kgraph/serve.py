"""`kgraph serve`: the graph as a small read-only website and a SPARQL 1.1 Protocol endpoint.

Two processes, one port for the user:

- the SPARQL engine is the Oxigraph server (the `oxigraph` binary from the PyPI
  package of that name), run read-only (`oxigraph serve-read-only`) on a private
  loopback port over the graph's on-disk store. It parses and evaluates the
  queries and cancels one that runs past the time limit (`--timeout-s`); the
  Python process never evaluates a user's query itself, so a runaway query
  cannot take it down.
- kgraph's front (this module, Python's http.server) listens on HOST:PORT
  (127.0.0.1 by default) and serves `/sparql` (GET and POST as in the SPARQL
  1.1 Protocol; JSON, XML, CSV or TSV results by content negotiation or
  `format=`), an offline query page (`/query`, no JavaScript, no CDN), and
  browse pages per actor (`/actor/公安局`) and per measure, linked to each
  other. It refuses SPARQL Update and every other write with 403, answers a bad
  query with 400 and the parser's message, and cuts results at a row limit
  (header `X-Kgraph-Truncated`). The browse pages read the same store in
  process, through kgraph.store, with bounded queries.

A build folder written with `kgraph build --store oxigraph` is served from its
store directly; a graph file (or a build folder without a store) is first loaded
into a temporary store, removed when the server stops.
"""
from __future__ import annotations

import html
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterable, Mapping
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from .model import KgraphError
from .query import compact_iri


class ServeError(KgraphError):
    pass


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000              # 0: any free port (see KgraphServer.url)
    timeout: float = 10.0         # seconds a query may run before the engine cancels it
    max_rows: int = 10_000        # rows (or triples) returned at most; more are cut
    max_body: int = 1 << 20       # bytes of a POST body
    log: Callable[[str], None] | None = None  # where request lines go; None: nowhere


# ---------------------------------------------------------------- the Oxigraph server binary

def oxigraph_binary() -> str:
    """Path of the `oxigraph` server binary (the PyPI package `oxigraph`), next to Python or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise ServeError("the Oxigraph server binary `oxigraph` is not installed; "
                         "install it with `pip install oxigraph` (a dependency of kgraph)")
    return found


# requests to the engine on loopback never go through an HTTP proxy set in the environment
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _die_with_parent():
    """On Linux: have the child get SIGTERM when the thread that started it ends (no orphans after a crash)."""
    if not sys.platform.startswith("linux"):
        return None

    def set_death_signal() -> None:
        import ctypes
        import signal

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    return set_death_signal


class OxigraphServer:
    """An Oxigraph server process on a loopback port over the store in `location`.

        with OxigraphServer(store_dir) as server:      # read-only, any free port
            urllib.request.urlopen(server.url + "/query?query=...")

    `read_only=False` runs `oxigraph serve` (read-write: SPARQL Update and the Graph Store
    Protocol at /update and /store). `timeout` (seconds) makes the server cancel longer queries.
    """

    def __init__(self, location: str | Path, *, read_only: bool = True, timeout: float | None = None,
                 host: str = "127.0.0.1", port: int | None = None, start_timeout: float = 20.0):
        self.location = Path(location)
        self.read_only = read_only
        self.timeout = timeout
        self.host = host
        self.port = port
        self.start_timeout = start_timeout
        self.process: subprocess.Popen | None = None
        self._stderr = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "OxigraphServer":
        command = "serve-read-only" if self.read_only else "serve"
        for _attempt in range(3):  # a free port can be taken between choosing it and binding it
            port = self.port or free_port(self.host)
            # a build's store holds one named graph per document (kgraph.store_build): queries read their union
            args = [oxigraph_binary(), command, "--location", str(self.location), "--bind", f"{self.host}:{port}",
                    "--union-default-graph"]
            if self.timeout:
                args += ["--timeout-s", str(max(1, round(self.timeout)))]
            self._stderr = tempfile.TemporaryFile()
            self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=self._stderr, preexec_fn=_die_with_parent())
            self.port = port
            if self._wait_ready():
                return self
            message = self._error_text()
            self.stop()
            if "in use" not in message.lower() or self.port:
                break
        raise ServeError(f"the Oxigraph server did not start on {self.location}: {message or 'no message'}")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with _DIRECT.open(self.url + "/", timeout=2) as response:
                    return response.status == 200
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        return False

    def _error_text(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return " ".join(self._stderr.read().decode("utf-8", "replace").split())[:300]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def __enter__(self) -> "OxigraphServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# ---------------------------------------------------------------- answers from the engine

RESULT_TYPES = {  # format name -> content type, for SELECT and ASK
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
RESULT_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml"}
GRAPH_TYPES = {  # format name -> content type, for CONSTRUCT and DESCRIBE
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
_CANCELLED = b"The SPARQL operation has been cancelled"


class Refused(Exception):
    """A request the front answers with an error status and a one-line message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Answer:
    """What the engine returned, cut at the row limit: TSV (SELECT, ASK) or N-Triples (CONSTRUCT)."""

    kind: str            # select, ask or graph
    data: bytes
    truncated: bool = False
    seconds: float = 0.0

    def results(self):
        """pyoxigraph QuerySolutions / QueryBoolean (select, ask) or a list of Triples (graph)."""
        import pyoxigraph as ox

        if self.kind == "graph":
            return [quad.triple for quad in ox.parse(self.data, format=ox.RdfFormat.N_TRIPLES)]
        return ox.parse_query_results(self.data, format=ox.QueryResultsFormat.TSV)

    def serialize(self, fmt: str) -> bytes:
        import pyoxigraph as ox

        if self.kind == "graph":
            name = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "rdfxml": "RDF_XML"}[fmt]
            return ox.serialize(self.results(), format=getattr(ox.RdfFormat, name)) or b""
        return self.results().serialize(format=getattr(ox.QueryResultsFormat, fmt.upper())) or b""


class Engine:
    """Sends queries to the Oxigraph server and reads at most `max_rows` rows of each answer."""

    def __init__(self, url: str, timeout: float, max_rows: int):
        from .namespace import PREFIXES

        self.url = url
        self.timeout = timeout
        self.max_rows = max_rows
        # the standard prefixes on ONE line before the user's query (whose own PREFIX lines win),
        # so a parser position is the user's line + 1, same column
        self.prologue = " ".join(f"PREFIX {name}: <{ns}>" for name, ns in PREFIXES.items()) + "\n"

    def run(self, text: str, extra: Mapping[str, list[str]] | None = None) -> Answer:
        if not text.strip():
            raise Refused(400, "empty query: pass the SPARQL text as the query parameter")
        params = urlencode([(k, v) for k, values in (extra or {}).items() for v in values])
        request = urllib.request.Request(
            f"{self.url}/query" + (f"?{params}" if params else ""), data=(self.prologue + text).encode("utf-8"),
            method="POST", headers={"Content-Type": "application/sparql-query; charset=utf-8",
                                    "Accept": "text/tab-separated-values, application/n-triples;q=0.9"})
        started = time.monotonic()
        try:
            response = _DIRECT.open(request, timeout=self.timeout + 30)
        except urllib.error.HTTPError as err:
            message = err.read().decode("utf-8", "replace").strip()
            if err.code == 400 and is_update(text):
                raise Refused(403, READ_ONLY) from None
            if err.code == 400:
                raise Refused(400, parser_message(message, text)) from None
            raise Refused(502, f"the SPARQL engine answered {err.code}: {message[:300]}") from None
        except (urllib.error.URLError, ConnectionError, TimeoutError) as err:
            raise Refused(503, f"the SPARQL engine did not answer: {err}") from None
        with response:
            answer = self._read(response)
        answer.seconds = time.monotonic() - started
        self._check(answer)
        return answer

    def _read(self, response) -> Answer:
        if response.headers.get_content_type() == "application/n-triples":
            kind, head = "graph", b""
        else:
            head = response.readline()
            kind = "ask" if head.strip() in (b"true", b"false") else "select"
        lines: list[bytes] = []
        truncated = False
        for line in response:
            if len(lines) == self.max_rows and line.strip():
                truncated = True
                break
            lines.append(line)
        return Answer(kind, head + b"".join(lines), truncated)

    def _check(self, answer: Answer) -> None:
        if _CANCELLED in answer.data[-200:]:
            raise Refused(503, f"the query ran longer than the time limit of {self.timeout:g} s and was "
                               "cancelled; narrow it down (a LIMIT, fewer unbound patterns)")
        try:
            answer.results()
        except (SyntaxError, ValueError) as err:
            raise Refused(502, f"the SPARQL engine's answer was cut short: {' '.join(str(err).split())[:200]}")


READ_ONLY = "this endpoint is read-only: SPARQL Update and other writes are refused"


def is_update(text: str) -> bool:
    """True when `text` is a SPARQL Update request (INSERT, DELETE, LOAD, CLEAR, DROP, ...)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:  # pyparsing.ParseException and friends: not an update
        return False
    return True


def parser_message(message: str, query: str) -> str:
    """Oxigraph's "error at L:C: ..." located in the user's query (without the prologue line)."""
    from .store import _oxigraph_syntax_error

    error = _oxigraph_syntax_error(message, query, line_offset=1)
    if error.line is None:
        return error.message
    return f"SPARQL syntax error at line {error.line}, column {error.column}: {error.message}"


# ---------------------------------------------------------------- content negotiation

def choose_format(kind: str, accept: str, asked: str | None) -> str:
    """The output format for `kind` from a `format=` parameter or the Accept header (default JSON / Turtle)."""
    types = GRAPH_TYPES if kind == "graph" else RESULT_TYPES
    if asked:
        asked = asked.lower()
        for name, ctype in types.items():
            if asked in (name, ctype.split(";")[0]) or RESULT_ALIASES.get(asked) == name:
                return name
        raise Refused(406, f"format {asked} is not offered; use one of {', '.join(types)}")
    offered = {ctype.split(";")[0]: name for name, ctype in types.items()}
    if kind != "graph":
        offered.update({alias: name for alias, name in RESULT_ALIASES.items()})
    best, best_q = None, 0.0
    for item in (part.strip() for part in (accept or "*/*").split(",")):
        media, _, params = item.partition(";")
        media = media.strip().lower()
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        name = offered.get(media)
        if name is None and media in ("*/*", "application/*", "text/*"):
            name = next(iter(types))
        if name is not None and q > best_q:
            best, best_q = name, q
    return best or next(iter(types))


# ---------------------------------------------------------------- the front

@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class App:
    """Turns requests into Responses: /sparql, /query, /actors, /actor/NAME, /measure/DOC/ID, /resource."""

    def __init__(self, store, engine: Engine, title: str, max_rows: int):
        self.store = store
        self.engine = engine
        self.title = title
        self.max_rows = max_rows

    # ---- dispatch
    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Response:
        parts = urlsplit(target)
        path = _decode_path(parts.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        try:
            if method not in ("GET", "HEAD", "POST"):
                raise Refused(403, READ_ONLY)
            if path == "/sparql":
                return self.sparql(method, params, headers, body)
            if method == "POST":
                raise Refused(403, READ_ONLY)
            if path in ("/", ""):
                return self.home()
            if path == "/query":
                return self.query_page(params)
            if path == "/actors":
                return self.actors_page()
            if path.startswith("/actor/"):
                return self.actor_page(path[len("/actor/"):])
            if path.startswith("/measure/"):
                return self.measure_page(path[len("/measure/"):])
            if path == "/resource":
                return self.resource_page(_first(params, "iri"))
            raise Refused(404, f"no page {path}")
        except KgraphError as err:  # e.g. a store that cannot be read
            refused = Refused(400, str(err))
        except Refused as caught:
            refused = caught
        except Exception as err:  # a bug: answer it, keep serving
            refused = Refused(500, f"internal error ({type(err).__name__}: {err}); please report it")
        if path == "/sparql":
            return Response(refused.status, (refused.message + "\n").encode("utf-8"), "text/plain; charset=utf-8")
        return self.page(refused.status, "Error", f"<p class=error>{_e(refused.message)}</p>")

    # ---- the SPARQL 1.1 Protocol
    def sparql(self, method: str, params: dict, headers: Mapping[str, str], body: bytes) -> Response:
        ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if method == "POST":
            if ctype == "application/sparql-update":
                raise Refused(403, READ_ONLY)
            if ctype == "application/x-www-form-urlencoded":
                params = {**params, **parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)}
            elif ctype == "application/sparql-query":
                params = {**params, "query": [body.decode("utf-8", "replace")]}
            else:
                raise Refused(415, "POST the query as application/sparql-query or as a form "
                                   "(application/x-www-form-urlencoded) with a query field")
        if "update" in params:
            raise Refused(403, READ_ONLY)
        text = _first(params, "query")
        if text is None:
            raise Refused(400, "pass the SPARQL query as the query parameter (GET /sparql?query=...) or POST it")
        extra = {k: v for k, v in params.items() if k in ("default-graph-uri", "named-graph-uri")}
        answer = self.engine.run(text, extra)
        fmt = choose_format(answer.kind, headers.get("Accept", ""), _first(params, "format"))
        types = GRAPH_TYPES if answer.kind == "graph" else RESULT_TYPES
        extra_headers = {"X-Kgraph-Truncated": f"max-rows={self.max_rows}"} if answer.truncated else {}
        return Response(200, answer.serialize(fmt), types[fmt], extra_headers)

    # ---- pages
    def home(self) -> Response:
        from .query import named_queries

        counts = self.store.select(
            "SELECT (COUNT(DISTINCT ?a) AS ?actors) (COUNT(DISTINCT ?m) AS ?measures) "
            "(COUNT(DISTINCT ?d) AS ?documents) WHERE { { ?a a kg:Actor } UNION { ?m a kg:Measure } "
            "UNION { ?d a kg:Document } }").rows[0]
        actors, measures, documents = (int(c) for c in counts)
        items = []
        for query in named_queries().values():
            fields = "".join(
                f' <label>{_e(p.name)} <input name="{_e(p.name)}"{" required" if p.required else ""} '
                f'placeholder="{_e(p.help[:40])}"></label>' for p in query.params)
            items.append(f'<li><form action="/query"><input type=hidden name=named value="{_e(query.name)}">'
                         f'<button>{_e(query.name)}</button>{fields}<br><small>{_e(query.description)}</small>'
                         f'</form></li>')
        body = (f"<p>{documents} documents · <a href='/actors'>{actors} actors</a> · {measures} measures. "
                f"SPARQL endpoint: <code>/sparql</code> (read-only).</p>"
                f"{_query_form(EXAMPLE_QUERY)}<h2>Named queries</h2><ul class=named>{''.join(items)}</ul>")
        return self.page(200, self.title, body)

    def query_page(self, params: dict) -> Response:
        from .query import bind_params, named_query

        named = _first(params, "named")
        text = _first(params, "query") or ""
        status, result = 200, ""
        try:
            if named:
                query = named_query(named)
                values = {p.name: _first(params, p.name) for p in query.params if _first(params, p.name)}
                text = bind_params(self.store, query, values, f"named query {named}")
            answer = self.engine.run(text)
            result = self._answer_html(answer, text)
        except Refused as refused:
            status, result = refused.status, f"<p class=error>{_e(refused.message)}</p>"
        except KgraphError as err:
            status, result = 400, f"<p class=error>{_e(str(err))}</p>"
        return self.page(status, "Query", _query_form(text) + result)

    def _answer_html(self, answer: Answer, text: str) -> str:
        links = " · ".join(f'<a href="/sparql?{urlencode({"query": text, "format": f})}">{f.upper()}</a>'
                           for f in (("turtle", "ntriples") if answer.kind == "graph" else RESULT_TYPES))
        if answer.kind == "ask":
            return f"<p class=answer>{'true' if bool(answer.results()) else 'false'}</p>"
        if answer.kind == "graph":
            variables = ["subject", "predicate", "object"]
            rows = [(t.subject, t.predicate, t.object) for t in answer.results()]
        else:
            solutions = answer.results()
            variables = [v.value for v in solutions.variables]
            rows = [tuple(solution[i] for i in range(len(variables))) for solution in solutions]
        cut = f" (cut at {self.max_rows})" if answer.truncated else ""
        head = f"<p>{len(rows)} rows{cut} in {answer.seconds:.2f} s · download {links}</p>"
        return head + _table(variables, [[self._term_html(t) for t in row] for row in rows])

    def _term_html(self, term) -> str:
        if term is None:
            return ""
        kind = type(term).__name__
        if kind == "NamedNode":
            return f'<a href="/resource?{urlencode({"iri": term.value})}">{_e(compact_iri(term.value))}</a>'
        if kind == "BlankNode":
            return _e(f"_:{term.value}")
        return _e(getattr(term, "value", str(term)))

    def actors_page(self) -> Response:
        from .query import run_query

        table = run_query(self.store, named="actors", limit=self.max_rows)
        rows = [[_actor_link(name), _e(kind or ""), _e(alt or ""), _e(count)] for name, kind, alt, count in table]
        return self.page(200, "Actors", _table(["actor", "kind", "also written", "measures"], rows)
                         + _cut_note(table, self.max_rows))

    def actor_page(self, name: str) -> Response:
        from rdflib import URIRef

        from .query import Param, resolve

        try:
            iris = resolve(self.store, Param("actor", "agent", "actor", True, ""), name)
        except KgraphError as err:
            raise Refused(404, str(err)) from None
        sections = []
        for iri in iris:
            info = self.store.select(ACTOR_QUERY.replace("?agent_iri", URIRef(iri).n3()))
            label, kind = (info.rows[0][:2] if info.rows else (name, None))
            alts = sorted({str(row[2]) for row in info.rows if row[2] is not None})
            duties = self.store.select(ACTOR_DUTIES.replace("?agent_iri", URIRef(iri).n3()), limit=self.max_rows)
            rows = [[_e(role_label(role)), _measure_link(m, measure), _e(doc), _e(deadline or ""), _e(evidence)]
                    for role, m, measure, doc, deadline, evidence in duties]
            partners = self.store.select(ACTOR_PARTNERS.replace("?agent_iri", URIRef(iri).n3()), limit=50)
            partner_links = "、".join(f"{_actor_link(p)} ({n})" for p, n in partners) or "none"
            sections.append(
                f"<h2>{_e(label)}</h2><p>{_e(KIND_LABELS.get(str(kind), ''))}"
                f"{' · also written ' + _e('、'.join(alts)) if alts else ''}</p>"
                f"<p>Shares measures with: {partner_links}</p>"
                + _table(["role", "measure", "document", "deadline", "evidence"], rows) + _cut_note(duties, self.max_rows))
        return self.page(200, name, "".join(sections))

    def measure_page(self, rest: str) -> Response:
        from rdflib import URIRef

        from .namespace import document_iri

        doc_id, _, key = rest.rpartition("/")
        if not doc_id or not key:
            raise Refused(404, f"no measure {rest}: measure pages are /measure/DOCUMENT/ID")
        iri = URIRef(f"{document_iri(doc_id)}/measure/{key}")
        duties = self.store.select(MEASURE_DUTIES.replace("?measure_iri", iri.n3()), limit=self.max_rows)
        if not duties.rows:
            raise Refused(404, f"no measure {rest} in this graph")
        label, document, title = duties.rows[0][:3]
        rows = [[_e(role_label(role)), _actor_link(actor), _e(text or ""), _e(deadline or ""), _e(evidence)]
                for _, _, _, role, actor, text, deadline, evidence in duties]
        body = (f"<p>Document {_e(document)} · {_e(title or '')}</p>"
                + _table(["role", "actor", "as written", "deadline", "evidence"], rows)
                + _cut_note(duties, self.max_rows))
        return self.page(200, str(label), body)

    def resource_page(self, iri: str | None) -> Response:
        from rdflib import URIRef

        from .namespace import KG, KGI

        if not iri:
            raise Refused(400, "pass the IRI: /resource?iri=...")
        node = URIRef(iri).n3()
        kinds = {str(k) for k in self.store.select(f"SELECT ?k WHERE {{ {node} a ?k }}").column("k")}
        prefix = f"{KGI}doc/"
        if str(KG.Actor) in kinds:
            name = self.store.select(f"SELECT ?n WHERE {{ {node} skos:prefLabel ?n }} LIMIT 1").column("n")
            if name:
                return _redirect("/actor/" + quote(name[0], safe=""))
        if str(KG.Measure) in kinds and iri.startswith(prefix) and "/measure/" in iri:
            doc_part, _, key = iri[len(prefix):].partition("/measure/")
            return _redirect(f"/measure/{doc_part}/{quote(key, safe='')}")
        out = self.store.select(f"SELECT ?p ?o WHERE {{ {node} ?p ?o }} ORDER BY ?p ?o", limit=self.max_rows)
        inc = self.store.select(f"SELECT ?s ?p WHERE {{ ?s ?p {node} }} ORDER BY ?p ?s", limit=self.max_rows)
        if not out.rows and not inc.rows:
            raise Refused(404, f"{iri} is not in this graph")
        rdf = _rdflib_html
        body = ("<h2>Properties</h2>" + _table(["property", "value"], [[rdf(p), rdf(o)] for p, o in out])
                + "<h2>Used by</h2>" + _table(["subject", "property"], [[rdf(s), rdf(p)] for s, p in inc]))
        return self.page(200, compact_iri(iri), body)

    def page(self, status: int, title: str, body: str) -> Response:
        return Response(status, PAGE.format(title=_e(title), site=_e(self.title), body=body).encode("utf-8"))


# ---------------------------------------------------------------- the server

class KgraphServer:
    """`kgraph serve` as a library object: start(), url, stop(); or a context manager.

        with KgraphServer("kgraph-out", ServeOptions(port=0)) as server:
            urllib.request.urlopen(server.url + "sparql?query=...")
    """

    def __init__(self, graph: str | Path, options: ServeOptions | None = None):
        self.graph = Path(graph)
        self.options = options or ServeOptions()
        self._temp: str | None = None
        self.store = None
        self.backend: OxigraphServer | None = None
        self.httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self.httpd is not None, "start() the server first"
        host, port = self.httpd.server_address[:2]
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}/"

    def start(self) -> "KgraphServer":
        try:
            self._open()
            self._thread = threading.Thread(target=self.httpd.serve_forever, name="kgraph-serve", daemon=True)
            self._thread.start()
        except BaseException:
            self.stop()
            raise
        return self

    def _open(self) -> None:
        from .store import OxigraphStore

        store_dir = self._store_dir()
        self.store = OxigraphStore.open(store_dir, str(self.graph))
        self.backend = OxigraphServer(store_dir, timeout=self.options.timeout).start()
        engine = Engine(self.backend.url, self.options.timeout, self.options.max_rows)
        app = App(self.store, engine, f"kgraph · {self.graph.resolve().name}", self.options.max_rows)
        try:
            self.httpd = _FrontServer((self.options.host, self.options.port), app, self.options)
        except OSError as err:
            raise ServeError(f"cannot listen on {self.options.host}:{self.options.port}: {err.strerror or err}; "
                             f"choose another --port") from None

    def _store_dir(self) -> Path:
        """The on-disk store to serve: the build's own, or a temporary one loaded from the graph file."""
        from .store import BUILD_GRAPH_FILE, STORE_DIR, StoreError, store_is_current, write_store

        graph = self.graph
        if graph.is_dir():
            if store_is_current(graph / STORE_DIR, graph / BUILD_GRAPH_FILE):
                return graph / STORE_DIR
            graph = graph / BUILD_GRAPH_FILE
        if not graph.is_file():
            raise StoreError(f"{graph}: no such graph file or build folder")
        self._temp = tempfile.mkdtemp(prefix="kgraph-serve-")
        return write_store(graph, Path(self._temp) / STORE_DIR)

    def serve_forever(self, announce: Callable[["KgraphServer"], None] | None = None) -> None:
        """Serve until interrupted (Ctrl-C), then stop; `announce` hears when the server listens."""
        import signal

        def interrupt(signum, frame):
            raise KeyboardInterrupt

        main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, interrupt) if main_thread else None  # `kill PID` stops the engine too
        try:
            self._open()
            if announce is not None:
                announce(self)
            self.httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            if main_thread:
                signal.signal(signal.SIGTERM, previous)
            self.stop()

    def stop(self) -> None:
        if self.httpd is not None:
            if self._thread is not None:
                self.httpd.shutdown()
                self._thread.join(timeout=10)
            self.httpd.server_close()
            self.httpd = None
        if self.backend is not None:
            self.backend.stop()
            self.backend = None
        if self.store is not None:
            self.store.close()
            self.store = None
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = None

    def __enter__(self) -> "KgraphServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(graph: str | Path, options: ServeOptions | None = None,
          announce: Callable[[KgraphServer], None] | None = None) -> None:
    """`kgraph serve GRAPH`: serve until Ctrl-C; `announce` hears when the server listens."""
    KgraphServer(graph, options).serve_forever(announce)


class _FrontServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, app: App, options: ServeOptions):
        self.app = app
        self.options = options
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _FrontServer
    server_version = "kgraph"
    protocol_version = "HTTP/1.1"

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > self.server.options.max_body:
            self._send(Response(413, b"request body too large\n", "text/plain; charset=utf-8"), method)
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        self._send(self.server.app.handle(method, self.path, self.headers, body), method)

    def _send(self, response: Response, method: str) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(response.body)

    def do_GET(self) -> None:  # noqa: N802 (http.server names)
        self._serve("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._serve("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._serve("DELETE")

    def do_PATCH(self) -> None:  # noqa: N802
        self._serve("PATCH")

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if self.server.options.log is not None:
            self.server.options.log(f"{self.address_string()} {format % args}")


# ---------------------------------------------------------------- page queries and HTML

ROLE_LABELS = {"Lead": "牵头 lead", "Responsible": "负责 responsible", "Support": "配合 support",
               "Supervise": "督导 supervise"}
KIND_LABELS = {"https://w3id.org/kgraph/ns#Organisation": "机构 organisation",
               "https://w3id.org/kgraph/ns#Post": "岗位 post", "https://w3id.org/kgraph/ns#Collective": "集体 collective"}

EXAMPLE_QUERY = """SELECT ?actor (COUNT(?m) AS ?measures) WHERE {
  ?a skos:prefLabel ?actor ; kg:responsibleFor ?m .
} GROUP BY ?actor ORDER BY DESC(?measures) LIMIT 20"""

ACTOR_QUERY = """SELECT ?label ?kind ?alt WHERE {
  ?agent_iri skos:prefLabel ?label .
  OPTIONAL { ?agent_iri a ?kind . FILTER(?kind IN (kg:Organisation, kg:Post, kg:Collective)) }
  OPTIONAL { ?agent_iri skos:altLabel ?alt }
}"""

ACTOR_DUTIES = """SELECT ?role ?m ?measure ?document ?deadline ?evidence WHERE {
  ?a prov:agent ?agent_iri ; prov:hadRole ?role ; kg:measure ?m ; kg:inDocument ?doc ; prov:wasDerivedFrom ?s .
  ?m rdfs:label ?measure .
  ?doc dcterms:identifier ?document .
  ?s oa:hasSelector ?q , ?p . ?q oa:exact ?evidence . ?p oa:start ?start .
  OPTIONAL { ?a kg:deadline ?deadline }
} ORDER BY ?document ?start ?measure"""

ACTOR_PARTNERS = """SELECT ?other (COUNT(DISTINCT ?m) AS ?n) WHERE {
  ?agent_iri kg:responsibleFor ?m . ?peer kg:responsibleFor ?m . FILTER(?peer != ?agent_iri)
  ?peer skos:prefLabel ?other .
} GROUP BY ?other ORDER BY DESC(?n) ?other"""

MEASURE_DUTIES = """SELECT ?label ?document ?title ?role ?actor ?text ?deadline ?evidence WHERE {
  ?measure_iri rdfs:label ?label ; kg:inDocument ?doc ; prov:qualifiedAssociation ?a .
  ?doc dcterms:identifier ?document . OPTIONAL { ?doc dcterms:title ?title }
  ?a prov:hadRole ?role ; prov:agent/skos:prefLabel ?actor ; prov:wasDerivedFrom ?s .
  ?s oa:hasSelector ?q , ?p . ?q oa:exact ?evidence . ?p oa:start ?start .
  OPTIONAL { ?a kg:actorText ?text }
  OPTIONAL { ?a kg:deadline ?deadline }
} ORDER BY ?start ?role ?actor"""

PAGE = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {site}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 1.5rem; }}
nav a {{ margin-right: 1rem; }} table {{ border-collapse: collapse; margin: .5rem 0; }}
th, td {{ border: 1px solid #ccc; padding: .25rem .5rem; vertical-align: top; text-align: left; }}
th {{ background: #f3f3f3; }} textarea {{ width: 100%; font-family: monospace; }}
.error {{ color: #a00; white-space: pre-wrap; }} ul.named li {{ margin: .4rem 0; }} small {{ color: #555; }}
</style></head>
<body><nav><a href="/">{site}</a><a href="/query">query</a><a href="/actors">actors</a></nav>
<h1>{title}</h1>
{body}
</body></html>
"""


def _query_form(text: str) -> str:
    return ('<form action="/query" method="get"><textarea name="query" rows="10" spellcheck="false">'
            f"{_e(text)}</textarea><br><button>Run</button> <small>kg:, prov:, skos:, rdfs:, dcterms:, oa:, org: "
            "and the other standard prefixes are predeclared.</small></form>")


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """An HTML table; header cells are escaped here, row cells must already be HTML."""
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cut_note(table, max_rows: int) -> str:
    return f"<p><small>Only the first {max_rows} rows are shown.</small></p>" if table.truncated else ""


def _actor_link(name) -> str:
    return f'<a href="/actor/{quote(str(name), safe="")}">{_e(name)}</a>'


def _measure_link(iri, label) -> str:
    from .namespace import KGI

    prefix = f"{KGI}doc/"
    text = str(iri)
    if text.startswith(prefix) and "/measure/" in text:
        doc_part, _, key = text[len(prefix):].partition("/measure/")
        return f'<a href="/measure/{doc_part}/{quote(key, safe="")}">{_e(label)}</a>'
    return _e(label)


def role_label(role) -> str:
    return ROLE_LABELS.get(str(role).rsplit("#", 1)[-1], str(role))


def _rdflib_html(term) -> str:
    """An rdflib term as HTML: IRIs linked to /resource."""
    from rdflib import URIRef

    if isinstance(term, URIRef):
        return f'<a href="/resource?{urlencode({"iri": str(term)})}">{_e(compact_iri(str(term)))}</a>'
    return _e(term)


def _redirect(location: str) -> Response:
    return Response(302, b"", "text/plain; charset=utf-8", {"Location": location})


def _decode_path(path: str) -> str:
    """The request path as text: percent-encoded UTF-8 (what browsers send) or raw UTF-8 bytes."""
    try:
        path = path.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return unquote(path, encoding="utf-8", errors="replace")


def _first(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[0] if values else None


def _e(value) -> str:
    return html.escape(str(value), quote=True)

