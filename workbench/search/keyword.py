"""The keyword side of hybrid search: jieba tokens scored with BM25 (bm25s).

The index is a cache derived from the chunks in Chroma, so it can always be rebuilt and two machines on one
Chroma server never diverge. Tokens are cached per document, so an ingest re-tokenises only new documents.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..text.tokens import tokenize

_FORMAT = 2  # bump when the cached layout changes


def doc_set_stamp(doc_ids: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(doc_ids)).encode()).hexdigest()[:16]


@dataclass
class DocTokens:
    """One document's chunks as the keyword index sees them."""

    chunk_ids: list[str]
    tokens: list[list[str]]
    meta: list[tuple[str, int, str]]  # (type, year, unit) per chunk, for filters


@dataclass
class KeywordIndex:
    """BM25 over every chunk of the complete documents named by ``stamp``."""

    stamp: str = ""
    docs: dict[str, DocTokens] = field(default_factory=dict)
    _retriever: Any = None
    _chunk_ids: list[str] = field(default_factory=list)
    _doc_of: list[str] = field(default_factory=list)
    _types: Any = None
    _years: Any = None
    _units: Any = None

    @staticmethod
    def entry(chunk_ids: Sequence[str], texts: Sequence[str], metas: Sequence[dict[str, Any]]) -> DocTokens:
        return DocTokens(
            list(chunk_ids),
            [
                tokenize(f"{m.get('title', '')} {m.get('heading', '')} {t}")
                for t, m in zip(texts, metas, strict=True)
            ],
            [(str(m.get("type", "")), int(m.get("year", -1)), str(m.get("unit", ""))) for m in metas],
        )

    def build(self) -> None:
        import bm25s

        order = sorted(self.docs)
        self._chunk_ids = [cid for d in order for cid in self.docs[d].chunk_ids]
        self._doc_of = [d for d in order for _ in self.docs[d].chunk_ids]
        corpus = [tok for d in order for tok in self.docs[d].tokens]
        metas = [m for d in order for m in self.docs[d].meta]
        self._types = np.array([m[0] for m in metas], dtype=object)
        self._years = np.array([m[1] for m in metas], dtype=np.int32)
        self._units = np.array([m[2] for m in metas], dtype=object)
        self._retriever = None
        if corpus:
            self._retriever = bm25s.BM25()
            self._retriever.index(corpus, show_progress=False)

    def search(
        self, query: str, n: int, type: str | None = None, year: int | None = None, unit: str | None = None
    ) -> list[tuple[str, float]]:
        """Best chunks as (chunk_id, bm25 score), only those with a positive score."""
        if self._retriever is None:
            return []
        tokens = tokenize(query)
        if not tokens:
            return []
        scores = np.asarray(self._retriever.get_scores(tokens), dtype=np.float64)
        mask = scores > 0
        if type:
            mask &= self._types == type
        if year is not None:
            mask &= self._years == int(year)
        if unit:
            mask &= self._units == unit
        candidates = np.flatnonzero(mask)
        if candidates.size == 0:
            return []
        top = candidates[np.argsort(-scores[candidates], kind="stable")[:n]]
        return [(self._chunk_ids[i], float(scores[i])) for i in top]

    # -- persistence: a cache, written atomically ---------------------------------------------------
    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / f"tokens.pkl.{os.getpid()}.tmp"
        with tmp.open("wb") as fh:
            pickle.dump({"format": _FORMAT, "stamp": self.stamp, "docs": self.docs}, fh, protocol=5)
        os.replace(tmp, directory / "tokens.pkl")

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex:
        """The cached index, or an empty one when there is none or it is unreadable (it is only a cache)."""
        path = directory / "tokens.pkl"
        try:
            with path.open("rb") as fh:
                data = pickle.load(fh)
            if data.get("format") != _FORMAT:
                return cls()
            return cls(stamp=str(data["stamp"]), docs=dict(data["docs"]))
        except (OSError, pickle.UnpicklingError, EOFError, KeyError, AttributeError, TypeError):
            return cls()
