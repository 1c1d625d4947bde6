"""Measure categories: a SKOS concept scheme and keyword rules that assign its concepts to measures.

The bundled scheme is `ontology/categories.ttl` (policy domains: 监测排查, 隔离管控,
防汛抗旱, 河湖治理 …); the keyword rules are `data/categories.tsv`, one
`category<TAB>keyword` per line under a `category<TAB>keyword` header, the
category named by its skos:prefLabel@zh or skos:notation. A measure gets every
category one of whose keywords occurs in its text (after NFKC), so a measure may
get several categories or none; the result is ordered by the scheme's notation,
hence deterministic.

Users replace either part with their own files (`kgraph build --categories
FILE`): a `.ttl` file replaces the scheme, a `.tsv` file the rules. A replaced
scheme needs its own rules. Errors name the file and line.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Sequence

from .model import KgraphError
from .resources import data_file, ontology_file

SCHEME_FILE = "categories.ttl"
RULES_FILE = "categories.tsv"
RULES_HEADER = ("category", "keyword")
SCHEME_SUFFIXES = (".ttl", ".turtle")
RULES_SUFFIXES = (".tsv", ".txt")


class CategoryError(KgraphError):
    pass


@dataclass(frozen=True)
class Category:
    """One concept of the scheme: its IRI, Chinese label, other labels (text, language) and notation."""

    iri: str
    label: str
    notation: str = ""
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Rule:
    category: Category
    keyword: str
    where: str  # file:line, for messages


@dataclass(frozen=True)
class CategoryScheme:
    """A concept scheme with its keyword rules; `categorise(text)` gives the categories of a measure."""

    iri: str
    labels: tuple[tuple[str, str], ...]
    categories: tuple[Category, ...]
    rules: tuple[Rule, ...] = ()
    _patterns: tuple[tuple[Category, re.Pattern], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        keywords: dict[str, list[str]] = {}
        for rule in self.rules:
            keywords.setdefault(rule.category.iri, []).append(rule.keyword)
        patterns = tuple(
            (category, re.compile("|".join(re.escape(k) for k in sorted(keywords[category.iri], key=len, reverse=True))))
            for category in self.categories if category.iri in keywords)
        object.__setattr__(self, "_patterns", patterns)

    def categorise(self, text: str) -> tuple[Category, ...]:
        """The categories whose keywords occur in `text`, in scheme order."""
        text = unicodedata.normalize("NFKC", text)
        return tuple(category for category, pattern in self._patterns if pattern.search(text))

    def triples(self, category: Category) -> Iterator[tuple]:
        """The RDF a graph needs to show `category` without the scheme file: type, labels, notation, scheme."""
        from rdflib import Literal, URIRef
        from rdflib.namespace import RDF, SKOS

        concept, scheme = URIRef(category.iri), URIRef(self.iri)
        yield concept, RDF.type, SKOS.Concept
        yield concept, SKOS.inScheme, scheme
        for text, lang in category.labels:
            yield concept, SKOS.prefLabel, Literal(text, lang=lang or None)
        if category.notation:
            yield concept, SKOS.notation, Literal(category.notation)
        yield scheme, RDF.type, SKOS.ConceptScheme
        for text, lang in self.labels:
            yield scheme, SKOS.prefLabel, Literal(text, lang=lang or None)


def load_scheme(files: Sequence[str | Path] = ()) -> CategoryScheme:
    """The bundled scheme and rules, each replaced by the user's `.ttl` / `.tsv` file in `files`."""
    return _load_cached(tuple(str(f) for f in files))


@lru_cache(maxsize=8)
def _load_cached(files: tuple[str, ...]) -> CategoryScheme:
    schemes = [f for f in files if f.lower().endswith(SCHEME_SUFFIXES)]
    rules = [f for f in files if f.lower().endswith(RULES_SUFFIXES)]
    others = [f for f in files if f not in schemes and f not in rules]
    if others:
        raise CategoryError(f"{others[0]}: a categories file is a SKOS scheme (.ttl) or keyword rules (.tsv)")
    for kind, given in (("scheme (.ttl)", schemes), ("rules (.tsv)", rules)):
        if len(given) > 1:
            raise CategoryError(f"{given[1]}: give at most one categories {kind} file; {given[0]} is already one")
    if schemes and not rules:
        raise CategoryError(f"{schemes[0]}: a replaced category scheme needs its own keyword rules; "
                            f"add --categories RULES.tsv (lines category<TAB>keyword)")
    if schemes:
        scheme_text, scheme_source = _read(Path(schemes[0])), schemes[0]
    else:
        scheme_text, scheme_source = ontology_file(SCHEME_FILE).read_text(encoding="utf-8"), f"ontology/{SCHEME_FILE}"
    if rules:
        rules_text, rules_source = _read(Path(rules[0])), rules[0]
    else:
        rules_text, rules_source = data_file(RULES_FILE).read_text(encoding="utf-8"), f"data/{RULES_FILE}"
    iri, labels, categories = parse_scheme(scheme_text, scheme_source)
    return CategoryScheme(iri, labels, categories, parse_rules(rules_text, rules_source, categories))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CategoryError(f"{path}: categories file not found") from None
    except UnicodeDecodeError as err:
        raise CategoryError(f"{path}: not UTF-8 text (byte {err.start}); save it as UTF-8") from None
    except OSError as err:
        raise CategoryError(f"{path}: cannot read categories file ({err.strerror})") from None


def parse_scheme(text: str, source: str) -> tuple[str, tuple[tuple[str, str], ...], tuple[Category, ...]]:
    """(scheme IRI, scheme labels, concepts in notation order) of a Turtle file holding one skos:ConceptScheme."""
    from rdflib import Graph, Literal
    from rdflib.namespace import RDF, SKOS

    graph = Graph()
    try:
        graph.parse(data=text, format="turtle")
    except Exception as err:  # rdflib raises parser-specific types
        raise CategoryError(f"{source}: cannot parse as Turtle: {' '.join(str(err).split())[:300]}") from None
    schemes = sorted(set(graph.subjects(RDF.type, SKOS.ConceptScheme)))
    if len(schemes) != 1:
        raise CategoryError(f"{source}: expected one skos:ConceptScheme, found {len(schemes)}")
    scheme = schemes[0]
    members = (set(graph.subjects(SKOS.inScheme, scheme)) | set(graph.subjects(SKOS.topConceptOf, scheme))
               | set(graph.objects(scheme, SKOS.hasTopConcept)))
    if not members:
        raise CategoryError(f"{source}: the scheme <{scheme}> has no concepts (skos:inScheme or skos:topConceptOf it)")

    def labels_of(node) -> tuple[tuple[str, str], ...]:
        found = [o for o in graph.objects(node, SKOS.prefLabel) if isinstance(o, Literal)]
        return tuple(sorted((str(o), o.language or "") for o in found))

    categories, seen = [], {}
    for concept in members:
        labels = labels_of(concept)
        chinese = [t for t, lang in labels if lang.lower().startswith("zh")]
        if len(chinese) != 1:
            raise CategoryError(f"{source}: concept <{concept}> needs exactly one skos:prefLabel tagged @zh, "
                                f"found {len(chinese)}")
        if chinese[0] in seen:
            raise CategoryError(f"{source}: concepts <{seen[chinese[0]]}> and <{concept}> share the label {chinese[0]}")
        seen[chinese[0]] = concept
        notation = graph.value(concept, SKOS.notation)
        categories.append(Category(str(concept), chinese[0], "" if notation is None else str(notation), labels))
    categories.sort(key=lambda c: (c.notation == "", c.notation, c.label, c.iri))
    return str(scheme), labels_of(scheme), tuple(categories)


def parse_rules(text: str, source: str, categories: Sequence[Category]) -> tuple[Rule, ...]:
    """Keyword rules from TSV text; every error is `source:line: what is wrong`."""
    by_name = {c.label: c for c in categories}
    by_name.update({c.notation: c for c in categories if c.notation})
    rows = _rows(text)
    first = next(rows, None)
    if first is None or tuple(cell.strip() for cell in first[1]) != RULES_HEADER:
        where = f"{source}:{first[0]}" if first else source
        raise CategoryError(f"{where}: expected the header row category<TAB>keyword")
    rules, seen = [], {}
    for number, cells in rows:
        where = f"{source}:{number}"
        if len(cells) != 2:
            raise CategoryError(f"{where}: expected category<TAB>keyword, got {len(cells)} column(s)")
        name, keyword = (unicodedata.normalize("NFKC", cell).strip() for cell in cells)
        if not name or not keyword:
            raise CategoryError(f"{where}: empty {'category' if not name else 'keyword'}")
        if any(ch.isspace() for ch in keyword):
            raise CategoryError(f"{where}: keyword {keyword!r} contains a space; measure texts have none")
        category = by_name.get(name)
        if category is None:
            known = "、".join(c.label for c in categories)
            raise CategoryError(f"{where}: unknown category {name!r}; the scheme has {known}")
        if (category.iri, keyword) in seen:
            raise CategoryError(f"{where}: duplicate rule {name}<TAB>{keyword} (first at line {seen[category.iri, keyword]})")
        seen[category.iri, keyword] = number
        rules.append(Rule(category, keyword, where))
    return tuple(rules)


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of the lines that are neither blank nor `#` comments."""
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, line.split("\t")
