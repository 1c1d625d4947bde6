"""The `kgraph` command: thin commands, one library call each.

Only click is imported at start-up; each command imports what it needs when it
runs, so `kgraph --help` stays fast. A user mistake (a kgraph.model.KgraphError)
is printed as one line and exits with status 1; no traceback.
"""
from __future__ import annotations

import functools
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


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--output", "outdir", default="kgraph-out", show_default=True, type=click.Path(file_okay=False),
              help="Output folder.")
@LEXICON_OPTION
@_user_errors
def build(inputs: tuple[str, ...], outdir: str, lexicons: tuple[str, ...]) -> None:
    """Build the responsibility graph of INPUT files or folders (default: the sample corpus).

    Writes OUTDIR/graph.ttl (RDF, validated against the SHACL shapes) and
    OUTDIR/assignments.tsv.
    """
    from .pipeline import BuildOptions, build as run_build

    report = run_build(inputs, outdir, BuildOptions(lexicon_files=lexicons))
    for failure in report.failures:
        click.echo(f"error: {failure}", err=True)
    click.echo(f"kgraph build: {report.summary()}", err=True)
    for name, path in report.outputs.items():
        click.echo(f"  {name}: {path}", err=True)
    if report.failures:
        sys.exit(EXIT_FAILURES)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["tsv", "jsonl", "csv"]), default="tsv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of standard output.")
@LEXICON_OPTION
@_user_errors
def extract(inputs: tuple[str, ...], fmt: str, output: str | None, lexicons: tuple[str, ...]) -> None:
    """Extract the assignments of INPUT files or folders (default: the sample corpus).

    Columns: doc, actor, role, measure, evidence, start, end (offsets of the
    evidence sentence in the text), deadline, negated, canonical_actor, actor_kind.
    """
    from .export import write_assignments
    from .pipeline import Failure, extract_assignments

    failures: list[Failure] = []
    assignments = extract_assignments(inputs, lexicons, failures)
    if output:
        from .atomic import atomic_writer

        with atomic_writer(output, newline="") as handle:
            write_assignments(assignments, handle, fmt)
    else:
        write_assignments(assignments, click.get_text_stream("stdout"), fmt)
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


if __name__ == "__main__":  # pragma: no cover
    main()
