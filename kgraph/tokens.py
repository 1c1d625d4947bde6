"""Word segmentation with jieba, the lexicons loaded as a user dictionary.

jieba splits unknown body names (交运局 -> 交运/局) and tags abbreviations as
person names, so every actor name and cue word from the lexicons is added to a
private jieba Tokenizer (the global one stays untouched). Part-of-speech comes
from jieba's dictionary tags, looked up per word: that is as good as
`jieba.posseg` for in-dictionary words and several times faster, because no HMM
runs. The tokenizer is built once per process and per lexicon, on first use.
"""
from __future__ import annotations

import os
import tempfile
from typing import NamedTuple

from .lexicon import Lexicon
from .memo import Memo

# Words whose dictionary tag misleads the extractor; the tag we use instead.
_TAG_OVERRIDES = {
    "落实": "v", "排查": "v", "摸底": "v",
    "管控": "v", "值守": "v", "整治": "v", "统筹": "v", "保障": "v",
    "部署": "v", "调度": "v", "研判": "v", "巡查": "v", "核查": "v", "消毒": "v", "隔离": "v",
    "随访": "v", "登记": "v", "筛查": "v", "防范": "v", "排查整治": "v", "监管": "v",
    "重点": "d", "少": "d", "多": "d", "报": "v", "曝光": "v", "报告": "v", "备案": "v", "通报": "v",
}


_REAL_YAO_WORDS = {
    "要求", "要点", "要素", "要害", "要闻", "要塞", "要务", "要领", "要件", "要职", "要员", "要道", "要案", "要犯",
    "要么", "要是", "要不", "要紧", "要不然", "要不是", "要命", "要强", "要账", "要价", "要饭", "要义", "要旨",
    "要诀", "要略", "要隘", "要挟", "要胁", "要约", "要冲", "要地", "要津", "要览", "要数", "要说", "要而言之",
    "要害部门", "要求者", "要言之", "要子", "要脸", "要钱", "要死", "要好看", "要面子",
}


class Token(NamedTuple):
    """A word (a tuple, not a dataclass: the extractor makes hundreds of thousands of them)."""

    text: str
    start: int  # offset in the string that was segmented
    end: int
    tag: str  # jieba dictionary tag ('v', 'n', 'd', ...), 'x' for unknown

    @property
    def is_verb(self) -> bool:
        return self.tag in ("v", "vd", "vi", "vn", "vg")


class Segmenter:
    """Cuts clauses into tagged tokens with the lexicons as a user dictionary."""

    def __init__(self, lexicon: Lexicon):
        import jieba
        import jieba.posseg

        from .dictionary_cut import DictionaryCutter

        jieba.setLogLevel(60)
        self._tokenizer = DictionaryCutter()
        self._tokenizer.tmp_dir = _cache_dir()
        self._tokenizer.initialize()
        # jieba's own tags (shared, not copied: 350k entries), then the lexicon's words, then overrides
        self._raw_tags = jieba.posseg.dt.word_tag_tab
        self._added_tags: dict[str, str] = {}
        self._cache: dict[str, tuple[Token, ...]] = {}
        # recently cut texts, their tokens, and token index by start and by end offset
        self._recent: list[tuple[str, tuple[Token, ...], dict[int, int], dict[int, int]]] = []
        self._dictionary_tags: Memo[str, tuple[tuple[str, str], ...]] = Memo(self._tag_words, limit=20000)
        # the last texts jieba cut, and jieba's own words of each
        self._recent_cuts: list[tuple[str, list[str]]] = []
        self._words: dict[str, tuple[tuple[str, int, str], ...]] = {}  # word -> its parts, their lengths and tags
        self._adverbs = frozenset(lexicon.word_class("adverb"))
        self._lexicon_words = frozenset(lexicon.actors) | frozenset(c for c, _ in lexicon.cues)
        for name in lexicon.actors:
            self._add(name, "nt")
        for (cue, cue_type) in lexicon.cues:
            if cue_type in ("modal", "verb", "marker"):
                self._add(cue, "v" if cue_type != "marker" else "n")
        for word_class, words in lexicon.words.items():
            for word in words:
                if word_class in ("adverb", "connective", "conclusion", "descriptive", "manner"):
                    self._add(word, "d" if word_class == "adverb" else self._raw_tags.get(word, "c"))
        for head in lexicon.heads:
            if len(head) > 1:
                self._add(head, "n")
        self._split_modal_compounds()
        self._split_partner_places(lexicon.word_class("partner"))

    def _split_modal_compounds(self) -> None:
        """jieba's dictionary has 要带头, 要以, 要从严 … as words, which hides the modal 要 from the
        extractor; keep only the real words that start with 要 (要求, 要点 …)."""
        for word in [w for w, f in self._tokenizer.FREQ.items() if f and w.startswith("要") and len(w) > 1]:
            if word not in _REAL_YAO_WORDS and self._tokenizer.FREQ.get(word[1:]):
                self._tokenizer.del_word(word)

    def _split_partner_places(self, partners: frozenset[str] | set[str]) -> None:
        """会同县 is a county in jieba's dictionary, but 要会同县财政局… is 会同 + 县财政局: a partner word
        followed by a level of government is never one word in these texts."""
        for partner in partners:
            for level in "省市县区州盟旗镇乡村":
                if len(partner) > 1 and self._tokenizer.FREQ.get(partner + level):
                    self._tokenizer.del_word(partner + level)

    def _add(self, word: str, tag: str) -> None:
        if not self._tokenizer.FREQ.get(word):
            # freq=None makes jieba pick a frequency high enough to keep the word whole
            self._tokenizer.add_word(word)
        if tag == "nt" or word not in self._raw_tags:
            self._added_tags[word] = tag

    def tokens(self, text: str) -> tuple[Token, ...]:
        """The tagged words of `text`. Cached: the extractor reads a clause in several ways, and a
        piece of a clause it has just cut (the clause after its subject, say) is taken from the cut
        of the whole instead of running jieba again, when it starts and ends at word boundaries."""
        cached = self._cache.get(text)
        if cached is None:
            if len(self._cache) > 20000:
                self._cache.clear()
            cached = self._from_recent(text) or self._tokens(text)
            self._cache[text] = cached
            self._recent.append((text, cached, {t.start: i for i, t in enumerate(cached)},
                                 {t.end: i for i, t in enumerate(cached)}))
            if len(self._recent) > 12:
                del self._recent[0]
        return cached

    def _from_recent(self, text: str) -> tuple[Token, ...] | None:
        if not text:
            return ()
        for parent, tokens, first_at, last_at in reversed(self._recent):
            offset = parent.find(text)
            if offset < 0:
                continue
            first, last = first_at.get(offset), last_at.get(offset + len(text))
            if first is not None and last is not None:
                return tuple(Token(t.text, t.start - offset, t.end - offset, t.tag) for t in tokens[first:last + 1])
        return None

    def _tokens(self, text: str) -> tuple[Token, ...]:
        out: list[Token] = []
        append = out.append
        position = 0
        words = self._words
        new_token = tuple.__new__  # Token(...) goes through a Python-level __new__: too slow here
        raw = self._tokenizer.words(text)
        for word in raw:
            parts = words.get(word)
            if parts is None:
                split = self._split_adverb(word)
                parts = words[word] = tuple(
                    (part, len(part), "d" if index == 0 and len(split) > 1 else self._tag(part))
                    for index, part in enumerate(split))
            for part, length, tag in parts:
                append(new_token(Token, (part, position, position + length, tag)))
                position += length
        self._recent_cuts.append((text, raw))
        if len(self._recent_cuts) > 4:
            del self._recent_cuts[0]
        return tuple(out)

    def _split_adverb(self, word: str) -> tuple[str, ...]:
        """jieba's dictionary has adverb+verb words (充分利用, 切实加强, 严格落实) tagged as nouns or person
        names; the extractor needs the verb on its own."""
        if len(word) >= 3 and word not in self._lexicon_words:
            for size in (3, 2):
                head, rest = word[:size], word[size:]
                if head in self._adverbs and len(rest) >= 1 and (self._tokenizer.FREQ.get(rest) or len(rest) == 1):
                    return head, rest
        return (word,)

    def cut(self, text: str) -> list[str]:
        return [t.text for t in self.tokens(text)]

    def _tag(self, word: str) -> str:
        return _TAG_OVERRIDES.get(word) or self._added_tags.get(word) or self._raw_tags.get(word, "x")

    def dictionary_tags(self, text: str) -> list[tuple[str, str]]:
        """(word, tag) pairs with jieba's own dictionary tags, before the extractor's overrides.
        Cached, and taken from the cut of a clause just segmented when `text` is a run of its words
        (the extractor asks for the prefixes of a clause when it looks for the clause's subject)."""
        tagged = self._dictionary_tags[text]
        return list(tagged)

    def _tag_words(self, text: str) -> tuple[tuple[str, str], ...]:
        return tuple((w, self._added_tags.get(w) or _TAG_OVERRIDES.get(w) or self._raw_tags.get(w, "x"))
                     for w in self._words_of_recent_cut(text) or self._tokenizer.words(text))

    def _words_of_recent_cut(self, text: str) -> list[str] | None:
        for parent, words in reversed(self._recent_cuts):
            offset = parent.find(text)
            if offset < 0:
                continue
            end, position, first = offset + len(text), 0, None
            for index, word in enumerate(words):
                if position == offset:
                    first = index
                position += len(word)
                if position >= end:
                    return words[first:index + 1] if first is not None and position == end else None
        return None


def _cache_dir() -> str:
    """jieba caches its prefix dictionary here so that later runs start fast."""
    folder = os.environ.get("KGRAPH_CACHE") or os.path.join(tempfile.gettempdir(), "kgraph-jieba")
    os.makedirs(folder, exist_ok=True)
    return folder


_SEGMENTERS: dict[int, tuple[Lexicon, Segmenter]] = {}


def segmenter(lexicon: Lexicon) -> Segmenter:
    """The process-wide segmenter for this lexicon (built on first use)."""
    entry = _SEGMENTERS.get(id(lexicon))
    if entry is None or entry[0] is not lexicon:
        entry = (lexicon, Segmenter(lexicon))
        _SEGMENTERS[id(lexicon)] = entry
    return entry[1]
