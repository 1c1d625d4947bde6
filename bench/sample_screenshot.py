"""The README's picture: the sample corpus's graph.html in headless Chromium, one actor clicked.

    .venv/bin/python bench/sample_screenshot.py [-o docs/sample-graph.png] [--actor 市委市政府督查局]

Builds the sample corpus into a temporary folder (as `kgraph build` does), opens graph.html with
the network off, clicks the actor (its duties highlighted, the details panel filled), hovers one
of its measures (the tooltip with the evidence sentence) and saves a 1400x900 screenshot.
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from render_bench import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "sample-graph.png")
    parser.add_argument("--actor", default="市委市政府督查局")
    parser.add_argument("--scale", type=float, default=1.0, help="zoom around the actor")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from kgraph.pipeline import build

    outdir = Path(tempfile.mkdtemp(prefix="kgraph-sample-")) / "kgraph-out"  # the folder name is the page title
    page_path = build([], outdir).outputs["html"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(offline=True, viewport={"width": 1400, "height": 900}).new_page()
            page.goto(page_path.resolve().as_uri())
            page.wait_for_selector("html[data-kgraph-ready]")
            points = page.evaluate("""([label, scale]) => {
                const i = kgraph.data.actors.findIndex((a) => a[0] === label);
                if (i < 0) throw new Error("no actor " + label);
                const measure = kgraph.data.assignments.find((r) => r[0] === i)[1];
                kgraph.network.focus("a" + i, {scale: scale, animation: false});
                const box = document.getElementById("kgraph-network").getBoundingClientRect();
                const at = (id) => {
                    const p = kgraph.network.canvasToDOM(kgraph.network.getPositions([id])[id]);
                    return [box.left + p.x, box.top + p.y];
                };
                return [at("a" + i), at("m" + measure)];
            }""", [args.actor, args.scale])
            page.mouse.click(*points[0])
            page.mouse.move(*points[1])
            page.wait_for_selector("#kgraph-tooltip:not([hidden])")
            args.output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.output))
        finally:
            browser.close()
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
