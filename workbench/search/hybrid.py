"""Hybrid search: dense vectors from the store and BM25 keywords, fused by reciprocal rank.

The keyword index is a cache of the complete documents in the store; ``HybridSearch`` keeps it in line
(tokenising only new documents) and is shared by every caller of one library.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..backends.embed import Vectors
from ..library.store import Store, build_where
from ..types import Hit
from .fusion import collapse, rrf
from .keyword import KeywordIndex, doc_set_stamp

CANDIDATES = 30  # per retriever, before fusion


class HybridSearch:
    """Search over one store; thread-safe (the web app searches from several threads)."""

    def __init__(self, store: Store, embed_query: Callable[[str], Vectors], keyword_weight: float) -> None:
        self.store = store
        self._embed_query = embed_query
        self.keyword_weight = keyword_weight
        self._keyword: KeywordIndex | None = None
        self._keyword_count = -1
        self._lock = threading.RLock()

    def search(
        self,
        query: str,
        k: int,
        type: str | None = None,
        year: int | None = None,
        unit: str | None = None,
        mode: str = "hybrid",
    ) -> list[Hit]:
        """Best chunks, near duplicates collapsed, from complete documents only."""
        n = max(CANDIDATES, 3 * k)
        rankings: list[list[str]] = []
        texts: dict[str, str] = {}
        metas: dict[str, dict[str, object]] = {}
        if mode in ("hybrid", "dense"):
            dense = self.store.query(self._embed_query(query), n, build_where(type, year, unit))
            rankings.append([cid for cid, _, _ in dense])
            for cid, text, meta in dense:
                texts[cid], metas[cid] = text, meta
        keyword = self.keyword_index()
        if mode in ("hybrid", "keyword"):
            hits = keyword.search(query, n, type, year, unit)
            rankings.append([cid for cid, _ in hits])
            for cid, (text, meta) in self.store.get_chunks([c for c, _ in hits if c not in texts]).items():
                texts[cid], metas[cid] = text, meta
        complete = keyword.docs  # only complete documents are in the keyword index
        weights = [1.0, self.keyword_weight] if mode == "hybrid" else [1.0]
        fused = rrf(rankings, weights=weights[: len(rankings)])
        ranked = sorted(
            (cid for cid in fused if cid in texts and str(metas[cid].get("doc_id")) in complete),
            key=lambda c: -fused[c],
        )
        keep = collapse([(cid, texts[cid]) for cid in ranked], k)
        return [_hit(cid, texts[cid], metas[cid], fused[cid]) for cid in keep]

    def keyword_index(self) -> KeywordIndex:
        with self._lock:
            count = self.store.record_count()
            if self._keyword is None or count != self._keyword_count:
                self.refresh(save=False)
            assert self._keyword is not None
            return self._keyword

    def refresh(self, save: bool) -> None:
        """Bring the keyword cache in line with the complete documents, tokenising only new ones."""
        with self._lock:
            records = self.store.records()
            stamp = doc_set_stamp(records)
            index = (
                self._keyword
                if self._keyword is not None
                else KeywordIndex.load(self.store.settings.keyword_dir)
            )
            if index.stamp != stamp or self._keyword is None:
                missing = [d for d in records if d not in index.docs]
                docs = {d: t for d, t in index.docs.items() if d in records}
                if missing:
                    ids, texts, metas = self.store.chunks_of(missing)
                    grouped: dict[str, tuple[list[str], list[str], list[dict[str, object]]]] = {}
                    for cid, text, meta in zip(ids, texts, metas, strict=True):
                        entry = grouped.setdefault(str(meta["doc_id"]), ([], [], []))
                        entry[0].append(cid)
                        entry[1].append(text)
                        entry[2].append(meta)
                    for doc_id, (cids, ts, ms) in grouped.items():
                        docs[doc_id] = KeywordIndex.entry(cids, ts, ms)
                changed = index.stamp != stamp
                index = KeywordIndex(stamp=stamp, docs=docs)
                index.build()
                if save or changed:  # a reader may refresh the cache too; the write is atomic
                    index.save(self.store.settings.keyword_dir)
            self._keyword = index
            self._keyword_count = len(records)


def _hit(cid: str, text: str, meta: dict[str, object], score: float) -> Hit:
    return Hit(
        doc_id=str(meta.get("doc_id", "")),
        title=str(meta.get("title", "")),
        path=str(meta.get("path", "")),
        heading=str(meta.get("heading", "")),
        text=text,
        score=round(score, 6),
        type=str(meta.get("type", "")),
        date=str(meta.get("date", "")),
        chunk_id=cid,
    )
