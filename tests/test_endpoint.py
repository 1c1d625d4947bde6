"""`--sparql-endpoint URL`: the graph on a real SPARQL server (the Oxigraph server binary, on loopback).

Each test starts its own `oxigraph serve` (PyPI package `oxigraph`) on a free port with an empty store,
writes with `kgraph build --sparql-endpoint`, and reads back with the CLI (query, render, matrix, remove)
and SPARQL.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from kgraph.cli import main
from kgraph.endpoint import SHARED_GRAPH, EndpointStore, update_url_for
from kgraph.model import KgraphError
from kgraph.namespace import document_iri
from kgraph.pipeline import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent
GENRES = ROOT / "tests" / "data" / "genres"
A = "关于做好防控工作的通知\n市卫健委负责做好防护用品储备工作。市公安局负责人员管控工作。\n"
B = "关于加强监测的通知\n卫健委要加强疫情监测。市财政局负责经费保障。\n"
B_CHANGED = "关于加强监测的通知\n卫健委要加强疫情监测。市交通运输局负责道路保通。\n"
ODD = "关于“引号”\\反斜杠的通知\n宣传部要<script>alert(\"1\")</script>发布信息，做到\t“两个维护”。\n"


def _oxigraph() -> str | None:
    return shutil.which("oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


@pytest.fixture
def server(tmp_path):
    """The query URL of a fresh Oxigraph server on 127.0.0.1 (stopped after the test)."""
    binary = _oxigraph()
    if binary is None:
        pytest.skip("the Oxigraph server binary is not installed (pip install oxigraph)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"oxigraph serve did not start: {process.stderr.read().decode()[-500:]}")
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/query"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def texts(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in (("a", A), ("b", B), ("odd", ODD)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def triples(graph) -> set:
    """The triples, numbers compared by value (Oxigraph keeps xsd:nonNegativeInteger 7 as xsd:integer 7)."""
    def norm(term):
        if isinstance(term, Literal) and term.datatype in (XSD.integer, XSD.nonNegativeInteger):
            return ("number", int(term))
        return term
    return {(s, p, norm(o)) for s, p, o in graph}


def server_triples(url: str) -> set:
    return triples(EndpointStore(url).query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").rows)


def graph_file(outdir: Path) -> Graph:
    graph = Graph()
    graph.parse(outdir / "graph.ttl", format="turtle")
    return graph


def test_build_into_a_server_gives_the_graph_of_a_local_build(server, texts, tmp_path):
    code, out, err = run("build", str(GENRES), str(texts), "--sparql-endpoint", server, "--no-progress")
    assert code == 0, err
    assert err.strip().splitlines()[-1].startswith("kgraph build: 12 added; ")
    build([GENRES, texts], tmp_path / "local")
    assert server_triples(server) == triples(graph_file(tmp_path / "local"))
    # one named graph per document, named by the document's IRI, and one for the actors and categories
    store = EndpointStore(server)
    graphs = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").column("g")
    assert sorted(graphs) == sorted([SHARED_GRAPH] + [str(document_iri(p.stem))
                                                      for p in [*GENRES.glob("*.txt"), *texts.glob("*.txt")]])
    assert store.triple_count() == len(graph_file(tmp_path / "local"))  # no triple twice in the union
    odd = store.select('SELECT ?e WHERE { ?s oa:exact ?e FILTER(CONTAINS(?e, "script")) }').column("e")
    assert odd == ['宣传部要<script>alert("1")</script>发布信息，做到\t“两个维护”。']


def test_query_render_and_matrix_read_from_the_server_as_from_a_build_folder(server, texts, tmp_path):
    assert build([texts], None, BuildOptions(sparql_endpoint=server)).added == ["a", "b", "odd"]
    build([texts], tmp_path / "local")
    for args in (["--named", "workload", "--format", "csv"], ["--named", "actor-measures", "--param", "actor=卫健委"],
                 ["SELECT ?label WHERE { ?a a kg:Actor ; skos:prefLabel ?label } ORDER BY ?label"]):
        from_server, local = run("query", server, *args), run("query", str(tmp_path / "local"), *args)
        assert from_server[0] == 0, from_server[2]
        assert from_server == local
    code, _, err = run("matrix", server, "-o", str(tmp_path / "server.csv"))
    assert code == 0, err
    run("matrix", str(tmp_path / "local"), "-o", str(tmp_path / "local.csv"))
    assert (tmp_path / "server.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()
    code, _, err = run("render", server, "-o", str(tmp_path / "graph.html"))
    assert code == 0, err
    assert "卫生健康委员会" in (tmp_path / "graph.html").read_text(encoding="utf-8")


def test_rebuild_replaces_a_changed_document_and_skips_unchanged_ones(server, texts, tmp_path):
    build([texts], None, BuildOptions(sparql_endpoint=server))
    (texts / "b.txt").write_text(B_CHANGED, encoding="gb18030")
    (texts / "a.txt").write_text(A, encoding="utf-16")  # another encoding, same text: not a change
    code, _, err = run("build", str(texts), "--sparql-endpoint", server)
    assert code == 0, err
    assert "kgraph build: 1 replaced, 2 unchanged; " in err
    labels = set(EndpointStore(server).select("SELECT ?l WHERE { ?a a kg:Actor ; skos:prefLabel ?l }").column("l"))
    assert "交通运输局" in labels and "财政局" not in labels
    build([texts], tmp_path / "local")
    assert server_triples(server) == triples(graph_file(tmp_path / "local"))


def test_remove_drops_the_document_graph(server, texts, tmp_path):
    build([texts], None, BuildOptions(sparql_endpoint=server))
    code, _, err = run("remove", server, "b")
    assert code == 0, err
    assert "kgraph remove: 1 removed; graph: 2 documents" in err
    build([texts / "a.txt", texts / "odd.txt"], tmp_path / "local")
    assert server_triples(server) == triples(graph_file(tmp_path / "local"))  # 卫健委 keeps a's forms only
    code, _, err = run("remove", server, "nope")
    assert code == 1 and err.strip().splitlines() == [
        f"Error: {server}: no document nope on the server (its documents: a, odd)"]


def test_documents_bigger_than_a_batch_are_split_and_written_whole(server, texts, tmp_path, monkeypatch):
    import kgraph.endpoint as endpoint

    requests = []
    original = endpoint.EndpointStore.update
    monkeypatch.setattr(endpoint, "BATCH_TRIPLES", 20)
    monkeypatch.setattr(endpoint.EndpointStore, "update", lambda self, text: (requests.append(text),
                                                                              original(self, text))[1])
    build([texts], None, BuildOptions(sparql_endpoint=server))
    assert max(text.count("\n") - text.count("INSERT DATA") for text in requests) <= 20 + 3  # ≤ 20 triples each
    assert len(requests) > 5
    build([texts], tmp_path / "local")
    assert server_triples(server) == triples(graph_file(tmp_path / "local"))
    written: dict[str, list[str]] = {}  # each document's triples in the order they were sent
    for text in requests:
        for operation in text.split(" ;\n"):
            if operation.startswith("INSERT DATA"):
                graph, body = operation.split("{", 2)[1].split()[1], operation.split("{", 2)[2]
                written.setdefault(graph, []).extend(body.split("\n")[1:-1])
    assert written.pop(f"<{SHARED_GRAPH}>") and len(written) == 3
    for lines in written.values():  # the checksum last: a write cut short reads as a changed document
        assert "ns#checksum>" in lines[-1] and not any("ns#checksum>" in line for line in lines[:-1])


def test_errors_are_one_line(server, texts, tmp_path):
    code, _, err = run("query", server, "SELECT ?x WHERE { ?x a kg:Actor")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert err.startswith("Error: the query, line 1, column ") and "SPARQL syntax error" in err
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/query"
    code, _, err = run("build", str(texts), "--sparql-endpoint", closed)
    assert code == 1 and err.strip().splitlines() == [
        f"Error: {closed}: cannot reach the SPARQL server ([Errno 111] Connection refused)"]
    code, _, err = run("build", str(texts), "--sparql-endpoint", server, "-o", str(tmp_path / "out"))
    assert code == 1 and "leave out -o" in err and not (tmp_path / "out").exists()
    code, _, err = run("build", str(texts), "--sparql-endpoint", server, "--sparql-update", server.replace("/query", "/nope"))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "404" in err and "--sparql-update" in err


def test_update_url_and_credentials():
    assert update_url_for("http://h:7878/query") == "http://h:7878/update"
    assert update_url_for("http://h:3030/ds/query") == "http://h:3030/ds/update"
    assert update_url_for("http://h:7200/repositories/kg") == "http://h:7200/repositories/kg/statements"
    assert update_url_for("http://h:8890/sparql") == "http://h:8890/sparql"
    store = EndpointStore("http://me:s%40cret@h:3030/ds/sparql")
    assert store.location == "http://h:3030/ds/sparql"  # the password is never shown
    with pytest.raises(KgraphError, match="not an http"):
        EndpointStore("http://")
