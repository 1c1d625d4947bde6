"""A bounded memo: the extractor meets the same clauses, names and phrases again and again.

A dict whose missing keys are computed once; when it holds `limit` entries it starts afresh, so
memory stays bounded however large the corpus (a full clear is cheaper than LRU bookkeeping on
these hit rates, and a cleared memo only costs recomputation).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict, Generic[K, V]):
    def __init__(self, compute: Callable[[K], V], limit: int = 50000):
        super().__init__()
        self._compute = compute
        self._limit = limit

    def __missing__(self, key: K) -> V:
        if len(self) >= self._limit:
            self.clear()
        value = self[key] = self._compute(key)
        return value
