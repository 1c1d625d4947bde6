"""Normalise actor names within a document: one node per body, surface forms kept.

The extractor gives each mention a canonical name from the lexicon
(市卫健委, 卫健委, 卫生健康委员会 -> 卫生健康委员会). Within one document a body is
also often named in full once and shortened afterwards (市委市政府督查局 …
督查局): a canonical name that is the tail of a longer canonical name of the
same document is taken to be that body.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from .actors import ActorRecogniser
from .model import DocumentResult

_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = " \t\r\n，。；：、！？,.;:!?“”\"'‘’…—-（）()《》"


def clean_text(text: str) -> str:
    """Text as shown in the graph: no line breaks or runs of spaces, no punctuation at the edges
    except a closing quote whose opening quote is inside (做到“两个维护”)."""
    if not text:
        return text
    cleaned = _SPACE.sub("", text).strip(_EDGE_PUNCT)
    for opening, closing in (("“", "”"), ("‘", "’"), ("《", "》"), ("（", "）"), ("(", ")")):
        if cleaned.count(opening) > cleaned.count(closing) and text.rstrip().endswith(closing):
            cleaned += closing
    return cleaned


def measure_key(text: str) -> str:
    """The identity of a measure's wording: NFKC, no spaces or punctuation at the edges."""
    return clean_text(unicodedata.normalize("NFKC", text))


_PLACEHOLDER_NAME = re.compile(r"^(?:[xX×○*＊]{1,4}|某{1,2})")
_PLACEHOLDER_LEVEL = re.compile(r"^(?:[xX×○*＊]{1,4}|某{1,2})(?:省|市|县|区|州|旗|镇|乡|街道|村)")


def normalise(result: DocumentResult, recogniser: ActorRecogniser) -> DocumentResult:
    """Fill in canonical names and merge short forms into the long form named in the same document."""
    canonicals = {a.canonical_actor or a.actor for a in result.assignments}
    merged = {}
    for name in canonicals:
        longer = [other for other in canonicals
                  if other != name and other.endswith(name) and len(name) >= 3
                  and _is_owner_prefix(other[: len(other) - len(name)], recogniser)]
        if len(longer) == 1:
            merged[name] = longer[0]
    levels = _levels_by_canonical(result, recogniser)
    assignments = []
    seen: set[tuple] = set()
    for a in result.assignments:
        canonical = a.canonical_actor or a.actor
        canonical = merged.get(canonical, canonical)
        level = _level_of(a.actor, recogniser)
        if level and len(levels.get(canonical, ())) > 1:
            canonical = level + canonical  # 市发改局 and 县发改局 in one text are two bodies
        measure = clean_text(a.measure)
        key = (canonical, a.role, measure_key(measure), a.start)
        if key in seen:
            continue  # one body named twice in one sentence (市财政局…财政局) is one assignment
        seen.add(key)
        assignments.append(replace(a, canonical_actor=canonical, actor_kind=a.actor_kind or "organisation",
                                   measure=measure, evidence=a.evidence.strip()))
    return DocumentResult(document=result.document, sentences=result.sentences, assignments=assignments)


def _level_of(surface: str, recogniser: ActorRecogniser) -> str:
    """The generic level word a surface form starts with (市 in 市发改局, xx镇 in xx镇中心学校), when the
    rest is the body."""
    placeholder = _PLACEHOLDER_LEVEL.match(surface)
    places = sorted(recogniser.lexicon.places, key=len, reverse=True)
    for place in ([placeholder.group(0)] if placeholder else []) + places:
        if surface.startswith(place) and len(surface) > len(place) + 1 and not surface.startswith(place + "委") \
                and recogniser.classify(surface[len(place):]) is not None:
            return place
    return ""


def _levels_by_canonical(result: DocumentResult, recogniser: ActorRecogniser) -> dict[str, set[str]]:
    """The levels each body is named at; xx市 counts as 市 (the document's own city, its name left out)."""
    levels: dict[str, set[str]] = {}
    for a in result.assignments:
        level = _level_of(a.actor, recogniser)
        if level:
            levels.setdefault(a.canonical_actor or a.actor, set()).add(_PLACEHOLDER_NAME.sub("", level))
    return levels


def _is_owner_prefix(prefix: str, recogniser: ActorRecogniser) -> bool:
    """市委市政府 in 市委市政府督查局: the bodies a unit belongs to, so the short name is the same unit.

    各/重点/党员 in 各乡镇办事处, 重点项目指挥部, 党员领导干部 are not owners: those are other actors.
    """
    owners = recogniser.parse_list(prefix)
    return bool(owners) and all(o.kind == "organisation" for o in owners)
