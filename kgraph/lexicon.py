"""Lexicons as data: actor names, actor patterns, duty cues and function words.

Each lexicon is a TSV file with a header row; `#` lines are comments. The
bundled files live in `data/lexicon/`; users add their own files of the same
shape (`kgraph extract --lexicon FILE`), whose rows extend or override the
bundled ones. Every row is validated on load and a bad row is reported as
`file:line: what is wrong`.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from .model import ACTOR_KINDS, ROLES, KgraphError
from .resources import data_file

LEXICON_FILES = ("actors.tsv", "actor_patterns.tsv", "cues.tsv", "words.tsv")

_HEADERS = {
    ("name", "canonical", "kind"): "actors",
    ("affix", "type", "kind"): "patterns",
    ("cue", "role", "type"): "cues",
    ("word", "class"): "words",
}
PATTERN_TYPES = ("head", "determiner", "place", "scope", "category")
CUE_TYPES = ("modal", "verb", "marker", "marker_stem", "keyword", "adverb")
WORD_CLASSES = (
    "adverb", "preposition", "connective", "conclusion", "past", "descriptive",
    "pronoun", "non_actor", "manner", "partner", "copula", "linking", "marker_unit", "shortfall", "metric", "target_verb", "verb", "weak_head", "meeting_verb", "speech_verb", "condition", "generic_body",
)


class LexiconError(KgraphError):
    pass


@dataclass
class Lexicon:
    """Everything the extractor knows as data."""

    actors: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (canonical, kind)
    heads: dict[str, str] = field(default_factory=dict)  # suffix -> kind
    determiners: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    scopes: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    cues: dict[tuple[str, str], str] = field(default_factory=dict)  # (cue, type) -> role
    words: dict[str, set[str]] = field(default_factory=dict)  # class -> words
    sources: list[str] = field(default_factory=list)

    def cue_words(self, cue_type: str) -> dict[str, str]:
        return {cue: role for (cue, kind), role in self.cues.items() if kind == cue_type}

    def word_class(self, name: str) -> set[str]:
        return self.words.get(name, set())


def _rows(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    for number, line in enumerate(io.StringIO(text), start=1):
        stripped = line.rstrip("\r\n")
        if not stripped.strip() or stripped.lstrip().startswith("#"):
            continue
        yield number, next(csv.reader([stripped], delimiter="\t", quoting=csv.QUOTE_NONE))


def _add_file(lexicon: Lexicon, text: str, source: str) -> None:
    rows = _rows(text, source)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise LexiconError(f"{source}: empty lexicon file; expected a header row") from None
    header = tuple(h.strip() for h in header)
    kind = _HEADERS.get(header)
    if kind is None:
        known = "; ".join("\\t".join(h) for h in _HEADERS)
        raise LexiconError(
            f"{source}:{header_line}: unknown header {chr(9).join(header)!r}; use one of: {known}")
    width = len(header)
    for number, cells in rows:
        cells = [c.strip() for c in cells]
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        if len(cells) > width:
            raise LexiconError(f"{source}:{number}: {len(cells)} columns, expected {width} ({', '.join(header)})")
        where = f"{source}:{number}"
        if not cells[0]:
            raise LexiconError(f"{where}: empty first column")
        if kind == "actors":
            name, canonical, actor_kind = cells
            if actor_kind not in ACTOR_KINDS:
                raise LexiconError(f"{where}: kind {actor_kind!r} is not one of {', '.join(ACTOR_KINDS)}")
            lexicon.actors[name] = (canonical or name, actor_kind)
        elif kind == "patterns":
            affix, pattern_type, actor_kind = cells
            if pattern_type not in PATTERN_TYPES:
                raise LexiconError(f"{where}: type {pattern_type!r} is not one of {', '.join(PATTERN_TYPES)}")
            if pattern_type == "head":
                if actor_kind not in ACTOR_KINDS:
                    raise LexiconError(f"{where}: a head needs a kind: {', '.join(ACTOR_KINDS)}")
                lexicon.heads[affix] = actor_kind
            else:
                {"determiner": lexicon.determiners, "place": lexicon.places,
                 "scope": lexicon.scopes, "category": lexicon.categories}[pattern_type].add(affix)
        elif kind == "cues":
            cue, role, cue_type = cells
            if role not in ROLES:
                raise LexiconError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
            if cue_type not in CUE_TYPES:
                raise LexiconError(f"{where}: type {cue_type!r} is not one of {', '.join(CUE_TYPES)}")
            lexicon.cues[(cue, cue_type)] = role
        else:
            word, word_class = cells
            if word_class not in WORD_CLASSES:
                raise LexiconError(f"{where}: class {word_class!r} is not one of {', '.join(WORD_CLASSES)}")
            lexicon.words.setdefault(word_class, set()).add(word)
    lexicon.sources.append(source)


def load_lexicon(extra: Iterable[str | Path] = ()) -> Lexicon:
    """The bundled lexicons, extended by the user's files in `extra` (any of the four shapes)."""
    extra = tuple(str(p) for p in extra)
    return _load_cached(extra)


@lru_cache(maxsize=8)
def _load_cached(extra: tuple[str, ...]) -> Lexicon:
    lexicon = Lexicon()
    for name in LEXICON_FILES:
        resource = data_file("lexicon", name)
        _add_file(lexicon, resource.read_text(encoding="utf-8"), f"data/lexicon/{name}")
    for path in extra:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise LexiconError(f"{path}: lexicon file not found") from None
        except UnicodeDecodeError as err:
            raise LexiconError(f"{path}: not UTF-8 text (byte {err.start}); save the lexicon as UTF-8") from None
        except OSError as err:
            raise LexiconError(f"{path}: cannot read lexicon ({err.strerror})") from None
        _add_file(lexicon, text, path)
    return lexicon
