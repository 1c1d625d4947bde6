"""`kgraph build --store oxigraph`: the graph streamed into OUTDIR/oxigraph, never held in memory.

The on-disk Oxigraph store is laid out as `build --sparql-endpoint` lays out a
server (kgraph.endpoint): one named graph per document, with the triples about
its own nodes, and one shared graph with the actors and categories documents
share. The same GraphWriter writes it, through pyoxigraph in this process
instead of HTTP. Queries (OxigraphStore) read the union of the graphs.

Everything is written into the staging folder of pipeline.staged_outputs, so a
failed or interrupted run leaves OUTDIR as it was:

- each document, as it is extracted, is checked against the SHACL shapes (in
  batches of documents, validate.BatchValidator), written to the store, and its
  rows appended to a side file of assignments;
- then assignments.tsv is written from the side file (merged with the previous
  build's rows for `build --update` and `remove`), graph.ttl is dumped from the
  store (the union of the graphs, as plain triples), and graph.html and
  matrix.xlsx are read from the store by SPARQL, as `kgraph render` and
  `kgraph matrix` read any store.

`build --update` and `remove` start from a backup of the build's store (RocksDB
hard links: instant, the old store untouched) and replace or drop documents'
graphs in it; a document whose checksum is in the store is not extracted, and
when nothing changed no file is rewritten. A build folder whose store has
another layout (written by an older kgraph, or missing) gets one made from its
graph.ttl first.
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Sequence

from .model import KgraphError
from .pipeline import (
    ASSIGNMENTS_FILE,
    GRAPH_FILE,
    BuildOptions,
    BuildReport,
    in_outdir,
    no_document_read,
    process,
    staged_outputs,
    write_derived_outputs,
)
from .read import DocIds
from .store import (
    DOCUMENT_GRAPHS,
    STORE_DIR,
    OxigraphStore,
    has_document_graphs,
    write_manifest,
)

# triples per write transaction: pyoxigraph has no request size limit, and larger transactions cost
# kgraph only the text of the batch
BATCH_TRIPLES = 20_000


class BuildStore(OxigraphStore):
    """The on-disk store a build writes (read-write), in the staging folder."""

    batch_triples = BATCH_TRIPLES

    @classmethod
    def create(cls, folder: Path, copy_of: Path | None = None) -> "BuildStore":
        """A new store in `folder`: empty, or a backup of the store in `copy_of`."""
        import pyoxigraph as ox

        if copy_of is not None:
            ox.Store.read_only(str(copy_of)).backup(str(folder))
        return cls(ox.Store(str(folder)), str(folder), folder)

    def update(self, sparql: str) -> None:
        self.store.update(sparql)

    def load_graph_file(self, graph_file: Path) -> None:
        """Put the triples of a build's graph.ttl into the graphs of their documents (the layout GraphWriter writes)."""
        import pyoxigraph as ox

        from .endpoint import SHARED_GRAPH
        from .namespace import KGI

        documents = f"{KGI}doc/"
        shared = ox.NamedNode(SHARED_GRAPH)
        graphs: dict[str, ox.NamedNode] = {}

        def document_of(term) -> ox.NamedNode | None:
            if not isinstance(term, ox.NamedNode) or not term.value.startswith(documents):
                return None
            rest = term.value[len(documents):]
            doc = documents + rest.split("/", 1)[0].split("#", 1)[0]
            return graphs.setdefault(doc, ox.NamedNode(doc))

        batch = []
        with open(graph_file, "rb") as handle:
            for triple in ox.parse(handle, ox.RdfFormat.TURTLE):
                graph = document_of(triple.subject) or document_of(triple.object) or shared
                batch.append(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
                if len(batch) == self.batch_triples:
                    self.store.extend(batch)
                    batch = []
        self.store.extend(batch)

    def dump_graph(self, path: Path) -> None:
        """Write the union of the graphs to `path` as Turtle, streamed (written atomically)."""
        import pyoxigraph as ox

        from .atomic import atomic_writer
        from .graph import INTEGER_DATATYPES
        from .namespace import PREFIXES

        datatypes = {ox.NamedNode(str(p)): ox.NamedNode(str(t)) for p, t in INTEGER_DATATYPES.items()}

        def triples():
            for quad in self.store.quads_for_pattern(None, None, None, None):
                obj = quad.object
                datatype = datatypes.get(quad.predicate)
                if datatype is not None and isinstance(obj, ox.Literal):
                    obj = ox.Literal(obj.value, datatype=datatype)
                yield ox.Triple(quad.subject, quad.predicate, obj)

        with atomic_writer(path, "wb") as handle:
            ox.serialize(triples(), handle, ox.RdfFormat.TURTLE,
                         prefixes={name: str(namespace) for name, namespace in PREFIXES.items()})

    def close(self) -> None:
        if self.store is not None:
            self.store.flush()
        super().close()  # the last reference: RocksDB closes


class AssignmentRows:
    """assignments.tsv written row by row: new rows go to a side file as documents come, then
    `write` merges them with the previous build's rows (a replaced document's rows where its old
    ones were, new documents at the end, in the order they came), as incremental.update orders them."""

    def __init__(self, folder: Path):
        self.path = folder / f".{ASSIGNMENTS_FILE}.new"
        self.handle: BinaryIO = open(self.path, "wb")
        self.spans: dict[bytes, tuple[int, int]] = {}  # doc field -> where its rows are in the side file

    def add(self, doc_id: str, assignments) -> None:
        from .export import tsv_row

        start = self.handle.tell()
        for assignment in assignments:
            self.handle.write(tsv_row(assignment).encode("utf-8"))
        self.spans[doc_field(doc_id)] = (start, self.handle.tell())

    def write(self, target: Path, previous: Path | None = None, dropped: set[bytes] = frozenset()) -> None:
        """`target` holds the previous rows (but those of `dropped` documents) and the new ones."""
        import shutil

        from .atomic import atomic_writer
        from .export import TSV_HEADER

        self.close()
        written: set[bytes] = set()
        with atomic_writer(target, "wb") as out, open(self.path, "rb") as new:
            def copy(key: bytes) -> None:
                start, end = self.spans[key]
                new.seek(start)
                _copy_bytes(new, out, end - start)
                written.add(key)

            out.write(TSV_HEADER.encode("utf-8"))
            if previous is None:
                shutil.copyfileobj(new, out)
                return
            with open(previous, "rb") as old:
                old.readline()
                for line in old:  # only \n ends a row: evidence may hold \x0c or \u2028
                    key = line.split(b"\t", 1)[0]
                    if key in self.spans:
                        if key not in written:
                            copy(key)
                    elif key not in dropped:
                        out.write(line)
            for key in self.spans:
                if key not in written:
                    copy(key)

    def close(self) -> None:
        if not self.handle.closed:
            self.handle.close()


def _copy_bytes(source: BinaryIO, target: BinaryIO, size: int) -> None:
    while size > 0:
        block = source.read(min(size, 1 << 20))
        if not block:
            break
        target.write(block)
        size -= len(block)


def doc_field(doc_id: str) -> bytes:
    """The `doc` column of assignments.tsv for a document (export writes no tabs or line breaks)."""
    return doc_id.replace("\t", " ").replace("\r", "").replace("\n", "").encode("utf-8")


class _NothingChanged(Exception):
    """Raised inside the staging block to leave OUTDIR untouched."""


# ---------------------------------------------------------------- build, update, remove

def build(inputs: Sequence, outdir: str | Path, options: BuildOptions) -> BuildReport:
    """`kgraph build INPUT -o OUTDIR --store oxigraph`: a new store of the inputs' documents."""
    return _run(Path(outdir), options, inputs=inputs)


def update(inputs: Sequence, outdir: str | Path, options: BuildOptions) -> BuildReport:
    """`kgraph build --update OUTDIR INPUT` on a build with a store: add new, replace changed documents."""
    return _run(Path(outdir), options, inputs=inputs, incremental=True)


def remove(outdir: str | Path, doc_ids: Sequence[str], options: BuildOptions) -> BuildReport:
    """`kgraph remove OUTDIR DOC...` on a build with a store."""
    return _run(Path(outdir), options, removed=list(dict.fromkeys(doc_ids)), incremental=True)


def _run(outdir: Path, options: BuildOptions, *, inputs: Sequence = (), removed: Sequence[str] = (),
         incremental: bool = False) -> BuildReport:
    from .categories import load_scheme
    from .graph import document_triples
    from .validate import BatchValidator

    rows_file = outdir / ASSIGNMENTS_FILE
    if incremental:
        _check_build_folder(outdir)
    report = BuildReport()
    categories = load_scheme(options.category_files)
    try:
        with staged_outputs(outdir) as folder:
            store = _open_store(folder / STORE_DIR, outdir if incremental else None)
            writer, rows = None, None
            try:
                known = store.documents() if incremental else {}
                unknown = [doc_id for doc_id in removed if doc_id not in known]
                if unknown:
                    listed = ", ".join(sorted(known)[:10]) + (", …" if len(known) > 10 else "")
                    raise KgraphError(f"{outdir}: no document {', '.join(unknown)} in the graph "
                                      f"(its documents: {listed or 'none'})")
                writer, rows, validator = store.writer(), AssignmentRows(folder), BatchValidator()
                for doc_id in removed:
                    writer.drop(doc_id)
                    report.removed.append(doc_id)

                def wanted(document) -> bool:
                    if known.get(document.doc_id, ("",))[0] == document.checksum:
                        report.unchanged.append(document.doc_id)
                        return False
                    return True

                if inputs or not incremental:
                    results = process(inputs, options.lexicon_files, report.failures if options.keep_going else None,
                                      ids=DocIds(known={doc_id: source for doc_id, (_, source) in known.items()}),
                                      progress=options.progress, wanted=wanted if incremental else None,
                                      **options.workers())
                    for result in results:
                        doc_id = result.document.doc_id
                        report.count(result)
                        (report.replaced if doc_id in known else report.added).append(doc_id)
                        triples = list(document_triples(result, categories))
                        validator.add(triples)
                        writer.replace(doc_id, triples, existed=doc_id in known)
                        rows.add(doc_id, result.assignments)
                        if options.on_document is not None:
                            options.on_document(result)
                    if not report.added and not report.replaced and not report.unchanged:
                        raise KgraphError(no_document_read(report.failures, options))
                validator.finish()
                writer.finish()
                writer = None
                counts = store.counts()
                if incremental:
                    report.graph_documents = counts[0]
                report.actors, report.measures = counts[1:]
                if not (report.added or report.replaced or report.removed):
                    raise _NothingChanged
                rows.write(folder / ASSIGNMENTS_FILE, rows_file if incremental else None,
                           {doc_field(doc_id) for doc_id in report.removed})
                report.outputs["assignments"] = folder / ASSIGNMENTS_FILE
                store.dump_graph(folder / GRAPH_FILE)
                report.outputs["graph"] = folder / GRAPH_FILE
                write_derived_outputs(store, folder, outdir, report)
            finally:
                if writer is not None:
                    writer.close(send=False)
                if rows is not None:
                    rows.close()
                    rows.path.unlink(missing_ok=True)
                store.close()
            write_manifest(folder / STORE_DIR, folder / GRAPH_FILE, DOCUMENT_GRAPHS)
            report.outputs["store"] = folder / STORE_DIR
    except _NothingChanged:
        return report
    report.outputs = in_outdir(report.outputs, folder, outdir)
    return report


def _check_build_folder(outdir: Path) -> None:
    from .export import TSV_HEADER

    for path in (outdir / GRAPH_FILE, outdir / ASSIGNMENTS_FILE):
        if not path.is_file():
            raise KgraphError(f"{path}: missing; {outdir} is not a `kgraph build` output folder "
                              f"(run `kgraph build -o {outdir} ...` first)")
    with open(outdir / ASSIGNMENTS_FILE, encoding="utf-8", newline="") as handle:
        if handle.readline() != TSV_HEADER:
            raise KgraphError(f"{outdir / ASSIGNMENTS_FILE}: not the assignments table of this kgraph version; "
                              "run a full build")


def _open_store(folder: Path, previous_build: Path | None) -> BuildStore:
    """The store to write: a copy of the previous build's (made from its graph.ttl when it has none
    of this layout), or a new one."""
    if previous_build is None:
        return BuildStore.create(folder)
    store_dir, graph_file = previous_build / STORE_DIR, previous_build / GRAPH_FILE
    if has_document_graphs(store_dir, graph_file):
        return BuildStore.create(folder, copy_of=store_dir)
    store = BuildStore.create(folder)
    try:
        store.load_graph_file(graph_file)
    except BaseException as err:
        store.close()
        if isinstance(err, (SyntaxError, ValueError)):
            raise KgraphError(f"{graph_file}: cannot parse ({_one_line(err)}); run a full build") from None
        raise
    return store


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())[:300]
