"""The main jobs: read -> segment -> extract -> normalise -> graph -> outputs.

Each stage is a function from dataclasses to dataclasses; this module runs
them in order, one document at a time (documents are independent), and names
the failing file when a stage cannot handle it.

Failures: by default (`keep_going`) a file that cannot be read or extracted is
reported and skipped, the others are still processed; with
`keep_going=False` (`--strict`) the first failure stops the run before
anything is written. Outputs: `write_outputs` writes every output file into a
staging folder inside OUTDIR and moves them into place only when all of them
were written, so a failed or interrupted run leaves the previous outputs as
they were. `kgraph build --update` and `kgraph remove` (incremental.py) go
through the same `write_outputs`.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from .model import Assignment, Document, DocumentResult, KgraphError
from .read import DocIds, expand_inputs, iter_documents
from .resources import sample_corpus

if TYPE_CHECKING:
    from .progress import Progress

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
    notes: list[str] = field(default_factory=list)  # what the user should know about the outputs (one line each)
    # incremental runs (build --update, remove): document ids by what happened to them
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    graph_documents: int | None = None  # documents in the graph after an incremental run

    def count(self, result: DocumentResult) -> None:
        self.documents += 1
        self.sentences += result.sentences
        self.assignments += len(result.assignments)

    def summary(self) -> str:
        if self.graph_documents is None:
            parts = [f"{self.documents} documents", f"{self.sentences} sentences",
                     f"{self.assignments} assignments", f"{self.actors} actors", f"{self.measures} measures",
                     f"{len(self.failures)} failed"]
            return ", ".join(parts)
        changes = [f"{len(ids)} {name}" for name, ids in
                   (("added", self.added), ("replaced", self.replaced), ("unchanged", self.unchanged),
                    ("removed", self.removed)) if ids]
        parts = [", ".join(changes) or "nothing changed"]
        if self.documents or self.failures:
            parts.append(f"{self.sentences} sentences and {self.assignments} assignments read, "
                         f"{len(self.failures)} failed")
        parts.append(f"graph: {self.graph_documents} documents, {self.actors} actors, {self.measures} measures")
        return "; ".join(parts)


def default_inputs(inputs: Sequence[str | Path]) -> list[str | Path]:
    """The user's inputs, or the bundled sample corpus when there are none."""
    return list(inputs) if inputs else list(sample_corpus())


def process(inputs: Sequence[str | Path], lexicon_files: Sequence[str] = (),
            failures: list[Failure] | None = None, *, ids: DocIds | None = None,
            progress: Progress | None = None,
            wanted: Callable[[Document], bool] | None = None,
            jobs: int = 1, engine: str = "local", scheduler: str | None = None) -> Iterator[DocumentResult]:
    """Read, extract and normalise each input document in turn.

    A file that cannot be read or extracted goes to `failures`; when `failures` is None the first
    one raises a KgraphError naming it (strict). `ids` gives the document ids (read.DocIds);
    `progress` hears of every file; documents for which `wanted` is false are read, not extracted.
    `jobs` > 1 (0: every CPU) or `engine="dask"` (at `scheduler`) extracts on several processes
    (kgraph.parallel); the results and their order are the same.
    """
    from .parallel import is_parallel, parallel_extractor

    if is_parallel(jobs, engine) or scheduler:
        extract_items = parallel_extractor(lexicon_files, jobs, engine, scheduler)
    else:
        from .extract import extractor_for

        extractor = extractor_for(tuple(str(f) for f in lexicon_files))

        def extract_items(items, files):
            for item, want in items:
                yield item, *(extract_document(extractor, item.document, item.path) if want else (None, item.error))
    files = expand_inputs(default_inputs(inputs))
    # one document at a time: read, then (if wanted) extracted; never all texts at once
    items = ((item, item.document is not None and (wanted is None or wanted(item.document)))
             for item in iter_documents((), ids, files))
    outcomes = extract_items(items, files)
    if progress is not None:
        progress.start(len(files))
    try:
        for item, result, error in outcomes:
            if error and failures is None:
                raise KgraphError(f"{error} (--strict: stopped, nothing written)")
            if error:
                failures.append(Failure(str(item.path), error))
            if progress is not None:
                progress.advance(item.path, error)
            if result is not None:
                yield result
    finally:
        outcomes.close()  # stops the workers of a parallel run
        if progress is not None:
            progress.close()


def extract_document(extractor, document: Document, path: str | Path) -> tuple[DocumentResult | None, str]:
    """Extract and normalise one document: (result, "") or (None, the one-line error naming the file)."""
    from .normalise import normalise

    try:
        return normalise(extractor.extract(document), extractor.recogniser), ""
    except Exception as err:  # a bug must not stop the other documents; report it with the file
        return None, (f"{path}: extraction failed ({type(err).__name__}: {_one_line(err)}); "
                      "this is a kgraph bug, please report it with the file")


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())[:300]


def extract_assignments(inputs: Sequence[str | Path], lexicon_files: Sequence[str] = (),
                        failures: list[Failure] | None = None, *, jobs: int = 1, engine: str = "local",
                        scheduler: str | None = None) -> Iterator[Assignment]:
    for result in process(inputs, lexicon_files, failures, jobs=jobs, engine=engine, scheduler=scheduler):
        yield from result.assignments


@dataclass
class BuildOptions:
    """How `build` (and `build --update`, `remove`) runs; every field has the default the CLI uses."""

    lexicon_files: Sequence[str] = ()
    on_document: Callable[[DocumentResult], None] | None = None
    # a file that fails is reported and skipped (True), or stops the run before anything is written (False)
    keep_going: bool = True
    progress: Progress | None = None  # kgraph.progress: a bar on a terminal, failure lines elsewhere
    # measure categories: a .ttl file replaces the SKOS scheme, a .tsv file the keyword rules (kgraph.categories)
    category_files: Sequence[str] = ()
    # "oxigraph": stream the graph into OUTDIR/oxigraph, an on-disk store that open_store uses instead of
    # parsing graph.ttl (kgraph.store_build); "memory": build it in memory; None: what OUTDIR has now
    store: str | None = None
    # extraction on `jobs` local processes (0: every CPU), or on a Dask cluster ("dask", at `scheduler`)
    jobs: int = 1
    engine: str = "local"
    scheduler: str | None = None
    # write the graph to this SPARQL server, one named graph per document, instead of OUTDIR
    # (kgraph.endpoint); updates go to `sparql_update` (default: derived from the endpoint URL)
    sparql_endpoint: str | None = None
    sparql_update: str | None = None

    def workers(self) -> dict:
        """The keyword arguments of `process` that say where extraction runs."""
        return {"jobs": self.jobs, "engine": self.engine, "scheduler": self.scheduler}


def build(inputs: Sequence[str | Path], outdir: str | Path | None, options: BuildOptions | None = None) -> BuildReport:
    """Build OUTDIR/graph.ttl and OUTDIR/assignments.tsv from the inputs (the sample corpus when empty).

    With `options.sparql_endpoint` the documents go to that SPARQL server instead (OUTDIR unused).
    """
    from .store import store_kind

    options = options or BuildOptions()
    if options.sparql_endpoint:
        from .endpoint import build_to_endpoint

        return build_to_endpoint(inputs, options)
    if store_kind(outdir, options.store) == "oxigraph":
        from . import store_build

        return store_build.build(inputs, outdir, options)
    from .categories import load_scheme
    from .export import assignments_text
    from .graph import add_document, new_graph

    outdir = Path(outdir)
    report = BuildReport()
    graph = new_graph()
    categories = load_scheme(options.category_files)
    all_assignments: list[Assignment] = []
    for result in process(inputs, options.lexicon_files, report.failures if options.keep_going else None,
                          ids=DocIds(), progress=options.progress, **options.workers()):
        report.count(result)
        all_assignments.extend(result.assignments)
        add_document(graph, result, categories)
        if options.on_document is not None:
            options.on_document(result)
    if report.documents == 0:
        raise KgraphError(no_document_read(report.failures, options))
    write_outputs(graph, assignments_text(all_assignments), outdir, options, report)
    return report


def no_document_read(failures: list[Failure], options: BuildOptions) -> str:
    """The error when every input failed; the failures themselves when no progress hook showed them."""
    if not failures:
        return "no document to read: the folders hold no .txt, .md, .docx, .pdf or .html file"
    if options.progress is not None:
        return f"no document could be read ({len(failures)} failed)"
    more = f" and {len(failures) - 1} more" if len(failures) > 1 else ""
    return f"no document could be read: {failures[0]}{more}"


def write_outputs(graph, assignments_tsv: str, outdir: str | Path, options: BuildOptions,
                  report: BuildReport) -> None:
    """Validate `graph` (an rdflib graph) and write every output of a build into OUTDIR, all or nothing.

    The files are written into a staging folder inside OUTDIR and replace those in OUTDIR only
    after every one was written (staged_outputs). An on-disk store OUTDIR may hold goes: it would
    no longer match graph.ttl (`--store oxigraph` builds go through kgraph.store_build instead).
    """
    import shutil

    from .atomic import atomic_write_text
    from .graph import serialize
    from .store import STORE_DIR, MemoryStore
    from .validate import check_built_graph

    check_built_graph(graph)
    report.actors, report.measures = _count_nodes(graph)
    outdir = Path(outdir)
    with staged_outputs(outdir) as folder:
        serialize(graph, folder / GRAPH_FILE)
        report.outputs["graph"] = folder / GRAPH_FILE
        atomic_write_text(folder / ASSIGNMENTS_FILE, assignments_tsv)
        report.outputs["assignments"] = folder / ASSIGNMENTS_FILE
        write_derived_outputs(MemoryStore(graph, str(outdir)), folder, outdir, report)
    shutil.rmtree(outdir / STORE_DIR, ignore_errors=True)
    report.outputs = in_outdir(report.outputs, folder, outdir)


def write_derived_outputs(store, folder: Path, outdir: Path, report: BuildReport) -> None:
    """graph.html and matrix.xlsx, read from the built graph in `store`, into the staging `folder`."""
    from .matrix import write_build_matrix
    from .render import HTML_FILE, write_build_html

    html = write_build_html(store, folder, outdir)
    report.outputs["html"] = html.path
    report.notes += [f"{HTML_FILE}: {note}" for note in html.notes]
    report.outputs["matrix"] = write_build_matrix(store, folder)


def in_outdir(outputs: dict[str, Path], folder: Path, outdir: Path) -> dict[str, Path]:
    """The paths of outputs written into the staging `folder`, once moved into OUTDIR."""
    return {name: outdir / path.relative_to(folder) if path.is_relative_to(folder) else path
            for name, path in outputs.items()}


STAGING_PREFIX = ".kgraph-staging-"


@contextlib.contextmanager
def staged_outputs(outdir: Path) -> Iterator[Path]:
    """A fresh folder inside `outdir`; when the block succeeds, its entries replace those of `outdir`.

    When the block fails (or is interrupted) the folder is deleted and `outdir` is untouched.
    Files are moved with os.replace (atomic on one file system); a folder output (a store)
    replaces the old folder of the same name.
    """
    import os
    import shutil
    import tempfile

    outdir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=outdir))
    try:
        yield staging
        mask = os.umask(0)
        os.umask(mask)
        for entry in sorted(staging.iterdir(), key=lambda p: p.name == GRAPH_FILE):  # graph.ttl last
            target = outdir / entry.name
            if entry.is_dir():
                os.chmod(entry, 0o777 & ~mask)  # mkdtemp-style folders are private
                if target.is_dir():
                    old = staging / f"{entry.name}.old"
                    os.replace(target, old)
            os.replace(entry, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _count_nodes(graph) -> tuple[int, int]:
    from rdflib.namespace import RDF

    from .namespace import KG

    actors = sum(1 for _ in graph.subjects(RDF.type, KG.Actor))
    measures = sum(1 for _ in graph.subjects(RDF.type, KG.Measure))
    return actors, measures
