"""Assignments -> RDF, against the ontology in `ontology/kgraph.ttl`.

Each document contributes a self-contained set of triples (`document_triples`):
its document node, evidence sentences, measures, assignments, and the actors it
names with the labels it uses for them. The whole graph is the union of these
sets, which is what makes incremental builds (replace one document's triples)
and one-named-graph-per-document stores simple. Every IRI is derived from
content (see namespace.py), so the same input always gives the same graph.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .categories import CategoryScheme, load_scheme
from .model import DocumentResult
from .namespace import (
    KG, KIND_CLASSES, OA, ORG, PREFIXES, ROLE_IRIS, ROLE_SHORTCUTS, actor_iri, assignment_iri, document_iri,
    measure_iri, sentence_iri,
)
from .normalise import measure_key
from .resources import ontology_file

Triple = tuple[URIRef, URIRef, object]
# Oxigraph stores every integer type as xsd:integer: a graph file dumped from a store gives these back
INTEGER_DATATYPES = {OA.start: XSD.nonNegativeInteger, OA.end: XSD.nonNegativeInteger}


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def document_triples(result: DocumentResult, categories: CategoryScheme | None = None) -> Iterator[Triple]:
    """All triples one document contributes, in a deterministic order.

    Each measure gets its categories (`categories`, default: the bundled scheme and rules of
    kgraph.categories) as dcterms:subject, with the labels of the concepts used.
    """
    categories = categories if categories is not None else load_scheme()
    document = result.document
    doc = document_iri(document.doc_id)
    yield doc, RDF.type, KG.Document
    yield doc, RDF.type, PROV.Entity
    yield doc, DCTERMS.identifier, Literal(document.doc_id)
    yield doc, DCTERMS.title, zh(document.title or document.doc_id)
    if document.source:
        yield doc, DCTERMS.source, Literal(document.source)
    yield doc, KG.checksum, Literal(document.checksum)
    yield doc, KG.sentenceCount, Literal(result.sentences, datatype=XSD.integer)

    actors_done: set[URIRef] = set()
    sentences_done: set[URIRef] = set()
    measures_done: set[URIRef] = set()
    concepts_done: set[str] = set()
    for a in result.assignments:
        actor = actor_iri(a.canonical_actor or a.actor)
        if actor not in actors_done:
            actors_done.add(actor)
            yield from _actor_triples(actor, a.canonical_actor or a.actor, a.actor_kind)
        if a.actor != (a.canonical_actor or a.actor):
            yield actor, SKOS.altLabel, zh(a.actor)

        sentence = sentence_iri(document.doc_id, a.start, a.end)
        if sentence not in sentences_done:
            sentences_done.add(sentence)
            yield from _sentence_triples(sentence, doc, a.evidence, a.start, a.end)

        key = measure_key(a.measure)
        measure = measure_iri(document.doc_id, key)
        yield measure, RDF.type, KG.Measure
        yield measure, RDF.type, PROV.Activity
        yield measure, RDFS.label, zh(key)
        yield measure, KG.inDocument, doc
        if measure not in measures_done:
            measures_done.add(measure)
            for category in categories.categorise(key):
                if category.iri not in concepts_done:
                    concepts_done.add(category.iri)
                    yield from categories.triples(category)
                yield measure, DCTERMS.subject, URIRef(category.iri)

        assignment = assignment_iri(document.doc_id, a.start, a.canonical_actor or a.actor, a.role, key)
        yield assignment, RDF.type, KG.Assignment
        yield assignment, RDF.type, PROV.Association
        yield measure, PROV.qualifiedAssociation, assignment
        yield assignment, KG.measure, measure
        yield assignment, PROV.agent, actor
        yield assignment, PROV.hadRole, ROLE_IRIS[a.role]
        yield assignment, PROV.wasDerivedFrom, sentence
        yield assignment, KG.inDocument, doc
        yield assignment, KG.actorText, zh(a.actor)
        if a.deadline:
            yield assignment, KG.deadline, zh(a.deadline)
        if a.negated:
            yield assignment, KG.negated, Literal(True)
        yield actor, KG.responsibleFor, measure
        if a.role != "responsible":
            yield actor, ROLE_SHORTCUTS[a.role], measure


def _actor_triples(actor: URIRef, name: str, kind: str) -> Iterator[Triple]:
    yield actor, RDF.type, KG.Actor
    yield actor, RDF.type, PROV.Agent
    yield actor, RDF.type, KIND_CLASSES.get(kind, KG.Organisation)
    if kind in ("organisation", ""):
        yield actor, RDF.type, ORG.Organization
    yield actor, SKOS.prefLabel, zh(name)
    yield actor, RDFS.label, zh(name)


def _sentence_triples(sentence: URIRef, doc: URIRef, text: str, start: int, end: int) -> Iterator[Triple]:
    quote = URIRef(f"{sentence}#quote")
    position = URIRef(f"{sentence}#position")
    yield sentence, RDF.type, KG.Sentence
    yield sentence, RDF.type, OA.SpecificResource
    yield sentence, OA.hasSource, doc
    yield sentence, KG.inDocument, doc
    yield sentence, OA.hasSelector, quote
    yield sentence, OA.hasSelector, position
    yield quote, RDF.type, OA.TextQuoteSelector
    yield quote, OA.exact, Literal(text)
    yield position, RDF.type, OA.TextPositionSelector
    yield position, OA.start, Literal(start, datatype=INTEGER_DATATYPES[OA.start])
    yield position, OA.end, Literal(end, datatype=INTEGER_DATATYPES[OA.end])


def build_graph(results: Iterable[DocumentResult], categories: CategoryScheme | None = None) -> Graph:
    """The union of the documents' triples, prefixes bound."""
    graph = new_graph()
    for result in results:
        add_document(graph, result, categories)
    return graph


def add_document(graph: Graph, result: DocumentResult, categories: CategoryScheme | None = None) -> None:
    for triple in document_triples(result, categories):
        graph.add(triple)


def remove_document(graph: Graph, doc_id: str) -> int:
    """Take one document's triples out of `graph`; returns how many triples were removed.

    Every IRI of a document is its document IRI or starts with it plus "/", so its triples are
    those with such a subject or object. Nodes shared across documents (actors, category
    concepts and their scheme) lose their triples when nothing refers to them any more, as if
    the graph had been built without the document; the actors that remain get their
    skos:altLabel recomputed from the kg:actorText of their remaining assignments.
    """
    doc = document_iri(doc_id)
    prefix = f"{doc}/"

    def owned(term) -> bool:
        return isinstance(term, URIRef) and (term == doc or str(term).startswith(prefix))

    doomed = [triple for triple in graph if owned(triple[0]) or owned(triple[2])]
    shared = {o for s, p, o in doomed if owned(s) and not owned(o) and p != RDF.type and isinstance(o, URIRef)}
    for triple in doomed:
        graph.remove(triple)
    removed = len(doomed)
    actors = {node for node in shared if (node, RDF.type, KG.Actor) in graph}
    while shared:  # nodes nothing refers to any more, and then the nodes only they referred to
        node = shared.pop()
        if next(graph.subjects(None, node), None) is not None:
            continue
        own = list(graph.triples((node, None, None)))
        for triple in own:
            graph.remove(triple)
        removed += len(own)
        shared.update(o for _, p, o in own if p != RDF.type and isinstance(o, URIRef) and o != node)
    for actor in actors:
        if (actor, RDF.type, KG.Actor) not in graph:
            continue
        preferred = set(graph.objects(actor, SKOS.prefLabel))
        surface = {text for assignment in graph.subjects(PROV.agent, actor)
                   for text in graph.objects(assignment, KG.actorText)}
        graph.remove((actor, SKOS.altLabel, None))
        for text in surface - preferred:
            graph.add((actor, SKOS.altLabel, text))
    return removed


def load_ontology() -> Graph:
    graph = new_graph()
    graph.parse(data=ontology_file("kgraph.ttl").read_text(encoding="utf-8"), format="turtle")
    return graph


def load_shapes() -> Graph:
    graph = Graph()
    graph.parse(data=ontology_file("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return graph


def serialize(graph: Graph, path: str | Path, format: str = "turtle") -> None:
    """Write the graph to `path` atomically (temporary file in the same folder, then rename)."""
    from .atomic import atomic_write_bytes

    data = graph.serialize(format=format, encoding="utf-8")
    atomic_write_bytes(Path(path), data)
