"""Positions for the HTML graph view, computed once in Python so the browser needs no physics.

A responsibility graph is bipartite: actors (hubs) and measures (mostly
leaves: one actor each). Laying it out as one force-directed graph is slow
(quadratic) and gives a hairball, so each connected component is laid out on
its own:

- a small component (up to SMALL_COMPONENT nodes) gets networkx's spring
  layout on all its nodes;
- in a big one, the actors are placed by the spring layout of the actor-actor
  co-responsibility graph (actors sharing a measure attract) and pushed apart
  until their clouds do not overlap; each measure of a single actor goes on a
  sunflower spiral around that actor, a measure shared by several actors
  between them.
Then the components are packed in rows, largest first.

Everything is deterministic (fixed seed, sorted node order), so the same graph
gives the same page. Needs numpy (networkx's layouts do).
"""
from __future__ import annotations

import math
from typing import Hashable, Mapping

Position = tuple[float, float]

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SMALL_COMPONENT = 250  # nodes; smaller components get the spring layout on all their nodes
SPRING_LIMIT = 400      # actors of a big component laid out by the spring model; the rest go next to their neighbours
NODE_SPACING = 40.0     # scale of the spring layout of a small component
NODE_MARGIN = 8.0       # free space around a node of a small component
MEASURE_SIZE = 5.0      # drawn radius of a measure (the page script uses the same)
LEAF_SPACING = 20.0     # distance scale of the satellite spiral around an actor
HUB_SPACING = 70.0      # distance scale between actors of one component
COMPONENT_GAP = 80.0
SEED = 7


def spiral(index: int, inner: float, spacing: float = LEAF_SPACING) -> Position:
    """The index-th point of a sunflower (phyllotaxis) spiral: evenly filled discs for any count."""
    radius = inner + spacing * math.sqrt(index)
    angle = index * GOLDEN_ANGLE
    return radius * math.cos(angle), radius * math.sin(angle)


def spiral_radius(count: int, inner: float, spacing: float = LEAF_SPACING) -> float:
    return inner + spacing * math.sqrt(max(count - 1, 0))


def layout(bipartite, actor_sizes: Mapping[Hashable, float], co_graph) -> dict[Hashable, Position]:
    """Positions for every node of `bipartite` (a networkx graph whose nodes are actors and measures).

    `actor_sizes` maps the actors to their drawn radius (the other nodes are
    measures); `co_graph` is the actor-actor co-responsibility graph.
    """
    import networkx as nx

    actor_set = set(actor_sizes)
    boxes = []
    components = sorted((sorted(c, key=str) for c in nx.connected_components(bipartite)),
                        key=lambda c: (-len(c), str(c[0])))
    for nodes in components:
        hubs = [n for n in nodes if n in actor_set]
        boxes.append(_component_layout(bipartite, hubs, [n for n in nodes if n not in actor_set], co_graph,
                                       actor_sizes))
    return _pack(boxes)


def _component_layout(bipartite, hubs: list, measures: list, co_graph,
                      sizes: Mapping[Hashable, float]) -> dict[Hashable, Position]:
    import networkx as nx

    if len(hubs) + len(measures) <= SMALL_COMPONENT:
        # small enough for the spring model on the whole component (quadratic, dense numpy)
        sub = nx.Graph()
        sub.add_nodes_from(hubs + measures)
        sub.add_edges_from(bipartite.subgraph(hubs + measures).edges())
        raw = nx.spring_layout(sub, seed=SEED, iterations=100, method="force")
        scale = NODE_SPACING * math.sqrt(len(sub))
        radius = {n: sizes.get(n, MEASURE_SIZE) + NODE_MARGIN for n in raw}
        return _separate({n: (float(x) * scale, float(y) * scale) for n, (x, y) in raw.items()}, radius)
    # sizes of the satellite clouds decide how far apart the hubs must be
    leaves: dict[Hashable, list] = {h: [] for h in hubs}
    shared: dict[tuple, list] = {}
    for m in measures:
        owners = sorted((n for n in bipartite.neighbors(m) if n in leaves), key=str)
        if len(owners) == 1:
            leaves[owners[0]].append(m)
        elif owners:
            shared.setdefault(tuple(owners), []).append(m)
    inner = {h: sizes[h] + LEAF_SPACING for h in hubs}
    radius = {h: max(spiral_radius(len(leaves[h]), inner[h]), sizes[h]) + LEAF_SPACING for h in hubs}
    hub_pos = _separate(_hub_positions(hubs, co_graph), radius)
    pos: dict[Hashable, Position] = dict(hub_pos)
    for hub, satellites in leaves.items():
        hx, hy = hub_pos[hub]
        for i, m in enumerate(satellites):
            dx, dy = spiral(i, inner[hub])
            pos[m] = (hx + dx, hy + dy)
    for owners, group in shared.items():
        cx = sum(hub_pos[o][0] for o in owners) / len(owners)
        cy = sum(hub_pos[o][1] for o in owners) / len(owners)
        for i, m in enumerate(group):
            dx, dy = spiral(i, 0.0, LEAF_SPACING * 0.8)
            pos[m] = (cx + dx, cy + dy)
    return pos


def _hub_positions(hubs: list, co_graph) -> dict[Hashable, Position]:
    import networkx as nx

    if len(hubs) == 1:
        return {hubs[0]: (0.0, 0.0)}
    sub = co_graph.subgraph(hubs)
    ranked = sorted(hubs, key=lambda h: (-sub.degree(h, weight="weight"), str(h)))
    core = ranked[:SPRING_LIMIT]
    spring_graph = nx.Graph()
    spring_graph.add_nodes_from(sorted(core, key=str))
    spring_graph.add_edges_from((u, v) for u, v in sub.subgraph(core).edges())
    raw = nx.spring_layout(spring_graph, seed=SEED, iterations=60, method="force")
    scale = HUB_SPACING * math.sqrt(len(hubs))  # the spring layout fits into [-1, 1]
    pos = {h: (float(x) * scale, float(y) * scale) for h, (x, y) in raw.items()}
    _place_remaining(ranked[SPRING_LIMIT:], sub, pos)
    return pos


def _separate(pos: dict[Hashable, Position], radius: Mapping[Hashable, float],
              rounds: int = 60) -> dict[Hashable, Position]:
    """Push apart hubs whose satellite discs overlap, keeping the spring layout's arrangement."""
    import numpy as np

    if len(pos) < 2:
        return pos
    hubs = list(pos)
    xy = np.array([pos[h] for h in hubs], dtype=float)
    r = np.array([radius[h] for h in hubs], dtype=float)
    need = r[:, None] + r[None, :]
    np.fill_diagonal(need, 0.0)
    rng = np.random.default_rng(SEED)
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        overlap = need - dist
        np.fill_diagonal(overlap, 0.0)
        if overlap.max() <= 1e-6:
            break
        same = dist < 1e-9
        np.fill_diagonal(same, False)
        if same.any():  # coincident hubs: nudge apart in a random direction
            xy += rng.normal(scale=1.0, size=xy.shape) * same.any(axis=1)[:, None]
            continue
        push = np.where(overlap > 0, overlap / (2 * np.maximum(dist, 1e-9)), 0.0)
        xy += (delta * push[..., None]).sum(axis=1) * 0.5
    return {h: (float(x), float(y)) for h, (x, y) in zip(hubs, xy)}


def _place_remaining(rest: list, sub, pos: dict) -> None:
    """Hubs beyond the spring model's limit: next to the placed neighbours they share most with."""
    pending = list(rest)
    while pending:
        waiting = []
        for i, hub in enumerate(pending):
            placed = [(pos[n], sub[hub][n].get("weight", 1)) for n in sub.neighbors(hub) if n in pos]
            if not placed:
                waiting.append(hub)
                continue
            total = sum(w for _, w in placed)
            cx = sum(p[0] * w for p, w in placed) / total
            cy = sum(p[1] * w for p, w in placed) / total
            dx, dy = spiral(i + 1, HUB_SPACING, HUB_SPACING / 2)
            pos[hub] = (cx + dx, cy + dy)
        if len(waiting) == len(pending):  # no placed neighbour at all (not in a connected component)
            for i, hub in enumerate(waiting):
                pos[hub] = spiral(i + 1, HUB_SPACING, HUB_SPACING)
            return
        pending = waiting


def _pack(boxes: list[dict[Hashable, Position]]) -> dict[Hashable, Position]:
    """Shelf-pack component layouts (largest first) into rows of a roughly square area."""
    extents = []
    for pos in boxes:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        extents.append((min(xs), min(ys), max(xs) - min(xs) + COMPONENT_GAP, max(ys) - min(ys) + COMPONENT_GAP))
    area = sum(w * h for _, _, w, h in extents)
    row_width = max([math.sqrt(area) * 1.2] + [w for _, _, w, _ in extents])
    result: dict[Hashable, Position] = {}
    x = y = row_height = 0.0
    for pos, (min_x, min_y, width, height) in zip(boxes, extents):
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in pos.items():
            result[node] = (round(px - min_x + x, 1), round(py - min_y + y, 1))
        x += width
        row_height = max(row_height, height)
    return result
