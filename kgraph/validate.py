"""Check a graph against the SHACL shapes in `ontology/shapes.ttl` (pyshacl)."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Iterable

from .model import KgraphError

# documents validated together by a streamed build: large enough to amortise pyshacl's set-up, small
# enough that the batch's rdflib graph (about 1 KB per triple) stays small
BATCH_TRIPLES = 20_000


@dataclass
class Violation:
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.focus}{where}: {self.message}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)


def validate_graph(graph) -> ValidationReport:
    """Validate an rdflib graph; violations carry the shapes' plain-words messages."""
    import pyshacl
    from rdflib.namespace import RDF

    from .namespace import SH

    shapes, ontology = _shapes_and_ontology()
    conforms, results, _ = pyshacl.validate(
        graph, shacl_graph=shapes, ont_graph=ontology, inference="none",
        abort_on_first=False, allow_warnings=True, advanced=False)
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        messages = [str(m) for m in results.objects(result, SH.resultMessage)]
        label = _label(graph, focus)
        violations.append(Violation(label, _path_name(path), messages[0] if messages else "does not conform"))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(bool(conforms), violations)


@functools.lru_cache(maxsize=1)
def _shapes_and_ontology():
    from .graph import load_ontology, load_shapes

    return load_shapes(), load_ontology()


def check_built_graph(graph) -> None:
    """Raise when a graph kgraph built does not pass the shapes: that is a kgraph bug."""
    validation = validate_graph(graph)
    if not validation.conforms:
        raise KgraphError("the built graph does not pass the SHACL shapes (a kgraph bug): "
                          + str(validation.violations[0]))


class BatchValidator:
    """Checks documents' triples against the shapes a batch of documents at a time, in bounded memory.

    Each document's triples are self-contained (graph.document_triples: its nodes and the actors
    and categories it refers to, with their labels), so checking them in batches finds what
    checking their union finds.
    """

    def __init__(self, batch_triples: int = BATCH_TRIPLES):
        from .graph import new_graph

        self.new_graph = new_graph
        self.batch_triples = batch_triples
        self.graph = new_graph()

    def add(self, triples: Iterable[tuple]) -> None:
        for triple in triples:
            self.graph.add(triple)
        if len(self.graph) >= self.batch_triples:
            self.finish()

    def finish(self) -> None:
        """Check what was added since the last check."""
        if len(self.graph):
            graph, self.graph = self.graph, self.new_graph()
            check_built_graph(graph)


def _label(graph, node) -> str:
    from rdflib.namespace import RDFS, SKOS

    for predicate in (SKOS.prefLabel, RDFS.label):
        value = graph.value(node, predicate)
        if value is not None:
            return f"{node} «{value}»"
    return str(node)


def _path_name(path) -> str:
    if path is None:
        return ""
    from rdflib import URIRef

    from .namespace import PREFIXES

    if isinstance(path, URIRef):
        for prefix, namespace in PREFIXES.items():
            if str(path).startswith(str(namespace)):
                return f"{prefix}:{str(path)[len(str(namespace)):]}"
        return str(path)
    return "complex path"
