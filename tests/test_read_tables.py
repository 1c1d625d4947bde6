"""Task-division tables -> TaskRows -> assignments (kgraph/tables.py), alone and through the extractor."""
from __future__ import annotations

from pathlib import Path

from kgraph.extract import extract
from kgraph.read import make_document, read_document
from kgraph.readers import TextBuilder
from kgraph.tables import column_kind, header_columns, split_units, table_assignments

INPUTS = Path(__file__).resolve().parent / "data" / "inputs"


def document_of(grid, before="关于印发工作任务分工方案的通知"):
    builder = TextBuilder()
    builder.paragraph(before)
    builder.table(grid)
    content = builder.content()
    return make_document("plan.docx", content.text, tables=content.tables)


def test_header_words():
    assert [column_kind(h) for h in ["序号", "重点任务", "牵头单位", "责任单位", "配合单位", "协办单位",
                                     "完成时限", "牵头 单位", "督办部门", "备注"]] == \
        ["index", "measure", "lead", "responsible", "support", "support", "deadline", "lead", "supervise", ""]
    # the role word written first decides; data cells are not headers
    assert column_kind("责任单位（排第一位的为牵头单位）") == "responsible"
    assert column_kind("牵头责任单位") == "lead"
    assert column_kind("市住建局牵头") == ""


def test_most_specific_measure_column():
    columns, header_rows = header_columns([["序号", "重点任务", "具体措施", "责任单位"], ["1", "a", "b", "c"]])
    assert columns == {0: "index", 2: "measure", 3: "responsible"} and header_rows == 1


def test_title_row_above_the_header():
    grid = [["2024年重点工作任务分工表", None, None], ["工作任务", "牵头单位", "配合单位"],
            ["完善应急预案体系", "市应急局", "市公安局"]]
    (row,) = document_of(grid).tables
    assert row.units == (("lead", "市应急局"), ("support", "市公安局"))


def test_units_split_and_role_notes():
    assert split_units("市水利局、市生态环境局，市住建局;市财政局\n各区政府", "support") == [
        ("support", "市水利局"), ("support", "市生态环境局"), ("support", "市住建局"), ("support", "市财政局"),
        ("support", "各区政府")]
    assert split_units("市水利局（牵头）、市农业农村局等单位", "responsible") == [
        ("lead", "市水利局"), ("responsible", "市农业农村局")]
    assert split_units("", "lead") == [] and split_units(None, "lead") == []


def test_section_rows_repeated_headers_and_plain_tables_give_nothing():
    grid = [["序号", "重点任务", "牵头单位", "完成时限"],
            ["一、水资源保护", None, None, None],
            ["1", "划定水源保护区", "市生态环境局", "2024年"],
            ["序号", "重点任务", "牵头单位", "完成时限"],
            ["2", "", "市水利局", ""]]
    rows = document_of(grid).tables
    assert [(r.measure, r.units, r.deadline) for r in rows] == [
        ("划定水源保护区", (("lead", "市生态环境局"),), "2024年")]
    assert document_of([["姓名", "职务"], ["张三", "局长"]]).tables == ()


def test_table_assignments_have_evidence_in_the_text():
    grid = [["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "开展河道清淤", "市水利局", "市财政局、各区政府", "2024年6月底前"]]
    document = document_of(grid)
    assignments = table_assignments(document)
    assert [(a.actor, a.role, a.measure, a.deadline) for a in assignments] == [
        ("市水利局", "lead", "开展河道清淤", "2024年6月底前"),
        ("市财政局", "support", "开展河道清淤", "2024年6月底前"),
        ("各区政府", "support", "开展河道清淤", "2024年6月底前")]
    for a in assignments:
        assert document.text[a.start:a.end] == a.evidence
        assert a.actor in a.evidence and a.measure in a.evidence


def test_extractor_adds_table_rows_and_does_not_parse_row_lines():
    result = extract(read_document(INPUTS / "task_table.docx"))
    table_spans = [(row.start, row.end) for row in result.document.tables]
    found = {(a.actor, a.role, a.measure) for a in result.assignments}
    assert ("市生态环境局", "lead", "开展入河排污口排查整治") in found
    assert ("市城管局", "support", "开展河湖清四乱专项行动") in found
    assert ("市河长办", "lead", "建立河湖长制工作台账") in found
    # every assignment found in a row's line comes from the table's columns
    in_rows = [a for a in result.assignments if any(s <= a.start < e for s, e in table_spans)]
    assert {(a.actor, a.role, a.measure) for a in in_rows} == {
        (unit, role, row.measure) for row in result.document.tables for role, unit in row.units}
    starts = [a.start for a in result.assignments]
    assert starts == sorted(starts)  # reading order


def test_tables_flattened_with_spaces_or_written_in_markdown(tmp_path):
    spaced = tmp_path / "spaced.txt"
    spaced.write_text("xx县重点任务分工表\n序号  重点任务  牵头单位  配合单位  完成时限\n"
                      "1  加快建设数字基础设施  县发改局  县工信局、县财政局  2025年底\n"
                      "2  推进政务数据共享  县数据局  长期坚持\n"  # a cell missing: the row is not guessed
                      "组  长：***（县长）\n", encoding="utf-8")
    found = {(a.actor, a.role, a.measure, a.deadline) for a in extract(read_document(spaced)).assignments}
    assert ("县发改局", "lead", "加快建设数字基础设施", "2025年底") in found
    assert ("县财政局", "support", "加快建设数字基础设施", "2025年底") in found
    assert not any(measure == "推进政务数据共享" for _, _, measure, _ in found)
    markdown = tmp_path / "table.md"
    markdown.write_text("| 序号 | 重点任务 | 牵头单位 | 配合单位 |\n|---|---|---|---|\n| 1 | 推进政务数据共享 | 县数据局 | 各乡镇 |\n",
                        encoding="utf-8")
    found = {(a.actor, a.role, a.measure) for a in extract(read_document(markdown)).assignments}
    assert found == {("县数据局", "lead", "推进政务数据共享"), ("各乡镇", "support", "推进政务数据共享")}
