"""The wheel works outside the checkout: it ships the ontology, lexicons, sample corpus, queries, templates."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"pip wheel failed: {done.stderr[-2000:]}")
    return next(out.glob("kgraph-*.whl"))


def test_wheel_ships_the_data_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("kgraph/ontology/kgraph.ttl", "kgraph/ontology/shapes.ttl", "kgraph/ontology/categories.ttl",
                     "kgraph/data/lexicon/actors.tsv", "kgraph/data/lexicon/cues.tsv",
                     "kgraph/data/corpus/000_d3b6136d7093a85b.txt", "kgraph/templates/vis-network.min.js"):
        assert expected in names
    assert any(n.startswith("kgraph/queries/") and n.endswith(".rq") for n in names)


def test_installed_wheel_builds_outside_the_checkout(wheel, tmp_path):
    """Install the wheel (dependencies from this environment) and run `kgraph build` from elsewhere."""
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                           str(wheel)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target), EXPECTED_SITE=str(target))
    code = ("import os, kgraph; assert kgraph.__file__.startswith(os.environ['EXPECTED_SITE']), kgraph.__file__; "
            "from kgraph.cli import main; main()")
    done = subprocess.run([sys.executable, "-c", code, "build", "-o", "out"], cwd=work, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    for name in ("graph.ttl", "assignments.tsv", "graph.html", "matrix.xlsx"):
        assert (work / "out" / name).stat().st_size > 1000, name
    assert "公安局" in (work / "out" / "assignments.tsv").read_text(encoding="utf-8")
