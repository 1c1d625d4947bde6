"""The HTML view in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

Every page is opened from a file with the network off (an offline context that also aborts any
request that is not the page itself): it must draw with no console error, no request and no
dialog. The counts come from the vis DataSets and the network (window.kgraph, see graph.js).
One browser per session; one context per test. The page's Content-Security-Policy forbids eval,
so waits use Playwright's locators (page.wait_for_function would be refused), not JS predicates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright  # the test extra; it never downloads a browser
from test_render import XSS_TITLE, read_page, small_build  # noqa: F401  (the fixture is shared)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium fonts-noto-cjk` "
                    "(.ci/run does) to run the browser tests")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Opened:
    page: object
    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def shown(self) -> dict:
        return self.page.evaluate("kgraph.shown()")

    def count_text(self) -> str:
        return self.page.inner_text("#kgraph-count")

    def node_id(self, label: str) -> str:
        """The vis id of the actor or measure with this (full) label."""
        found = self.page.evaluate("""(label) => {
            const a = kgraph.data.actors.findIndex((a) => a[0] === label);
            const m = kgraph.data.measures.findIndex((m) => m[0] === label);
            return a >= 0 ? "a" + a : m >= 0 ? "m" + m : null;
        }""", label)
        assert found, f"no node {label!r}"
        return found

    def edge_id(self, actor: str, measure: str) -> str:
        return self.page.evaluate("""([a, m]) => "e" + kgraph.data.assignments.findIndex(
            (r) => kgraph.data.actors[r[0]][0] === a && kgraph.data.measures[r[1]][0] === m)""", [actor, measure])

    def point_at(self, item: str) -> tuple[float, float]:
        """Page coordinates of a node's centre, or of the middle of an edge (e…) as drawn."""
        return tuple(self.page.evaluate("""(id) => {
            const net = kgraph.network;
            const at = id[0] === "e" ? net.body.edges[id].edgeType.getPoint(0.5) : net.getPositions([id])[id];
            const p = net.canvasToDOM(at);
            const box = document.getElementById("kgraph-network").getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""", item))

    def hover(self, item: str) -> str:
        """The tooltip's text with the mouse on a node or edge."""
        self.page.mouse.move(*self.point_at(item))
        self.page.wait_for_selector("#kgraph-tooltip:not([hidden])")
        return self.page.inner_text("#kgraph-tooltip")

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.requests == [self.url], self.requests
        assert self.dialogs == [], self.dialogs


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_(path: Path) -> Opened:
        context = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
        contexts.append(context)
        url = Path(path).resolve().as_uri()
        opened = Opened(context.new_page(), url)
        context.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
        context.on("request", lambda request: opened.requests.append(request.url))
        page = opened.page
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda err: opened.errors.append(str(err)))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        page.wait_for_selector("html[data-kgraph-ready]", timeout=30_000)
        return opened

    yield open_
    for context in contexts:
        context.close()


def test_sample_page_draws_every_node_offline(open_page, sample_build):
    _, data = read_page(sample_build[1].outputs["html"])
    opened = open_page(sample_build[1].outputs["html"])
    nodes = len(data["actors"]) + len(data["measures"])
    assert nodes > 100
    assert opened.page.evaluate("kgraph.nodes.length") == nodes
    assert opened.shown() == {"nodes": nodes, "edges": len(data["assignments"])}
    assert f"{nodes} / {nodes}" in opened.count_text()
    assert opened.page.evaluate("document.fonts.check('14px \"Noto Sans CJK SC\"')")
    opened.assert_clean()


def test_filters_change_what_is_shown(open_page, small_build):
    opened = open_page(small_build[0] / "graph.html")
    page = opened.page
    assert opened.shown() == {"nodes": 16, "edges": 11}
    before = opened.count_text()
    page.uncheck("#kgraph-role-lead")  # one lead: 水利局 leads 加强河道巡查 (生态环境局 still supports it)
    assert opened.shown() == {"nodes": 16, "edges": 10}
    assert opened.count_text() != before and "10 / 11" in opened.count_text()
    page.check("#kgraph-role-lead")
    page.fill("#kgraph-search", "卫健委")  # a surface form finds the canonical 卫生健康委员会
    expect(page.locator("#kgraph-count")).to_contain_text("2 / 16")  # the search is debounced
    assert opened.shown() == {"nodes": 2, "edges": 1}
    page.fill("#kgraph-search", "")
    expect(page.locator("#kgraph-count")).to_contain_text("16 / 16")
    page.select_option("#kgraph-document", label=f"{XSS_TITLE} (002_xss)")
    assert opened.shown() == {"nodes": 4, "edges": 2}  # 宣传部, 公安局 and their measures
    page.select_option("#kgraph-document", value="")
    if page.is_visible("#kgraph-category"):  # categories come from the bundled scheme when there is one
        category = page.evaluate("""() => {
            const m = kgraph.data.measures.find((m) => m[0] === "落实治理资金");
            return m[2].length ? kgraph.data.categories[m[2][0]] : null;
        }""")
        if category:
            page.select_option("#kgraph-category", label=category)
            assert "落实治理资金" in page.evaluate("kgraph.views.responsibility.nodes.get().map((n) => n.label)")
            assert opened.shown()["nodes"] < 16
    opened.assert_clean()


def test_hover_shows_the_evidence_and_click_highlights_duties(open_page, small_build):
    opened = open_page(small_build[0] / "graph.html")
    page = opened.page
    water = opened.node_id("水利局")
    assert "任务数 assignments: 2 (牵头 1, 配合 1)" in opened.hover(water)
    page.mouse.move(5, 400)
    tooltip = opened.hover(opened.edge_id("水利局", "加强河道巡查"))
    assert "水利局 → 加强河道巡查" in tooltip and "牵头" in tooltip and "原文主体 actor as written: 市水利局" in tooltip
    assert "依据原文 evidence: 一、加强河道巡查（市水利局牵头，市生态环境局配合）。" in tooltip
    page.mouse.click(*opened.point_at(water))
    details = page.inner_text("#kgraph-details")
    assert "加强河道巡查" in details and "开展水质监测" in details and "市水利局牵头" in details
    opacity = page.evaluate("(ids) => ids.map((id) => kgraph.nodes.get(id).opacity)",
                            [water, opened.node_id("加强河道巡查"), opened.node_id("宣传部")])
    assert opacity[0] == 1 and opacity[1] == 1 and opacity[2] < 0.5
    page.mouse.click(5, 400)  # empty canvas space: back to normal
    page.mouse.click(*opened.point_at(opened.node_id("公安局")))
    assert page.evaluate("(id) => kgraph.nodes.get(id).opacity", water) < 0.5
    opened.assert_clean()


def test_co_responsibility_view(open_page, small_build):
    opened = open_page(small_build[0] / "graph.html")
    opened.page.click("#kgraph-view-co-responsibility")
    assert opened.page.evaluate("kgraph.view()") == "co-responsibility"
    assert opened.shown() == {"nodes": 8, "edges": 2}  # 水利局—生态环境局 (2 measures), 卫生健康委员会—财政部门 (1)
    assert "8 / 8" in opened.count_text()
    widths = opened.page.evaluate("kgraph.coEdges.get().map((e) => e.width).sort()")
    assert widths[0] < widths[1]  # weighted by the number of shared measures
    opened.page.click("#kgraph-view-responsibility")
    assert opened.shown() == {"nodes": 16, "edges": 11}
    opened.assert_clean()


def test_markup_in_a_document_is_shown_and_runs_nothing(open_page, small_build):
    opened = open_page(small_build[0] / "graph.html")
    page = opened.page
    assert "<script>alert(1)</script>发布信息" in opened.hover(opened.node_id("<script>alert(1)</script>发布信息"))
    page.mouse.click(*opened.point_at(opened.node_id("公安局")))
    assert "公安局要<img src=x onerror=alert(3)>加强巡逻。" in page.inner_text("#kgraph-details")
    options = page.eval_on_selector_all("#kgraph-document option", "(os) => os.map((o) => o.textContent)")
    assert f"{XSS_TITLE} (002_xss)" in options
    injected = page.evaluate("""() => ({
        scripts: document.scripts.length,
        images: document.images.length,
        handlers: document.querySelectorAll("[onerror], [onload], [onclick]").length,
    })""")
    assert injected == {"scripts": 3, "images": 0, "handlers": 0}
    page.wait_for_timeout(200)  # a broken image's onerror would have fired by now
    opened.assert_clean()
