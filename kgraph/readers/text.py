"""Plain text (.txt, .md): UTF-8 with or without BOM, UTF-16/32, GB18030/GBK, Big5.

A byte-order mark decides; otherwise strict UTF-8 is tried first (it almost
never decodes text in another encoding), then charset-normalizer chooses among
the encodings Chinese texts are written in. Files that decode to control
characters are taken to be binary.
"""
from __future__ import annotations

import re

import codecs
from pathlib import Path

from . import Content

# longest first: the UTF-32 LE mark starts with the UTF-16 LE one
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# what Chinese policy texts are written in, most likely first; GBK and GB2312 are subsets of GB18030
CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16", "utf_16_le", "utf_16_be",
                       "utf_32", "utf_32_le", "utf_32_be"]
_ALLOWED_CONTROLS = set("\t\n\r\f\v\x1a")  # \x1a: the DOS end-of-file mark some old editors leave
BINARY_CONTROL_SHARE = 0.01


class DecodeError(ValueError):
    """Bytes that are not text in an encoding kgraph knows; the message is the reason."""


def read(path: Path, data: bytes) -> Content:
    text = decode(data)
    return Content(text, tables=text_tables(text))


def text_tables(text: str) -> tuple:
    """Task-division tables saved as text: consecutive lines whose cells are separated by tabs (what
    copying a Word or Excel table gives), by pipes (Markdown) or by runs of spaces (tables flattened
    by a PDF or web page converter). Their rows become TaskRows as in .docx files; a table counts
    only when tables.task_rows finds its header (牵头单位, 责任单位 … columns)."""
    from ..tables import task_rows

    found: list = []
    block: list[tuple[list[str], tuple[int, int]]] = []
    block_kind = ""

    def close() -> None:
        rows = block
        if block_kind == "spaces":  # a missing cell shifts the others: keep rows shaped like the header
            rows = [row for row in block if len(row[0]) == len(block[0][0])]
        found.extend(task_rows([r for r, _ in rows], [span for _, span in rows]))

    position = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        kind, cells = _cells(body)
        if kind == "pipes" and cells is None and block_kind == "pipes":
            position += len(line)
            continue  # |---|---| under a Markdown header
        if cells is not None and (not block or kind == block_kind):
            block.append((cells, (position, position + len(body))))
            block_kind = kind
        else:
            if block:
                close()
            block, block_kind = ([(cells, (position, position + len(body)))], kind) if cells is not None else ([], "")
        position += len(line)
    if block:
        close()
    return tuple(found)


_SPACED_CELLS = re.compile(r"[ \u3000]{2,}")
_PIPE_RULE = re.compile(r"^\|?\s*:?-{3,}")


def _cells(body: str) -> tuple[str, list[str] | None]:
    """How a line splits into table cells, and the cells (None: not a table row)."""
    stripped = body.strip()
    if "\t" in stripped:
        return "tabs", [cell.strip() for cell in body.split("\t")]
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
        if _PIPE_RULE.match(stripped):
            return "pipes", None
        return "pipes", [cell.strip() for cell in stripped[1:-1].split("|")]
    cells = _SPACED_CELLS.split(stripped)
    if len(cells) >= 3:
        return "spaces", cells
    return "", None


def decode(data: bytes) -> str:
    """The text of `data`; raises DecodeError with the reason when it is empty, binary or undecodable."""
    if not data.strip():
        raise DecodeError("the file is empty")
    text = _decode(data)
    if _looks_binary(text):
        raise DecodeError("looks like a binary file, not text")
    return text


def encoding_of(data: bytes) -> str:
    """The encoding `decode` uses for `data` (for messages and tests)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    candidates = CANDIDATE_ENCODINGS
    if b"\x00" not in data:
        # UTF-16/32 text has NUL bytes (any ASCII character, a line break, 一 U+4E00 …); without one,
        # a few bytes of GB18030 must not be taken for UTF-16
        candidates = [name for name in candidates if not name.startswith(("utf_16", "utf_32"))]
    matches = list(from_bytes(data, cp_isolation=candidates))
    # equally good readings (a few bytes are both GB18030 and Big5): the first in CANDIDATE_ENCODINGS
    best = min(matches, default=None, key=lambda m: (m.chaos, -m.coherence, _rank(m.encoding)))
    if best is not None and best.encoding.startswith("big5") and _gb18030_reads_better(data, str(best)):
        return "gb18030"
    if best is None:
        if _has_control_bytes(data):
            raise DecodeError("looks like a binary file, not text")
        raise DecodeError("cannot tell the text encoding (not UTF-8, UTF-16, GB18030 or Big5); "
                          "save it as UTF-8")
    return "gb18030" if best.encoding in ("gbk", "gb2312", "cp936") else best.encoding


def _gb18030_reads_better(data: bytes, big5_text: str) -> bool:
    """GB18030 and Big5 share most byte ranges, and the detector confuses them on short texts.

    Text in one read in the other is full of characters policy texts do not use (kana, bopomofo,
    Greek, box drawing, presentation forms); the reading with fewer of them wins, GB18030 on a tie.
    """
    try:
        gb_text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return _unlikely_characters(gb_text) <= _unlikely_characters(big5_text)


_UNLIKELY_RANGES = ((0x0370, 0x04FF), (0x2500, 0x257F), (0x3040, 0x312F), (0xE000, 0xF8FF), (0xFE30, 0xFE6F))


def _unlikely_characters(text: str) -> int:
    return sum(1 for ch in text if any(low <= ord(ch) <= high for low, high in _UNLIKELY_RANGES))


def _rank(encoding: str) -> int:
    return CANDIDATE_ENCODINGS.index(encoding) if encoding in CANDIDATE_ENCODINGS else len(CANDIDATE_ENCODINGS)


def _decode(data: bytes) -> str:
    encoding = encoding_of(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise DecodeError(f"not valid {encoding} at byte {err.start}") from None


def _has_control_bytes(data: bytes) -> bool:
    return any(byte < 0x20 and chr(byte) not in _ALLOWED_CONTROLS for byte in data[:4096])


def _looks_binary(text: str) -> bool:
    sample = text[:100_000]
    controls = sum(1 for ch in sample if ch < " " and ch not in _ALLOWED_CONTROLS)
    return "\x00" in sample or controls > BINARY_CONTROL_SHARE * len(sample)
