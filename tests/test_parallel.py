"""`--jobs N`: extraction on local processes, output byte for byte that of one process."""
from __future__ import annotations

import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path

import pytest
from click.testing import CliRunner

import kgraph.parallel as parallel
from kgraph.cli import main
from kgraph.model import Document
from kgraph.pipeline import ASSIGNMENTS_FILE, GRAPH_FILE, BuildOptions, build
from kgraph.incremental import update
from kgraph.read import ReadResult

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_AND_GENRES = [str(ROOT / "data" / "corpus"), str(ROOT / "tests" / "data" / "genres")]
LEXICON_TEXT = "关于做好巡查工作的通知\n云杉小组负责做好公园巡查工作。\n市绿化养护所要加强树木管护。\n"
LEXICON_ROWS = "name\tcanonical\tkind\n云杉小组\t云杉绿化小组\torganisation\n"


@pytest.fixture
def small_batches(monkeypatch):
    """Many small batches, so that batches finish out of order and the reordering is exercised."""
    monkeypatch.setattr(parallel, "MIN_BATCH_BYTES", 4000)


@pytest.fixture
def messy(tmp_path):
    """Files that fail (empty, unsupported) and a name used twice, beside good ones."""
    folder = tmp_path / "messy"
    (folder / "2024").mkdir(parents=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "notice.txt").write_text("关于防汛的通知\n市水利局负责做好堤防巡查工作。\n", encoding="utf-8")
    (folder / "2024" / "notice.txt").write_text("关于防火的通知\n市应急管理局要加强森林防火巡查。\n",
                                               encoding="gb18030")
    (folder / "2024" / "lexicon.txt").write_text(LEXICON_TEXT, encoding="utf-8")
    (tmp_path / "actors.tsv").write_text(LEXICON_ROWS, encoding="utf-8")
    return folder


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_extract_with_two_processes_is_identical(small_batches, messy, tmp_path):
    inputs = [*SAMPLE_AND_GENRES, str(messy), "--lexicon", str(tmp_path / "actors.tsv")]
    one = run("extract", *inputs)
    two = run("extract", *inputs, "--jobs", "2")
    assert one[0] == 2 and "empty.txt: the file is empty" in one[2] and "old.doc" in one[2]
    assert "云杉绿化小组" in one[1]  # the extra lexicon reached the workers
    assert one[1].count("\n") > 500
    assert two == one  # the same rows, error lines and exit status, in the same order


def test_build_with_two_processes_is_byte_identical(small_batches, tmp_path):
    outputs = {}
    for jobs in ("1", "2"):
        outdir = tmp_path / f"jobs{jobs}" / "out"  # the page's title names the folder
        code, _, err = run("build", *SAMPLE_AND_GENRES, "-o", str(outdir), "--no-progress", "--jobs", jobs)
        assert code == 0, err
        outputs[jobs] = {name: (outdir / name).read_bytes() for name in (GRAPH_FILE, ASSIGNMENTS_FILE, "graph.html")}
        summary = err.strip().splitlines()[-1]
        assert summary.startswith("kgraph build: 10 documents")
        outputs[jobs]["summary"] = summary.encode()
    assert outputs["2"] == outputs["1"]


def test_update_with_two_processes_is_the_full_build(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    texts = {"a": "关于防控的通知\n市卫健委负责做好防护用品储备工作。\n",
             "b": "关于监测的通知\n市财政局负责经费保障。\n",
             "c": "任务分工\n一、加强河道整治。（市水利局牵头，市生态环境局配合）\n"}
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    build([folder / "a.txt", folder / "b.txt"], tmp_path / "inc")
    (folder / "b.txt").write_text("关于监测的通知\n市交通运输局负责道路保通。\n", encoding="utf-8")
    report = update([folder], tmp_path / "inc", BuildOptions(jobs=2))
    assert (report.unchanged, report.replaced, report.added) == (["a"], ["b"], ["c"])
    build([folder], tmp_path / "full")
    for name in (GRAPH_FILE, ASSIGNMENTS_FILE):
        assert (tmp_path / "inc" / name).read_bytes() == (tmp_path / "full" / name).read_bytes()


def test_strict_with_two_processes_stops_and_writes_nothing(messy, tmp_path):
    outdir = tmp_path / "out"
    code, _, err = run("build", str(messy), "-o", str(outdir), "--strict", "--jobs", "2")
    assert code == 1
    assert err.strip().splitlines() == [
        f"Error: {messy / 'empty.txt'}: the file is empty (--strict: stopped, nothing written)"]
    assert not (outdir / GRAPH_FILE).exists()


# ---------------------------------------------------------------- the ordering, with workers that finish backwards

class BackwardsWorkers:
    """Fake workers: every batch is done at once, and `wait` hands back the newest first."""

    count = 3

    def __init__(self):
        self.futures: list[Future] = []
        self.sent: list[list[str]] = []

    def submit(self, documents):
        future = Future()
        future.set_result([(1, [], "") for _ in documents])
        self.futures.append(future)
        self.sent.append([document.doc_id for document, _ in documents])
        return future

    def wait(self, pending: set) -> set:
        return {max(pending, key=self.futures.index)}

    def result(self, future):
        return future.result()


def test_outcomes_come_in_input_order_whatever_finishes_first():
    items = []
    for i in range(40):
        if i % 7 == 3:
            items.append((ReadResult(Path(f"bad{i}.txt"), error=f"bad{i}.txt: the file is empty"), False))
        else:
            doc = Document(doc_id=f"d{i}", text="市水利局负责巡查。" * (i + 1))
            items.append((ReadResult(Path(f"d{i}.txt"), doc), i % 5 != 0))  # some read but not wanted
    workers = BackwardsWorkers()
    out = list(parallel._ordered(parallel._batches(iter(items), 200), workers, in_flight=3))
    assert [item.path.name for item, _, _ in out] == [item.path.name for item, _ in items]
    for (item, want), (_, result, error) in zip(items, out):
        assert (result is not None) == (want and item.document is not None)
        assert error == item.error
    assert len(workers.sent) > 5  # batched, several documents per batch
    assert sum(len(batch) for batch in workers.sent) == sum(1 for _, want in items if want)


# ---------------------------------------------------------------- options and errors

def test_scheduler_without_dask_engine_and_dask_without_scheduler_are_one_line_errors(monkeypatch):
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    code, out, err = run("extract", SAMPLE_AND_GENRES[1], "--scheduler", "tcp://127.0.0.1:8786")
    assert code == 1 and err.strip().splitlines() == [
        "Error: --scheduler is the address of a Dask scheduler; use it with --engine dask"]
    pytest.importorskip("distributed")
    code, out, err = run("build", SAMPLE_AND_GENRES[1], "-o", "unused", "--engine", "dask")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "--engine dask needs --scheduler ADDRESS" in err


def test_help_and_import_need_no_dask_and_dask_engine_without_it_says_how_to_install(tmp_path):
    text = tmp_path / "one.txt"
    text.write_text("市卫健委负责做好防护用品储备工作。\n", encoding="utf-8")
    script = (
        "import sys\n"
        "sys.modules['distributed'] = None; sys.modules['dask'] = None  # as if not installed\n"
        "import kgraph, kgraph.parallel, kgraph.pipeline\n"
        "from kgraph.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0\n"
        f"main(['extract', {str(text)!r}, '--engine', 'dask', '--scheduler', 'tcp://127.0.0.1:1'])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "Usage: main" in done.stdout or "Usage:" in done.stdout
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "Error: --engine dask needs Dask's distributed scheduler: pip install 'kgraph[dask]'")


def test_kgraph_help_does_not_import_dask():
    done = subprocess.run([sys.executable, "-c", "import sys; from kgraph.cli import main\n"
                           "try:\n    main(['build', '--help'])\nexcept SystemExit:\n    pass\n"
                           "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', "
                           "'jieba', 'rdflib')))"],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]"
