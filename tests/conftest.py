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


# two small notices and a task list that the incremental-build tests add, change and remove
A = "关于做好防控工作的通知\n市卫健委负责做好防护用品储备工作。市公安局负责人员管控工作。\n"
B = "关于加强监测的通知\n卫健委要加强疫情监测。市财政局负责经费保障。\n"
B_CHANGED = "关于加强监测的通知\n卫健委要加强疫情监测。市交通运输局负责道路保通。\n"
TASKS = "任务分工\n一、加强河道整治。（市水利局牵头，市生态环境局配合）\n"


@pytest.fixture
def texts(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    paths = {}
    for name, text in (("a", A), ("b", B), ("tasks", TASKS)):
        paths[name] = folder / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    return paths
