"""Shared fixtures: the sample corpus, one build of it per test session, small texts."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "corpus" / "000_d3b6136d7093a85b.txt"
GOLD_DIR = ROOT / "tests" / "data" / "gold"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """`kgraph build` of the sample corpus, once per session (library call, as the CLI does)."""
    from kgraph.pipeline import build

    outdir = tmp_path_factory.mktemp("sample-build")
    report = build([SAMPLE], outdir)
    return outdir, report


@pytest.fixture(scope="session")
def sample_graph(sample_build):
    from rdflib import Graph

    graph = Graph()
    graph.parse(sample_build[0] / "graph.ttl", format="turtle")
    return graph


def write_text(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_text(text, encoding=encoding)
    return path
