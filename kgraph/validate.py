"""Check a graph against the SHACL shapes in `ontology/shapes.ttl` (pyshacl)."""
from __future__ import annotations

from dataclasses import dataclass, field


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

    from .graph import load_ontology, load_shapes
    from .namespace import SH

    conforms, results, _ = pyshacl.validate(
        graph, shacl_graph=load_shapes(), ont_graph=load_ontology(), inference="none",
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
