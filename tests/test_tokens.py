"""The fast dictionary cut gives jieba's own words, and the segmenter keeps lexicon words whole."""
from pathlib import Path

import jieba
import pytest

from kgraph.dictionary_cut import DictionaryCutter
from kgraph.extract import extractor_for

ROOT = Path(__file__).resolve().parents[1]
TEXTS = sorted((ROOT / "data" / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "data").glob("genres*/*.txt"))
NOISE = "ABC123 abc，x1y2 …… ***局 XX县\t第3.5条 2012年10月底前 e-mail: a_b@c.d 100% C++ #1 &amp; ①② 〇"


@pytest.fixture(scope="module")
def cutters():
    reference, fast = jieba.Tokenizer(), DictionaryCutter()
    for tokenizer in (reference, fast):
        tokenizer.initialize()
        for word in ("交运局", "市委市政府督查局", "应急管理局"):
            tokenizer.add_word(word)
        tokenizer.del_word("要以")
    return reference, fast


def test_same_words_as_jieba_on_every_bundled_document(cutters):
    reference, fast = cutters
    for path in TEXTS:
        for line in path.read_text(encoding="utf-8").splitlines():
            assert fast.words(line) == list(reference.cut(line, HMM=False)), (path.name, line)


def test_same_words_on_latin_digits_spaces_and_symbols(cutters):
    reference, fast = cutters
    assert fast.words(NOISE) == list(reference.cut(NOISE, HMM=False))
    assert fast.words("") == []


def test_added_words_change_the_cut_after_first_use(cutters):
    _, fast = cutters
    assert "数字乡村办" not in fast.words("数字乡村办要加强指导")
    fast.add_word("数字乡村办")
    assert fast.words("数字乡村办要加强指导")[0] == "数字乡村办"
    fast.del_word("数字乡村办")
    assert "数字乡村办" not in fast.words("数字乡村办要加强指导")


def test_segmenter_keeps_lexicon_bodies_whole_and_splits_adverb_from_verb():
    segmenter = extractor_for(()).reader.segmenter
    words = segmenter.cut("市卫健委要切实加强督导")
    assert "卫健委" in words or "市卫健委" in words
    assert "切实" in words and "加强" in words
