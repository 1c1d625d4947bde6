"""Change an existing build: add or replace documents (`build --update`), take documents out (`remove`).

A build folder holds graph.ttl and assignments.tsv (plus the outputs others
derive from the graph). Each document's triples are self-contained and all
its IRIs start with its document IRI (graph.remove_document), and its rows of
assignments.tsv carry its id in the `doc` column, so one document can be
replaced without touching the others:

- a document whose id is not in the graph is added;
- one whose id is there with another checksum (sha256 of the decoded text)
  replaces the old one: its triples and rows go, the new ones come in;
- one with the same checksum changes nothing (it is not even extracted), and
  when nothing changed no file is rewritten.

Ids are given by read.DocIds, which knows the sources of the documents in the
graph, so a file gets the id it had in the build. The outputs are written by
pipeline.write_outputs, all or nothing, like a full build. A build with an
on-disk store (`--store oxigraph`) is changed in its store instead, without
loading the graph (kgraph.store_build).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .model import KgraphError
from .pipeline import (
    ASSIGNMENTS_FILE, GRAPH_FILE, BuildOptions, BuildReport, no_document_read, process, write_outputs,
)
from .read import DocIds


@dataclass
class ExistingBuild:
    """What an incremental run needs of a build folder."""

    outdir: Path
    graph: object  # rdflib.Graph
    documents: dict[str, tuple[str, str]]  # id -> (checksum, source)
    header: str
    rows: dict[str, list[str]] = field(default_factory=dict)  # TSV field of the doc id -> its lines, in order

    def assignments_tsv(self) -> str:
        return self.header + "".join(line for lines in self.rows.values() for line in lines)


def load_build(outdir: str | Path) -> ExistingBuild:
    """The graph, documents and assignment rows of a `kgraph build` output folder."""
    from rdflib.namespace import DCTERMS, RDF

    from .export import COLUMNS
    from .graph import new_graph
    from .namespace import KG

    outdir = Path(outdir)
    graph_file, rows_file = outdir / GRAPH_FILE, outdir / ASSIGNMENTS_FILE
    for path in (graph_file, rows_file):
        if not path.is_file():
            raise KgraphError(f"{path}: missing; {outdir} is not a `kgraph build` output folder "
                              f"(run `kgraph build -o {outdir} ...` first)")
    graph = new_graph()
    try:
        graph.parse(graph_file, format="turtle")
    except Exception as err:  # rdflib raises many parser-specific types
        raise KgraphError(f"{graph_file}: cannot parse ({type(err).__name__}); run a full build") from None
    documents = {}
    for doc in graph.subjects(RDF.type, KG.Document):
        doc_id = str(graph.value(doc, DCTERMS.identifier) or "")
        documents[doc_id] = (str(graph.value(doc, KG.checksum) or ""), str(graph.value(doc, DCTERMS.source) or ""))
    with open(rows_file, encoding="utf-8", newline="") as handle:
        lines = _lines(handle.read())
    header = lines[0] if lines else ""
    if header.rstrip("\n").split("\t") != list(COLUMNS):
        raise KgraphError(f"{rows_file}: not the assignments table of this kgraph version; run a full build")
    build = ExistingBuild(outdir, graph, documents, header)
    for line in lines[1:]:
        build.rows.setdefault(line.split("\t", 1)[0], []).append(line)
    return build


def update(inputs: Sequence[str | Path], outdir: str | Path, options: BuildOptions | None = None) -> BuildReport:
    """Add the documents of `inputs` to the build in `outdir`, replacing changed ones (see the module doc)."""
    from .categories import load_scheme
    from .export import assignments_text
    from .graph import add_document, remove_document

    from .store import store_kind

    options = options or BuildOptions()
    if not inputs:
        raise KgraphError("build --update: name the files or folders to add or update")
    if store_kind(outdir, options.store) == "oxigraph":
        from . import store_build

        return store_build.update(inputs, outdir, options)
    build = load_build(outdir)
    report = BuildReport()
    categories = load_scheme(options.category_files)
    ids = DocIds(known={doc_id: source for doc_id, (_, source) in build.documents.items()})

    def wanted(document) -> bool:
        known = build.documents.get(document.doc_id)
        if known is not None and known[0] == document.checksum:
            report.unchanged.append(document.doc_id)
            return False
        return True

    for result in process(inputs, options.lexicon_files, report.failures if options.keep_going else None,
                          ids=ids, progress=options.progress, wanted=wanted, **options.workers()):
        doc_id = result.document.doc_id
        report.count(result)
        if doc_id in build.documents:
            remove_document(build.graph, doc_id)
            report.replaced.append(doc_id)
        else:
            report.added.append(doc_id)
        build.documents[doc_id] = (result.document.checksum, result.document.source)
        add_document(build.graph, result, categories)
        build.rows[_tsv_field(doc_id)] = _lines(assignments_text(result.assignments))[1:]
        if options.on_document is not None:
            options.on_document(result)
    if not report.added and not report.replaced and not report.unchanged:
        raise KgraphError(no_document_read(report.failures, options))
    _finish(build, options, report, changed=bool(report.added or report.replaced))
    return report


def remove(outdir: str | Path, doc_ids: Sequence[str], options: BuildOptions | None = None) -> BuildReport:
    """Take the documents `doc_ids` (ids as in the graph: file names without extension) out of a build."""
    from .graph import remove_document
    from .store import store_kind

    options = options or BuildOptions()
    if store_kind(outdir, options.store) == "oxigraph":
        from . import store_build

        return store_build.remove(outdir, doc_ids, options)
    build = load_build(outdir)
    unknown = [doc_id for doc_id in doc_ids if doc_id not in build.documents]
    if unknown:
        known = ", ".join(sorted(build.documents)[:10]) + (", …" if len(build.documents) > 10 else "")
        raise KgraphError(f"{build.outdir}: no document {', '.join(unknown)} in the graph "
                          f"(its documents: {known or 'none'})")
    report = BuildReport()
    for doc_id in dict.fromkeys(doc_ids):
        remove_document(build.graph, doc_id)
        del build.documents[doc_id]
        build.rows.pop(_tsv_field(doc_id), None)
        report.removed.append(doc_id)
    _finish(build, options, report, changed=True)
    return report


def _finish(build: ExistingBuild, options: BuildOptions, report: BuildReport, changed: bool) -> None:
    from .pipeline import _count_nodes

    report.graph_documents = len(build.documents)
    if changed:
        write_outputs(build.graph, build.assignments_tsv(), build.outdir, options, report)
        return
    report.actors, report.measures = _count_nodes(build.graph)  # nothing changed: no file is rewritten


def _lines(text: str) -> list[str]:
    # only \n ends a row: evidence may hold other characters str.splitlines breaks at (\x0c, \u2028)
    return re.findall(r"[^\n]*\n|[^\n]+\Z", text)


def _tsv_field(value: str) -> str:
    # how export.write_assignments writes a field: no tabs or line breaks
    return value.replace("\t", " ").replace("\r", "").replace("\n", "")
