"""The main jobs: read -> segment -> extract -> normalise -> graph -> outputs.

Each stage is a function from dataclasses to dataclasses; this module runs
them in order, one document at a time (documents are independent), and names
the failing file when a stage cannot handle it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .model import Assignment, DocumentResult, KgraphError
from .read import iter_documents
from .resources import sample_corpus

GRAPH_FILE = "graph.ttl"
ASSIGNMENTS_FILE = "assignments.tsv"


@dataclass
class Failure:
    path: str
    reason: str

    def __str__(self) -> str:
        return self.reason if self.reason.startswith(self.path) else f"{self.path}: {self.reason}"


@dataclass
class BuildReport:
    """What a run read, found and wrote."""

    documents: int = 0
    sentences: int = 0
    assignments: int = 0
    actors: int = 0
    measures: int = 0
    failures: list[Failure] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [f"{self.documents} documents", f"{self.sentences} sentences", f"{self.assignments} assignments",
                 f"{self.actors} actors", f"{self.measures} measures", f"{len(self.failures)} failed"]
        return ", ".join(parts)


def default_inputs(inputs: Sequence[str | Path]) -> list[str | Path]:
    """The user's inputs, or the bundled sample corpus when there are none."""
    return list(inputs) if inputs else list(sample_corpus())


def process(inputs: Sequence[str | Path], lexicon_files: Sequence[str] = (),
            failures: list[Failure] | None = None) -> Iterator[DocumentResult]:
    """Read, extract and normalise each input document in turn; unreadable files go to `failures`."""
    from .extract import extractor_for
    from .normalise import normalise

    extractor = extractor_for(tuple(str(f) for f in lexicon_files))
    for item in iter_documents(default_inputs(inputs)):
        if item.document is None:
            if failures is None:
                raise KgraphError(item.error)
            failures.append(Failure(str(item.path), item.error))
            continue
        try:
            result = extractor.extract(item.document)
        except Exception as err:  # a bug must not stop the other documents; report it with the file
            if failures is None:
                raise
            failures.append(Failure(str(item.path), f"extraction failed: {type(err).__name__}: {err}"))
            continue
        yield normalise(result, extractor.recogniser)


def extract_assignments(inputs: Sequence[str | Path], lexicon_files: Sequence[str] = (),
                        failures: list[Failure] | None = None) -> Iterator[Assignment]:
    for result in process(inputs, lexicon_files, failures):
        yield from result.assignments


@dataclass
class BuildOptions:
    """How `build` runs; every field has the default the CLI uses."""

    lexicon_files: Sequence[str] = ()
    on_document: Callable[[DocumentResult], None] | None = None


def build(inputs: Sequence[str | Path], outdir: str | Path, options: BuildOptions | None = None) -> BuildReport:
    """Build OUTDIR/graph.ttl and OUTDIR/assignments.tsv from the inputs (the sample corpus when empty)."""
    options = options or BuildOptions()
    from .atomic import atomic_writer
    from .export import write_assignments
    from .graph import add_document, new_graph, serialize
    from .validate import validate_graph

    outdir = Path(outdir)
    report = BuildReport()
    graph = new_graph()
    all_assignments: list[Assignment] = []
    for result in process(inputs, options.lexicon_files, report.failures):
        report.documents += 1
        report.sentences += result.sentences
        report.assignments += len(result.assignments)
        all_assignments.extend(result.assignments)
        add_document(graph, result)
        if options.on_document is not None:
            options.on_document(result)
    if report.documents == 0:
        raise KgraphError("no document could be read: " + "; ".join(str(f) for f in report.failures))
    validation = validate_graph(graph)
    if not validation.conforms:
        raise KgraphError("the built graph does not pass the SHACL shapes (a kgraph bug): "
                          + str(validation.violations[0]))
    report.actors, report.measures = _count_nodes(graph)
    outdir.mkdir(parents=True, exist_ok=True)
    serialize(graph, outdir / GRAPH_FILE)
    with atomic_writer(outdir / ASSIGNMENTS_FILE, newline="") as handle:
        write_assignments(all_assignments, handle, "tsv")
    report.outputs = {"graph": outdir / GRAPH_FILE, "assignments": outdir / ASSIGNMENTS_FILE}
    return report


def _count_nodes(graph) -> tuple[int, int]:
    from rdflib.namespace import RDF

    from .namespace import KG

    actors = sum(1 for _ in graph.subjects(RDF.type, KG.Actor))
    measures = sum(1 for _ in graph.subjects(RDF.type, KG.Measure))
    return actors, measures
