"""Document -> paragraphs -> sentences -> clauses, with character offsets.

Offsets always point into `Document.text`, so evidence can be located in the
original file. Half-width and full-width punctuation are treated alike
(real texts mix `,` `;` with `，` `；`). Lines broken inside a sentence (PDF
and scraped text) are joined back into one paragraph; a sentence's `text` has
those line breaks removed, its `start`/`end` still span the original slice.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from .model import Clause, Document, Paragraph, Sentence

SENTENCE_END = set("。！？!?")
CLAUSE_END = set("，,；;：:")
CLOSERS_AFTER_END = set("”’」』\"')）】")
OPEN_BRACKETS = set("（(【[《“「『")
CLOSE_BRACKETS = set("）)】]》”」』")
LINE_END_PUNCT = SENTENCE_END | set("；;：:…”’」』)）】")
ENUMERATOR = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)"
    r"|第[一二三四五六七八九十]+[，,、]|[一二三四五六七八九十]+[是要]|[①-⑳])"
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_LABEL = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff \u3000]{0,7}[:：]")


def paragraphs(text: str, breaks_off: Callable[[str], bool] | None = None,
               opens_sentence: Callable[[str], bool] | None = None) -> list[Paragraph]:
    """Split text into paragraphs at line breaks, joining lines broken inside a sentence.
    `breaks_off(line)` says whether a short line without punctuation stops in the middle of a
    sentence (各学校要严格落实 / 安全工作各项制度，…。) rather than being a heading (保障措施);
    `opens_sentence(line)` whether a line starts a sentence of its own (领导小组负责…), so that the
    line before it, even without punctuation (成  员：…各村党支部书记), ends there."""
    lines = []
    position = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append((position, position + len(body), body))
        position += len(raw)
    result: list[Paragraph] = []
    current: list[tuple[int, int, str]] = []
    for i, (start, end, body) in enumerate(lines):
        if not body.strip():
            if current:
                result.append(_paragraph(text, current, len(result)))
                current = []
            continue
        current.append((start, end, body))
        next_body = lines[i + 1][2] if i + 1 < len(lines) else ""
        if not _continues(body, next_body, is_first_line=(i == 0), breaks_off=breaks_off,
                          opens_sentence=opens_sentence):
            result.append(_paragraph(text, current, len(result)))
            current = []
    if current:
        result.append(_paragraph(text, current, len(result)))
    return result


def _continues(line: str, next_line: str, is_first_line: bool,
               breaks_off: Callable[[str], bool] | None = None,
               opens_sentence: Callable[[str], bool] | None = None) -> bool:
    """Whether `line` was broken inside a sentence and goes on in `next_line`."""
    stripped = line.strip()
    if is_first_line or not next_line.strip() or not stripped:
        return False
    if stripped[-1] in LINE_END_PUNCT or _LABEL.match(next_line.strip()):
        return False  # 列席：… / 记录：***: each labelled line stands alone
    if ENUMERATOR.match(next_line):
        return False
    if stripped[-1] in "，,、":
        return True  # （一）区城管局要会同…， (line break) 开展…: the clause goes on
    if opens_sentence is not None and opens_sentence(next_line.strip()):
        return False
    if ENUMERATOR.match(stripped):
        return False
    if len(stripped) < 20:  # a heading, unless it stops where a sentence cannot
        return breaks_off is not None and next_line.rstrip()[-1:] in LINE_END_PUNCT and breaks_off(stripped)
    # an indented next line starts a new paragraph in most plain-text layouts
    return not next_line.startswith(("\u3000", "  ", "\t"))


def _paragraph(text: str, lines: list[tuple[int, int, str]], index: int) -> Paragraph:
    start, end = lines[0][0], lines[-1][1]
    return Paragraph(text=text[start:end], start=start, end=end, index=index)


def sentences(document: Document, breaks_off: Callable[[str], bool] | None = None,
              opens_sentence: Callable[[str], bool] | None = None) -> list[Sentence]:
    """All sentences of a document, in order, each with its clauses (the callables: see `paragraphs`)."""
    result: list[Sentence] = []
    for paragraph in paragraphs(document.text, breaks_off, opens_sentence):
        result.extend(_split_sentences(document.text, paragraph))
    return result


_SENTENCE_STOP = re.compile("[。！？!?.．]|……")


def _split_sentences(text: str, paragraph: Paragraph) -> list[Sentence]:
    out: list[Sentence] = []
    start = paragraph.start
    end = paragraph.end
    position = start
    while True:
        found = _SENTENCE_STOP.search(text, position, end)
        if found is None:
            break
        i = found.start()
        ch = found.group(0)
        if ch == "……":
            if _only_dots_follow(text, i, end):
                end = i  # a line of dots closing the paragraph
                break
            position = found.end()
            continue
        if ch in ".．" and not _is_full_stop(text, i, end):
            position = i + 1
            continue
        j = i + 1
        while j < end and (text[j] in SENTENCE_END or text[j] in CLOSERS_AFTER_END):
            j += 1
        _emit(text, start, j, paragraph.index, out)
        start = position = j
    _emit(text, start, end, paragraph.index, out)
    return out


def _is_full_stop(text: str, i: int, end: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < end else ""
    return bool(_CJK.match(before)) and (not after or bool(_CJK.match(after)) or after in "“\"")


def _only_dots_follow(text: str, i: int, end: int) -> bool:
    return not text[i:end].strip("….。. \u3000")


def _emit(text: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    # trim white space and lines of dots at both ends, keep offsets exact
    while start < end and (text[start].isspace() or text[start] in "…."):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return
    raw = text[start:end]
    if not _CJK.search(raw) and not any(c.isalnum() for c in raw):
        return
    clean = raw.replace("\r", "").replace("\n", "")
    out.append(Sentence(text=clean, start=start, end=end, paragraph=paragraph,
                        clauses=tuple(_clauses(text, start, end))))


def split_outside_brackets(text: str, separators: str, opening: str = "“《（(【", closing: str = "”》）)】") -> list[str]:
    """Split `text` at any of `separators` that stand outside brackets and quotes (各县（市、区）政府 stays whole)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in opening:
            depth += 1
        elif ch in closing:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def clauses_of(text: str) -> list[str]:
    """The clause texts of a piece of text (a task heading, say), split as sentences are."""
    return [clause.text for clause in _clauses(text, 0, len(text))]


_CLAUSE_MARK = re.compile("[" + re.escape("".join(sorted(OPEN_BRACKETS | CLOSE_BRACKETS | CLAUSE_END | SENTENCE_END))) + "]")


def _clauses(text: str, start: int, end: int) -> list[Clause]:
    """Split a sentence at clause punctuation outside brackets and quotes."""
    out: list[Clause] = []
    depth = 0
    clause_start = start
    for found in _CLAUSE_MARK.finditer(text, start, end):
        ch, i = found.group(0), found.start()
        if ch in OPEN_BRACKETS:
            depth += 1
        elif ch in CLOSE_BRACKETS:
            depth = max(0, depth - 1)
        elif depth == 0:
            _add_clause(text, clause_start, i, out)
            clause_start = i + 1
    _add_clause(text, clause_start, end, out)
    return out


def _add_clause(text: str, start: int, end: int, out: list[Clause]) -> None:
    while start < end and (text[start].isspace() or text[start] in SENTENCE_END or text[start] in CLAUSE_END):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in SENTENCE_END):
        end -= 1
    if end > start:
        out.append(Clause(text=text[start:end].replace("\r", "").replace("\n", ""), start=start, end=end))
