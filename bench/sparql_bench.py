"""SPARQL on a ~1M-triple responsibility graph: rdflib in memory vs Oxigraph, side by side.

    .venv/bin/python bench/sparql_bench.py [--triples 1000000] [--workdir /tmp/kgraph-bench/sparql] [--skip rdflib]

The graph has the shape `kgraph build` writes: the bundled documents (data/corpus and the genre
development set tests/data/genres) are extracted once with the library, then copied under new
document ids with the actors renamed by a place prefix (咸阳市公安局, 宝鸡市公安局, … — 20 places, so an
actor recurs in a twentieth of the documents), until the graph holds --triples triples. The triples
come from kgraph.graph.document_triples and are written as Turtle by kgraph.graph.serialize, as a
build does (cached in WORKDIR; delete it to regenerate).

Each setup runs in a fresh process, so its peak memory (VmHWM) is its own:
  rdflib            open_store(graph.ttl, engine="rdflib"): rdflib Graph.parse + rdflib's SPARQL engine
  oxigraph-memory   open_store(graph.ttl): pyoxigraph in-memory store (bulk_load), the default for a file
  store-write       write_store: what `kgraph build --store oxigraph` adds to a build (bulk load to disk)
  oxigraph-disk     open_store(OUTDIR) after that: the on-disk store, opened read-only
  oxigraph-server   `kgraph serve OUTDIR`: the queries over HTTP (/sparql) to the Oxigraph server binary;
                    memory is the server process's peak (VmHWM) plus the front's
and runs every named query once (kgraph/queries/*.rq, parameters as below), through the same
kgraph.query.run_query users call, results converted to rdflib terms. Prints a Markdown table (times
in seconds, memory in MB, ratios = rdflib / Oxigraph) and writes WORKDIR/results.json.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLACES = ("咸阳市 宝鸡市 渭南市 汉中市 安康市 延安市 榆林市 铜川市 商洛市 平顶山市 滁州市 兴平市 彬州市 秦都区 渭城区 "
          "杨陵区 武功县 礼泉县 乾县 泾阳县").split()
PARAMS = {  # the parameters of the named queries in the benchmark
    "actor-measures": {"actor": "咸阳市公安局"},
    "measure-actors": {"measure": "人员管控"},
    "shared-measures": {},
    "workload": {},
}
SETUPS = ("rdflib", "oxigraph-memory", "store-write", "oxigraph-disk", "oxigraph-server")


# ---------------------------------------------------------------- the graph

def make_graph(workdir: Path, triples: int) -> Path:
    """WORKDIR/graph-N/graph.ttl with about `triples` triples, and its on-disk store; cached."""
    outdir = workdir / f"graph-{triples}"
    graph_file = outdir / "graph.ttl"
    if graph_file.exists():
        return outdir
    from kgraph.graph import add_document, new_graph, serialize
    from kgraph.pipeline import process

    sources = [ROOT / "data" / "corpus", ROOT / "tests" / "data" / "genres"]
    results = list(process([s for s in sources if s.exists()]))
    graph = new_graph()
    copy = 0
    started = time.monotonic()
    while len(graph) < triples:
        place = PLACES[copy % len(PLACES)]
        for result in results:
            add_document(graph, _renamed(result, copy, place))
        copy += 1
    outdir.mkdir(parents=True, exist_ok=True)
    serialize(graph, graph_file)
    print(f"generated {len(graph)} triples ({copy} copies of {len(results)} documents) in "
          f"{time.monotonic() - started:.0f} s: {graph_file}", file=sys.stderr)
    return outdir


def _renamed(result, copy: int, place: str):
    """The document under a new id, its actors with a place prefix (公安局 -> 咸阳市公安局)."""
    from kgraph.model import DocumentResult

    def local(name: str) -> str:
        return name if not name or name.startswith(place) else place + name.lstrip("市县区")

    document = dataclasses.replace(result.document, doc_id=f"{copy:04d}_{result.document.doc_id}")
    assignments = [dataclasses.replace(a, doc=document.doc_id, actor=local(a.actor),
                                       canonical_actor=local(a.canonical_actor or a.actor))
                   for a in result.assignments]
    return DocumentResult(document, result.sentences, assignments)


# ---------------------------------------------------------------- one setup, in its own process

def worker(setup: str, outdir: Path) -> dict:
    from kgraph.query import named_queries, run_query
    from kgraph.store import open_store, write_store

    report: dict = {"setup": setup, "queries": {}, "rows": {}}
    started = time.monotonic()
    if setup == "oxigraph-server":
        return _server_worker(outdir, report)
    if setup == "store-write":  # what `kgraph build --store oxigraph` adds to a build
        write_store(outdir / "graph.ttl", outdir / "oxigraph")
        return {**report, "store_write_s": time.monotonic() - started, "peak_rss_mb": _vm_hwm_mb("self")}
    if setup == "oxigraph-disk":
        store = open_store(outdir)
        assert store.path is not None, "the on-disk store was not used"
    else:
        store = open_store(outdir / "graph.ttl", "rdflib" if setup == "rdflib" else "oxigraph")
    report["load_s"] = time.monotonic() - started
    report["triples"] = store.triple_count()
    for name in named_queries():
        began = time.monotonic()
        table = run_query(store, named=name, params=PARAMS.get(name))
        report["queries"][name] = time.monotonic() - began
        report["rows"][name] = len(table)
    report["peak_rss_mb"] = _vm_hwm_mb("self")
    return report


def _server_worker(outdir: Path, report: dict) -> dict:
    import urllib.request
    from urllib.parse import urlencode

    from kgraph.query import bind_params, named_queries
    from kgraph.serve import KgraphServer, ServeOptions

    started = time.monotonic()
    with KgraphServer(outdir, ServeOptions(port=0, timeout=600, max_rows=10_000_000)) as server:
        report["load_s"] = time.monotonic() - started
        for name, query in named_queries().items():
            text = bind_params(server.store, query, PARAMS.get(name, {}), name)
            began = time.monotonic()
            request = urllib.request.Request(server.url + "sparql", urlencode({"query": text}).encode(),
                                             {"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(request, timeout=900) as response:
                data = json.loads(response.read())
            report["queries"][name] = time.monotonic() - began
            report["rows"][name] = len(data["results"]["bindings"])
        engine_peak = _vm_hwm_mb(server.backend.process.pid)
    report["peak_rss_mb"] = _vm_hwm_mb("self") + engine_peak
    report["engine_peak_rss_mb"] = engine_peak
    return report


def _vm_hwm_mb(pid: int | str) -> float:
    """Peak resident memory of a process (VmHWM: its own, unlike ru_maxrss, which a child inherits)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---------------------------------------------------------------- the table

def table(reports: dict[str, dict]) -> str:
    setups = [s for s in SETUPS if s in reports and s != "store-write"]
    names = sorted({q for r in reports.values() for q in r["queries"]})
    lines = ["| | " + " | ".join(setups) + " | rdflib / oxigraph-memory | rdflib / oxigraph-disk |",
             "|---" * (len(setups) + 3) + "|"]
    base = reports.get("rdflib", {})

    def row(label: str, key, fmt: str) -> None:
        values = [key(reports[s]) for s in setups]
        ratios = [f"{key(base) / key(reports[s]):.0f}×" if base and s in reports and key(reports[s]) else ""
                  for s in ("oxigraph-memory", "oxigraph-disk")]
        lines.append(f"| {label} | " + " | ".join(fmt.format(v) for v in values) + " | " + " | ".join(ratios) + " |")

    row("load / open (s)", lambda r: r["load_s"], "{:.2f}")
    for name in names:
        row(f"`{name}` (s)", lambda r, n=name: r["queries"][n], "{:.2f}")
    row("peak memory (MB)", lambda r: r["peak_rss_mb"], "{:.0f}")
    rows = {s: reports[s]["rows"] for s in setups}
    same = all(r == next(iter(rows.values())) for r in rows.values())
    lines.append(f"\nRows per query: {json.dumps(next(iter(rows.values())), ensure_ascii=False)}"
                 f"{' (the same in every setup)' if same else ' — THE SETUPS DISAGREE: ' + json.dumps(rows)}.")
    if "store-write" in reports:
        write = reports["store-write"]
        lines.append(f"Writing the on-disk store (`build --store oxigraph`, once per build): "
                     f"{write['store_write_s']:.1f} s, peak {write['peak_rss_mb']:.0f} MB.")
    lines.append(f"Graph: {base.get('triples') or reports.get('oxigraph-memory', {}).get('triples')} triples.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kgraph-bench/sparql"))
    parser.add_argument("--skip", action="append", default=[], choices=SETUPS, help="Leave out a setup.")
    parser.add_argument("--worker", choices=SETUPS, help=argparse.SUPPRESS)
    parser.add_argument("--outdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.outdir)))
        return
    outdir = make_graph(args.workdir, args.triples)
    reports = {}
    for setup in SETUPS:
        if setup in args.skip:
            continue
        print(f"running {setup} ...", file=sys.stderr)
        done = subprocess.run([sys.executable, __file__, "--worker", setup, "--outdir", str(outdir)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            raise SystemExit(f"{setup} failed")
        reports[setup] = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(reports[setup]), file=sys.stderr)
    (args.workdir / "results.json").write_text(json.dumps(reports, indent=1), encoding="utf-8")
    print(table(reports))


if __name__ == "__main__":
    main()
