"""`--engine dask --scheduler ADDRESS`: extraction on a Dask cluster, output identical to the local run.

The cluster is a LocalCluster of two worker processes started by the fixture (as a user would start
`dask scheduler` and `dask worker`); kgraph only connects to its scheduler.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("distributed")

from kgraph.cli import main  # noqa: E402
from kgraph.pipeline import ASSIGNMENTS_FILE, GRAPH_FILE  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_AND_GENRES = [str(ROOT / "data" / "corpus"), str(ROOT / "tests" / "data" / "genres")]


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_extract_on_a_dask_cluster_is_identical_to_the_local_run(scheduler, monkeypatch):
    import kgraph.parallel as parallel

    monkeypatch.setattr(parallel, "MIN_BATCH_BYTES", 8000)  # several tasks per worker
    local = run("extract", *SAMPLE_AND_GENRES)
    on_dask = run("extract", *SAMPLE_AND_GENRES, "--engine", "dask", "--scheduler", scheduler)
    assert local[0] == 0 and local[1].count("\n") > 500
    assert on_dask == local


def test_build_on_a_dask_cluster_ships_extra_lexicons_and_is_byte_identical(scheduler, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "parks.txt").write_text("关于做好巡查工作的通知\n云杉小组负责做好公园巡查工作。\n", encoding="utf-8")
    lexicon = tmp_path / "actors.tsv"
    lexicon.write_text("name\tcanonical\tkind\n云杉小组\t云杉绿化小组\torganisation\n", encoding="utf-8")
    inputs = [SAMPLE_AND_GENRES[1], str(folder), "--lexicon", str(lexicon), "--no-progress"]
    outputs = {}
    for name, extra in (("local", []), ("dask", ["--engine", "dask", "--scheduler", scheduler])):
        outdir = tmp_path / name / "out"
        code, _, err = run("build", *inputs, "-o", str(outdir), *extra)
        assert code == 0, err
        outputs[name] = [(outdir / f).read_bytes() for f in (GRAPH_FILE, ASSIGNMENTS_FILE)] + [err]
    assert "云杉绿化小组" in outputs["dask"][1].decode("utf-8")  # the workers used the shipped lexicon
    assert outputs["dask"] == outputs["local"]


def test_unreachable_scheduler_is_one_line(tmp_path, monkeypatch):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr("kgraph.parallel.CONNECT_TIMEOUT", "1s")
    code, out, err = run("extract", SAMPLE_AND_GENRES[1], "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}",
                         "-o", str(tmp_path / "x.tsv"))
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"Error: cannot connect to the Dask scheduler at tcp://127.0.0.1:{port}")
    assert not (tmp_path / "x.tsv").exists()
