"""`kgraph serve`: a real server on a free loopback port, exercised with a real HTTP client (urllib)."""
from __future__ import annotations

import csv
import io
import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from rdflib import Graph

from kgraph.serve import KgraphServer, ServeOptions

RIVER_PLAN = """关于河道整治的工作方案
一、加强河道整治（市水利局牵头，市生态环境局配合）。
二、市水利局负责清理<b>"河道"</b>垃圾。
"""
MAX_ROWS = 50


@pytest.fixture(scope="module")
def served_build(tmp_path_factory, sample_path):
    """The sample corpus and a small plan, built with --store oxigraph."""
    from kgraph.pipeline import BuildOptions, build

    text = tmp_path_factory.mktemp("river") / "030_river.txt"
    text.write_text(RIVER_PLAN, encoding="utf-8")
    outdir = tmp_path_factory.mktemp("served")
    build([sample_path, text], outdir, BuildOptions(store="oxigraph"))
    return outdir


@pytest.fixture(scope="module")
def server(served_build):
    with KgraphServer(served_build, ServeOptions(port=0, timeout=1, max_rows=MAX_ROWS)) as running:
        yield running


def fetch(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body text) of one request; error statuses are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


def sparql_get(server, query: str, accept: str | None = None, **params):
    url = server.url + "sparql?" + urlencode({"query": query, **params})
    return fetch(url, headers={"Accept": accept} if accept else {})


NAMES = 'SELECT ?name WHERE { ?a a kg:Actor ; skos:prefLabel ?name . FILTER(?name IN ("公安局"@zh, "财政局"@zh)) } ' \
        'ORDER BY ?name'


# ---------------------------------------------------------------- the SPARQL 1.1 Protocol

def test_listens_on_loopback_by_default(server):
    assert ServeOptions().host == "127.0.0.1"
    assert server.httpd.server_address[0] == "127.0.0.1"
    assert server.backend.url.startswith("http://127.0.0.1:")


def test_get_returns_sparql_json_by_default(server):
    status, headers, body = sparql_get(server, NAMES)
    assert status == 200 and headers.get_content_type() == "application/sparql-results+json"
    data = json.loads(body)
    assert data["head"]["vars"] == ["name"]
    assert [b["name"] for b in data["results"]["bindings"]] == [
        {"type": "literal", "value": "公安局", "xml:lang": "zh"}, {"type": "literal", "value": "财政局", "xml:lang": "zh"}]


def test_post_form_and_post_query_body(server):
    status, _, body = fetch(server.url + "sparql", urlencode({"query": NAMES}).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
    assert status == 200 and list(csv.reader(io.StringIO(body))) == [["name"], ["公安局"], ["财政局"]]
    status, headers, body = fetch(server.url + "sparql", NAMES.encode("utf-8"),
                                  {"Content-Type": "application/sparql-query",
                                   "Accept": "text/tab-separated-values"})
    assert status == 200 and headers.get_content_type() == "text/tab-separated-values"
    assert body.splitlines() == ["?name", '"公安局"@zh', '"财政局"@zh']


def test_content_negotiation_xml_and_format_parameter(server):
    status, headers, body = sparql_get(server, NAMES, accept="application/sparql-results+xml")
    assert status == 200 and headers.get_content_type() == "application/sparql-results+xml"
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    literals = ET.fromstring(body).findall(".//r:literal", ns)
    assert [(el.text, el.get("{http://www.w3.org/XML/1998/namespace}lang")) for el in literals] == [
        ("公安局", "zh"), ("财政局", "zh")]
    status, headers, body = sparql_get(server, NAMES, accept="application/json", format="csv")
    assert headers.get_content_type() == "text/csv" and "公安局" in body
    status, _, body = sparql_get(server, NAMES, accept="text/html;q=0.9, text/csv;q=0.5")
    assert body.splitlines()[0] == "name"


def test_ask_and_construct(server):
    status, _, body = sparql_get(server, 'ASK { ?a skos:prefLabel "财政局"@zh }')
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    query = 'CONSTRUCT { ?a skos:prefLabel ?n } WHERE { ?a skos:prefLabel ?n FILTER(?n = "公安局"@zh) }'
    status, headers, body = sparql_get(server, query)
    assert status == 200 and headers.get_content_type() == "text/turtle"
    graph = Graph().parse(data=body, format="turtle")
    assert {str(o) for o in graph.objects()} == {"公安局"}


def test_every_write_is_refused(server):
    insert = "INSERT DATA { <urn:evil> <urn:p> <urn:o> }"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    attempts = [
        fetch(server.url + "sparql", urlencode({"update": insert}).encode(), form),
        fetch(server.url + "sparql", insert.encode(), {"Content-Type": "application/sparql-update"}),
        sparql_get(server, insert),  # an update passed as a query
        fetch(server.url + "sparql", b"<urn:evil> <urn:p> <urn:o> .", {"Content-Type": "text/turtle"}, "PUT"),
        fetch(server.url + "sparql?graph=urn:x", None, {}, "DELETE"),
        fetch(server.url, urlencode({"query": insert}).encode(), form),
    ]
    assert [status for status, _, _ in attempts] == [403] * len(attempts)
    assert "read-only" in attempts[0][2]
    status, _, body = sparql_get(server, "ASK { <urn:evil> ?p ?o }")
    assert json.loads(body)["boolean"] is False


def test_a_bad_query_is_400_with_the_parsers_message(server):
    status, headers, body = sparql_get(server, "SELECT ?x\nWHERE { ?x ?y }")
    assert status == 400 and headers.get_content_type() == "text/plain"
    assert re.match(r"SPARQL syntax error at line 2, column \d+: expected", body), body
    status, _, body = sparql_get(server, "SELECT ?x WHERE { ?x foaf:name ?y }")
    assert status == 400 and "unknown prefix" in body


def test_a_long_query_is_cancelled_at_the_time_limit(server):
    started = time.monotonic()
    status, _, body = sparql_get(server, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert status == 503 and "time limit of 1 s" in body
    assert time.monotonic() - started < 30
    status, _, _ = sparql_get(server, NAMES)  # and the server still answers
    assert status == 200


def test_results_are_cut_at_the_row_limit(server):
    status, headers, body = sparql_get(server, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    assert headers["X-Kgraph-Truncated"] == f"max-rows={MAX_ROWS}"
    status, headers, body = sparql_get(server, NAMES)
    assert headers["X-Kgraph-Truncated"] is None


# ---------------------------------------------------------------- the pages

def test_actor_page_by_a_chinese_name_as_written(server):
    status, _, page = fetch(server.url + "actor/" + quote("卫健委"))
    assert status == 200
    assert "<h2>卫生健康委员会</h2>" in page and "also written 卫健委" in page
    assert f'href="/actor/{quote("财政部门", safe="")}"' in page  # shares measures with 财政部门


def test_measure_and_actor_pages_link_to_each_other(server):
    status, _, actor_page = fetch(server.url + "actor/" + quote("市水利局"))
    assert status == 200 and "<h2>水利局</h2>" in actor_page
    link = re.search(r'<a href="(/measure/[^"]+)">加强河道整治</a>', actor_page)
    assert link, actor_page
    status, _, measure_page = fetch(server.url + link.group(1).lstrip("/"))
    assert status == 200 and "<h1>加强河道整治</h1>" in measure_page
    rows = re.findall(r"<tr><td>([^<]+)</td><td><a href=\"([^\"]+)\">([^<]+)</a>", measure_page)
    assert ("牵头 lead", "/actor/" + quote("水利局", safe=""), "水利局") in rows
    assert ("配合 support", "/actor/" + quote("生态环境局", safe=""), "生态环境局") in rows
    assert "（市水利局牵头，市生态环境局配合）" in measure_page  # the evidence sentence


def test_text_from_the_documents_is_escaped(server):
    _, _, page = fetch(server.url + "actor/" + quote("水利局"))
    assert "&lt;b&gt;&quot;河道&quot;&lt;/b&gt;" in page and '<b>"河道"</b>' not in page
    status, _, page = fetch(server.url + "query?" + urlencode({"query": "SELECT ?x WHERE { <script>"}))
    assert status == 400 and "<script>" not in page and "&lt;script&gt;" in page


def test_query_page_runs_text_and_named_queries(server):
    status, _, page = fetch(server.url + "query?" + urlencode({"named": "actor-measures", "actor": "公安局"}))
    assert status == 200 and "人员管控" in page and "<th>evidence</th>" in page
    status, _, page = fetch(server.url + "query?" + urlencode({"query": NAMES}))
    assert status == 200 and "<td>公安局</td>" in page and "2 rows" in page
    status, _, page = fetch(server.url)
    assert status == 200 and "actor-measures" in page and "<textarea" in page
    assert "http://" not in page.replace(server.url, "")  # no CDN: everything is served here


def test_unknown_actor_is_404_with_suggestions(server):
    status, _, page = fetch(server.url + "actor/" + quote("公安"))
    assert status == 404 and "公安局" in page


def test_resource_links_lead_to_the_pages(server):
    _, _, body = sparql_get(server, 'SELECT ?a WHERE { ?a skos:prefLabel "财政局"@zh }')
    iri = json.loads(body)["results"]["bindings"][0]["a"]["value"]
    with urllib.request.urlopen(server.url + "resource?" + urlencode({"iri": iri}), timeout=30) as response:
        assert response.url.endswith("/actor/" + quote("财政局", safe=""))
    status, _, page = fetch(server.url + "resource?" + urlencode(
        {"iri": "https://w3id.org/kgraph/id/doc/030_river"}))
    assert status == 200 and "关于河道整治的工作方案" in page


# ---------------------------------------------------------------- starting and stopping

def test_a_graph_file_is_served_from_a_temporary_store_removed_at_stop(served_build):
    running = KgraphServer(served_build / "graph.ttl", ServeOptions(port=0)).start()
    try:
        temp, backend, port = Path(running._temp), running.backend.process, running.httpd.server_address[1]
        status, _, body = sparql_get(running, NAMES, accept="text/csv")
        assert status == 200 and "财政局" in body
    finally:
        running.stop()
    assert not temp.exists() and backend.poll() is not None
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_the_command_serves_until_terminated(served_build):
    process = subprocess.Popen([sys.executable, "-m", "kgraph.cli", "serve", str(served_build), "--port", "0",
                                "--quiet"], stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        url = re.search(r"(http://127\.0\.0\.1:\d+/) ", line).group(1)
        with urllib.request.urlopen(url + "sparql?" + urlencode({"query": NAMES, "format": "tsv"}), timeout=30) as r:
            assert "财政局" in r.read().decode("utf-8")
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(process.pid)], capture_output=True,
                                  text=True).stdout.split()
        assert children  # the Oxigraph server
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        process.stderr.close()
    assert process.returncode == 0
    for pid in children:
        assert subprocess.run(["ps", "-p", pid], capture_output=True).returncode != 0, "engine left running"
