"""`kgraph build` end to end on the sample corpus: specific facts, SHACL, determinism."""
from __future__ import annotations

import subprocess
import sys

from rdflib import Graph
from rdflib.compare import isomorphic

from kgraph.pipeline import build

QUERY_MEASURES_OF = """
PREFIX kg: <https://w3id.org/kgraph/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?measure ?role WHERE {
  ?actor skos:prefLabel|skos:altLabel ?name .
  FILTER(STR(?name) = "%s")
  ?a prov:agent ?actor ; prov:hadRole ?role ; kg:measure ?m .
  ?m rdfs:label ?measure .
}
"""


def measures_of(graph: Graph, actor: str) -> set[tuple[str, str]]:
    return {(str(m), str(r).rsplit("#", 1)[-1]) for m, r in graph.query(QUERY_MEASURES_OF % actor)}


def test_public_security_bureau_carries_personnel_control(sample_graph):
    measures = measures_of(sample_graph, "公安局")
    assert any("人员管控" in m and role == "Responsible" for m, role in measures), measures


def test_finance_bureau_carries_funding(sample_graph):
    assert any("经费" in m for m, _ in measures_of(sample_graph, "财政局"))


def test_inspection_bureau_leads(sample_graph):
    measures = measures_of(sample_graph, "市委市政府督查局")
    assert any("征集" in m and role == "Lead" for m, role in measures), measures


def test_support_partner_gets_support_role(sample_graph):
    # 卫健委要与财政部门配合，做好防护用品…的储备和供应
    measures = measures_of(sample_graph, "财政部门")
    assert any("储备和供应" in m and role == "Support" for m, role in measures), measures


def test_alias_and_canonical_name(sample_graph):
    # 卫健委 is the canonical 卫生健康委员会, with the surface form kept as an alternative label
    from rdflib.namespace import SKOS
    from rdflib import Literal

    actors = set(sample_graph.subjects(SKOS.prefLabel, Literal("卫生健康委员会", lang="zh")))
    assert len(actors) == 1
    alt = {str(o) for o in sample_graph.objects(next(iter(actors)), SKOS.altLabel)}
    assert "卫健委" in alt


def test_built_graph_passes_shacl(sample_graph):
    from kgraph.validate import validate_graph

    report = validate_graph(sample_graph)
    assert report.conforms, [str(v) for v in report.violations[:5]]


def test_shacl_reports_a_broken_assignment_in_plain_words(sample_graph):
    from rdflib.namespace import PROV
    from kgraph.validate import validate_graph
    from kgraph.namespace import KG
    from rdflib.namespace import RDF

    broken = Graph()
    for triple in sample_graph:
        broken.add(triple)
    assignment = next(broken.subjects(RDF.type, KG.Assignment))
    broken.remove((assignment, PROV.hadRole, None))
    report = validate_graph(broken)
    assert not report.conforms
    assert any("exactly one role" in v.message for v in report.violations)


def test_building_twice_gives_isomorphic_graphs(tmp_path, sample_path, sample_graph):
    build([sample_path], tmp_path / "again")
    again = Graph().parse(tmp_path / "again" / "graph.ttl", format="turtle")
    assert isomorphic(sample_graph, again)
    # IRIs are content-derived, so even the plain triple sets are equal
    assert set(sample_graph) == set(again)


def test_assignments_tsv_has_offsets_into_the_file(sample_build, sample_path):
    outdir, _ = sample_build
    text = sample_path.read_text(encoding="utf-8")
    lines = (outdir / "assignments.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    assert header[:7] == ["doc", "actor", "role", "measure", "evidence", "start", "end"]
    for line in lines[1:50]:
        row = dict(zip(header, line.split("\t")))
        start, end = int(row["start"]), int(row["end"])
        assert text[start:end].replace("\n", "") == row["evidence"]
        assert row["actor"] in text[start:end] or row["actor"] in text


def test_cli_build_with_no_input_uses_the_bundled_corpus(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "kgraph.cli", "build", "-o", str(out)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (out / "graph.ttl").stat().st_size > 10_000
    assert "1 documents" in done.stderr


def test_cli_validate(sample_build):
    outdir, _ = sample_build
    done = subprocess.run([sys.executable, "-m", "kgraph.cli", "validate", str(outdir)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "conforms" in done.stdout


def test_cli_missing_input_is_one_line_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kgraph.cli", "build", str(tmp_path / "nope.txt"),
                           "-o", str(tmp_path / "o")], capture_output=True, text=True)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "nope.txt" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_one_body_named_twice_in_a_sentence_builds(tmp_path):
    """市财政局 … 财政局 in one sentence: one assignment per body and role; 市/县 bodies stay apart."""
    source = tmp_path / "notice.txt"
    source.write_text("关于做好经费保障工作的通知\n市财政局牵头，市发改局、县发改局配合，做好经费保障工作，财政局负责资金拨付。\n",
                      encoding="utf-8")
    report = build([source], tmp_path / "out")
    assert report.documents == 1
    rows = (tmp_path / "out" / "assignments.tsv").read_text(encoding="utf-8").splitlines()[1:]
    canonical = {(r.split("\t")[9], r.split("\t")[2]) for r in rows}
    assert ("市发展和改革局", "support") in canonical and ("县发展和改革局", "support") in canonical
