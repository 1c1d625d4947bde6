"""Responsibility matrices (kgraph matrix, OUTDIR/matrix.xlsx): layouts, formats, filters, checks."""
from __future__ import annotations

import codecs
import csv
import hashlib

import pytest
from click.testing import CliRunner

from conftest import write_text
from kgraph.cli import main
from kgraph.matrix import MatrixOptions, export_matrix
from kgraph.matrix_formats import display_width

SHEETS = ["责任分工表", "责任矩阵", "主体文件汇总", "待核查问题", "说明"]
TASK_HEADER = ["序号", "重点任务", "牵头单位", "责任单位", "配合单位", "督导单位", "完成时限", "来源", "分类"]

RIVER_TITLE = "2023年河湖治理重点任务分工方案"
RIVER = f"""{RIVER_TITLE}
一、重点任务
（一）完善河湖监测体系（市水利局牵头，市生态环境局、市自然资源局配合，2023年底前完成）。
（二）开展河道清淤整治（市水利局、市城管局负责，市财政局配合，2023年6月底前完成）。
（三）加强防汛物资储备（市应急管理局牵头，市发展改革委、市财政局配合）。
（四）严厉打击非法采砂（市水利局牵头，市公安局牵头，市交通运输局配合）。
（五）加强河湖长制落实情况督导（市委督查室督导，各区政府负责）。
（六）做好河湖保护宣传（市委宣传部配合）。
"""


# ---------------------------------------------------------------- helpers

def sheet_rows(path, title):
    from openpyxl import load_workbook

    sheet = load_workbook(path)[title]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def as_dicts(rows):
    header, *body = rows
    return [dict(zip(header, row)) for row in body]


def row_with(rows, column, text):
    found = [row for row in as_dicts(rows) if text in str(row[column])]
    assert found, f"no row with {text!r} in {column}"
    return found[0]


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def doc_result(doc_id, title, assignments, sentences=1):
    """A DocumentResult made directly from Assignment tuples (actor, role, measure, kind), no extractor."""
    from kgraph.model import Assignment, Document, DocumentResult

    text = "。".join(f"{actor}{measure}" for actor, _, measure, _ in assignments) + "。"
    document = Document(doc_id, text, f"{doc_id}.txt", title, "sha256:" + hashlib.sha256(text.encode()).hexdigest())
    made, start = [], 0
    for actor, role, measure, kind in assignments:
        evidence = f"{actor}{measure}。"
        made.append(Assignment(doc_id, actor, role, measure, evidence, start, start + len(evidence),
                               canonical_actor=actor, actor_kind=kind))
        start += len(evidence)
    return DocumentResult(document, sentences, made)


def store_of(*results):
    from kgraph.graph import build_graph
    from kgraph.store import MemoryStore

    return MemoryStore(build_graph(results))


@pytest.fixture(scope="module")
def river_build(tmp_path_factory):
    """`kgraph build` of a purpose-made task-division text (library call, as the CLI does)."""
    from kgraph.pipeline import build

    folder = tmp_path_factory.mktemp("river")
    path = write_text(folder, "river.txt", RIVER)
    outdir = folder / "out"
    build([path], outdir)
    return outdir


@pytest.fixture(scope="module")
def river_xlsx(river_build, tmp_path_factory):
    path = tmp_path_factory.mktemp("river-xlsx") / "river.xlsx"
    export_matrix(river_build, path)
    return path


# ---------------------------------------------------------------- the sample corpus (build writes matrix.xlsx)

def test_build_writes_matrix_with_one_sheet_per_layout(sample_build):
    from openpyxl import load_workbook

    outdir, report = sample_build
    path = outdir / "matrix.xlsx"
    assert report.outputs["matrix"] == path and path.exists()
    book = load_workbook(path)
    assert book.sheetnames == SHEETS
    tasks = book["责任分工表"]
    assert [c.value for c in tasks[1]] == TASK_HEADER
    assert tasks.freeze_panes == "A2"
    assert tasks.auto_filter.ref.startswith("A1:I")
    assert tasks["B2"].alignment.wrap_text
    assert book["责任矩阵"].freeze_panes == "B2"


def test_sample_task_table_lead_support_and_supervise_cells(sample_build):
    from kgraph.query import select
    from kgraph.store import open_store

    rows = sheet_rows(sample_build[0] / "matrix.xlsx", "责任分工表")
    led = set(select(open_store(sample_build[0]), """
        SELECT ?label WHERE { ?actor skos:prefLabel "市委市政府督查局"@zh ; kg:leads ?m . ?m rdfs:label ?label }
        """).column("label"))
    assert led
    for row in as_dicts(rows):
        assert ("市委市政府督查局" in row["牵头单位"].split("、")) == (row["重点任务"] in led), row
    supply = row_with(rows, "重点任务", "储备和供应")
    assert "财政部门" in supply["配合单位"].split("、")
    assert "卫生健康委员会" in supply["责任单位"].split("、")  # canonical name, not 卫健委
    assert "卫健委要与财政部门配合" in supply["来源"]
    assert "物资保障" in supply["分类"].split("、")
    urge = row_with(rows, "重点任务", "督促有关县区、单位尽快处理")
    assert urge["督导单位"] == "市委市政府督查局"
    numbers = [row["序号"] for row in as_dicts(rows)]
    assert numbers == list(range(1, len(numbers) + 1))


def test_sample_csv_is_the_task_table_in_utf8_with_bom(sample_build, tmp_path):
    path = tmp_path / "tasks.csv"
    report = export_matrix(sample_build[0], path)
    assert report.layouts == ["tasks"]
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    rows = read_csv(path)
    assert rows[0] == TASK_HEADER
    supply = row_with(rows, "重点任务", "储备和供应")
    assert "财政部门" in supply["配合单位"].split("、")
    police = row_with(rows, "重点任务", "人员管控")
    assert "公安局" in police["责任单位"]


def test_sample_matrix_rows_ordered_by_workload_with_totals(sample_build):
    rows = sheet_rows(sample_build[0] / "matrix.xlsx", "责任矩阵")
    header, *body = rows
    assert header[:7] == ["责任主体", "类型", "合计", "牵头", "负责", "配合", "督导"]
    data, totals = body[:-1], body[-1]
    workloads = [row[2] for row in data]
    assert workloads == sorted(workloads, reverse=True)
    assert totals[0] == "合计"
    assert totals[2] == sum(workloads)
    inspector = next(row for row in data if row[0] == "市委市政府督查局")
    column = next(i for i, name in enumerate(header) if "督促有关县区" in str(name))
    assert inspector[column] == "督导"


# ---------------------------------------------------------------- a purpose-made task-division text

def test_task_table_of_a_division_plan(river_xlsx):
    rows = sheet_rows(river_xlsx, "责任分工表")
    assert [row[1] for row in rows[1:]] == ["完善河湖监测体系", "开展河道清淤整治", "加强防汛物资储备",
                                           "严厉打击非法采砂", "加强河湖长制落实情况督导", "做好河湖保护宣传"]
    first = row_with(rows, "重点任务", "完善河湖监测体系")
    assert first["序号"] == 1
    assert first["牵头单位"] == "水利局"
    assert first["配合单位"] == "生态环境局、自然资源局"
    assert first["责任单位"] == "" and first["督导单位"] == ""
    assert first["完成时限"] == "2023年底前完成"
    assert first["来源"] == f"{RIVER_TITLE}：（一）完善河湖监测体系（市水利局牵头，市生态环境局、市自然资源局配合，2023年底前完成）。"
    assert first["分类"] == "监测排查、河湖治理"
    dredging = row_with(rows, "重点任务", "开展河道清淤整治")
    assert dredging["责任单位"] == "水利局、城市管理局"
    assert dredging["配合单位"] == "财政局"
    assert row_with(rows, "重点任务", "督导")["督导单位"] == "市委督查室"


def test_matrix_cells_are_roles(river_xlsx):
    header, *body = sheet_rows(river_xlsx, "责任矩阵")
    first = body[0]
    assert first[:7] == ["水利局", "机构", 3, 2, 1, "", ""]
    assert first[header.index("1. 完善河湖监测体系")] == "牵头"
    assert first[header.index("2. 开展河道清淤整治")] == "负责"
    finance = next(row for row in body if row[0] == "财政局")
    assert finance[header.index("3. 加强防汛物资储备")] == "配合"
    assert body[-1][header.index("1. 完善河湖监测体系")] == 3  # actors on that measure


def test_matrix_by_category_with_letters(river_build, tmp_path):
    path = tmp_path / "by-category.xlsx"
    export_matrix(river_build, path, MatrixOptions(by="category", letters=True, layouts=["matrix"]))
    header, *body = sheet_rows(path, "责任矩阵")
    assert header[3:7] == ["L", "R", "S", "V"]
    water = next(row for row in body if row[0] == "水利局")
    assert water[header.index("河湖治理")] == "L2、R1"
    assert "未分类" not in header or header[-1] == "未分类"


def test_issues_to_review(river_xlsx):
    rows = as_dicts(sheet_rows(river_xlsx, "待核查问题"))
    by_issue = {}
    for row in rows:
        by_issue.setdefault(row["问题"], []).append(row)
    assert [(r["对象"], r["详情"]) for r in by_issue["多个牵头单位"]] == [("严厉打击非法采砂", "牵头单位：水利局、公安局")]
    assert [r["对象"] for r in by_issue["有多个责任单位但无牵头单位"]] == ["开展河道清淤整治"]
    assert [(r["对象"], r["详情"]) for r in by_issue["无牵头或责任单位（只有配合、督导）"]] == [
        ("做好河湖保护宣传", "配合单位：市委宣传部")]
    assert all(r["来源"] == RIVER_TITLE for r in rows)


def test_documents_summary(river_xlsx):
    header, *body = sheet_rows(river_xlsx, "主体文件汇总")
    assert header == ["责任主体", "类型", "合计", "文件数", RIVER_TITLE]
    assert body[0] == ["水利局", "机构", 3, 1, 3]
    assert body[-1][:4] == ["合计", "", 6, 1]


def test_actor_filter_takes_surface_forms_and_keeps_whole_rows(river_build, tmp_path):
    path = tmp_path / "finance.csv"
    report = export_matrix(river_build, path, MatrixOptions(actors=["市财政局"]))
    rows = read_csv(path)
    assert [(r["序号"], r["重点任务"]) for r in as_dicts(rows)] == [("2", "开展河道清淤整治"), ("3", "加强防汛物资储备")]
    assert row_with(rows, "重点任务", "防汛")["牵头单位"] == "应急管理局"  # the row keeps the other units
    assert report.actors == 1 and report.assignments == 2


def test_role_and_document_filters(river_build, tmp_path):
    path = tmp_path / "leads.md"
    export_matrix(river_build, path, MatrixOptions(roles=["牵头"], documents=["river"], layouts=["matrix"]))
    text = path.read_text(encoding="utf-8")
    assert "| 水利局 | 机构 | 2 | 2 |" in text
    assert "财政局" not in text
    with pytest.raises(Exception, match="no document named 'nowhere'"):
        export_matrix(river_build, tmp_path / "x.md", MatrixOptions(documents=["nowhere"]))
    with pytest.raises(Exception, match="unknown role 'boss'"):
        export_matrix(river_build, tmp_path / "x.md", MatrixOptions(roles=["boss"]))


def test_html_is_sortable_offline_and_escaped(tmp_path):
    store = store_of(doc_result("d1", "<b>标题</b>", [
        ("市水利局", "lead", "<script>alert(1)</script>整治河道", "organisation"),
        ("市财政局", "support", "a|b & c", "organisation")]))
    path = tmp_path / "m.html"
    export_matrix(store, path)
    page = path.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;整治河道" in page
    assert "&lt;b&gt;标题&lt;/b&gt;" in page
    assert "http://" not in page and "https://" not in page and " src=" not in page
    assert "table.sortable" in page and 'class="sortable"' in page
    assert page.count('<section id="') == 4
    md = tmp_path / "m.md"
    export_matrix(store, md)
    assert "a\\|b &amp; c" in md.read_text(encoding="utf-8")


def test_xlsx_keeps_formula_like_text_as_text(tmp_path):
    from openpyxl import load_workbook

    store = store_of(doc_result("d1", "标题", [("市水利局", "responsible", "=SUM(A1)整治河道", "organisation")]))
    path = tmp_path / "m.xlsx"
    export_matrix(store, path)
    cell = load_workbook(path)["责任分工表"]["B2"]
    assert cell.value == "=SUM(A1)整治河道" and cell.data_type == "s"


def test_checks_on_collectives_and_actors_in_many_documents(tmp_path):
    store = store_of(
        doc_result("a", "文件甲", [("公安局", "responsible", "加强治安巡逻", "organisation"),
                                  ("各级各部门", "responsible", "落实防控责任", "collective")]),
        doc_result("b", "文件乙", [("公安局", "responsible", "打击违法犯罪", "organisation")]),
        doc_result("c", "文件丙", [("公安局", "lead", "维护交通秩序", "organisation")]))
    path = tmp_path / "issues.csv"
    export_matrix(store, path, MatrixOptions(layouts=["issues"], many_documents=3))
    rows = as_dicts(read_csv(path))
    assert [(r["问题"], r["对象"]) for r in rows] == [("责任主体为泛指集体", "落实防控责任"),
                                                   ("在多个文件中有职责（≥3个）", "公安局")]
    assert rows[1]["详情"] == "3 个文件、3 项措施"
    assert rows[1]["来源"] == "文件丙、文件乙、文件甲"
    export_matrix(store, path, MatrixOptions(layouts=["issues"], many_documents=4))
    assert all(r["对象"] != "公安局" for r in as_dicts(read_csv(path)))


def test_xlsx_matrix_is_cut_to_the_columns_excel_opens_and_says_so(river_build, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    import kgraph.matrix_formats as formats

    monkeypatch.setattr(formats, "XLSX_MAX_COLUMNS", 9)
    path = tmp_path / "narrow.xlsx"
    export_matrix(river_build, path, MatrixOptions(layouts=["matrix"]))
    book = load_workbook(path)
    assert book["责任矩阵"].max_column == 9  # 7 fixed columns and the 2 measures shared by most actors
    about = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert "只列出涉及主体最多的前 2 列" in about["责任矩阵"]


def test_matrix_columns_are_cut_before_the_rows_are_made(river_build):
    from kgraph.matrix import build_tables
    from kgraph.store import open_store

    tables, _ = build_tables(open_store(river_build), MatrixOptions(layouts=["matrix"], max_columns=3))
    matrix = tables[0]
    assert len(matrix.header) == 3 + 4 + 3 and all(len(row) == len(matrix.header) for row in matrix.rows)
    assert "另有" in matrix.note


def test_same_graph_same_tables(river_build, tmp_path):
    first, second = tmp_path / "1.md", tmp_path / "2.md"
    export_matrix(river_build, first)
    export_matrix(river_build, second)
    assert first.read_bytes() == second.read_bytes()


def test_cjk_characters_count_double_in_column_widths(river_xlsx):
    from openpyxl import load_workbook

    assert display_width("水利局") == 6 and display_width("ab1") == 3
    sheet = load_workbook(river_xlsx)["责任分工表"]
    assert sheet.column_dimensions["B"].width >= display_width("加强河湖长制落实情况督导")
    assert sheet.column_dimensions["A"].width < sheet.column_dimensions["B"].width


# ---------------------------------------------------------------- command line

def test_cli_matrix_writes_xlsx_and_prints_markdown(river_build, tmp_path):
    runner = CliRunner()
    out = tmp_path / "m.xlsx"
    result = runner.invoke(main, ["matrix", str(river_build), "-o", str(out), "--by", "category"])
    assert result.exit_code == 0, result.output
    assert "6 measures" in result.output and out.exists()
    result = runner.invoke(main, ["matrix", str(river_build), "--layout", "tasks", "--actor", "水利局"])
    assert result.exit_code == 0
    assert result.stdout.startswith("> 只含责任主体：水利局")
    assert "| 1 | 完善河湖监测体系 | 水利局 |" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["-o", "m.pdf"], "unknown matrix format '.pdf'"),
    (["-o", "m.csv", "--layout", "tasks", "--layout", "issues"], "a CSV file holds one layout"),
    (["--layout", "everything"], "unknown layout 'everything'"),
    (["--by", "colour"], "unknown --by 'colour'"),
    (["--actor", "不存在的局"], "no actor named '不存在的局'"),
])
def test_cli_matrix_errors_are_one_line(river_build, tmp_path, args, message):
    result = CliRunner().invoke(main, ["matrix", str(river_build), *args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
