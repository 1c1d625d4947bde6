"""The `kgraph` command: thin commands, one library call each.

Only click is imported at start-up; each command imports what it needs when it
runs, so `kgraph --help` stays fast. A user mistake (a kgraph.model.KgraphError)
is printed as one line and exits with status 1; no traceback.
"""
from __future__ import annotations

import functools
import io
import sys
from pathlib import Path

import click

from . import __version__
from .model import KgraphError

EXIT_FAILURES = 2  # some inputs failed, the rest was processed


def _user_errors(command):
    """Turn library errors into one-line click errors."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except KgraphError as err:
            raise click.ClickException(str(err)) from None
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kgraph")
def main() -> None:
    """Who is responsible for what: turn Chinese policy texts into a knowledge graph.

    Run `kgraph build` with no input to build the graph of the bundled sample corpus.
    """


LEXICON_OPTION = click.option(
    "--lexicon", "lexicons", multiple=True, type=click.Path(dir_okay=False),
    help="Extra lexicon TSV file (actors, patterns, cues or words; same shape as data/lexicon/*.tsv). Repeatable.")


DEFAULT_OUTDIR = "kgraph-out"
KEEP_GOING_OPTION = click.option(
    "--keep-going/--strict", default=True, show_default=True,
    help="--keep-going: report a file that cannot be read and go on with the others (exit status 2 "
         "if any failed). --strict: stop at the first such file and write nothing (exit status 1).")
PROGRESS_OPTION = click.option(
    "--progress/--no-progress", "progress_bar", default=None,
    help="Show a progress bar [default: only when standard error is a terminal].")
CATEGORIES_OPTION = click.option(
    "--categories", "category_files", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
    help="Your own measure categories: a .tsv of keyword rules (category<TAB>keyword, like data/categories.tsv) "
         "and/or a .ttl SKOS concept scheme (like ontology/categories.ttl; needs its own rules). Repeatable.")



def _worker_options(command):
    """--jobs, --engine, --scheduler: where extraction runs (kgraph.parallel)."""
    options = [
        click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(min=0),
                     help="Extract on N local processes (0: one per CPU); the output is the same as with 1."),
        click.option("--engine", "worker_engine", type=click.Choice(["local", "dask"]), default="local",
                     show_default=True,
                     help="local: this machine (--jobs); dask: the workers of the Dask cluster at --scheduler "
                          "(pip install 'kgraph[dask]')."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="The Dask scheduler for --engine dask, e.g. tcp://10.0.0.5:8786 "
                          "[default: $DASK_SCHEDULER_ADDRESS]."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


SPARQL_UPDATE_OPTION = click.option(
    "--sparql-update", metavar="URL",
    help="The server's SPARQL Update endpoint [default: from the endpoint URL: …/query -> …/update, "
         "GraphDB …/repositories/ID -> …/statements, else the same URL].")


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False),
              help=f"Output folder [default: {DEFAULT_OUTDIR}].")
@click.option("--update", "update_dir", metavar="OUTDIR", type=click.Path(file_okay=False),
              help="Add INPUT to the existing build in OUTDIR: new documents are added, changed ones "
                   "replaced, unchanged ones left alone.")
@KEEP_GOING_OPTION
@PROGRESS_OPTION
@LEXICON_OPTION
@CATEGORIES_OPTION
@click.option("--store", type=click.Choice(["memory", "oxigraph"]), default=None,
              help="oxigraph: also write OUTDIR/oxigraph, an on-disk SPARQL store that query, serve, render and "
                   "matrix open instead of parsing graph.ttl (fast on big graphs); memory: none. "
                   "[default: keep what OUTDIR has]")
@_worker_options
@click.option("--sparql-endpoint", metavar="URL",
              help="Write the graph to this SPARQL server (its query endpoint, e.g. http://host:7878/query) instead "
                   "of OUTDIR: one named graph per document, replaced when the document changed.")
@SPARQL_UPDATE_OPTION
@_user_errors
def build(inputs: tuple[str, ...], outdir: str | None, update_dir: str | None, keep_going: bool,
          progress_bar: bool | None, lexicons: tuple[str, ...], category_files: tuple[str, ...],
          store: str | None, jobs: int, worker_engine: str, scheduler: str | None, sparql_endpoint: str | None,
          sparql_update: str | None) -> None:
    """Build the responsibility graph of INPUT files or folders (default: the sample corpus).

    Reads .txt/.md (UTF-8, GB18030/GBK, UTF-16), .docx, .pdf (with a text
    layer) and .html. Writes OUTDIR/graph.ttl (RDF, validated against the
    SHACL shapes), OUTDIR/assignments.tsv and OUTDIR/matrix.xlsx (the
    责任分工表, see `kgraph matrix`), all or nothing: a failed run
    leaves the previous outputs as they were.

    Exit status: 0 all inputs read; 2 some inputs failed (named on standard
    error), the outputs hold the others; 1 nothing written (an error, or
    --strict and a file failed).
    """
    from .pipeline import BuildOptions, build as run_build
    from .progress import for_terminal

    if update_dir and outdir and Path(outdir).resolve() != Path(update_dir).resolve():
        raise KgraphError(f"--update {update_dir} writes into {update_dir}; leave out -o {outdir}")
    if update_dir and category_files:  # an update must categorise like the build it adds to
        raise KgraphError("--categories cannot be combined with --update yet; rebuild with --categories instead")
    if sparql_endpoint and (outdir or update_dir or store):
        given = "-o" if outdir else "--update" if update_dir else "--store"
        raise KgraphError(f"--sparql-endpoint writes the graph to the server; leave out {given} "
                          f"(kgraph render/matrix/query {sparql_endpoint} read it from there)")
    options = BuildOptions(lexicon_files=lexicons, keep_going=keep_going, progress=for_terminal(bar=progress_bar),
                           category_files=category_files, store=store, jobs=jobs, engine=worker_engine,
                           scheduler=scheduler, sparql_endpoint=sparql_endpoint, sparql_update=sparql_update)
    if update_dir:
        from .incremental import update

        _report("build --update", update(inputs, update_dir, options))
    else:
        _report("build", run_build(inputs, outdir or DEFAULT_OUTDIR, options))


@main.command()
@click.argument("outdir", type=click.Path(file_okay=False))
@click.argument("docs", nargs=-1, required=True)
@SPARQL_UPDATE_OPTION
@_user_errors
def remove(outdir: str, docs: tuple[str, ...], sparql_update: str | None) -> None:
    """Take documents out of the build in OUTDIR: their assignments, measures and evidence.

    DOC is a document id as in the graph: the file name without extension
    (see `doc` in OUTDIR/assignments.tsv). Actors named only by these
    documents go too. OUTDIR may be the URL of a SPARQL server written by
    `build --sparql-endpoint URL`: the documents' named graphs are dropped.
    """
    from .endpoint import is_endpoint
    from .pipeline import BuildOptions

    if is_endpoint(outdir):
        from .endpoint import remove as run_remove
    else:
        from .incremental import remove as run_remove
    _report("remove", run_remove(outdir, docs, BuildOptions(sparql_update=sparql_update)))


def _report(command: str, report) -> None:
    """The one-line summary (and, on a terminal, the output files); exit status 2 if any input failed."""
    click.echo(f"kgraph {command}: {report.summary()}", err=True)
    for note in getattr(report, "notes", ()):
        click.echo(f"note: {note}", err=True)
    if sys.stderr.isatty():
        for name, path in report.outputs.items():
            click.echo(f"  {name}: {path}", err=True)
    if report.failures:
        sys.exit(EXIT_FAILURES)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["tsv", "jsonl", "csv"]), default="tsv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of standard output.")
@LEXICON_OPTION
@_worker_options
@_user_errors
def extract(inputs: tuple[str, ...], fmt: str, output: str | None, lexicons: tuple[str, ...], jobs: int,
            worker_engine: str, scheduler: str | None) -> None:
    """Extract the assignments of INPUT files or folders (default: the sample corpus).

    Columns: doc, actor, role, measure, evidence, start, end (offsets of the
    evidence sentence in the text), deadline, negated, canonical_actor, actor_kind.
    """
    from .export import write_assignments
    from .pipeline import Failure, extract_assignments

    failures: list[Failure] = []
    assignments = extract_assignments(inputs, lexicons, failures, jobs=jobs, engine=worker_engine,
                                      scheduler=scheduler)
    if output:
        from .atomic import atomic_writer

        with atomic_writer(output, newline="") as handle:
            write_assignments(assignments, handle, fmt)
    else:
        # UTF-8 whatever the terminal's locale says, as the files are; detach so stdout stays open
        stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:
            write_assignments(assignments, stdout, fmt)
            stdout.flush()
        finally:
            stdout.detach()
    for failure in failures:
        click.echo(f"error: {failure}", err=True)
    if failures:
        sys.exit(EXIT_FAILURES)


@main.command()
@click.argument("graph", type=click.Path())
@_user_errors
def validate(graph: str) -> None:
    """Check GRAPH (a graph file or build folder) against kgraph's SHACL shapes."""
    from .store import open_store
    from .validate import validate_graph

    store = open_store(graph)
    rdf = getattr(store, "graph", None)
    if rdf is None:
        raise KgraphError(f"{graph}: validation needs a graph file or a build folder with graph.ttl")
    report = validate_graph(rdf)
    if report.conforms:
        click.echo(f"{graph}: conforms to the kgraph shapes")
        return
    for violation in report.violations:
        click.echo(f"violation: {violation}")
    raise click.ClickException(f"{graph}: {len(report.violations)} violation(s) of the kgraph shapes")


@main.command()
@click.argument("graph", type=click.Path())
@click.option("-o", "--output", default="graph.html", show_default=True, type=click.Path(dir_okay=False),
              help="HTML file to write (self-contained, works offline).")
@click.option("--actor", "actors", multiple=True, metavar="NAME",
              help="Show only the neighbourhood of this actor: its canonical name or a form in the texts "
                   "(卫健委 finds 卫生健康委员会). Repeatable.")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(min=1),
              help="Size of the --actor neighbourhood in steps along the edges: 1 its measures, 2 also the "
                   "other actors on them, 3 also their measures, …")
@click.option("--document", "documents", multiple=True, metavar="DOC",
              help="Only assignments from this document (id or title). Repeatable.")
@click.option("--role", "roles", multiple=True, type=click.Choice(["lead", "responsible", "support", "supervise"]),
              help="Only assignments with this role. Repeatable.")
@click.option("--max-nodes", default=3000, show_default=True, type=click.IntRange(min=0),
              help="Keep at most N nodes: the actors with the most assignments and their measures; what is "
                   "cut is said here and in the page. 0: no limit.")
@click.option("--view", type=click.Choice(["responsibility", "co-responsibility"]), default="responsibility",
              show_default=True, help="The view shown first (the page switches between both).")
@click.option("--title", help="Page title [default: the graph's file name].")
@_user_errors
def render(graph: str, output: str, actors: tuple[str, ...], depth: int, documents: tuple[str, ...],
           roles: tuple[str, ...], max_nodes: int, view: str, title: str | None) -> None:
    """Draw GRAPH (a graph file or build folder) as an interactive HTML page.

    Actors and measures are nodes, assignments are edges styled by role;
    hover for the evidence sentence, click an actor to highlight its duties,
    filter by role, document, actor and category. The second view links
    actors that share measures.
    """
    from .render import RenderOptions, render as run_render

    options = RenderOptions(actors=actors, depth=depth, documents=documents, roles=roles, max_nodes=max_nodes,
                            view=view, title=title or "")
    report = run_render(graph, output, options)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"kgraph render: {report.summary()} -> {report.path}", err=True)


@main.command()
@click.argument("graph", type=click.Path())
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="File to write; the format comes from the extension: .xlsx (one sheet per layout), .csv (one "
                   "layout, UTF-8 with BOM), .md, .html (sortable, offline). Default: Markdown on standard output.")
@click.option("--layout", "layouts", multiple=True, metavar="LAYOUT",
              help="tasks (责任分工表), matrix (actor × measure), documents (actor × document) or issues "
                   "(to review). Repeatable [default: all; for .csv: tasks].")
@click.option("--by", default="measure", show_default=True, metavar="measure|category",
              help="Columns of the matrix: measures, or measure categories.")
@click.option("--letters", is_flag=True, help="Roles as L/R/S/V instead of 牵头/负责/配合/督导.")
@click.option("--doc", "documents", multiple=True, metavar="DOC",
              help="Only this document (id, title or file name). Repeatable.")
@click.option("--actor", "actors", multiple=True, metavar="NAME",
              help="Only this actor's duties: canonical name or a form in the texts (卫健委). Repeatable.")
@click.option("--role", "roles", multiple=True, metavar="ROLE",
              help="Only this role: lead/responsible/support/supervise, 牵头/负责/配合/督导 or L/R/S/V. Repeatable.")
@click.option("--many-docs", "many_documents", default=3, show_default=True, type=click.IntRange(min=2),
              help="Issues to review: list actors with duties in at least this many documents.")
@_user_errors
def matrix(graph: str, output: str | None, layouts: tuple[str, ...], by: str, letters: bool,
           documents: tuple[str, ...], actors: tuple[str, ...], roles: tuple[str, ...], many_documents: int) -> None:
    """Export GRAPH (a graph file or build folder) as responsibility matrices.

    Layouts: the 责任分工表 (序号, 重点任务, 牵头单位, 责任单位, 配合单位,
    督导单位, 完成时限, 来源, 分类), the actor × measure matrix (or × category
    with --by category) ordered by workload with totals, an actor × document
    summary, and the issues to review. Units are shown by their canonical names.
    """
    from .matrix import MatrixOptions, export_matrix

    options = MatrixOptions(by=by, letters=letters, documents=documents, actors=actors, roles=roles,
                            layouts=layouts, many_documents=many_documents)
    report = export_matrix(graph, output, options, sys.stdout)
    for note in (report.notes if output else ()):  # Markdown on standard output already starts with them
        click.echo(f"note: {note}", err=True)
    click.echo(f"kgraph matrix: {report.summary()}" + (f" -> {report.path}" if report.path else ""), err=True)


@main.command()
@click.argument("graph", required=False, type=click.Path())
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Read the query from FILE (.rq).")
@click.option("--named", metavar="NAME", help="Run a query shipped with kgraph (see --list).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the query, e.g. --param actor=公安局 (canonical name or as written). Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True,
              help="table: aligned for the terminal (long cells cut); csv, tsv, json: SPARQL 1.1 Query Results.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and their parameters.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default=None,
              help="oxigraph (default): a build folder's on-disk store when it has one (build --store "
                   "oxigraph), else the graph loaded in memory; rdflib: rdflib's own engine (pure Python).")
@_user_errors
def query(graph: str | None, sparql: str | None, query_file: str | None, named: str | None,
          params: tuple[str, ...], fmt: str, list_queries: bool, engine: str | None) -> None:
    """Ask GRAPH (a graph file or build folder) a question in SPARQL.

    Give the query as SPARQL text, -f FILE or --named NAME. The prefixes kg:,
    kgi:, prov:, org:, oa:, skos:, rdfs:, rdf:, dcterms:, xsd: and owl: are
    predeclared. Example:

        kgraph query kgraph-out --named actor-measures --param actor=卫健委
    """
    from .query import answer, list_text

    if list_queries:
        click.echo(list_text(), nl=False)
        return
    if graph is None:
        raise KgraphError("give GRAPH (a graph file or a `kgraph build` output folder), or --list")
    click.echo(answer(graph, sparql, file=query_file, named=named, params=params, fmt=fmt, engine=engine), nl=False)


@main.command()
@click.argument("graph", type=click.Path())
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default serves this machine only.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option("--timeout", default=10, show_default=True, type=click.IntRange(min=1),
              help="Seconds a query may run before it is cancelled.")
@click.option("--max-rows", default=10000, show_default=True, type=click.IntRange(min=1),
              help="Rows (or triples) a query returns at most; more are cut.")
@click.option("--quiet", is_flag=True, help="Do not log requests.")
@_user_errors
def serve(graph: str, host: str, port: int, timeout: int, max_rows: int, quiet: bool) -> None:
    """Serve GRAPH (a graph file or build folder) over HTTP, read-only.

    /sparql is a SPARQL 1.1 Protocol endpoint (GET and POST; JSON, XML, CSV or
    TSV results); / and /query a query page, /actors, /actor/NAME and the
    measure pages browse the duties with their evidence. The queries run in
    the Oxigraph server, which cancels those longer than --timeout. Stop with Ctrl-C.
    """
    from .serve import ServeOptions, serve as run_serve

    def announce(server) -> None:
        click.echo(f"kgraph serve: {server.url} (SPARQL endpoint {server.url}sparql; read-only, "
                   f"{timeout:g} s and {max_rows} rows per query); Ctrl-C stops", err=True)

    log = None if quiet else (lambda line: click.echo(line, err=True))
    run_serve(graph, ServeOptions(host=host, port=port, timeout=timeout, max_rows=max_rows, log=log), announce)


if __name__ == "__main__":  # pragma: no cover
    main()
