"""Readers: text encodings, .docx, .pdf, .html, and files that cannot be read (tests/data/inputs)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kgraph.read import DocIds, ReadError, expand_inputs, iter_documents, read_document

INPUTS = Path(__file__).resolve().parent / "data" / "inputs"
sys.path.insert(0, str(INPUTS.parent))
import make_inputs  # noqa: E402  (tests/data/make_inputs.py)

TASK_TEXT = make_inputs.TASK_TEXT


@pytest.mark.parametrize("name", ["utf8.txt", "utf8_bom.txt", "gbk.txt", "utf16.txt", "utf16le_nobom.txt"])
def test_text_in_every_encoding_reads_the_same(name):
    document = read_document(INPUTS / name)
    assert document.text == TASK_TEXT
    assert document.doc_id == Path(name).stem
    assert document.title == "关于印发水污染防治工作任务分工方案的通知"
    # the checksum is of the decoded text: re-encoding a file is not a change
    assert document.checksum == read_document(INPUTS / "utf8.txt").checksum


def test_gb18030_characters_outside_gbk():
    document = read_document(INPUTS / "gb18030.txt")
    assert document.text == TASK_TEXT + f"联系人：{make_inputs.GB18030_ONLY}\n"


def test_short_gbk_text_is_not_taken_for_another_encoding(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("市水利局负责河道整治。".encode("gbk"))
    assert read_document(path).text == "市水利局负责河道整治。"


def test_committed_text_inputs_are_what_make_inputs_writes():
    for name, data in make_inputs.text_files().items():
        assert (INPUTS / name).read_bytes() == data, f"run python tests/data/make_inputs.py ({name} differs)"


def test_docx_paragraphs_and_tables_in_reading_order():
    document = read_document(INPUTS / "task_table.docx")
    text = document.text
    assert document.title == "水污染防治工作任务分工方案"
    order = ["现将重点任务分工如下", "开展入河排污口排查整治", "二、河湖长制工作任务", "建立河湖长制工作台账",
             "各单位要按照分工抓好落实"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    # a table row is one line, its cells separated by tabs
    assert "1\t开展入河排污口排查整治\t市生态环境局\t市水利局、市住建局\t2024年6月底前" in text.split("\n")


def test_docx_task_tables_give_rows_with_offsets_into_the_text():
    document = read_document(INPUTS / "task_table.docx")
    rows = {row.measure: row for row in document.tables}
    assert set(rows) == {"开展入河排污口排查整治", "推进城镇污水处理提质增效", "建立河湖长制工作台账",
                         "开展河湖清四乱专项行动"}
    first = rows["开展入河排污口排查整治"]
    assert first.units == (("lead", "市生态环境局"), ("support", "市水利局"), ("support", "市住建局"))
    assert first.deadline == "2024年6月底前"
    for row in document.tables:
        assert row.measure in document.text[row.start:row.end]
    # two header rows (责任单位 over 牵头单位 | 配合单位) and a lead cell merged down two rows
    assert rows["开展河湖清四乱专项行动"].units == (("lead", "市河长办"), ("support", "市公安局"),
                                                 ("support", "市城管局"))
    assert rows["建立河湖长制工作台账"].deadline == "2024年3月"


def test_pdf_text_layer():
    document = read_document(INPUTS / "text_layer.pdf")
    assert document.text.split("\n") == make_inputs.PDF_LINES


def test_pdf_without_text_layer_names_the_file_and_says_ocr():
    with pytest.raises(ReadError) as err:
        read_document(INPUTS / "scanned.pdf")
    assert str(err.value) == f"{INPUTS / 'scanned.pdf'}: no text layer; OCR it first"


def test_html_main_text_without_scripts_styles_navigation():
    document = read_document(INPUTS / "page.html")
    text = document.text
    assert document.title == "关于做好水污染防治工作的通知"
    assert "市生态环境局要加强入河排污口监管。市水利局负责河道整治工作。" in text  # source line break dropped
    for boilerplate in ("脚本文字", "页尾脚本", "样式文字", "导航栏目", "首页", "当前位置", "侧栏文字", "版权所有",
                        "门户网站"):
        assert boilerplate not in text
    rows = {row.measure: row.units for row in document.tables}
    assert rows["推进污水管网建设"] == (("lead", "市住建局"), ("support", "市发展改革委"), ("support", "市财政局"))


@pytest.mark.parametrize("name, reason", [
    ("empty.txt", "the file is empty"),
    ("blank.md", "the file is empty"),
    ("binary.txt", "looks like a binary file, not text"),
    ("old_word.doc", "unsupported file type .doc; save it as .docx"),
])
def test_bad_input_is_one_line_naming_file_and_reason(name, reason):
    with pytest.raises(ReadError) as err:
        read_document(INPUTS / name)
    assert str(err.value) == f"{INPUTS / name}: {reason}"
    assert "\n" not in str(err.value)


def test_damaged_docx_and_pdf(tmp_path):
    docx = tmp_path / "broken.docx"
    docx.write_bytes(make_inputs.docx_bytes()[:300])
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    fake = tmp_path / "fake.pdf"
    fake.write_text("这不是PDF文件", encoding="utf-8")
    for path in (docx, pdf, fake):
        with pytest.raises(ReadError) as err:
            read_document(path)
        assert str(err.value).startswith(f"{path}: ")


def test_undecodable_text_and_missing_file(tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Café résumé naïve déjà".encode("latin-1"))
    with pytest.raises(ReadError, match="cannot tell the text encoding"):
        read_document(latin)
    with pytest.raises(ReadError, match="no such file or folder"):
        read_document(tmp_path / "missing.txt")


def test_folders_are_read_recursively_and_unreadable_documents_reported(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.txt").write_text("市公安局负责人员管控。", encoding="utf-8")
    (tmp_path / "top.md").write_text("市财政局负责经费保障。", encoding="utf-8")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("隐藏", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in expand_inputs([tmp_path])]
    assert found == ["a/b/deep.txt", "old.doc", "top.md"]
    results = list(iter_documents([tmp_path]))
    assert [r.document.doc_id if r.document else None for r in results] == ["deep", None, "top"]
    assert results[1].error == f"{tmp_path / 'old.doc'}: unsupported file type .doc; save it as .docx"
    with pytest.raises(ReadError, match="missing.txt: no such file or folder"):
        expand_inputs([tmp_path, tmp_path / "missing.txt"])  # a typo in the command: nothing is read


def test_same_file_name_in_two_folders_gets_two_ids(tmp_path):
    for folder in ("2023", "2024"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notice.txt").write_text(f"{folder}年通知：市公安局负责人员管控。", encoding="utf-8")
    ids = [r.document.doc_id for r in iter_documents([tmp_path])]
    assert ids == ["notice", "notice~2024"]
    # an existing build knows where each id came from: the 2024 file keeps its id when read alone
    known = DocIds(known={"notice": str(tmp_path / "2023" / "notice.txt"),
                          "notice~2024": str(tmp_path / "2024" / "notice.txt")})
    assert known.assign(tmp_path / "2024" / "notice.txt") == "notice~2024"
    assert known.assign(tmp_path / "other" / "notice.txt") == "notice"  # same name, new place: that document


def test_a_file_named_twice_is_read_once(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("市公安局负责人员管控。", encoding="utf-8")
    assert expand_inputs([path, tmp_path, tmp_path / "." / "a.txt"]) == [path]
