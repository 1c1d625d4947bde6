"""Every figure of the README's "Scale" section, from one command.

    .venv/bin/python bench/run.py [--sizes 1,10] [--build-sizes 1,10] [--jobs 2] [--check-mb 1] [--work /tmp/kgraph-bench]
                                  [--store-sizes 1,10] [--steps startup,ratio,extract,build,store,parallel,dask,endpoint,sparql]
                                  [--out bench/results.json]

Corpora of each size (MB of UTF-8 text) are made by bench/make_corpus.py (cached in WORK). Steps:

  startup   `kgraph --help` and `kgraph extract` on a one-line file, with jieba's dictionary cache in
            place (median of --repeat runs), and with an empty cache ($KGRAPH_CACHE a new folder)
  ratio     in one process, document by document, `jieba.lcut(text)` (jieba's default, HMM on) and
            `jieba.lcut(text, HMM=False)` against kgraph's extraction (extract + normalise) of the same
            text: throughput and the ratio kgraph / lcut; cold (the first 5% of the text, caches empty;
            extractor set-up timed apart) and steady state (the rest)
  extract   `kgraph extract CORPUS -o FILE` (and with --jobs N): time, MB/s, peak memory
  build     `kgraph build CORPUS` (rdflib in memory) at --build-sizes: time split into extraction + graph
            and outputs (SHACL, Turtle, HTML, matrix), memory at the end of extraction and peak
  store     `kgraph build CORPUS --store oxigraph` (streamed into the on-disk store) at --store-sizes: time
            split into extraction + store writes + SHACL (streamed) and outputs (Turtle dumped from the
            store, HTML, matrix), the largest memory while documents came, the peak, the store on disk
  parallel  `kgraph build --jobs N` at --check-mb; outputs compared byte for byte with --jobs 1
  dask      on a LocalCluster of N worker processes started here: `kgraph extract --engine dask` at every
            size, `kgraph build --engine dask` at --check-mb (outputs compared with the local build)
  endpoint  `kgraph build --sparql-endpoint` into an Oxigraph server started here (oxigraph serve), at
            every size; the rebuild (nothing changed) and a named query read back over HTTP
  sparql    bench/sparql_bench.py (issue 4: named queries on ~1M triples, rdflib vs Oxigraph)

Each measured run is its own process. Memory is its peak resident set (VmHWM, or ru_maxrss for
`kgraph extract`); "all processes" adds its worker processes, sampled every 50 ms with psutil (--jobs).
Figures go to --out (JSON) and a Markdown table on standard output; the machine is described at the top.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

STEPS = ("startup", "ratio", "extract", "build", "store", "parallel", "dask", "endpoint", "sparql")
MB = 1_000_000


# ---------------------------------------------------------------- measuring a process

class Run:
    """A child process: its wall time, and the peak RSS of it and its children (sampled every 50 ms)."""

    def __init__(self, args: list[str], env: dict | None = None):
        self.args = args
        started = time.perf_counter()
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env={**os.environ, **(env or {})}, text=True)
        self.tree_peak = 0.0
        sampler = threading.Thread(target=self._sample, args=(process.pid,), daemon=True)
        sampler.start()
        self.stdout, self.stderr = process.communicate()
        self.seconds = time.perf_counter() - started
        sampler.join(timeout=1)
        if process.returncode not in (0, 2):
            raise SystemExit(f"failed ({process.returncode}): {' '.join(args)}\n{self.stderr[-3000:]}")

    def _sample(self, pid: int) -> None:
        try:
            import psutil
        except ImportError:  # no figure for all processes; each child reports its own peak
            return
        try:
            root = psutil.Process(pid)
            while root.is_running() and root.status() != psutil.STATUS_ZOMBIE:
                total = 0
                for proc in [root] + root.children(recursive=True):
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        pass
                self.tree_peak = max(self.tree_peak, total / 2**20)
                time.sleep(0.05)
        except psutil.Error:
            pass

    def json(self) -> dict:
        return json.loads(self.stdout.strip().splitlines()[-1])


def run_measured(args: list[str]) -> Run:
    """Run a command through child_exec, which reports the command's own time and peak RSS."""
    run = Run([sys.executable, str(Path(__file__)), "--child", "exec", json.dumps(args)])
    report = run.json()
    run.seconds, run.peak_mb = report["seconds"], report["peak_mb"]
    run.tree_peak = max(run.tree_peak, run.peak_mb)
    return run


def kgraph(*args: str) -> list[str]:
    return [sys.executable, "-m", "kgraph.cli", *args]


# ---------------------------------------------------------------- children (run as their own process)

def child_exec(args: list[str]) -> dict:
    """Run a command, report its time and peak RSS (ru_maxrss of the largest process it waited for)."""
    import resource

    started = time.perf_counter()
    done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 2):
        raise SystemExit(f"failed ({done.returncode}): {' '.join(args)}\n{done.stderr[-3000:]}")
    return {"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def child_ratio(corpus: str) -> dict:
    """kgraph's extraction against jieba.lcut on the same documents, in this one process."""
    started = time.perf_counter()
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    jieba_init = time.perf_counter() - started

    from kgraph.pipeline import extract_document
    from kgraph.read import DocIds, expand_inputs, iter_documents

    started = time.perf_counter()
    from kgraph.extract import extractor_for

    extractor = extractor_for(())
    extractor_init = time.perf_counter() - started

    files = expand_inputs([corpus])
    total = sum(f.stat().st_size for f in files)
    cold_limit = max(total * 0.05, 1)
    phases = {"cold": [0, 0.0, 0.0, 0.0, 0], "steady": [0, 0.0, 0.0, 0.0, 0]}  # bytes, lcut, lcut-noHMM, kgraph, docs
    done_bytes = 0
    first_document = None
    for item in iter_documents((), DocIds(), files):
        if item.document is None:
            continue
        text = item.document.text
        size = len(text.encode("utf-8"))
        phase = phases["cold" if done_bytes < cold_limit else "steady"]
        t0 = time.perf_counter()
        jieba.lcut(text)
        t1 = time.perf_counter()
        jieba.lcut(text, HMM=False)
        t2 = time.perf_counter()
        result, error = extract_document(extractor, item.document, item.path)
        t3 = time.perf_counter()
        if first_document is None:
            first_document = {"bytes": size, "kgraph_s": t3 - t2, "lcut_s": t1 - t0}
        phase[0] += size
        phase[1] += t1 - t0
        phase[2] += t2 - t1
        phase[3] += t3 - t2
        phase[4] += 1
        done_bytes += size
    out = {"jieba_init_s": jieba_init, "extractor_init_s": extractor_init, "first_document": first_document,
           "peak_mb": _vm("VmHWM")}
    for name, (size, lcut, lcut_plain, ours, docs) in phases.items():
        if not size:
            continue
        out[name] = {"bytes": size, "documents": docs, "lcut_s": lcut, "lcut_nohmm_s": lcut_plain, "kgraph_s": ours,
                     "lcut_mb_s": size / MB / lcut, "lcut_nohmm_mb_s": size / MB / lcut_plain,
                     "kgraph_mb_s": size / MB / ours, "ratio": lcut / ours, "ratio_nohmm": lcut_plain / ours}
    both = [phases["cold"], phases["steady"]]
    size, lcut, lcut_plain, ours = (sum(p[i] for p in both) for i in range(4))
    out["all"] = {"bytes": size, "lcut_mb_s": size / MB / lcut, "kgraph_mb_s": size / MB / ours,
                  "ratio": lcut / ours, "ratio_nohmm": lcut_plain / ours}
    return out


def child_build(spec: dict) -> dict:
    """pipeline.build as `kgraph build` runs it, with the time and memory at the end of extraction."""
    from kgraph.pipeline import BuildOptions, build

    marks = {"last_document": time.perf_counter(), "rss_mb": 0.0}
    streamed = spec.get("store") == "oxigraph"

    def seen(result) -> None:
        marks["last_document"] = time.perf_counter()
        if streamed:  # the graph is never in RAM: the most memory while documents came
            marks["rss_mb"] = max(marks["rss_mb"], _vm("VmRSS"))

    started = time.perf_counter()
    options = BuildOptions(on_document=seen, store=spec.get("store"), jobs=spec.get("jobs", 1),
                           engine=spec.get("engine", "local"), scheduler=spec.get("scheduler"),
                           sparql_endpoint=spec.get("endpoint"))
    original = None
    if not spec.get("endpoint") and not streamed:  # the memory when the outputs start: the graph of every document is in RAM
        import kgraph.pipeline as pipeline

        original = pipeline.write_outputs

        def write_outputs(*args, **kwargs):
            marks["rss_mb"] = _vm("VmRSS")
            return original(*args, **kwargs)

        pipeline.write_outputs = write_outputs
    report = build([spec["corpus"]], spec.get("outdir"), options)
    ended = time.perf_counter()
    return {"seconds": ended - started, "extract_s": marks["last_document"] - started,
            "outputs_s": ended - marks["last_document"], "rss_after_extraction_mb": marks["rss_mb"],
            "peak_mb": _vm("VmHWM"), "summary": report.summary(), "documents": report.documents,
            "assignments": report.assignments}


def _vm(field: str, pid: int | str = "self") -> float:
    """VmRSS (now) or VmHWM (peak) of a process in MB: its own, unlike ru_maxrss, which a child inherits."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


CHILDREN = {"exec": child_exec, "ratio": child_ratio, "build": child_build}


# ---------------------------------------------------------------- steps

def corpus(work: Path, mb: float) -> Path:
    from make_corpus import make_corpus

    folder = work / f"corpus-{mb:g}mb"
    if not (folder / "corpus.json").exists():
        print(f"making a {mb:g} MB corpus in {folder} ...", file=sys.stderr)
        make_corpus(folder, mb)
    return folder


def corpus_mb(folder: Path) -> float:
    return json.loads((folder / "corpus.json").read_text())["bytes"] / MB


def step_startup(work: Path, repeat: int = 3) -> dict:
    one_line = work / "one-line.txt"
    one_line.write_text("市卫健委负责做好防护用品储备工作。\n", encoding="utf-8")
    help_runs = [Run(kgraph("--help")).seconds for _ in range(repeat)]
    Run(kgraph("extract", str(one_line)))  # makes sure the jieba cache exists
    warm = [Run(kgraph("extract", str(one_line))).seconds for _ in range(repeat)]
    with tempfile.TemporaryDirectory() as empty:
        cold = Run(kgraph("extract", str(one_line)), env={"KGRAPH_CACHE": empty}).seconds
    return {"help_s": statistics.median(help_runs), "extract_one_line_s": statistics.median(warm),
            "extract_one_line_cold_cache_s": cold}


def step_ratio(work: Path, sizes: list[float]) -> dict:
    out = {}
    for mb in sizes:
        print(f"ratio at {mb:g} MB ...", file=sys.stderr)
        run = Run([sys.executable, str(Path(__file__)), "--child", "ratio", json.dumps(str(corpus(work, mb)))])
        out[f"{mb:g}"] = run.json()
    return out


def step_extract(work: Path, sizes: list[float], jobs: int) -> dict:
    out = {}
    for mb in sizes:
        folder = corpus(work, mb)
        for n in (1, jobs):
            print(f"kgraph extract --jobs {n} at {mb:g} MB ...", file=sys.stderr)
            target = work / f"extract-{mb:g}mb-j{n}.tsv"
            run = run_measured(kgraph("extract", str(folder), "-o", str(target), "--jobs", str(n)))
            out[f"{mb:g}/jobs{n}"] = {"seconds": run.seconds, "mb_s": corpus_mb(folder) / run.seconds,
                                      "peak_mb": run.peak_mb, "tree_peak_mb": run.tree_peak}
        same = (work / f"extract-{mb:g}mb-j1.tsv").read_bytes() == (work / f"extract-{mb:g}mb-j{jobs}.tsv").read_bytes()
        out[f"{mb:g}/identical"] = same
    return out


def _build(work: Path, mb: float, name: str, **spec) -> dict:
    folder = corpus(work, mb)
    outdir = work / f"build-{mb:g}mb-{name}"
    if outdir.exists():
        shutil.rmtree(outdir)
    print(f"kgraph build ({name}) at {mb:g} MB ...", file=sys.stderr)
    run = Run([sys.executable, str(Path(__file__)), "--child", "build",
               json.dumps({"corpus": str(folder), "outdir": str(outdir), **spec})])
    report = run.json()
    report.update({"mb_s": corpus_mb(folder) / report["seconds"], "tree_peak_mb": run.tree_peak,
                   "extract_mb_s": corpus_mb(folder) / report["extract_s"], "outdir": str(outdir)})
    return report


def step_build(work: Path, sizes: list[float]) -> dict:
    return {f"{mb:g}/memory": _build(work, mb, "memory", store="memory") for mb in sizes}


def step_store(work: Path, sizes: list[float]) -> dict:
    out = {}
    for mb in sizes:
        report = _build(work, mb, "oxigraph", store="oxigraph")
        store = Path(report["outdir"]) / "oxigraph"
        report["store_disk_mb"] = sum(f.stat().st_size for f in store.rglob("*") if f.is_file()) / 2**20
        out[f"{mb:g}/oxigraph"] = report
    return out


def _same_outputs(a: str, b: str) -> bool:
    return all((Path(a) / name).read_bytes() == (Path(b) / name).read_bytes()
               for name in ("graph.ttl", "assignments.tsv"))


def step_parallel(work: Path, mb: float, jobs: int, baseline: dict | None) -> dict:
    base = baseline or _build(work, mb, "memory", store="memory")
    report = _build(work, mb, f"jobs{jobs}", store="memory", jobs=jobs)
    report["identical"] = _same_outputs(base["outdir"], report["outdir"])
    return {f"{mb:g}/jobs{jobs}": report}


def step_dask(work: Path, sizes: list[float], check_mb: float, jobs: int, baseline: dict | None) -> dict:
    """`kgraph extract --engine dask` at every size, and a build compared with the local one."""
    from distributed import LocalCluster

    base = baseline or _build(work, check_mb, "memory", store="memory")
    out: dict = {}
    started = time.perf_counter()
    with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        out["cluster_start_s"] = time.perf_counter() - started
        address = cluster.scheduler_address
        for mb in sizes:
            folder = corpus(work, mb)
            print(f"kgraph extract --engine dask ({jobs} workers) at {mb:g} MB ...", file=sys.stderr)
            target = work / f"extract-{mb:g}mb-dask.tsv"
            run = run_measured(kgraph("extract", str(folder), "-o", str(target), "--engine", "dask",
                                      "--scheduler", address))
            same = target.read_bytes() == (work / f"extract-{mb:g}mb-j1.tsv").read_bytes() \
                if (work / f"extract-{mb:g}mb-j1.tsv").exists() else None
            out[f"{mb:g}/extract"] = {"seconds": run.seconds, "mb_s": corpus_mb(folder) / run.seconds,
                                      "peak_mb": run.peak_mb, "identical": same}
        report = _build(work, check_mb, "dask", store="memory", engine="dask", scheduler=address)
    report["identical"] = _same_outputs(base["outdir"], report["outdir"])
    out[f"{check_mb:g}/dask{jobs}"] = report
    return out


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if not found:
        raise SystemExit("the endpoint step needs the Oxigraph server: pip install oxigraph")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_oxigraph(location: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location), "--bind",
                               f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, f"http://127.0.0.1:{port}/query"
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("the Oxigraph server did not start")


def step_endpoint(work: Path, sizes: list[float], jobs: int) -> dict:
    from kgraph.query import run_query

    out = {}
    for mb in sizes:
        location = work / f"oxigraph-server-{mb:g}mb"
        shutil.rmtree(location, ignore_errors=True)
        server, url = start_oxigraph(location)
        try:
            for n in (1, jobs):
                if n != 1:  # the same documents again, into an empty server
                    server.terminate()
                    server.wait()
                    shutil.rmtree(location, ignore_errors=True)
                    server, url = start_oxigraph(location)
                print(f"kgraph build --sparql-endpoint --jobs {n} at {mb:g} MB ...", file=sys.stderr)
                report = _build(work, mb, f"endpoint-j{n}", endpoint=url, jobs=n)
                report["server_peak_mb"] = _vm("VmHWM", server.pid)
                out[f"{mb:g}/jobs{n}"] = report
            rebuild = _build(work, mb, "endpoint-again", endpoint=url)
            started = time.perf_counter()
            rows = len(run_query(url, named="workload"))
            out[f"{mb:g}/rebuild_unchanged_s"] = rebuild["seconds"]
            out[f"{mb:g}/query_workload_s"] = time.perf_counter() - started
            out[f"{mb:g}/query_workload_rows"] = rows
            out[f"{mb:g}/server_disk_mb"] = sum(f.stat().st_size for f in location.rglob("*") if f.is_file()) / 2**20
        finally:
            server.terminate()
            server.wait()
            shutil.rmtree(location, ignore_errors=True)
    return out


def step_sparql(work: Path, triples: int) -> dict:
    script = ROOT / "bench" / "sparql_bench.py"
    if not script.exists():
        return {"skipped": "bench/sparql_bench.py is missing"}
    folder = work / "sparql"
    done = subprocess.run([sys.executable, str(script), "--triples", str(triples), "--workdir", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return {"failed": done.stderr[-2000:]}
    results = folder / "results.json"
    return {"table": done.stdout, **(json.loads(results.read_text()) if results.exists() else {})}


# ---------------------------------------------------------------- the report

def machine() -> dict:
    total = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            total = int(line.split()[1]) / 2**20
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gb": round(total, 1), "python": platform.python_version(),
            "system": platform.platform()}


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [f"Machine: {m['cpus']} cores ({m['cpu']}), {m['memory_gb']} GB RAM, Python {m['python']}.", ""]
    row = lines.append
    if "startup" in results:
        s = results["startup"]
        row(f"Start-up: `kgraph --help` {s['help_s']:.2f} s; `kgraph extract` of a one-line file "
            f"{s['extract_one_line_s']:.2f} s ({s['extract_one_line_cold_cache_s']:.2f} s with an empty jieba cache).")
        row("")
    if "ratio" in results:
        row("| extraction, one process | " + " | ".join(f"{k} MB" for k in results["ratio"]) + " |")
        row("|---" * (len(results["ratio"]) + 1) + "|")
        cells = results["ratio"].values()
        row("| `jieba.lcut` (HMM on, the default) MB/s | " + " | ".join(f"{r['steady']['lcut_mb_s']:.2f}" for r in cells) + " |")
        row("| `jieba.lcut(HMM=False)` MB/s | " + " | ".join(f"{r['steady']['lcut_nohmm_mb_s']:.2f}" for r in cells) + " |")
        row("| kgraph extraction MB/s (steady) | " + " | ".join(f"{r['steady']['kgraph_mb_s']:.2f}" for r in cells) + " |")
        row("| **ratio kgraph / lcut** (steady) | " + " | ".join(f"**{r['steady']['ratio']:.2f}**" for r in cells) + " |")
        row("| ratio kgraph / lcut(HMM=False) | " + " | ".join(f"{r['steady']['ratio_nohmm']:.2f}" for r in cells) + " |")
        row("| cold: first 5% of the text, ratio | " + " | ".join(f"{r['cold']['ratio']:.2f}" for r in cells) + " |")
        row("| set-up: extractor (lexicons + jieba dictionary) s | " + " | ".join(f"{r['extractor_init_s']:.2f}" for r in cells) + " |")
        row("")
    if "extract" in results:
        row("| `kgraph extract` | time | MB/s | peak memory |")
        row("|---|---|---|---|")
        for key, r in results["extract"].items():
            if isinstance(r, dict):
                size, jobs = key.split("/")
                memory = f"{r['peak_mb']:.0f} MB" + (f" (all processes {r['tree_peak_mb']:.0f} MB)" if jobs != "jobs1" else "")
                same = "" if jobs == "jobs1" else " (same output)" if results["extract"].get(f"{size}/identical") \
                    else " (OUTPUT DIFFERS)"
                row(f"| {size} MB, --jobs {jobs[4:]}{same} | {r['seconds']:.1f} s | {r['mb_s']:.2f} | {memory} |")
        for key, r in results.get("dask", {}).items():
            if key.endswith("/extract"):
                same = {True: " (same output)", False: " (OUTPUT DIFFERS)"}.get(r["identical"], "")
                row(f"| {key.split('/')[0]} MB, --engine dask (LocalCluster){same} | {r['seconds']:.1f} s | "
                    f"{r['mb_s']:.2f} | {r['peak_mb']:.0f} MB (this process) |")
        row("")
    builds = {**results.get("build", {}), **results.get("store", {}), **results.get("parallel", {}),
              **{k: v for k, v in results.get("dask", {}).items() if "/dask" in k}}
    endpoint = {k: v for k, v in results.get("endpoint", {}).items() if isinstance(v, dict)}
    if builds or endpoint:
        row("| `kgraph build` | time | MB/s | extraction + graph | outputs | memory when outputs start "
            "(--store oxigraph: most while extracting) | peak memory |")
        row("|---|---|---|---|---|---|---|")
        for key, r in builds.items():
            size, how = key.split("/")
            label = {"memory": "", "oxigraph": " --store oxigraph"}.get(how, f" --{how[:4]} {how[4:]}" if how.startswith("jobs")
                                                                       else f" --engine dask ({how[4:]} workers)")
            same = "" if "identical" not in r else (" (same output)" if r["identical"] else " (OUTPUT DIFFERS)")
            peak = f"{r['peak_mb']:.0f} MB" + (f" (all processes {r['tree_peak_mb']:.0f} MB)"
                                                if r["tree_peak_mb"] > r["peak_mb"] * 1.2 else "")
            if "store_disk_mb" in r:
                peak += f"; store on disk {r['store_disk_mb']:.0f} MB"
            row(f"| {size} MB{label}{same} | {r['seconds']:.1f} s | {r['mb_s']:.2f} | {r['extract_s']:.1f} s | "
                f"{r['outputs_s']:.1f} s | {r['rss_after_extraction_mb']:.0f} MB | {peak} |")
        for key, r in endpoint.items():
            size, jobs = key.split("/")
            row(f"| {size} MB --sparql-endpoint (Oxigraph server), --jobs {jobs[4:]} | {r['seconds']:.1f} s | "
                f"{r['mb_s']:.2f} | {r['extract_s']:.1f} s | {r['outputs_s']:.1f} s | – | "
                f"{r['peak_mb']:.0f} MB (server {r['server_peak_mb']:.0f} MB) |")
        row("")
    if results.get("endpoint"):
        e = results["endpoint"]
        for size in sorted({k.split("/")[0] for k in e}, key=float):
            if f"{size}/rebuild_unchanged_s" in e:
                row(f"Endpoint, {size} MB: rebuild with nothing changed {e[f'{size}/rebuild_unchanged_s']:.1f} s; "
                    f"`workload` query over HTTP {e[f'{size}/query_workload_s']:.2f} s "
                    f"({e[f'{size}/query_workload_rows']} rows); server store on disk "
                    f"{e[f'{size}/server_disk_mb']:.0f} MB.")
        row("")
    if results.get("sparql", {}).get("table"):
        row(results["sparql"]["table"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10", help="corpus sizes in MB for ratio, extract and endpoint")
    parser.add_argument("--build-sizes", default="1,10", help="corpus sizes in MB for build (the graph is in RAM)")
    parser.add_argument("--store-sizes", default="1,10", help="corpus sizes in MB for build --store oxigraph")
    parser.add_argument("--jobs", type=int, default=2, help="processes for --jobs and Dask workers")
    parser.add_argument("--check-mb", type=float, default=1.0,
                        help="corpus size of the builds with --jobs and Dask compared byte for byte with one process")
    parser.add_argument("--steps", default=",".join(STEPS), help=f"some of {','.join(STEPS)}")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each start-up figure (the median is kept)")
    parser.add_argument("--triples", type=int, default=1_000_000, help="graph size for the sparql step")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kgraph-bench")
    parser.add_argument("--out", type=Path, default=None, help="JSON file of the figures [default: WORK/results.json]")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child](json.loads(rest[0]))))
        return 0
    steps = [s for s in args.steps.split(",") if s]
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    sizes = [float(s) for s in args.sizes.split(",") if s]
    build_sizes = [float(s) for s in args.build_sizes.split(",") if s]
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "command": " ".join([Path(sys.argv[0]).name] + (argv or sys.argv[1:]))}
    if "startup" in steps:
        results["startup"] = step_startup(work, args.repeat)
    if "ratio" in steps:
        results["ratio"] = step_ratio(work, sizes)
    if "extract" in steps:
        results["extract"] = step_extract(work, sizes, args.jobs)
    if "build" in steps:
        results["build"] = step_build(work, build_sizes)
    if "store" in steps:
        results["store"] = step_store(work, [float(s) for s in args.store_sizes.split(",") if s])
    baseline = results.get("build", {}).get(f"{args.check_mb:g}/memory")
    if "parallel" in steps:
        results["parallel"] = step_parallel(work, args.check_mb, args.jobs, baseline)
    if "dask" in steps:
        results["dask"] = step_dask(work, sizes, args.check_mb, args.jobs, baseline)
    if "endpoint" in steps:
        results["endpoint"] = step_endpoint(work, sizes, args.jobs)
    if "sparql" in steps:
        results["sparql"] = step_sparql(work, args.triples)
    out = args.out or work / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(results))
    print(f"figures: {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
