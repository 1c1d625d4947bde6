"""`kgraph build --store oxigraph`: the graph streamed into the on-disk store gives the outputs of the default build."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import B_CHANGED
from rdflib import Graph
from rdflib.compare import isomorphic

from kgraph.cli import main
from kgraph.endpoint import GraphWriter
from kgraph.incremental import remove, update
from kgraph.pipeline import (
    ASSIGNMENTS_FILE,
    GRAPH_FILE,
    STAGING_PREFIX,
    BuildOptions,
    build,
)
from kgraph.store import STORE_DIR, OxigraphStore, open_store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
STORE = BuildOptions(store="oxigraph")


def graph_of(outdir: Path) -> Graph:
    return Graph().parse(outdir / GRAPH_FILE, format="turtle")


def same_outputs(one: Path, other: Path) -> bool:
    """Same assignments.tsv byte for byte, same triples in graph.ttl."""
    return ((one / ASSIGNMENTS_FILE).read_bytes() == (other / ASSIGNMENTS_FILE).read_bytes()
            and isomorphic(graph_of(one), graph_of(other)))


def snapshot(outdir: Path) -> dict[str, bytes]:
    return {path.relative_to(outdir).as_posix(): path.read_bytes() for path in sorted(outdir.rglob("*"))
            if path.is_file() and STORE_DIR not in path.parts}


@pytest.fixture(scope="module")
def corpus_builds(tmp_path_factory):
    """The sample corpus built both ways, through the command line."""
    root = tmp_path_factory.mktemp("builds")
    for name, extra in (("default", []), ("stored", ["--store", "oxigraph"])):
        result = CliRunner().invoke(main, ["build", str(CORPUS), "-o", str(root / name), "--no-progress", *extra])
        assert result.exit_code == 0, result.output
    return root / "default", root / "stored"


def test_store_build_writes_the_outputs_of_the_default_build(corpus_builds):
    default, stored = corpus_builds
    assert (default / ASSIGNMENTS_FILE).read_bytes() == (stored / ASSIGNMENTS_FILE).read_bytes()
    assert isomorphic(graph_of(default), graph_of(stored))
    assert (stored / "graph.html").stat().st_size and (stored / "matrix.xlsx").stat().st_size
    assert not (default / STORE_DIR).exists()
    assert not list(stored.glob(f"{STAGING_PREFIX}*")) and not list(stored.glob(".*"))
    with open_store(stored) as store:
        assert isinstance(store, OxigraphStore) and store.path == stored / STORE_DIR
        assert store.triple_count() == len(graph_of(default))  # no triple twice in the union of the graphs


def test_graph_file_of_a_store_build_validates_and_answers_like_the_default(corpus_builds):
    default, stored = corpus_builds
    result = CliRunner().invoke(main, ["validate", str(stored / GRAPH_FILE)])
    assert result.exit_code == 0 and "conforms" in result.output
    for graph in (stored, stored / GRAPH_FILE):
        answers = [CliRunner().invoke(main, ["query", str(where), "--named", "workload", "--format", "csv"])
                   for where in (default, graph)]
        assert answers[0].exit_code == answers[1].exit_code == 0
        assert answers[0].output == answers[1].output and answers[0].output.count("\n") > 10


def test_update_replaces_only_the_changed_document(tmp_path, texts):
    outdir = tmp_path / "out"
    build([texts["a"], texts["b"], texts["tasks"]], outdir, STORE)
    rows_before = (outdir / ASSIGNMENTS_FILE).read_text(encoding="utf-8").splitlines()
    texts["b"].write_text(B_CHANGED, encoding="utf-8")
    report = update([texts["a"], texts["b"]], outdir)  # keeps the store the build has
    assert report.replaced == ["b"] and report.unchanged == ["a"] and not report.added
    rows_after = (outdir / ASSIGNMENTS_FILE).read_text(encoding="utf-8").splitlines()
    assert [r for r in rows_after if not r.startswith("b\t")] == [r for r in rows_before if not r.startswith("b\t")]
    assert any("交通运输局" in r for r in rows_after) and not any("财政局" in r for r in rows_after)
    build([texts["a"], texts["b"], texts["tasks"]], tmp_path / "full")  # the default build of the same texts
    assert same_outputs(outdir, tmp_path / "full")
    with open_store(outdir) as store:
        assert isinstance(store, OxigraphStore) and store.path is not None
        assert not store.ask("ASK { ?a skos:prefLabel '财政局'@zh }")


def test_update_with_nothing_changed_rewrites_nothing(tmp_path, texts):
    outdir = tmp_path / "out"
    build([texts["a"], texts["b"]], outdir, STORE)
    before = snapshot(outdir)
    mtimes = {name: (outdir / name).stat().st_mtime_ns for name in before}
    report = update([texts["a"], texts["b"]], outdir)
    assert report.unchanged == ["a", "b"] and not report.added and not report.replaced
    assert snapshot(outdir) == before
    assert {name: (outdir / name).stat().st_mtime_ns for name in before} == mtimes


def test_update_adds_documents_as_a_full_build_would(tmp_path, texts):
    outdir = tmp_path / "out"
    build([texts["a"]], outdir)  # a default build: --store oxigraph makes its store from graph.ttl
    report = update([texts["b"], texts["tasks"]], outdir, STORE)
    assert report.added == ["b", "tasks"] and report.graph_documents == 3
    build([texts["a"], texts["b"], texts["tasks"]], tmp_path / "full")
    assert same_outputs(outdir, tmp_path / "full")
    assert isinstance(open_store(outdir), OxigraphStore)


def test_remove_drops_a_document(tmp_path, texts):
    outdir = tmp_path / "out"
    build([texts["a"], texts["b"], texts["tasks"]], outdir, STORE)
    result = CliRunner().invoke(main, ["remove", str(outdir), "b"])
    assert result.exit_code == 0, result.output
    assert "1 removed" in result.output and "graph: 2 documents" in result.output
    build([texts["a"], texts["tasks"]], tmp_path / "full")
    assert same_outputs(outdir, tmp_path / "full")
    with open_store(outdir) as store:
        assert not store.ask("ASK { ?a skos:prefLabel '财政局'@zh }")  # only b named it
        assert store.ask("ASK { ?a skos:prefLabel '卫生健康委员会'@zh }")  # a names it too
    result = CliRunner().invoke(main, ["remove", str(outdir), "nope"])
    assert result.exit_code == 1 and "no document nope in the graph" in result.output


def test_a_failing_build_leaves_the_previous_outputs(tmp_path, texts, monkeypatch):
    outdir = tmp_path / "out"
    build([texts["a"], texts["b"]], outdir, STORE)
    before = snapshot(outdir)
    triples = open_store(outdir).triple_count()

    def broken(self, *args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(GraphWriter, "replace", broken)
        with pytest.raises(RuntimeError, match="disk full"):
            build([texts["tasks"]], outdir, STORE)
        texts["b"].write_text(B_CHANGED, encoding="utf-8")
        with pytest.raises(RuntimeError, match="disk full"):
            update([texts["b"]], outdir)
    (tmp_path / "in" / "scan.pdf").write_bytes(b"%PDF-1.4 not really")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "in"), "-o", str(outdir), "--store", "oxigraph",
                                       "--strict", "--no-progress"])
    assert result.exit_code == 1 and "nothing written" in result.output
    assert snapshot(outdir) == before
    assert not list(outdir.glob(f"{STAGING_PREFIX}*"))
    with open_store(outdir) as store:
        assert store.path is not None and store.triple_count() == triples
    assert remove(outdir, ["b"]).removed == ["b"]  # the store still works
