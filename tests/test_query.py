"""`kgraph query` and kgraph.query: named queries, parameters, output formats, errors.

Facts come from the sample corpus build (conftest.sample_build) and from a small
task-division text written here, built with the library as `kgraph build` does.
"""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.model import KgraphError
from kgraph.query import answer, display_width, named_queries, run_query
from kgraph.store import open_store

WATER_PLAN = """关于河道整治的工作方案
一、加强河道整治（市水利局牵头，市生态环境局配合）。
二、市卫健委负责做好饮用水卫生监测工作。
三、市财政局要保障整治经费，2024年底前完成。
"""


@pytest.fixture(scope="session")
def small_build(tmp_path_factory):
    from kgraph.pipeline import build

    folder = tmp_path_factory.mktemp("water-text")
    (folder / "010_water.txt").write_text(WATER_PLAN, encoding="utf-8")
    outdir = tmp_path_factory.mktemp("water-build")
    build([folder / "010_water.txt"], outdir)
    return outdir


@pytest.fixture(scope="session")
def sample_store(sample_build):
    with open_store(sample_build[0]) as store:
        yield store


@pytest.fixture(scope="session")
def small_store(small_build):
    with open_store(small_build) as store:
        yield store


def rows(store, named, **params):
    return run_query(store, named=named, params=params).dicts()


# ---------------------------------------------------------------- the named queries

def test_every_named_query_is_described_and_its_parameters_have_placeholders():
    queries = named_queries()
    assert {"actor-measures", "measure-actors", "measures-without-lead", "measures-without-actor",
            "shared-measures", "workload", "deadlines", "actors"} <= set(queries)
    for query in queries.values():
        assert query.description, query.name
        for param in query.params:
            assert re.search(rf"VALUES\s+\?{param.variable}\s*\{{\s*UNDEF\s*\}}", query.text), (query.name, param)


def test_list_shows_names_descriptions_and_parameters():
    result = CliRunner().invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    for query in named_queries().values():
        assert query.name in result.output and query.description in result.output
    assert "--param actor=" in result.output


def test_measures_of_an_actor_with_role_and_evidence(sample_store):
    found = rows(sample_store, "actor-measures", actor="公安局")
    assert any("人员管控" in r["measure"] and r["role"] == "负责" for r in found), found
    assert all(r["actor"] == "公安局" and r["evidence"] and r["document"] == "000_d3b6136d7093a85b" for r in found)


def test_an_actor_is_found_by_canonical_name_and_by_the_form_in_the_text(sample_store):
    by_surface = rows(sample_store, "actor-measures", actor="卫健委")
    by_canonical = rows(sample_store, "actor-measures", actor="卫生健康委员会")
    assert by_surface and by_surface == by_canonical
    assert {r["actor"] for r in by_surface} == {"卫生健康委员会"}


def test_supervisor_and_support_roles_in_the_sample(sample_store):
    supervised = rows(sample_store, "actor-measures", actor="市委市政府督查局")
    assert any("督促有关县区" in r["measure"] and r["role"] == "督导" for r in supervised), supervised
    supplies = rows(sample_store, "measure-actors", measure="储备和供应")
    assert any("财政部门" in (r["supported_by"] or "") and "卫生健康委员会" in (r["responsible_by"] or "")
               for r in supplies), supplies


def test_actors_of_a_measure_by_role(small_store):
    (river,) = rows(small_store, "measure-actors", measure="河道整治")
    assert river["measure"] == "加强河道整治"
    assert river["lead_by"] == "水利局" and river["supported_by"] == "生态环境局"
    assert not river["responsible_by"] and not river["supervised_by"]


def test_measures_without_a_lead(small_store):
    measures = {r["measure"]: r["actors"] for r in rows(small_store, "measures-without-lead")}
    assert measures.get("保障整治经费") == "财政局"
    assert "加强河道整治" not in measures  # 市水利局牵头


def test_measures_without_any_actor(tmp_path):
    graph = tmp_path / "hand-edited.ttl"
    graph.write_text("""
@prefix kg: <https://w3id.org/kgraph/ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix prov: <http://www.w3.org/ns/prov#> .
<urn:d1> a kg:Document ; dcterms:identifier "d1" .
<urn:d2> a kg:Document ; dcterms:identifier "d2" .
<urn:m1> a kg:Measure ; rdfs:label "无人负责的措施"@zh ; kg:inDocument <urn:d1> .
<urn:m2> a kg:Measure ; rdfs:label "有人负责的措施"@zh ; kg:inDocument <urn:d1> ; prov:qualifiedAssociation <urn:a> .
<urn:a> prov:agent <urn:x> .
<urn:m3> a kg:Measure ; rdfs:label "另一文件的措施"@zh ; kg:inDocument <urn:d2> .
""", encoding="utf-8")
    found = [(r["document"], r["measure"]) for r in run_query(graph, named="measures-without-actor").dicts()]
    assert found == [("d1", "无人负责的措施"), ("d2", "另一文件的措施")]
    only_d2 = run_query(graph, named="measures-without-actor", params={"document": "d2"}).dicts()
    assert [r["measure"] for r in only_d2] == ["另一文件的措施"]


def test_actors_sharing_measures(small_store):
    pairs = {(r["actor"], r["other"]): r for r in rows(small_store, "shared-measures", actor="市水利局")}
    assert set(pairs) == {("水利局", "生态环境局")}
    assert pairs["水利局", "生态环境局"]["shared"] == "1"
    assert pairs["水利局", "生态环境局"]["for_example"] == "加强河道整治"


def test_workload_counts_roles_per_document(small_store):
    load = {r["actor"]: r for r in rows(small_store, "workload")}
    assert load["水利局"]["lead"] == "1" and load["水利局"]["total"] == "1"
    assert load["生态环境局"]["support"] == "1"
    assert load["财政局"]["responsible"] == load["财政局"]["total"]
    assert {r["document"] for r in load.values()} == {"010_water"}


def test_assignments_with_deadlines(small_store):
    found = rows(small_store, "deadlines")
    assert found and all(r["deadline"] == "2024年底前" and r["actor"] == "财政局" for r in found)
    assert rows(small_store, "deadlines", actor="水利局") == []


def test_actors_with_their_other_names(small_store):
    actors = {r["actor"]: r for r in rows(small_store, "actors")}
    assert "市卫健委" in actors["卫生健康委员会"]["also_written"]
    assert actors["水利局"]["kind"] == "机构"
    assert set(r["actor"] for r in rows(small_store, "actors", name="卫健委")) == {"卫生健康委员会"}


def test_both_engines_give_the_same_answers(sample_build):
    def normalised(table):
        # GROUP_CONCAT order is not defined; an empty group is "" in rdflib and unbound in oxigraph
        return sorted(tuple("、".join(sorted((v or "").split("、"))) for v in row.values()) for row in table.dicts())

    with open_store(sample_build[0], "oxigraph") as fast, open_store(sample_build[0], "rdflib") as slow:
        for name, query in named_queries().items():
            params = {"actor": "卫健委"} if any(p.required for p in query.params) else {}
            assert normalised(run_query(fast, named=name, params=params)) == \
                normalised(run_query(slow, named=name, params=params)), name


# ---------------------------------------------------------------- parameters are terms, not text

def test_parameter_values_cannot_change_the_query(small_store):
    hostile = '"} } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'
    assert rows(small_store, "measure-actors", measure=hostile) == []
    with pytest.raises(KgraphError, match="no actor is named"):
        rows(small_store, "actor-measures", actor=hostile)


def test_unknown_actor_suggests_names(sample_store):
    with pytest.raises(KgraphError, match="did you mean: .*公安局"):
        rows(sample_store, "actor-measures", actor="公安")


def test_unknown_and_missing_parameters(small_store):
    with pytest.raises(KgraphError, match="needs --param actor="):
        run_query(small_store, named="actor-measures")
    with pytest.raises(KgraphError, match="no parameter 'who'.*actor"):
        run_query(small_store, named="workload", params={"who": "水利局"})
    with pytest.raises(KgraphError, match="no document has the id or title nope"):
        run_query(small_store, named="workload", params={"document": "nope"})


def test_a_query_file_declares_its_own_parameters(small_build, tmp_path):
    rq = tmp_path / "lead.rq"
    rq.write_text("# Who leads what\n# param who ?agent actor required: the actor\n"
                  "SELECT ?m WHERE { VALUES ?agent { UNDEF } ?agent kg:leads/rdfs:label ?m }\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(small_build), "-f", str(rq), "--param", "who=市水利局",
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["m", "加强河道整治"]


# ---------------------------------------------------------------- output formats

def test_json_is_sparql_results_json(small_build):
    data = json.loads(answer(small_build, named="measure-actors", params=["measure=河道整治"], fmt="json"))
    assert data["head"]["vars"] == ["document", "measure", "lead_by", "responsible_by", "supported_by",
                                    "supervised_by"]
    (binding,) = data["results"]["bindings"]
    assert binding["measure"] == {"type": "literal", "value": "加强河道整治", "xml:lang": "zh"}
    assert binding["lead_by"]["type"] == "literal" and binding["lead_by"]["value"] == "水利局"
    assert binding["responsible_by"]["value"] == ""  # no actor in that role
    ask = json.loads(answer(small_build, "ASK { ?a skos:prefLabel '水利局'@zh }", fmt="json"))
    assert ask == {"head": {}, "boolean": True}


def test_csv_and_tsv_are_sparql_results(small_build):
    text = answer(small_build, "SELECT ?a ?n WHERE { ?a skos:prefLabel ?n FILTER(?n = '水利局'@zh) }", fmt="csv")
    (header, row) = list(csv.reader(io.StringIO(text)))
    assert header == ["a", "n"] and row[0].startswith("https://w3id.org/kgraph/id/actor/") and row[1] == "水利局"
    assert text.endswith("\r\n")
    tsv = answer(small_build, named="workload", params=["actor=水利局"], fmt="tsv").splitlines()
    assert tsv[0].split("\t")[:3] == ["?actor", "?document", "?lead"]
    assert tsv[1].split("\t")[:3] == ['"水利局"@zh', '"010_water"', "1"]


def test_table_columns_line_up_with_chinese_text(small_build):
    lines = answer(small_build, named="actor-measures", params=["actor=财政局"]).splitlines()
    header, rule, *body, footer = lines
    starts = [m.start() for m in re.finditer(r"(?<=  )\S", rule)]
    for line in [header] + body:
        for start in starts:  # the display column where each later column begins
            prefix = line[:_index_at_width(line, display_width(rule[:start]))]
            assert display_width(prefix) == display_width(rule[:start]), line
    assert footer == f"({len(body)} rows)"
    assert display_width("卫健委ab") == 8


def _index_at_width(text: str, width: int) -> int:
    total = 0
    for i, char in enumerate(text):
        if total >= width:
            return i
        total += display_width(char)
    return len(text)


# ---------------------------------------------------------------- errors on the command line

def run_cli(*args):
    result = CliRunner().invoke(main, ["query", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_syntax_error_is_one_line_with_its_position(small_build, engine):
    code, output = run_cli(str(small_build), "SELECT ?x WHERE {\n  ?x ?y \n}", "--engine", engine)
    assert code == 1 and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1
    assert re.search(r"line [23], column \d+: SPARQL syntax error", output), output


def test_unknown_prefix_says_which_are_predeclared(small_build):
    code, output = run_cli(str(small_build), "SELECT ?x WHERE { ?x foaf:name ?y }")
    assert code == 1 and "unknown prefix" in output and "kg:" in output


def test_syntax_error_in_a_file_names_the_file(small_build, tmp_path):
    rq = tmp_path / "broken.rq"
    rq.write_text("# broken\nSELECT ?x\nWHERE { ?x ?y ?z FILTER(?x = ) }\n", encoding="utf-8")
    code, output = run_cli(str(small_build), "-f", str(rq))
    assert code == 1 and f"{rq}, line 3" in output


def test_unknown_named_query_lists_the_named_ones(small_build):
    code, output = run_cli(str(small_build), "--named", "who-does-what")
    assert code == 1 and "actor-measures" in output and "workload" in output


def test_missing_or_unparseable_graph_says_which_file_and_why(tmp_path):
    code, output = run_cli(str(tmp_path / "nowhere.ttl"), "--named", "actors")
    assert code == 1 and "nowhere.ttl: no such graph file" in output
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    code, output = run_cli(str(bad), "--named", "actors")
    assert code == 1 and "bad.ttl: cannot parse as turtle" in output and "Traceback" not in output
    code, output = run_cli(str(tmp_path), "--named", "actors")
    assert code == 1 and "has no graph.ttl" in output


def test_no_query_or_two_queries(small_build):
    code, output = run_cli(str(small_build))
    assert code == 1 and "no query given" in output
    code, output = run_cli(str(small_build), "ASK {}", "--named", "actors")
    assert code == 1 and "give one query" in output
