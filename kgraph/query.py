"""Ask the responsibility graph questions in SPARQL: the library side of `kgraph query`.

    from kgraph.query import run_query
    table = run_query("kgraph-out", named="actor-measures", params={"actor": "公安局"})
    for row in table.dicts(): ...

A query is SPARQL text, a .rq file, or one of the named queries shipped in
kgraph/queries. Standard prefixes are predeclared (see store.py).

Parameters. A query declares them in comment lines, which `--list` shows:

    # param actor ?agent actor required: the actor's name ...

and holds a placeholder `VALUES ?agent { UNDEF }` (unbound: every actor). A
value given with `--param actor=公安局` is substituted there as RDF terms,
never as text pasted into the query: an `actor` is resolved to the IRIs of the
actors whose canonical name (skos:prefLabel) or a form used in the texts
(skos:altLabel) it is, a `document` to the document with that id or title, a
`text` becomes an escaped string literal.

Output formats: table (aligned for Chinese, which takes two columns per
character), csv and tsv (SPARQL 1.1 Query Results CSV/TSV), json (SPARQL 1.1
Query Results JSON).
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from .model import KgraphError
from .store import QueryError, ResultTable, Store

FORMATS = ("table", "csv", "tsv", "json")
PARAM_TYPES = ("actor", "document", "text")
TABLE_CELL_WIDTH = 60  # terminal columns; longer cells are cut with … (csv, tsv and json give the full text)


def select(store: Store, sparql: str) -> ResultTable:
    """Run a SELECT query; kg:, prov:, org:, oa:, skos:, rdfs:, rdf:, dcterms:, xsd:, owl: need no PREFIX lines."""
    return store.select(sparql)


# ---------------------------------------------------------------- queries and their parameters

@dataclass(frozen=True)
class Param:
    name: str        # as on the command line: --param NAME=VALUE
    variable: str    # the query variable it binds, without "?"
    type: str        # actor, document or text
    required: bool
    help: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    params: tuple[Param, ...] = field(default_factory=tuple)


_PARAM_LINE = re.compile(r"^#\s*param\s+([\w-]+)\s+\?(\w+)\s+(\w+)(\s+required)?\s*:\s*(.*)$")


def parse_declarations(text: str, name: str = "", source: str = "") -> NamedQuery:
    """The description (first comment line) and the `# param` lines at the top of a query."""
    description, params = "", []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#"):
            if line:
                break
            continue
        match = _PARAM_LINE.match(line)
        if match:
            pname, variable, ptype, required, help_text = match.groups()
            if ptype not in PARAM_TYPES:
                raise KgraphError(f"{source or name}: parameter {pname} has unknown type {ptype}; "
                                  f"use one of {', '.join(PARAM_TYPES)}")
            params.append(Param(pname, variable, ptype, bool(required), help_text.strip()))
        elif not description:
            description = line.lstrip("#").strip()
    return NamedQuery(name, description, text, tuple(params))


def named_queries() -> dict[str, NamedQuery]:
    """The queries shipped in kgraph/queries, by name (the file name without .rq)."""
    from importlib.resources import files

    found = {}
    for entry in sorted(files("kgraph.queries").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            found[name] = parse_declarations(entry.read_text(encoding="utf-8"), name, entry.name)
    return found


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise KgraphError(f"no named query {name!r}; the named queries are: {', '.join(queries)} "
                          f"(kgraph query --list describes them)")
    return queries[name]


def list_text() -> str:
    """What `kgraph query --list` prints: each named query, its description and parameters."""
    lines = []
    for query in named_queries().values():
        lines.append(f"{query.name}\n    {query.description}")
        for param in query.params:
            need = "required" if param.required else "optional"
            lines.append(f"    --param {param.name}=…  ({need}) {param.help}")
    return "\n".join(lines) + "\n"


def parse_params(pairs: Sequence[str]) -> dict[str, str]:
    """["actor=公安局", ...] -> {"actor": "公安局"}."""
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise KgraphError(f"--param {pair}: write it as NAME=VALUE, e.g. --param actor=公安局")
        params[name.strip()] = value.strip()
    return params


def bind_params(store: Store, query: NamedQuery, values: Mapping[str, str], source: str) -> str:
    """The query text with each given parameter substituted as RDF terms into its VALUES placeholder."""
    declared = {p.name: p for p in query.params}
    for name in values:
        if name not in declared:
            offered = ", ".join(declared) if declared else "none"
            raise KgraphError(f"{source}: no parameter {name!r} (parameters: {offered})")
    missing = [p.name for p in query.params if p.required and not values.get(p.name)]
    if missing:
        example = next(p.help for p in query.params if p.name == missing[0])
        raise KgraphError(f"{source} needs --param {missing[0]}=VALUE: {example}")
    text = query.text
    for name, value in values.items():
        param = declared[name]
        terms = " ".join(term.n3() for term in resolve(store, param, value))
        placeholder = re.compile(r"VALUES\s+\?" + re.escape(param.variable) + r"\s*\{\s*UNDEF\s*\}")
        text, count = placeholder.subn(lambda _: f"VALUES ?{param.variable} {{ {terms} }}", text, count=1)
        if count == 0:
            raise KgraphError(f"{source}: parameter {name} has no placeholder VALUES ?{param.variable} {{ UNDEF }}")
    return text


# how a parameter type finds its IRIs: pattern binding ?x from ?name, what to say when none is found,
# pattern of the names to suggest (?label), where else to look
_LOOKUPS = {
    "actor": ("?x skos:prefLabel|skos:altLabel ?name . ?x a kg:Actor", "no actor is named {} (canonical or as written)",
              "?x a kg:Actor ; skos:prefLabel|skos:altLabel ?label", "kgraph query GRAPH --named actors lists them"),
    "document": ("?x a kg:Document ; dcterms:identifier|dcterms:title ?name", "no document has the id or title {}",
                 "?x a kg:Document ; dcterms:identifier ?label", "the ids are in the doc column of assignments.tsv"),
}


def resolve(store: Store, param: Param, value: str) -> list:
    """The RDF terms a parameter value stands for (IRIs of actors or documents, or a literal)."""
    from rdflib import Literal, URIRef

    if param.type == "text":
        return [Literal(value)]
    if re.match(r"^https?://\S+$", value):
        return [URIRef(value)]
    pattern, missing, labels, hint = _LOOKUPS[param.type]
    names = f"{Literal(value, lang='zh').n3()} {Literal(value).n3()}"
    found = store.select(f"SELECT DISTINCT ?x WHERE {{ VALUES ?name {{ {names} }} {pattern} }}").column("x")
    if not found:
        raise KgraphError(f"{missing.format(value)} in {store.location}; " + _suggest(store, labels, value, hint))
    return [URIRef(iri) for iri in found]


def _suggest(store: Store, pattern: str, value: str, otherwise: str) -> str:
    from rdflib import Literal

    similar = store.select(f"SELECT DISTINCT ?label WHERE {{ {pattern} . "
                           f"FILTER(CONTAINS(STR(?label), {Literal(value).n3()})) }} "
                           f"ORDER BY STRLEN(?label) ?label LIMIT 8").column("label")
    if not similar:
        similar = store.select(f"SELECT DISTINCT ?label WHERE {{ {pattern} }} ORDER BY ?label LIMIT 8").column("label")
        return f"{otherwise} (e.g. {', '.join(similar)})" if similar else otherwise
    return f"did you mean: {', '.join(similar)}?"


# ---------------------------------------------------------------- running

def run_query(graph: str | Path | Store, sparql: str | None = None, *, file: str | Path | None = None,
              named: str | None = None, params: Mapping[str, str] | None = None,
              engine: str | None = None, limit: int | None = None) -> ResultTable:
    """Run one query against GRAPH (a graph file, a build folder or an open Store) and return its rows.

    Give exactly one of `sparql` (text), `file` (a .rq file) or `named` (see `named_queries`).
    `params` fill the query's declared parameters. Errors are KgraphErrors with one-line messages
    (a syntax error names the source, line and column).
    """
    text, source, declared = _query_source(sparql, file, named)
    if isinstance(graph, (str, Path)):
        from .store import open_store

        with open_store(graph, engine) as store:
            return _run(store, text, source, declared, params or {}, limit)
    return _run(graph, text, source, declared, params or {}, limit)


def _run(store: Store, text: str, source: str, declared: NamedQuery, params: Mapping[str, str],
         limit: int | None) -> ResultTable:
    if params or any(p.required for p in declared.params):
        text = bind_params(store, declared, params, source)
    try:
        return store.query(text, limit)
    except QueryError as err:
        raise err.located(source) from None


def _query_source(sparql: str | None, file: str | Path | None, named: str | None) -> tuple[str, str, NamedQuery]:
    given = [kind for kind, value in (("SPARQL text", sparql), ("-f FILE", file), ("--named NAME", named))
             if value is not None]
    if len(given) != 1:
        problem = "no query given" if not given else f"give one query, not {' and '.join(given)}"
        raise KgraphError(f"{problem}: pass 'SPARQL', -f FILE.rq or --named NAME (kgraph query --list shows them)")
    if named is not None:
        query = named_query(named)
        return query.text, f"named query {named}", query
    if file is not None:
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise KgraphError(f"{path}: no such query file") from None
        except (OSError, UnicodeDecodeError) as err:
            raise KgraphError(f"{path}: cannot read the query: {err}") from None
        return text, str(path), parse_declarations(text, path.stem, str(path))
    assert sparql is not None
    return sparql, "the query", parse_declarations(sparql, "", "the query")


def answer(graph: str | Path | Store, sparql: str | None = None, *, file: str | Path | None = None,
           named: str | None = None, params: Mapping[str, str] | Sequence[str] | None = None,
           fmt: str = "table", engine: str | None = None) -> str:
    """`kgraph query`: run the query and return its result as text in `fmt` (see FORMATS).

    `params` is a mapping or NAME=VALUE strings as on the command line.
    """
    if fmt not in FORMATS:
        raise KgraphError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if params is not None and not isinstance(params, Mapping):
        params = parse_params(params)
    table = run_query(graph, sparql, file=file, named=named, params=params, engine=engine)
    return format_result(table, fmt)


# ---------------------------------------------------------------- output formats

def format_result(table: ResultTable, fmt: str) -> str:
    return {"table": table_text, "csv": csv_text, "tsv": tsv_text, "json": json_text}[fmt](table)


def json_text(table: ResultTable) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if table.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(table.boolean)}) + "\n"
    bindings = [{var: _json_term(term) for var, term in zip(table.variables, row) if term is not None}
                for row in table.rows]
    return json.dumps({"head": {"vars": table.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False) + "\n"


def _json_term(term) -> dict:
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and str(term.datatype) != XSD_STRING:
            out["datatype"] = str(term.datatype)
        return out
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    return {"type": "uri", "value": str(term)}


def csv_text(table: ResultTable) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out)
    if table.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if table.boolean else "false"])
        return out.getvalue()
    writer.writerow(table.variables)
    for row in table.rows:
        writer.writerow(["" if term is None else _plain(term) for term in row])
    return out.getvalue()


def tsv_text(table: ResultTable) -> str:
    """SPARQL 1.1 Query Results TSV: ?variables, terms in Turtle syntax ("卫健委"@zh, <iri>)."""
    if table.kind == "ask":
        return "true\n" if table.boolean else "false\n"
    lines = ["\t".join("?" + v for v in table.variables)]
    for row in table.rows:
        lines.append("\t".join("" if term is None else _tsv_term(term) for term in row))
    return "\n".join(lines) + "\n"


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_TSV_NUMBERS = {"http://www.w3.org/2001/XMLSchema#integer": re.compile(r"[+-]?\d+"),
                "http://www.w3.org/2001/XMLSchema#decimal": re.compile(r"[+-]?\d*\.\d+"),
                "http://www.w3.org/2001/XMLSchema#double": re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")}
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_term(term) -> str:
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        text = '"' + str(term).translate(_TSV_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        datatype = str(term.datatype or XSD_STRING)
        if datatype in _TSV_NUMBERS and _TSV_NUMBERS[datatype].fullmatch(str(term)):
            return str(term)  # numbers as Turtle abbreviates them: 42, 4.2, 4.2E0
        return text if datatype == XSD_STRING else f"{text}^^<{datatype}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return f"<{term}>"


def _plain(term) -> str:
    from rdflib import BNode

    return f"_:{term}" if isinstance(term, BNode) else str(term)


def table_text(table: ResultTable) -> str:
    """An aligned text table for the terminal; IRIs shortened with the standard prefixes."""
    if table.kind == "ask":
        return ("true" if table.boolean else "false") + "\n"
    header = list(table.variables)
    cells = [[_cut(_compact(term)) for term in row] for row in table.rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = [_aligned(header, widths), "  ".join("-" * w for w in widths)]
    lines += [_aligned(row, widths) for row in cells]
    count = len(table.rows)
    note = f"{count} row{'s' if count != 1 else ''}" + (" (cut at the row limit)" if table.truncated else "")
    return "\n".join(lines + [f"({note})"]) + "\n"


def display_width(text: str) -> int:
    """Terminal columns: two for wide (CJK) characters, none for combining marks."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _aligned(cells: Sequence[str], widths: Sequence[int]) -> str:
    padded = [cell + " " * (width - display_width(cell)) for cell, width in zip(cells, widths)]
    return "  ".join(padded).rstrip()


def _cut(text: str, limit: int = TABLE_CELL_WIDTH) -> str:
    text = " ".join(text.split())
    if display_width(text) <= limit:
        return text
    out, width = [], 0
    for char in text:
        width += display_width(char)
        if width > limit - 1:
            break
        out.append(char)
    return "".join(out) + "…"


def _compact(term) -> str:
    from rdflib import URIRef

    if term is None:
        return ""
    return compact_iri(str(term)) if isinstance(term, URIRef) else _plain(term)


def compact_iri(iri: str) -> str:
    """kgi:actor/… for https://w3id.org/kgraph/id/actor/…, with the standard prefixes."""
    from .namespace import PREFIXES

    for name, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{name}:{iri[len(str(namespace)):]}"
    return iri
