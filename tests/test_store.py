"""kgraph.store: engines, the on-disk store of `kgraph build --store oxigraph`, and when it is used."""
from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from kgraph.cli import main
from kgraph.query import run_query
from kgraph.store import (
    STORE_DIR, MemoryStore, OxigraphStore, StoreError, open_store, store_is_current,
)

PLAN = "一、加强河道整治（市水利局牵头，市生态环境局配合）。\n二、市财政局要保障整治经费，2024年底前完成。\n"
LEADS = "SELECT ?name ?m WHERE { ?a kg:leads/rdfs:label ?m ; skos:prefLabel ?name }"


@pytest.fixture(scope="module")
def stored_build(tmp_path_factory):
    """`kgraph build --store oxigraph` of a small plan, through the command line."""
    text = tmp_path_factory.mktemp("plan") / "020_plan.txt"
    text.write_text(PLAN, encoding="utf-8")
    outdir = tmp_path_factory.mktemp("stored") / "out"
    result = CliRunner().invoke(main, ["build", str(text), "-o", str(outdir), "--store", "oxigraph", "--no-progress"])
    assert result.exit_code == 0, result.output
    return text, outdir


def test_build_writes_a_store_that_open_store_uses(stored_build):
    _, outdir = stored_build
    assert (outdir / STORE_DIR / "kgraph-store.json").is_file()
    with open_store(outdir) as store:
        assert isinstance(store, OxigraphStore) and store.path == outdir / STORE_DIR
        assert store.select(LEADS).dicts() == [{"name": "水利局", "m": "加强河道整治"}]


def test_the_store_and_the_graph_file_give_the_same_rows(stored_build):
    _, outdir = stored_build
    query = ("SELECT ?actor ?start ?text WHERE { ?a prov:agent/skos:prefLabel ?actor ; prov:wasDerivedFrom ?s . "
             "?s oa:hasSelector ?p , ?q . ?p oa:start ?start . ?q oa:exact ?text } ORDER BY ?actor ?start")
    with open_store(outdir) as on_disk, open_store(outdir / "graph.ttl", "rdflib") as parsed:
        disk_rows, file_rows = on_disk.select(query).rows, parsed.select(query).rows
    assert [r[0::2] for r in disk_rows] == [r[0::2] for r in file_rows] and disk_rows
    actor, start, text = disk_rows[0]
    assert actor == Literal(str(actor), lang="zh")
    assert text == Literal(str(text))  # a plain string, as rdflib parses it
    # Oxigraph keeps numbers as values: xsd:nonNegativeInteger comes back as xsd:integer, same value
    assert [r[1].toPython() for r in disk_rows] == [r[1].toPython() for r in file_rows]
    assert start.datatype == URIRef("http://www.w3.org/2001/XMLSchema#integer")


def test_a_changed_graph_file_is_read_instead_of_the_old_store(stored_build, tmp_path):
    _, outdir = stored_build
    copy = tmp_path / "copy"
    shutil.copytree(outdir, copy)
    graph = copy / "graph.ttl"
    os.utime(graph, ns=(1, 1))  # copied without its time stamp: same content, the store is still current
    assert store_is_current(copy / STORE_DIR, graph)
    with open_store(copy) as store:
        assert isinstance(store, OxigraphStore) and store.path is not None
    with open(graph, "a", encoding="utf-8") as handle:  # edited by hand after the build
        handle.write('\n<urn:x> <http://www.w3.org/2004/02/skos/core#prefLabel> "手工添加"@zh .\n')
    assert not store_is_current(copy / STORE_DIR, graph)
    with open_store(copy) as store:
        assert store.path is None  # loaded from graph.ttl
        assert store.ask('ASK { <urn:x> skos:prefLabel "手工添加"@zh }')


def test_rebuilding_keeps_or_drops_the_store(stored_build, tmp_path):
    from kgraph.pipeline import BuildOptions, build

    text, _ = stored_build
    outdir = tmp_path / "out"
    build([text], outdir, BuildOptions(store="oxigraph"))
    build([text], outdir)  # no --store: keeps the store, and it matches the new graph.ttl
    assert store_is_current(outdir / STORE_DIR, outdir / "graph.ttl")
    build([text], outdir, BuildOptions(store="memory"))
    assert not (outdir / STORE_DIR).exists()
    with open_store(outdir) as store:
        assert store.path is None and store.select(LEADS).rows


def test_engines_and_rdflib_graph_view(stored_build):
    _, outdir = stored_build
    with open_store(outdir / "graph.ttl", "rdflib") as memory, open_store(outdir) as disk:
        assert isinstance(memory, MemoryStore) and memory.engine == "rdflib"
        assert disk.engine == "oxigraph"
        assert disk.triple_count() == memory.triple_count() == len(disk.graph)
        names = {str(o) for o in disk.graph.objects(None, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))}
        assert {"水利局", "生态环境局", "财政局"} <= names


def test_validate_reads_the_store(stored_build):
    _, outdir = stored_build
    result = CliRunner().invoke(main, ["validate", str(outdir)])
    assert result.exit_code == 0 and "conforms" in result.output


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_row_limit_and_result_kinds(stored_build, engine):
    _, outdir = stored_build
    with open_store(outdir / "graph.ttl", engine) as store:
        cut = store.select("SELECT ?s WHERE { ?s a kg:Actor }", limit=2)
        assert len(cut) == 2 and cut.truncated
        whole = store.select("SELECT ?s WHERE { ?s a kg:Actor }", limit=100)
        assert len(whole) == 3 and not whole.truncated
        assert store.ask("ASK { ?s kg:deadline '2024年底前'@zh }")
        graph = store.query("CONSTRUCT { ?a kg:leads ?m } WHERE { ?a kg:leads ?m }")
        assert graph.kind == "graph" and graph.variables == ["subject", "predicate", "object"] and len(graph) == 1


def test_graph_errors_name_the_file(tmp_path):
    (tmp_path / "graph.xyz").write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="graph.xyz: unknown graph format .xyz"):
        open_store(tmp_path / "graph.xyz")
    broken = tmp_path / "broken.nt"
    broken.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    for engine in ("oxigraph", "rdflib"):
        with pytest.raises(StoreError, match="broken.nt: cannot parse as nt"):
            open_store(broken, engine)


def test_run_query_on_a_path_opens_and_closes_the_store(stored_build):
    _, outdir = stored_build
    table = run_query(outdir, named="workload", params={"actor": "市财政局"})
    (row,) = table.dicts()
    assert row["actor"] == "财政局" and row["responsible"] == row["total"] != "0"
