"""Write the purpose-made input files of tests/data/inputs/ (run: python tests/data/make_inputs.py).

The files are committed; this script is how they were made and how to remake
them. The .docx needs python-docx; the PDFs are written by hand (a Type0 font
with Identity-H encoding and a ToUnicode map, no embedded font program), which
is the smallest PDF whose text layer pdfminer.six reads back as Chinese.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "inputs"

TASK_TEXT = """关于印发水污染防治工作任务分工方案的通知

各区人民政府，市直各委、办、局：
一、加强河道整治，开展入河排污口排查。（市水利局牵头，市生态环境局配合）
二、做好饮用水水源地保护工作。（市生态环境局负责）
"""
# not in GBK: only GB18030 (and Unicode) encodes 䶮
GB18030_ONLY = "刘䶮"

TABLE_HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
TABLE_ROWS = [
    ["1", "开展入河排污口排查整治", "市生态环境局", "市水利局、市住建局", "2024年6月底前"],
    ["2", "推进城镇污水处理提质增效", "市住建局", "市发展改革委，市财政局", "2024年12月底前"],
]
# a two-row header: 责任单位 over 牵头单位 | 配合单位, and a 牵头单位 merged down two rows
TABLE2_ROWS = [
    ["序号", "工作任务", "责任单位", None, "完成时限"],
    ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
    ["1", "建立河湖长制工作台账", "市河长办", "各区政府", "2024年3月"],
    ["2", "开展河湖清四乱专项行动", "市河长办", "市公安局；市城管局", "长期坚持"],
]

HTML_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="gb2312"><title>水污染防治工作通知_某市人民政府</title>
<style>.nav { color: red } body::after { content: "样式文字" }</style>
<script>var tracking = "脚本文字"; document.write("脚本文字");</script></head>
<body>
<div class="top-nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a></div>
<nav><ul><li>导航栏目一</li><li>导航栏目二</li></ul></nav>
<header><p>某市人民政府门户网站</p></header>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开</div>
<article>
<h1>关于做好水污染防治工作的通知</h1>
<p>各区人民政府，市直各委、办、局：</p>
<p>为做好水污染防治工作，市生态环境局要加强
入河排污口监管。<b>市水利局</b>负责河道整治工作。</p>
<table>
<tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>配合单位</th></tr>
<tr><td>1</td><td>开展黑臭水体整治</td><td rowspan="2">市住建局</td><td>各区政府</td></tr>
<tr><td>2</td><td>推进污水管网建设</td><td>市发展改革委<br>市财政局</td></tr>
</table>
</article>
<aside><p>相关链接：侧栏文字</p></aside>
<footer><p>版权所有：某市人民政府办公室</p></footer>
<script>console.log("页尾脚本")</script>
</body></html>
"""

PDF_LINES = ["关于加强森林防火工作的通知", "市应急管理局负责森林防火工作的统筹协调。",
             "市林业局要加强火源管控。"]


def text_files() -> dict[str, bytes]:
    return {
        "utf8.txt": TASK_TEXT.encode("utf-8"),
        "utf8_bom.txt": TASK_TEXT.encode("utf-8-sig"),
        "gbk.txt": TASK_TEXT.encode("gbk"),
        "gb18030.txt": (TASK_TEXT + f"联系人：{GB18030_ONLY}\n").encode("gb18030"),
        "utf16.txt": TASK_TEXT.encode("utf-16"),  # with a byte-order mark
        "utf16le_nobom.txt": TASK_TEXT.encode("utf-16-le"),
        "empty.txt": b"",
        "blank.md": b" \n\t\n",
        "binary.txt": bytes(range(256)) * 4,
        "old_word.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        "page.html": HTML_PAGE.encode("gb18030"),
    }


def docx_bytes() -> bytes:
    import io

    from docx import Document

    document = Document()
    document.core_properties.title = "旧模板的标题"  # left over from a template: not the title
    document.add_paragraph("水污染防治工作任务分工方案")
    document.add_paragraph("为落实水污染防治工作要求，现将重点任务分工如下。")
    table = document.add_table(rows=1 + len(TABLE_ROWS), cols=len(TABLE_HEADER))
    for row, values in zip(table.rows, [TABLE_HEADER, *TABLE_ROWS]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("二、河湖长制工作任务")
    table2 = document.add_table(rows=len(TABLE2_ROWS), cols=5)
    # only the first cell of a merged range gets its text (merging joins the texts of all cells)
    merged_away = {(1, 0), (1, 1), (1, 4), (3, 2)}
    for r, values in enumerate(TABLE2_ROWS):
        for c, value in enumerate(values):
            if value is not None and (r, c) not in merged_away:
                table2.cell(r, c).text = value
    table2.cell(0, 2).merge(table2.cell(0, 3))  # 责任单位 across two columns
    for c in (0, 1, 4):
        table2.cell(0, c).merge(table2.cell(1, c))  # 序号, 工作任务, 完成时限 down two rows
    table2.cell(2, 2).merge(table2.cell(3, 2))  # 市河长办 leads both tasks
    document.add_paragraph("各单位要按照分工抓好落实。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds `lines` (BMP characters only)."""
    chars = sorted({ch for line in lines for ch in line})
    content = ["BT", "/F1 12 Tf", "14 TL", "50 800 Td"]
    for line in lines:
        content.append("<" + "".join(f"{ord(ch):04X}" for ch in line) + "> Tj T*")
    content.append("ET")
    cmap_entries = []
    for i in range(0, len(chars), 100):
        block = chars[i:i + 100]
        cmap_entries.append(f"{len(block)} beginbfchar")
        cmap_entries.extend(f"<{ord(ch):04X}> <{ord(ch):04X}>" for ch in block)
        cmap_entries.append("endbfchar")
    cmap = "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
        *cmap_entries, "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        _stream("\n".join(content).encode("ascii")),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] "
        b"/ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R "
        b"/DW 1000 /CIDToGIDMap /Identity >>",
        _stream(cmap.encode("ascii")),
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 "
        b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ])


def scanned_pdf_bytes() -> bytes:
    """A PDF page with only drawing on it, as a scan without OCR looks to a text extractor."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        _stream(b"0.5 g 50 50 495 742 re f"),
    ])


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def all_files() -> dict[str, bytes]:
    files = text_files()
    files["task_table.docx"] = docx_bytes()
    files["text_layer.pdf"] = pdf_bytes(PDF_LINES)
    files["scanned.pdf"] = scanned_pdf_bytes()
    return files


def main(folder: Path = HERE) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in all_files().items():
        (folder / name).write_bytes(data)
        print(f"{folder / name}: {len(data)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
