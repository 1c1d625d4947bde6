"""Incremental builds (build --update, remove), keep-going/strict, atomic outputs, exit codes, progress."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import B_CHANGED, A, B
from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from kgraph.cli import main
from kgraph.incremental import remove, update
from kgraph.model import KgraphError
from kgraph.pipeline import (
    ASSIGNMENTS_FILE,
    GRAPH_FILE,
    STAGING_PREFIX,
    BuildOptions,
    build,
)


def outputs(outdir: Path) -> dict[str, bytes]:
    return {name: (outdir / name).read_bytes() for name in (GRAPH_FILE, ASSIGNMENTS_FILE)}


def graph_of(outdir: Path) -> Graph:
    graph = Graph()
    graph.parse(outdir / GRAPH_FILE, format="turtle")
    return graph


def alt_labels(graph: Graph, canonical: str) -> set[str]:
    (actor,) = set(graph.subjects(SKOS.prefLabel, Literal(canonical, lang="zh")))
    return {str(label) for label in graph.objects(actor, SKOS.altLabel)}


def rows_by_doc(outdir: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in (outdir / ASSIGNMENTS_FILE).read_text(encoding="utf-8").splitlines()[1:]:
        doc = line.split("\t", 1)[0]
        counts[doc] = counts.get(doc, 0) + 1
    return counts


def test_update_adds_documents_as_a_full_build_would(tmp_path, texts):
    build([texts["a"], texts["b"], texts["tasks"]], tmp_path / "full")
    build([texts["a"]], tmp_path / "inc")
    report = update([texts["b"], texts["tasks"]], tmp_path / "inc")
    assert report.added == ["b", "tasks"] and not report.failures
    assert outputs(tmp_path / "inc") == outputs(tmp_path / "full")  # byte for byte: same input, same IRIs


def test_update_with_unchanged_document_rewrites_nothing(tmp_path, texts):
    outdir = tmp_path / "out"
    build([texts["a"], texts["b"]], outdir)
    before = outputs(outdir)
    mtimes = {name: (outdir / name).stat().st_mtime_ns for name in before}
    texts["b"].write_text(B, encoding="gb18030")  # another encoding, same text: not a change
    report = update([texts["a"], texts["b"]], outdir)
    assert report.unchanged == ["a", "b"] and not report.added and not report.replaced
    assert outputs(outdir) == before
    assert {name: (outdir / name).stat().st_mtime_ns for name in before} == mtimes


def test_update_replaces_a_changed_document(tmp_path, texts):
    outdir = tmp_path / "out"
    build([texts["a"], texts["b"]], outdir)
    texts["b"].write_text(B_CHANGED, encoding="utf-8")
    report = update([texts["b"]], outdir)
    assert report.replaced == ["b"]
    graph = graph_of(outdir)
    labels = {str(o) for o in graph.objects(None, SKOS.prefLabel)}
    assert "财政局" not in labels and "交通运输局" in labels
    tsv = (outdir / ASSIGNMENTS_FILE).read_text(encoding="utf-8")
    assert "经费保障" not in tsv and "道路保通" in tsv
    assert rows_by_doc(outdir) == {"a": 2, "b": 2}
    # the same as building the new text from scratch
    build([texts["a"], texts["b"]], tmp_path / "fresh")
    assert outputs(outdir) == outputs(tmp_path / "fresh")


def test_remove_takes_a_document_out_and_recomputes_shared_actors(tmp_path, texts):
    outdir = tmp_path / "out"
    build([texts["a"], texts["b"]], outdir)
    assert alt_labels(graph_of(outdir), "卫生健康委员会") == {"市卫健委", "卫健委"}
    report = remove(outdir, ["b"])
    assert report.removed == ["b"] and report.graph_documents == 1
    graph = graph_of(outdir)
    assert alt_labels(graph, "卫生健康委员会") == {"市卫健委"}  # 卫健委 was b's surface form
    assert not set(graph.subjects(SKOS.prefLabel, Literal("财政局", lang="zh")))  # only b named it
    assert rows_by_doc(outdir) == {"a": 2}
    build([texts["a"]], tmp_path / "only-a")
    assert outputs(outdir) == outputs(tmp_path / "only-a")


def test_remove_unknown_document_is_an_error_that_changes_nothing(tmp_path, texts):
    outdir = tmp_path / "out"
    build([texts["a"]], outdir)
    before = outputs(outdir)
    with pytest.raises(KgraphError, match="no document nope in the graph .its documents: a"):
        remove(outdir, ["nope"])
    with pytest.raises(KgraphError, match="not a `kgraph build` output folder"):
        remove(tmp_path / "elsewhere", ["a"])
    assert outputs(outdir) == before


def test_same_name_in_two_folders_and_update_of_one(tmp_path):
    for folder, text in (("2023", A), ("2024", B)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notice.txt").write_text(text, encoding="utf-8")
    outdir = tmp_path / "out"
    build([tmp_path / "2023", tmp_path / "2024"], outdir)
    assert rows_by_doc(outdir) == {"notice": 2, "notice~2024": 2}
    (tmp_path / "2024" / "notice.txt").write_text(B_CHANGED, encoding="utf-8")
    report = update([tmp_path / "2024" / "notice.txt"], outdir)
    assert report.replaced == ["notice~2024"]
    assert "道路保通" in (outdir / ASSIGNMENTS_FILE).read_text(encoding="utf-8")
    assert rows_by_doc(outdir) == {"notice": 2, "notice~2024": 2}


def test_keep_going_builds_the_rest_and_strict_writes_nothing(tmp_path, texts):
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    outdir = tmp_path / "out"
    report = build([tmp_path / "in"], outdir)
    assert [str(f) for f in report.failures] == [f"{tmp_path / 'in' / 'empty.txt'}: the file is empty"]
    assert report.documents == 3 and rows_by_doc(outdir).keys() == {"a", "b", "tasks"}
    before = outputs(outdir)
    texts["a"].write_text(B_CHANGED, encoding="utf-8")
    with pytest.raises(KgraphError, match="empty.txt: the file is empty .--strict: stopped, nothing written."):
        build([tmp_path / "in"], outdir, BuildOptions(keep_going=False))
    assert outputs(outdir) == before


def test_failed_build_leaves_previous_outputs_intact(tmp_path, texts, monkeypatch):
    import kgraph.atomic

    outdir = tmp_path / "out"
    build([texts["a"]], outdir)
    (outdir / "graph.html").write_bytes(b"<html>old view</html>")  # an output written by another writer
    before = outputs(outdir)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    # graph.ttl is written into the staging folder, then the next output fails
    monkeypatch.setattr(kgraph.atomic, "atomic_write_text", disk_full)
    with pytest.raises(OSError):
        build([texts["a"], texts["b"]], outdir)
    monkeypatch.undo()
    assert outputs(outdir) == before
    assert (outdir / "graph.html").read_bytes() == b"<html>old view</html>"
    assert not [name for name in os.listdir(outdir) if name.startswith(STAGING_PREFIX)]  # staging folder gone


def test_interrupted_build_and_update_leave_previous_outputs_intact(tmp_path, texts, monkeypatch):
    from kgraph.extract import Extractor

    outdir = tmp_path / "out"
    build([texts["a"]], outdir)
    before = outputs(outdir)
    original = Extractor.extract

    def interrupted(self, document):
        if document.doc_id == "tasks":
            raise KeyboardInterrupt
        return original(self, document)

    monkeypatch.setattr(Extractor, "extract", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build([texts["a"], texts["b"], texts["tasks"]], outdir)
    with pytest.raises(KeyboardInterrupt):
        update([texts["b"], texts["tasks"]], outdir)
    assert outputs(outdir) == before


def test_extractor_bug_is_a_failure_of_that_file(tmp_path, texts, monkeypatch):
    from kgraph.extract import Extractor

    original = Extractor.extract

    def buggy(self, document):
        if document.doc_id == "b":
            raise IndexError("list index out of range")
        return original(self, document)

    monkeypatch.setattr(Extractor, "extract", buggy)
    report = build([texts["a"], texts["b"]], tmp_path / "out")
    (failure,) = report.failures
    assert str(failure).startswith(f"{texts['b']}: extraction failed (IndexError: list index out of range)")
    assert rows_by_doc(tmp_path / "out") == {"a": 2}


def test_cli_exit_codes_summary_update_and_remove(tmp_path, texts):
    runner = CliRunner()
    outdir = str(tmp_path / "out")
    ok = runner.invoke(main, ["build", str(texts["a"]), "-o", outdir])
    assert ok.exit_code == 0, ok.output
    assert ok.stderr.strip().splitlines() == [
        "kgraph build: 1 documents, 3 sentences, 2 assignments, 2 actors, 2 measures, 0 failed"]

    (tmp_path / "in" / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    partial = runner.invoke(main, ["build", "--update", outdir, str(texts["b"]), str(tmp_path / "in" / "scan.pdf")])
    assert partial.exit_code == 2
    lines = partial.stderr.strip().splitlines()
    assert lines[0].startswith(f"error: {tmp_path / 'in' / 'scan.pdf'}: ")
    assert lines[1].startswith("kgraph build --update: 1 added; ") and "1 failed" in lines[1]

    strict = runner.invoke(main, ["build", "--strict", str(texts["a"]), str(tmp_path / "in" / "scan.pdf"),
                                  "-o", outdir])
    assert strict.exit_code == 1 and "--strict: stopped, nothing written" in strict.stderr
    assert rows_by_doc(Path(outdir)) == {"a": 2, "b": 2}

    nothing = runner.invoke(main, ["build", str(tmp_path / "in" / "scan.pdf"), "-o", outdir])
    assert nothing.exit_code == 1
    assert nothing.stderr.splitlines()[-1] == "Error: no document could be read (1 failed)"

    removed = runner.invoke(main, ["remove", outdir, "b"])
    assert removed.exit_code == 0 and "1 removed" in removed.stderr
    unknown = runner.invoke(main, ["remove", outdir, "b"])
    assert unknown.exit_code == 1 and "no document b" in unknown.stderr
    assert rows_by_doc(Path(outdir)) == {"a": 2}


def test_progress_lines_and_bar(tmp_path, texts):
    from kgraph.progress import BarProgress, LineProgress, for_terminal

    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    stream = io.StringIO()
    assert type(for_terminal(stream)) is LineProgress  # not a terminal: no bar
    build([tmp_path / "in"], tmp_path / "out", BuildOptions(progress=for_terminal(stream)))
    assert stream.getvalue() == f"error: {tmp_path / 'in' / 'empty.txt'}: the file is empty\n"

    terminal = io.StringIO()
    progress = for_terminal(terminal, bar=True)
    assert isinstance(progress, BarProgress)
    build([tmp_path / "in"], tmp_path / "out2", BuildOptions(progress=progress))
    assert "empty.txt: the file is empty" in terminal.getvalue()


def test_staged_outputs_replace_files_and_folders_all_or_nothing(tmp_path):
    from kgraph.pipeline import staged_outputs

    outdir = tmp_path / "out"
    (outdir / "store").mkdir(parents=True)
    (outdir / "store" / "old.db").write_text("old", encoding="utf-8")
    (outdir / "graph.ttl").write_text("old graph", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with staged_outputs(outdir) as folder:
            (folder / "graph.ttl").write_text("new graph", encoding="utf-8")
            raise RuntimeError("a writer failed")
    assert (outdir / "graph.ttl").read_text(encoding="utf-8") == "old graph"
    with staged_outputs(outdir) as folder:
        (folder / "graph.ttl").write_text("new graph", encoding="utf-8")
        (folder / "store").mkdir()
        (folder / "store" / "new.db").write_text("new", encoding="utf-8")
    assert (outdir / "graph.ttl").read_text(encoding="utf-8") == "new graph"
    assert sorted(p.name for p in (outdir / "store").iterdir()) == ["new.db"]
    assert sorted(os.listdir(outdir)) == ["graph.ttl", "store"]
