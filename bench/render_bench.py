"""How long the HTML view of a 3,000-node graph takes to become interactive in headless Chromium.

    .venv/bin/python bench/render_bench.py [--nodes 3000] [--runs 3] [--keep DIR]

Generates a synthetic responsibility graph (10% actors with a heavy-tailed workload, a quarter of
the measures shared by several actors, 30 documents), writes it as Turtle, renders it with
`kgraph.render.render` (no --max-nodes cut) and opens the page in Debian's Chromium
(/usr/bin/chromium) with the network off. Prints, per run and as the median:
  render   Python: read the Turtle, SPARQL, networkx (workload, layout), write the page
  ready    browser: navigation start -> first drawing with all the data (performance.now())
  filter   a role checkbox unticked -> the count text updated
  view     switch to the co-responsibility view -> the count text updated
  hover    mouse over an actor -> the tooltip shown
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kgraph.graph import build_graph, serialize  # noqa: E402
from kgraph.model import Assignment, Document, DocumentResult  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PLACES = ["市", "县", "区", "镇", "开发区", "高新区", "新区", "街道", "乡", "园区"]
BODIES = ("公安局 财政局 卫健委 教育局 交通运输局 生态环境局 水利局 商务局 应急管理局 市场监管局 民政局 住建局 "
          "自然资源局 农业农村局 文旅局 人社局 统计局 审计局 司法局 工信局 发改委 宣传部 组织部 政法委 信访局 城管局 "
          "税务局 气象局 医保局 退役军人事务局").split()
VERBS = ["加强", "落实", "开展", "做好", "完善", "推进", "严格", "组织", "健全", "强化"]
OBJECTS = ("人员管控 物资储备 经费保障 宣传引导 监测排查 隔离观察 复工复产 安全生产 督查问责 信息报送 医疗救治 "
           "市场监管 交通检疫 社区防控 应急演练").split()


def synthetic_results(nodes: int, documents: int = 30, seed: int = 5) -> list[DocumentResult]:
    """DocumentResults whose graph has about `nodes` actor and measure nodes."""
    rng = random.Random(seed)
    actors = [f"{p}{b}" for b in BODIES for p in PLACES][: max(nodes // 10, 2)]
    measures = nodes - len(actors)
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(actors))]  # a few busy actors, many quiet ones
    per_doc: list[list[Assignment]] = [[] for _ in range(documents)]
    offset = 0
    for i in range(measures):
        doc = i % documents
        measure = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}第{i}项"
        owner = actors[i] if i < len(actors) else rng.choices(actors, weights)[0]
        crew = [(owner, "lead" if rng.random() < 0.2 else "responsible")]
        if rng.random() < 0.25:
            for other in rng.sample(actors, rng.randint(1, 3)):
                if other != owner:
                    crew.append((other, rng.choice(["support", "support", "supervise"])))
        evidence = f"{'、'.join(a for a, _ in crew)}要{measure}。"
        for actor, role in crew:
            per_doc[doc].append(Assignment(doc=f"doc{doc:03d}", actor=actor, role=role, measure=measure,
                                           evidence=evidence, start=offset, end=offset + len(evidence),
                                           canonical_actor=actor, actor_kind="organisation"))
        offset += len(evidence)
    return [DocumentResult(Document(f"doc{d:03d}", "…", f"bench/doc{d:03d}.txt", f"第{d}号文件", "sha256:0"),
                           sentences=1, assignments=duties) for d, duties in enumerate(per_doc)]


def browser_timings(browser, page_path: Path) -> dict[str, float]:
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_path.resolve().as_uri())
        page.wait_for_selector("html[data-kgraph-ready]", timeout=120_000)
        ready = page.evaluate("kgraph.readyAt") / 1000
        timings = {"ready": ready}
        timings["filter"] = _until_count_changes(page, lambda: page.uncheck("#kgraph-role-responsible"))
        page.check("#kgraph-role-responsible")
        timings["view"] = _until_count_changes(page, lambda: page.click("#kgraph-view-co-responsibility"))
        page.click("#kgraph-view-responsibility")
        busiest = page.evaluate("""() => {
            const a = kgraph.data.actors.reduce((best, a, i, all) => (a[3] > all[best][3] ? i : best), 0);
            kgraph.network.focus("a" + a, {scale: 1, animation: false});
            const p = kgraph.network.canvasToDOM(kgraph.network.getPositions(["a" + a])["a" + a]);
            const box = document.getElementById("kgraph-network").getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""")
        start = time.perf_counter()
        page.mouse.move(*busiest)
        page.wait_for_selector("#kgraph-tooltip:not([hidden])", timeout=30_000)
        timings["hover"] = time.perf_counter() - start
        if errors:
            raise SystemExit(f"console errors: {errors}")
        return timings
    finally:
        context.close()


def _until_count_changes(page, action) -> float:
    before = page.inner_text("#kgraph-count")
    start = time.perf_counter()
    action()
    page.locator("#kgraph-count").filter(has_not_text=before).wait_for(timeout=30_000)
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write graph.ttl and graph.html here instead of a temporary folder")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from kgraph.render import RenderOptions, render

    with tempfile.TemporaryDirectory(prefix="kgraph-render-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        graph_file, page_file = folder / "graph.ttl", folder / "graph.html"
        serialize(build_graph(synthetic_results(args.nodes)), graph_file)
        rows = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for run in range(args.runs):
                    start = time.perf_counter()
                    report = render(graph_file, page_file, RenderOptions(max_nodes=0))
                    row = {"render": time.perf_counter() - start, **browser_timings(browser, page_file)}
                    rows.append(row)
                    print(f"run {run + 1}: " + ", ".join(f"{k} {v:.2f} s" for k, v in row.items()), flush=True)
            finally:
                browser.close()
        size = page_file.stat().st_size / 1e6
    print(f"graph: {report.summary()}; page {size:.1f} MB" + (f" ({page_file})" if args.keep else ""))
    print("median: " + ", ".join(f"{k} {statistics.median(r[k] for r in rows):.2f} s" for k in rows[0]))

if __name__ == "__main__":
    main()
