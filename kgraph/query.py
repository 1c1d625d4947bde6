"""Run SPARQL against a store, with the standard prefixes predeclared."""
from __future__ import annotations

from .namespace import sparql_prefixes
from .store import ResultTable, Store


def select(store: Store, sparql: str) -> ResultTable:
    """Run a SELECT query; kg:, prov:, org:, oa:, skos:, rdfs:, rdf:, dcterms:, xsd:, owl: need no PREFIX lines."""
    return store.select(sparql_prefixes() + sparql)
