"""No input crashes the reader or the extractor (property-based, hypothesis).

Whatever the bytes or text, reading gives a Document or a ReadError (one line
naming the file), and extracting a Document gives assignments whose offsets
lie inside its text.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kgraph.extract import extract
from kgraph.read import ReadError, make_document, read_document
from kgraph.readers import TextBuilder

# modest by default (the suite stays fast); KGRAPH_HYPOTHESIS_EXAMPLES=2000 hunts harder
SETTINGS = settings(max_examples=int(os.environ.get("KGRAPH_HYPOTHESIS_EXAMPLES", "40")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# pieces of policy language, so that generated text reaches deep into the extractor
PIECES = ["市公安局", "卫健委", "各区人民政府", "市直各委、办、局", "有关部门", "各级党委和政府", "负责", "牵头",
          "配合", "协助", "督导", "要", "必须", "不得", "加强", "做好", "落实", "工作", "人员管控", "经费保障",
          "一是", "二要", "（一）", "1.", "首先", "其次", "请", "责任单位：", "牵头单位：", "配合单位：",
          "完成时限：", "2024年底前", "（", "）", "(", ")", "【", "】", "《", "》", "“", "”", "，", "、", "；",
          "：", "。", "！", "？", ",", ";", ":", ".", "……", "\n", "\n\n", "\u3000\u3000", " ", "\t", "\r\n",
          "等", "和", "与", "及", "的", "由", "对", "在", "x", "1", "①", "第一，"]
policy_text = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)
any_text = st.text(max_size=400)
brackets = st.sampled_from(list("（(【[《“「『）)】]》”」』"))


def check_extract(text: str) -> None:
    try:
        document = make_document("input.txt", text)
    except ReadError:
        assert not text.strip()
        return
    result = extract(document)
    for a in result.assignments:
        assert 0 <= a.start <= a.end <= len(document.text)
        assert a.actor and a.role


@SETTINGS
@given(any_text)
def test_arbitrary_unicode_does_not_crash_the_extractor(text):
    check_extract(text)


@SETTINGS
@given(policy_text)
def test_policy_like_text_does_not_crash_the_extractor(text):
    check_extract(text)


@SETTINGS
@given(st.integers(1, 400), st.lists(brackets, min_size=1, max_size=6), policy_text)
def test_deep_and_unbalanced_brackets(depth, kinds, inner):
    opening = "".join(kinds[i % len(kinds)] for i in range(depth))
    check_extract(opening + inner + "。")
    check_extract("市公安局负责" + opening + inner + opening[::-1] + "。")


@pytest.mark.parametrize("text", [
    "市公安局负责人员管控，" * 2000,                      # one sentence of 2000 clauses
    "市公安局负责" + "加强" * 20000 + "。",                 # one clause of 40 000 characters
    "（" * 5000 + "市公安局牵头" + "）" * 5000,
    "一是" * 3000 + "。",
    "\n".join(f"（{i}）市水利局负责河道整治。" for i in range(2000)),
])
def test_huge_lines_and_nesting(text):
    check_extract(text)


def read_bytes_as(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            document = read_document(path)
        except ReadError as err:
            message = str(err)
            assert message.startswith(f"{path}: ") and "\n" not in message
            return None
        for row in document.tables:
            assert 0 <= row.start < row.end <= len(document.text)
        check_extract(document.text)
        return document


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".md", ".html", ".docx", ".pdf"]))
def test_arbitrary_bytes_read_or_fail_with_one_line(data, suffix):
    read_bytes_as(data, suffix)


ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be", "big5"]
EXACT = {"utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"}


@SETTINGS
@given(st.lists(st.tuples(policy_text, st.sampled_from(ENCODINGS)), min_size=1, max_size=4))
def test_mixed_encodings_in_one_file(parts):
    data = b""
    for text, encoding in parts:
        data += text.encode(encoding, errors="ignore")
    document = read_bytes_as(data, ".txt")
    text, encoding = parts[0]
    if len(parts) == 1 and encoding in EXACT and document is not None and len("".join(text.split())) >= 10:
        # one encoding alone is read back exactly (big5 cannot write every character generated here,
        # UTF-16 without a byte-order mark and a few bytes of anything are ambiguous)
        assert document.text == text.replace("\r\n", "\n").replace("\r", "\n")


@SETTINGS
@given(st.lists(st.text(max_size=40), max_size=20), st.sampled_from(["div", "p", "span", "td", "li", "b"]),
       st.integers(0, 600))
def test_arbitrary_html(texts, tag, depth):
    body = "".join(f"<{tag}>{text}</{tag}>" for text in texts)
    page = f"<html><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>"
    read_bytes_as(page.encode("utf-8"), ".html")


@SETTINGS
@given(st.lists(st.lists(st.one_of(st.none(), st.sampled_from(["序号", "重点任务", "牵头单位", "配合单位",
                                                                 "完成时限", "责任单位"]), policy_text),
                         max_size=6), max_size=8))
def test_arbitrary_tables_give_rows_inside_the_text(grid):
    builder = TextBuilder()
    builder.paragraph("任务分工")
    builder.table(grid)
    content = builder.content()
    document = make_document("table.docx", content.text, tables=content.tables)
    assert document.text == content.text
    for row in document.tables:
        assert row.measure in document.text[row.start:row.end]
        assert row.units
    check_extract(document.text)
    extract(document)


def test_deeply_nested_html_is_read():
    page = "<div>" * 20000 + "<p>市公安局负责人员管控。</p>" + "</div>" * 20000
    assert read_bytes_as(page.encode("utf-8"), ".html").text == "市公安局负责人员管控。"
