"""The HTML view (kgraph.render): what the page holds, offline and escaped; the CLI and build hooks.

The page's data is the JSON in <script type="application/json" id="kgraph-data">; these tests
read it back with `page_data()` and check it against small purpose-made texts built with the
pipeline. tests/test_render_browser.py drives the same pages in headless Chromium.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write_text
from kgraph import cli
from kgraph.pipeline import build
from kgraph.render import DEFAULT_DEPTH, DEFAULT_MAX_NODES, VIEWS, RenderOptions, render, render_html
from kgraph.store import open_store

# A task-division text (roles in brackets), a supervision sentence, and an alias (卫健委 -> 卫生健康委员会).
TASKS = """关于印发河湖治理任务分工方案的通知
一、加强河道巡查（市水利局牵头，市生态环境局配合）。
二、开展水质监测（市生态环境局负责，市水利局配合）。
三、落实治理资金（市财政局负责）。
市委督查室要督促各县区落实河长制。
公安局要加强人员管控。
卫健委要与财政部门配合，做好防护用品的储备和供应。
"""
# Markup in the title (first line) and in duty sentences: the page must show it and run nothing.
XSS_TITLE = "关于<img src=x onerror=alert(1)>加强<script>alert(2)</script>宣传的通知"
XSS = XSS_TITLE + """
宣传部要<script>alert(1)</script>发布信息。
公安局要<img src=x onerror=alert(3)>加强巡逻。
"""
DATA_RE = re.compile(r'<script type="application/json" id="kgraph-data">(.*?)</script>', re.S)


def page_data(page: str) -> dict:
    match = DATA_RE.search(page)
    assert match, "no data element in the page"
    return json.loads(match.group(1))


def without_library(page: str) -> str:
    """The page less the inlined vis-network script (the first script element)."""
    start = page.index("<script>")
    return page[:start] + page[page.index("</script>", start):]


def read_page(path: Path) -> tuple[str, dict]:
    page = path.read_bytes().decode("utf-8")  # strict: the page must be UTF-8
    return page, page_data(page)


@pytest.fixture(scope="session")
def small_build(tmp_path_factory):
    """`kgraph build` of the two purpose-made texts (library call, as the CLI does)."""
    texts = tmp_path_factory.mktemp("render-texts")
    write_text(texts, "001_tasks.txt", TASKS)
    write_text(texts, "002_xss.txt", XSS)
    outdir = tmp_path_factory.mktemp("render-build")
    report = build([texts], outdir)
    return outdir, report


def actor_index(data: dict, label: str) -> int:
    return next(i for i, a in enumerate(data["actors"]) if a[0] == label)


def duties_of(data: dict, label: str) -> set[tuple[str, str]]:
    i = actor_index(data, label)
    return {(data["measures"][row[1]][0], row[2]) for row in data["assignments"] if row[0] == i}


def test_build_writes_graph_html(small_build):
    outdir, report = small_build
    assert report.outputs["html"] == outdir / "graph.html"
    page, data = read_page(outdir / "graph.html")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert duties_of(data, "水利局") == {("加强河道巡查", "lead"), ("开展水质监测", "support")}
    assert ("加强河道巡查", "support") in duties_of(data, "生态环境局")
    assert duties_of(data, "市委督查室") == {("督促各县区落实河长制", "supervise")}


def test_workload_and_alias(small_build):
    _, data = read_page(small_build[0] / "graph.html")
    water = data["actors"][actor_index(data, "水利局")]
    assert water[1] == "organisation" and water[3] == 2  # kind, workload (assignments)
    assert "市水利局" in water[2]  # the surface form is kept as an alternative label
    health = data["actors"][actor_index(data, "卫生健康委员会")]
    assert "卫健委" in health[2]
    assert water[6] > data["actors"][actor_index(data, "宣传部")][6]  # size grows with workload (2 > 1)


def test_co_responsibility_is_weighted_by_shared_measures(small_build):
    _, data = read_page(small_build[0] / "graph.html")
    names = [a[0] for a in data["actors"]]
    weights = {frozenset((names[a], names[b])): len(ms) for a, b, ms in data["co"]}
    assert weights[frozenset(("水利局", "生态环境局"))] == 2
    assert weights[frozenset(("卫生健康委员会", "财政部门"))] == 1
    assert frozenset(("公安局", "宣传部")) not in weights


def test_page_is_self_contained(small_build):
    page, _ = read_page(small_build[0] / "graph.html")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"<link\b|@import|url\(\s*['\"]?(?:https?:)?//", page, re.I)
    assert "vis.Network" in page and "vis-network" in page  # the library is inlined
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_document_text_is_escaped(small_build):
    page, data = read_page(small_build[0] / "graph.html")
    # the markup is in the data, as text ...
    assert any("<script>alert(1)</script>" in s for s in data["sentences"])
    assert any("<img src=x onerror=alert(3)>" in s for s in data["sentences"])
    assert [XSS_TITLE, "002_xss"] != data["documents"][1] and data["documents"][1][1] == XSS_TITLE
    # ... and nowhere in the page as markup: only the page's own three scripts, no img element
    ours = without_library(page)
    assert "alert(" not in ours.replace("\\u003cscript\\u003ealert(", "").replace("onerror=alert(", "")
    assert len(re.findall(r"<script\b", page)) == 3
    assert not re.search(r"<img\b", ours)


def test_title_is_escaped(small_build, tmp_path):
    store = open_store(small_build[0])
    page, _ = render_html(store, RenderOptions(title="<b>责任</b> & <script>x()</script>"))
    assert "<title>&lt;b&gt;责任&lt;/b&gt; &amp; &lt;script&gt;x()&lt;/script&gt;</title>" in page
    assert "<b>" not in without_library(page) and "x()</script>" not in page


def test_neighbourhood_by_surface_form(small_build, tmp_path):
    report = render(small_build[0], tmp_path / "n1.html", RenderOptions(actors=["卫健委"], depth=1))
    _, data = read_page(tmp_path / "n1.html")
    assert [a[0] for a in data["actors"]] == ["卫生健康委员会"]
    assert [m[0] for m in data["measures"]] == ["做好防护用品的储备和供应"]
    assert any("卫生健康委员会" in note for note in report.notes)
    render(small_build[0], tmp_path / "n2.html", RenderOptions(actors=["卫健委"], depth=2))
    _, data = read_page(tmp_path / "n2.html")
    assert sorted(a[0] for a in data["actors"]) == ["卫生健康委员会", "财政部门"]


def test_filters_by_role_and_document(small_build, tmp_path):
    render(small_build[0], tmp_path / "lead.html", RenderOptions(roles=["lead"]))
    _, data = read_page(tmp_path / "lead.html")
    assert [a[0] for a in data["actors"]] == ["水利局"]
    assert duties_of(data, "水利局") == {("加强河道巡查", "lead")}
    render(small_build[0], tmp_path / "doc.html", RenderOptions(documents=["002_xss"]))
    _, data = read_page(tmp_path / "doc.html")
    assert sorted(a[0] for a in data["actors"]) == ["公安局", "宣传部"]


def test_max_nodes_keeps_the_busiest_actors_and_says_what_it_cut(small_build, tmp_path):
    report = render(small_build[0], tmp_path / "cut.html", RenderOptions(max_nodes=5))
    _, data = read_page(tmp_path / "cut.html")
    # 水利局 and 生态环境局 (2 assignments each) share their two measures: 4 nodes; the next actor does not fit
    assert sorted(a[0] for a in data["actors"]) == ["水利局", "生态环境局"]
    assert report.nodes == 4
    note = next(n for n in report.notes if "--max-nodes 5" in n)
    assert note.startswith("showing 4 of 16 nodes") and "cut 6 actor(s)" in note
    assert note in data["notes"]  # the page says it too


def test_cli_render(small_build, tmp_path):
    out = tmp_path / "cli.html"
    result = CliRunner().invoke(cli.main, ["render", str(small_build[0]), "-o", str(out), "--max-nodes", "5"])
    assert result.exit_code == 0, result.output
    assert "note: showing 4 of 16 nodes" in result.stderr
    assert f"kgraph render: 4 nodes (2 actors, 2 measures), 4 assignments -> {out}" in result.stderr
    assert out.exists()


@pytest.mark.parametrize("args, message", [
    (["--actor", "不存在的局"], "Error: no actor named '不存在的局' in the graph"),
    (["--document", "nope"], "Error: no document 'nope' in the graph; documents: 001_tasks, 002_xss"),
])
def test_cli_render_errors_are_one_line(small_build, tmp_path, args, message):
    result = CliRunner().invoke(cli.main, ["render", str(small_build[0]), "-o", str(tmp_path / "x.html"), *args])
    assert result.exit_code == 1
    assert result.stderr.startswith(message) and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.html").exists()


def test_cli_defaults_are_the_library_defaults():
    params = {p.name: p for p in cli.render.params}
    assert params["max_nodes"].default == DEFAULT_MAX_NODES
    assert params["depth"].default == DEFAULT_DEPTH
    assert tuple(params["view"].type.choices) == VIEWS


def test_same_graph_same_page(small_build, tmp_path):
    render(small_build[0], tmp_path / "a.html")
    render(small_build[0], tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_written_as_utf8_whatever_the_locale(small_build, tmp_path):
    out = tmp_path / "c-locale.html"
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    subprocess.run([sys.executable, "-m", "kgraph.cli", "render", str(small_build[0]), "-o", str(out)],
                   check=True, env=env, capture_output=True)
    _, data = read_page(out)
    assert "卫生健康委员会" in [a[0] for a in data["actors"]]


def test_sample_corpus_page(sample_build):
    outdir, report = sample_build
    _, data = read_page(report.outputs["html"])
    labels = {a[0]: a for a in data["actors"]}
    assert "卫健委" in labels["卫生健康委员会"][2]
    assert any("人员管控" in m for m, _ in duties_of(data, "公安局"))
    assert ("supervise" in {role for _, role in duties_of(data, "市委市政府督查局")})


def test_layout_separates_hubs_of_a_big_component():
    """A component too big for the plain spring model: hubs with satellite clouds that must not overlap."""
    import math

    import networkx as nx

    from kgraph.render import Duty, actor_size, co_responsibility
    from kgraph.render_layout import layout

    duties = []
    for hub in range(30):
        for k in range(12):
            duties.append(Duty(f"a{hub}", f"m{hub}-{k}", "responsible"))
        duties.append(Duty(f"a{hub}", f"s{hub % 5}", "support"))  # five shared measures tie the hubs together
    graph = nx.Graph()
    graph.add_edges_from((d.actor, d.measure) for d in duties)
    sizes = {f"a{hub}": actor_size(13) for hub in range(30)}
    pos = layout(graph, sizes, co_responsibility(duties))
    assert set(pos) == set(graph) and len(graph) > 250
    hubs = sorted(sizes)
    closest = min(math.dist(pos[a], pos[b]) for i, a in enumerate(hubs) for b in hubs[i + 1:])
    assert closest > 2 * sizes["a0"]
    assert layout(graph, sizes, co_responsibility(duties)) == pos  # deterministic
