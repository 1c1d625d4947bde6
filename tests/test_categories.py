"""Measure categories: the SKOS scheme, keyword rules as data, dcterms:subject in the graph, user files."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import write_text
from kgraph.categories import CategoryError, load_scheme, parse_rules, parse_scheme
from kgraph.cli import main

REQUIRED = ("监测排查", "隔离管控", "医疗救治", "物资保障", "宣传引导", "舆情管理", "督查问责", "组织领导", "复工复产",
            "安全生产", "市场监管", "资金保障", "学习贯彻", "防汛抗旱", "森林防火", "河湖治理", "生态环保", "应急处置",
            "交通运输", "教育", "民生保障")

MY_SCHEME = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix my: <https://example.org/cat/> .
my:scheme a skos:ConceptScheme ; skos:prefLabel "我的分类"@zh .
my:water a skos:Concept ; skos:inScheme my:scheme ; skos:notation "A" ; skos:prefLabel "水务"@zh .
my:money a skos:Concept ; skos:inScheme my:scheme ; skos:notation "B" ; skos:prefLabel "钱"@zh .
"""
MY_RULES = "# my rules\ncategory\tkeyword\n水务\t河道\nB\t经费\n"


@pytest.fixture(scope="module")
def scheme():
    return load_scheme()


def labels(categories) -> list[str]:
    return [c.label for c in categories]


def test_bundled_scheme_covers_policy_domains_and_every_category_has_keywords(scheme):
    names = labels(scheme.categories)
    assert set(REQUIRED) <= set(names)
    assert {rule.category.label for rule in scheme.rules} == set(names)
    assert all(c.iri.startswith("https://w3id.org/kgraph/category/") for c in scheme.categories)
    assert [c.notation for c in scheme.categories] == sorted(c.notation for c in scheme.categories)


@pytest.mark.parametrize("measure, expected", [
    ("完善河湖监测体系", ["监测排查", "河湖治理"]),
    ("负责疫情防控工作所需经费的保障工作", ["资金保障", "疫情防控"]),
    ("落实人员管控", ["隔离管控"]),
    ("加强汛前检查和隐患排查", ["监测排查", "督查问责", "安全生产", "防汛抗旱"]),
    ("严禁携带火种进山入林", ["森林防火"]),
    ("讲得都很好", []),
])
def test_measures_get_several_categories_or_none_in_scheme_order(scheme, measure, expected):
    assert labels(scheme.categorise(measure)) == expected


def test_matching_ignores_full_width_forms(scheme):
    # NFKC: full-width letters and digits match like half-width ones
    assert labels(scheme.categorise("开展ＧＤＰ统计")) == labels(scheme.categorise("开展GDP统计"))


def test_sample_graph_carries_categories_with_labels(sample_build):
    from kgraph.query import select
    from kgraph.store import open_store

    rows = select(open_store(sample_build[0]), """
        SELECT ?measure ?category WHERE {
          ?m a kg:Measure ; rdfs:label ?measure ; dcterms:subject ?c .
          ?c a skos:Concept ; skos:prefLabel ?category ; skos:inScheme ?scheme .
          ?scheme a skos:ConceptScheme .
          FILTER(LANG(?category) = "zh")
        }""").dicts()
    pairs = {(r["measure"], r["category"]) for r in rows}
    assert any("经费" in m and c == "资金保障" for m, c in pairs)
    assert any("人员管控" in m and c == "隔离管控" for m, c in pairs)


def test_document_triples_are_deterministic_and_name_each_concept_once(scheme):
    from kgraph.graph import document_triples
    from kgraph.model import Assignment, Document, DocumentResult
    from rdflib.namespace import DCTERMS, RDF, SKOS

    text = "市水利局负责河道清淤。市财政局负责河道经费。"
    document = Document("d", text, "d.txt", "标题", "sha256:" + "0" * 64)
    result = DocumentResult(document, 2, [
        Assignment("d", "市水利局", "responsible", "河道清淤", "市水利局负责河道清淤。", 0, 11, canonical_actor="水利局"),
        Assignment("d", "市财政局", "responsible", "河道经费", "市财政局负责河道经费。", 11, 22, canonical_actor="财政局"),
        Assignment("d", "市城管局", "support", "河道清淤", "市水利局负责河道清淤。", 0, 11, canonical_actor="城管局"),
    ])
    first, second = list(document_triples(result, scheme)), list(document_triples(result, scheme))
    assert first == second
    subjects = [(s, o) for s, p, o in first if p == DCTERMS.subject]
    assert len(subjects) == len(set(subjects)) == 3  # 河湖治理 twice, 资金保障 once; no repeats for the same measure
    concepts = [s for s, p, o in first if p == RDF.type and o == SKOS.Concept]
    assert len(concepts) == len(set(concepts)) == 2


def test_shapes_require_a_chinese_label_on_each_category(sample_graph):
    from rdflib import URIRef
    from rdflib.namespace import SKOS

    from kgraph.validate import validate_graph

    graph = sample_graph.__class__()
    for triple in sample_graph:
        graph.add(triple)
    concept = URIRef("https://w3id.org/kgraph/category/funding")
    graph.remove((concept, SKOS.prefLabel, None))
    messages = {v.message for v in validate_graph(graph).violations}
    assert "a measure category must carry exactly one skos:prefLabel tagged @zh in the graph" in messages


# ---------------------------------------------------------------- the user's files

def test_user_scheme_and_rules_replace_the_bundled_ones(tmp_path):
    custom = load_scheme([write_text(tmp_path, "my.ttl", MY_SCHEME), write_text(tmp_path, "my.tsv", MY_RULES)])
    assert labels(custom.categories) == ["水务", "钱"]
    assert labels(custom.categorise("保障河道整治经费")) == ["水务", "钱"]
    assert labels(custom.categorise("完善河湖监测体系")) == []


def test_user_rules_alone_use_the_bundled_scheme(tmp_path):
    rules = load_scheme([write_text(tmp_path, "r.tsv", "category\tkeyword\n河湖治理\t水\n")])
    assert labels(rules.categorise("保护水源")) == ["河湖治理"]
    assert labels(rules.categorise("完善河湖监测体系")) == []


@pytest.mark.parametrize("text, message", [
    ("河湖治理\t河道\n", "r.tsv:1: expected the header row category<TAB>keyword"),
    ("category\tkeyword\n# c\n河湖治理\t河道\textra\n", "r.tsv:3: expected category<TAB>keyword, got 3 column(s)"),
    ("category\tkeyword\n河湖\t河道\n", "r.tsv:2: unknown category '河湖'; the scheme has 监测排查、"),
    ("category\tkeyword\n河湖治理\t\n", "r.tsv:2: empty keyword"),
    ("category\tkeyword\n河湖治理\t河 道\n", "r.tsv:2: keyword '河 道' contains a space"),
    ("category\tkeyword\n河湖治理\t河道\n\n16\t河道\n", "r.tsv:4: duplicate rule 16<TAB>河道 (first at line 2)"),
])
def test_rule_errors_name_file_and_line(scheme, text, message):
    with pytest.raises(CategoryError) as caught:
        parse_rules(text, "r.tsv", scheme.categories)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("text, message", [
    ("this is not turtle", "s.ttl: cannot parse as Turtle"),
    ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> . <a:x> a skos:Concept .",
     "s.ttl: expected one skos:ConceptScheme, found 0"),
    (MY_SCHEME.replace('skos:prefLabel "钱"@zh', 'skos:prefLabel "money"@en'),
     "s.ttl: concept <https://example.org/cat/money> needs exactly one skos:prefLabel tagged @zh, found 0"),
])
def test_scheme_errors_name_the_file(text, message):
    with pytest.raises(CategoryError) as caught:
        parse_scheme(text, "s.ttl")
    assert str(caught.value).startswith(message)


def test_file_errors(tmp_path):
    with pytest.raises(CategoryError, match="nothere.tsv: categories file not found"):
        load_scheme([str(tmp_path / "nothere.tsv")])
    with pytest.raises(CategoryError, match="needs its own keyword rules"):
        load_scheme([write_text(tmp_path, "only.ttl", MY_SCHEME)])
    with pytest.raises(CategoryError, match=r"a SKOS scheme \(\.ttl\) or keyword rules \(\.tsv\)"):
        load_scheme([write_text(tmp_path, "rules.csv", MY_RULES)])
    (tmp_path / "gbk.tsv").write_bytes("category\tkeyword\n河湖治理\t河道\n".encode("gbk"))
    with pytest.raises(CategoryError, match="gbk.tsv: not UTF-8"):
        load_scheme([str(tmp_path / "gbk.tsv")])


def test_cli_build_with_own_categories(tmp_path):
    text = write_text(tmp_path, "plan.txt", "（一）开展河道清淤整治（市水利局牵头，市财政局配合，保障经费）。\n")
    scheme_file = write_text(tmp_path, "my.ttl", MY_SCHEME)
    rules_file = write_text(tmp_path, "my.tsv", MY_RULES)
    outdir = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(text), "-o", str(outdir), "--no-progress",
                                       "--categories", str(scheme_file), "--categories", str(rules_file)])
    assert result.exit_code == 0, result.output
    graph = (outdir / "graph.ttl").read_text(encoding="utf-8")
    assert "https://example.org/cat/water" in graph and '"水务"@zh' in graph
    assert "w3id.org/kgraph/category/" not in graph
    bad = write_text(tmp_path, "bad.tsv", "category\tkeyword\n没有这类\t河道\n")
    result = CliRunner().invoke(main, ["build", str(text), "-o", str(outdir), "--categories", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2: unknown category '没有这类'" in result.output
