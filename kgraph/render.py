"""The interactive HTML view of a responsibility graph: `kgraph render` and OUTDIR/graph.html.

The page is one self-contained UTF-8 file: vis-network (vendored in
kgraph/templates/, see the README), the page script and the graph data are
inlined, nothing is fetched. Document text reaches the page only as JSON inside
a `<script type="application/json">` element (with `<`, `>` and `&` escaped)
and is put into the page with `textContent`, never as HTML; a
Content-Security-Policy allows only the page's own two scripts (by hash).

Data flow: the graph is read through SPARQL (kgraph.query.select on a Store);
networkx computes workloads (number of assignments), neighbourhoods, the
--max-nodes cut, the co-responsibility network and the positions
(kgraph.render_layout), so the browser draws without physics.
"""
from __future__ import annotations

import base64
import difflib
import hashlib
import html
import json
import math
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Sequence

from .model import ROLES, KgraphError

HTML_FILE = "graph.html"
DEFAULT_MAX_NODES = 3000
DEFAULT_DEPTH = 2
VIEWS = ("responsibility", "co-responsibility")
LARGE_GRAPH = 500  # nodes; above this: straight edges, edges hidden while dragging or zooming
KINDS = ("organisation", "post", "collective")

Q_ACTORS = """
SELECT ?actor ?label ?kind WHERE {
  ?actor a kg:Actor .
  OPTIONAL { ?actor skos:prefLabel ?label }
  OPTIONAL { ?actor a ?kind . FILTER(?kind IN (kg:Organisation, kg:Post, kg:Collective)) }
}"""
Q_ALT_LABELS = "SELECT ?actor ?alt WHERE { ?actor a kg:Actor ; skos:altLabel ?alt }"
Q_MEASURES = """
SELECT ?m ?label ?doc WHERE {
  ?m a kg:Measure .
  OPTIONAL { ?m rdfs:label ?label }
  OPTIONAL { ?m kg:inDocument ?doc }
}"""
Q_CATEGORIES = """
SELECT ?m ?cat ?label WHERE {
  ?m a kg:Measure ; dcterms:subject ?cat .
  OPTIONAL { ?cat skos:prefLabel ?label }
}"""
Q_DOCUMENTS = """
SELECT ?doc ?id ?title WHERE {
  ?doc a kg:Document .
  OPTIONAL { ?doc dcterms:identifier ?id }
  OPTIONAL { ?doc dcterms:title ?title }
}"""
Q_ASSIGNMENTS = """
SELECT ?a ?actor ?m ?role ?doc ?evidence ?deadline ?negated ?text WHERE {
  ?a a kg:Assignment ; prov:agent ?actor ; kg:measure ?m ; prov:hadRole ?role .
  OPTIONAL { ?a kg:inDocument ?doc }
  OPTIONAL { ?a prov:wasDerivedFrom ?s . ?s oa:hasSelector ?sel . ?sel oa:exact ?evidence }
  OPTIONAL { ?a kg:deadline ?deadline }
  OPTIONAL { ?a kg:negated ?negated }
  OPTIONAL { ?a kg:actorText ?text }
}"""


class RenderError(KgraphError):
    pass


@dataclass
class RenderOptions:
    """What `kgraph render` shows; the defaults are what `kgraph build` writes."""

    actors: Sequence[str] = ()      # neighbourhood of these actors (prefLabel or altLabel)
    depth: int = DEFAULT_DEPTH      # steps along the edges from those actors
    documents: Sequence[str] = ()   # identifier or title
    roles: Sequence[str] = ()       # lead, responsible, support, supervise
    max_nodes: int = DEFAULT_MAX_NODES  # 0: no limit
    view: str = "responsibility"    # the view shown first
    title: str = ""


@dataclass
class RenderReport:
    path: Path | None = None
    nodes: int = 0
    edges: int = 0
    actors: int = 0
    measures: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.nodes} nodes ({self.actors} actors, {self.measures} measures), "
                f"{self.edges} assignments")


@dataclass
class Actor:
    label: str
    kind: str = "organisation"
    alt: list[str] = field(default_factory=list)


@dataclass
class Measure:
    label: str
    doc: str = ""
    categories: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Duty:
    """One assignment, as read from the graph (IRIs as strings)."""

    actor: str
    measure: str
    role: str
    doc: str = ""
    evidence: str = ""
    deadline: str = ""
    negated: bool = False
    actor_text: str = ""


@dataclass
class GraphData:
    actors: dict[str, Actor] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    documents: dict[str, tuple[str, str]] = field(default_factory=dict)  # IRI -> (identifier, title)
    categories: dict[str, str] = field(default_factory=dict)             # IRI -> label
    duties: list[Duty] = field(default_factory=list)


# ---------------------------------------------------------------- reading the graph

def load_graph_data(store) -> GraphData:
    """Everything the page shows, read from the store with SPARQL."""
    from .namespace import KIND_CLASSES, ROLE_BY_IRI
    from .query import select

    kind_by_iri = {str(iri): kind for kind, iri in KIND_CLASSES.items()}
    role_by_iri = {str(iri): role for iri, role in ROLE_BY_IRI.items()}
    data = GraphData()
    labels: dict[str, list] = {}
    for actor, label, kind in select(store, Q_ACTORS):
        entry = data.actors.setdefault(str(actor), Actor(_local_name(actor)))
        if label is not None:
            labels.setdefault(str(actor), []).append(label)
        if kind is not None:
            entry.kind = kind_by_iri.get(str(kind), entry.kind)
    for actor, alt in select(store, Q_ALT_LABELS):
        entry = data.actors.get(str(actor))
        if entry is not None and str(alt) not in entry.alt:
            entry.alt.append(str(alt))
    for doc, identifier, title in select(store, Q_DOCUMENTS):
        ident = str(identifier) if identifier is not None else _local_name(doc)
        data.documents[str(doc)] = (ident, str(title) if title is not None else ident)
    for m, label, doc in select(store, Q_MEASURES):
        entry = data.measures.setdefault(str(m), Measure(_local_name(m)))
        if label is not None:
            labels.setdefault(str(m), []).append(label)
        if doc is not None:
            entry.doc = str(doc)
    for m, cat, label in select(store, Q_CATEGORIES):
        measure = data.measures.get(str(m))
        if measure is None:
            continue
        data.categories.setdefault(str(cat), _local_name(cat))
        if label is not None:
            labels.setdefault(str(cat), []).append(label)
        if str(cat) not in measure.categories:
            measure.categories.append(str(cat))
    for iri, terms in labels.items():
        best = str(min(terms, key=_label_rank))
        for table in (data.actors, data.measures):
            if iri in table:
                table[iri].label = best
        if iri in data.categories:
            data.categories[iri] = best
    for actor in data.actors.values():  # sorted: the same graph gives the same page
        actor.alt = sorted(set(actor.alt) - {actor.label})
    for measure in data.measures.values():
        measure.categories.sort(key=lambda c: (data.categories[c], c))
    seen: set[str] = set()
    for a, actor, m, role, doc, evidence, deadline, negated, text in select(store, Q_ASSIGNMENTS):
        if str(a) in seen or str(actor) not in data.actors or str(m) not in data.measures:
            continue
        seen.add(str(a))
        data.duties.append(Duty(
            actor=str(actor), measure=str(m), role=role_by_iri.get(str(role), "responsible"),
            doc=str(doc) if doc is not None else data.measures[str(m)].doc,
            evidence=_text(evidence), deadline=_text(deadline),
            negated=bool(negated is not None and negated.toPython() is True), actor_text=_text(text)))
    data.duties.sort(key=lambda d: (d.doc, d.measure, d.actor, ROLES.index(d.role)))
    return data


def _text(term) -> str:
    return "" if term is None else str(term)


def _local_name(iri) -> str:
    from urllib.parse import unquote

    return unquote(re.split(r"[/#]", str(iri).rstrip("/#"))[-1])


def _label_rank(term) -> tuple[int, str]:
    """Chinese labels first, then labels without a language, then the rest; ties by text (deterministic)."""
    language = getattr(term, "language", None) or ""
    return (0 if language.startswith("zh") else 1 if not language else 2, str(term))


# ---------------------------------------------------------------- choosing what to show

@dataclass
class Selection:
    duties: list[Duty]
    workload: dict[str, int]  # actor IRI -> assignments (before neighbourhood and cut)
    notes: list[str] = field(default_factory=list)


def select_duties(data: GraphData, options: RenderOptions) -> Selection:
    """Apply --role, --document, --actor/--depth and --max-nodes, in that order."""
    import networkx as nx

    duties = data.duties
    notes: list[str] = []
    if options.roles:
        unknown = sorted(set(options.roles) - set(ROLES))
        if unknown:
            raise RenderError(f"unknown role {', '.join(unknown)}; use one of {', '.join(ROLES)}")
        duties = [d for d in duties if d.role in options.roles]
        notes.append(f"only the roles {', '.join(r for r in ROLES if r in options.roles)}")
    if options.documents:
        docs = _match_documents(data, options.documents)
        duties = [d for d in duties if d.doc in docs]
        notes.append("only the document(s) " + ", ".join(sorted(data.documents[d][0] for d in docs)))
    graph = nx.MultiGraph()
    graph.add_edges_from((d.actor, d.measure) for d in duties)
    workload = {a: graph.degree(a) for a in data.actors if a in graph}
    if options.actors:
        seeds = _match_actors(data, options.actors)
        simple = nx.Graph(graph)
        keep: set[str] = set()
        for seed in seeds:
            if seed in simple:
                keep |= set(nx.ego_graph(simple, seed, radius=options.depth))
            else:
                keep.add(seed)
        duties = [d for d in duties if d.actor in keep and d.measure in keep]
        names = "、".join(data.actors[s].label for s in seeds)
        notes.append(f"the neighbourhood of {names} within {options.depth} step(s)")
    if options.max_nodes and options.max_nodes > 0:
        duties, note = _cut(data, duties, options.max_nodes)
        if note:
            notes.append(note)
    if not duties:
        notes.append("no assignment matches these options: the page is empty")
    return Selection(duties, workload, notes)


def _match_actors(data: GraphData, names: Sequence[str]) -> list[str]:
    """Actor IRIs named exactly (canonical or surface form), else containing the name."""
    found: list[str] = []
    for name in names:
        name = name.strip()
        exact = [iri for iri, a in data.actors.items() if name == a.label or name in a.alt]
        partial = [iri for iri, a in data.actors.items() if any(name in label for label in [a.label, *a.alt])]
        matches = exact or partial
        if not matches:
            labels = sorted({label for a in data.actors.values() for label in [a.label, *a.alt]})
            close = difflib.get_close_matches(name, labels, n=5, cutoff=0.3)
            hint = f"; similar names: {', '.join(close)}" if close else ""
            raise RenderError(f"no actor named {name!r} in the graph{hint}")
        found.extend(m for m in sorted(matches, key=lambda iri: data.actors[iri].label) if m not in found)
    return found


def _match_documents(data: GraphData, wanted: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for name in wanted:
        exact = {iri for iri, (ident, title) in data.documents.items() if name in (ident, title)}
        partial = {iri for iri, (ident, title) in data.documents.items() if name in ident or name in title}
        matches = exact or partial
        if not matches:
            idents = sorted(ident for ident, _ in data.documents.values())
            shown = ", ".join(idents[:10]) + (" …" if len(idents) > 10 else "")
            raise RenderError(f"no document {name!r} in the graph; documents: {shown or '(none)'}")
        found |= matches
    return found


def _cut(data: GraphData, duties: list[Duty], max_nodes: int) -> tuple[list[Duty], str]:
    """Keep the actors with the most assignments, and their measures, within max_nodes nodes."""
    import networkx as nx

    graph = nx.MultiGraph()
    graph.add_edges_from((d.actor, d.measure) for d in duties)
    actors = [n for n in graph if n in data.actors]
    total = graph.number_of_nodes()
    if total <= max_nodes:
        return duties, ""
    shared = co_responsibility(duties)  # ties: actors sharing more measures with others first
    ranked = sorted(actors, key=lambda a: (-graph.degree(a), -shared.degree(a, weight="weight"),
                                           data.actors[a].label, a))
    kept_actors: list[str] = []
    kept_measures: set[str] = set()
    for actor in ranked:
        new = sorted(set(graph.neighbors(actor)) - kept_measures)
        room = max_nodes - len(kept_actors) - len(kept_measures)
        if 1 + len(new) > room:
            if not kept_actors:  # one actor with more measures than fit: keep the first of them
                kept_actors.append(actor)
                kept_measures.update(new[:max(room - 1, 0)])
            break
        kept_actors.append(actor)
        kept_measures.update(new)
    chosen = set(kept_actors)
    kept = [d for d in duties if d.actor in chosen and d.measure in kept_measures]
    dropped = [a for a in ranked if a not in chosen]
    kept_nodes = len(kept_actors) + len(kept_measures)
    top = [f"{data.actors[a].label} {graph.degree(a)}" for a in (kept_actors[0], kept_actors[-1])]
    if len(kept_actors) == 1:
        what = (f"the actor with the most assignments ({top[0]}) and {len(kept_measures)} of its "
                f"{len(set(graph.neighbors(kept_actors[0])))} measures")
    else:
        what = f"the {len(kept_actors)} actors with the most assignments ({top[0]} … {top[1]}) and their measures"
    examples = "、".join(data.actors[a].label for a in dropped[:5]) + ("…" if len(dropped) > 5 else "")
    note = (f"showing {kept_nodes} of {total} nodes (--max-nodes {max_nodes}): {what}; cut {len(dropped)} actor(s)"
            + (f" ({examples})" if dropped else "")
            + f", {total - len(actors) - len(kept_measures)} measure(s) and {len(duties) - len(kept)} assignment(s)")
    return kept, note


# ---------------------------------------------------------------- the page

def page_data(data: GraphData, selection: Selection, options: RenderOptions, title: str) -> dict:
    """The JSON the page script reads (see templates/graph.js for the field order of the rows)."""
    import networkx as nx

    from .render_layout import layout

    duties = selection.duties
    actor_ids = sorted({d.actor for d in duties}, key=lambda a: (data.actors[a].label, a))
    measure_ids = sorted({d.measure for d in duties},
                         key=lambda m: (data.measures[m].doc, data.measures[m].label, m))
    actor_index = {a: i for i, a in enumerate(actor_ids)}
    measure_index = {m: i for i, m in enumerate(measure_ids)}
    doc_ids = sorted(({d.doc for d in duties} | {data.measures[m].doc for m in measure_ids}) - {""},
                     key=lambda d: data.documents.get(d, (d, d))[0])
    doc_index = {d: i for i, d in enumerate(doc_ids)}
    cat_ids = sorted({c for m in measure_ids for c in data.measures[m].categories},
                     key=lambda c: (data.categories[c], c))
    cat_index = {c: i for i, c in enumerate(cat_ids)}
    sentences: dict[str, int] = {}

    bipartite = nx.Graph()
    bipartite.add_nodes_from(actor_ids)
    bipartite.add_nodes_from(measure_ids)
    bipartite.add_edges_from((d.actor, d.measure) for d in duties)
    co = co_responsibility(duties)
    sizes = {a: actor_size(selection.workload.get(a, 0)) for a in actor_ids}
    positions = layout(bipartite, sizes, co)

    actors = []
    for a in actor_ids:
        info = data.actors[a]
        x, y = positions[a]
        actors.append([info.label, info.kind if info.kind in KINDS else "organisation", info.alt,
                       selection.workload.get(a, 0), x, y, round(sizes[a], 1)])
    measures = []
    for m in measure_ids:
        info = data.measures[m]
        x, y = positions[m]
        measures.append([info.label, doc_index.get(info.doc, -1), [cat_index[c] for c in info.categories], x, y])
    assignments = []
    for d in duties:
        sentence = sentences.setdefault(d.evidence, len(sentences))
        assignments.append([actor_index[d.actor], measure_index[d.measure], d.role, doc_index.get(d.doc, -1), sentence,
                            d.deadline, d.negated, d.actor_text])
    co_rows = sorted([*sorted((actor_index[u], actor_index[v])), sorted(measure_index[m] for m in shared)]
                     for u, v, shared in co.edges(data="measures"))
    return {
        "title": title,
        "view": options.view,
        "large": len(actor_ids) + len(measure_ids) > LARGE_GRAPH,
        "notes": selection.notes,
        "documents": [list(data.documents.get(d, (_local_name(d), _local_name(d)))) for d in doc_ids],
        "categories": [data.categories[c] for c in cat_ids],
        "sentences": list(sentences),
        "actors": actors,
        "measures": measures,
        "assignments": assignments,
        "co": co_rows,
    }


def actor_size(workload: int) -> float:
    """Drawn radius of an actor node: grows with its workload (number of assignments), capped."""
    return min(10 + 5 * math.sqrt(workload), 50)


def co_responsibility(duties: Sequence[Duty]):
    """Actor-actor graph: an edge when two actors share a measure, `weight` = how many, `measures` = which."""
    import networkx as nx

    owners: dict[str, set[str]] = {}
    for d in duties:
        owners.setdefault(d.measure, set()).add(d.actor)
    co = nx.Graph()
    co.add_nodes_from(sorted({d.actor for d in duties}))
    for measure in sorted(owners):
        group = sorted(owners[measure])
        for i, u in enumerate(group):
            for v in group[i + 1:]:
                if co.has_edge(u, v):
                    co[u][v]["measures"].append(measure)
                    co[u][v]["weight"] += 1
                else:
                    co.add_edge(u, v, weight=1, measures=[measure])
    return co


def script_json(value) -> str:
    """JSON that is safe inside a <script> element: no `<`, `>`, `&` or line separators as such."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _template(name: str) -> str:
    return files("kgraph").joinpath("templates", name).read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def page_html(payload: dict) -> str:
    """The whole page: template + vis-network + page script + data, all inline."""
    vis = _template("vis-network.min.js")
    app = _template("graph.js")
    csp = (f"default-src 'none'; script-src {_csp_hash(vis)} {_csp_hash(app)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'")
    parts = {
        "CSP": csp,  # no quote, ampersand or angle bracket in it
        "TITLE": html.escape(payload["title"], quote=False),
        "VIS": vis,
        "APP": app,
        "DATA": script_json(payload),
    }
    return re.sub(r"@@KGRAPH_([A-Z]+)@@", lambda m: parts[m.group(1)], _template("graph.html"))


def render_html(store, options: RenderOptions | None = None, title: str = "") -> tuple[str, RenderReport]:
    """The page for the graph in `store`, and what it shows."""
    options = options or RenderOptions()
    if options.view not in VIEWS:
        raise RenderError(f"unknown view {options.view!r}; use one of {', '.join(VIEWS)}")
    if options.depth < 1:
        raise RenderError(f"--depth must be at least 1, not {options.depth}")
    data = load_graph_data(store)
    selection = select_duties(data, options)
    title = options.title or title or "kgraph"
    payload = page_data(data, selection, options, title)
    report = RenderReport(actors=len(payload["actors"]), measures=len(payload["measures"]),
                          edges=len(payload["assignments"]), notes=list(selection.notes))
    report.nodes = report.actors + report.measures
    return page_html(payload), report


def write_html(store, path: str | Path, options: RenderOptions | None = None, title: str = "") -> RenderReport:
    """Render the store's graph into `path` (UTF-8, written atomically)."""
    from .atomic import atomic_write_text

    page, report = render_html(store, options, title)
    atomic_write_text(path, page, encoding="utf-8")
    report.path = Path(path)
    return report


def render(graph: str | Path, output: str | Path, options: RenderOptions | None = None) -> RenderReport:
    """`kgraph render GRAPH -o FILE`: GRAPH is a graph file or a `kgraph build` output folder."""
    from .store import open_store

    store = open_store(graph)
    try:
        return write_html(store, output, options, title=f"kgraph · {Path(graph).name}")
    finally:
        store.close()


def write_build_html(store, folder: str | Path, outdir: str | Path) -> RenderReport:
    """FOLDER/graph.html for `kgraph build` into OUTDIR, from the store of the graph it just built."""
    outdir = Path(outdir)
    return write_html(store, Path(folder) / HTML_FILE, RenderOptions(), title=f"kgraph · {outdir.resolve().name}")
