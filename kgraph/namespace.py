"""The only place IRIs and prefixes live.

Instance IRIs are derived from content (canonical names, document ids,
offsets) so that building the same input twice gives the same graph, and every
IRI that belongs to one document starts with that document's IRI, which is what
lets an incremental build drop a document's triples by prefix.
"""
from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

KG = Namespace("https://w3id.org/kgraph/ns#")
KGI = Namespace("https://w3id.org/kgraph/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES = {
    "kg": KG,
    "kgi": KGI,
    "prov": PROV,
    "org": ORG,
    "oa": OA,
    "skos": SKOS,
    "rdfs": RDFS,
    "rdf": RDF,
    "dcterms": DCTERMS,
    "xsd": XSD,
    "owl": OWL,
}

ROLE_IRIS = {
    "lead": KG.Lead,
    "responsible": KG.Responsible,
    "support": KG.Support,
    "supervise": KG.Supervise,
}
ROLE_BY_IRI = {iri: name for name, iri in ROLE_IRIS.items()}

# The shortcut property materialised for each role; kg:responsibleFor is the
# super-property, so "responsible" uses it directly.
ROLE_SHORTCUTS = {
    "lead": KG.leads,
    "responsible": KG.responsibleFor,
    "support": KG.supports,
    "supervise": KG.supervises,
}

KIND_CLASSES = {
    "organisation": KG.Organisation,
    "post": KG.Post,
    "collective": KG.Collective,
}


def sparql_prefixes() -> str:
    """PREFIX lines for every standard prefix, prepended to user queries."""
    return "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in PREFIXES.items())


def _digest(*parts: object) -> str:
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


def document_iri(doc_id: str) -> URIRef:
    return KGI[f"doc/{quote(doc_id, safe='')}"]


def sentence_iri(doc_id: str, start: int, end: int) -> URIRef:
    return URIRef(f"{document_iri(doc_id)}/sentence/{start}-{end}")


def measure_iri(doc_id: str, measure_key: str) -> URIRef:
    return URIRef(f"{document_iri(doc_id)}/measure/{_digest(measure_key)}")


def assignment_iri(doc_id: str, start: int, actor: str, role: str, measure_key: str) -> URIRef:
    return URIRef(f"{document_iri(doc_id)}/assignment/{_digest(start, actor, role, measure_key)}")


def actor_iri(canonical_name: str) -> URIRef:
    return KGI[f"actor/{_digest(canonical_name)}"]
