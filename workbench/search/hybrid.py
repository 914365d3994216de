"""Hybrid search: dense vectors from the store and BM25 keywords, fused by reciprocal rank.

The keyword index is a cache of the complete documents in the store; ``HybridSearch`` keeps it in line
(tokenising only new documents) and is shared by every caller of one library. It follows the manifest's
stamp, so a server sees what another process ingested or removed without a restart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..backends.embed import Vectors
from ..library.store import Store, build_where
from ..types import Hit
from .fusion import collapse, rrf
from .keyword import LEGACY, DocTokens, KeywordIndex, doc_set_stamp

CANDIDATES = 30  # per retriever, before fusion


class HybridSearch:
    """Search over one store; thread-safe (the web app searches from several threads)."""

    def __init__(self, store: Store, embed_query: Callable[[str], Vectors], keyword_weight: float) -> None:
        self.store = store
        self._embed_query = embed_query
        self.keyword_weight = keyword_weight
        self._keyword: KeywordIndex | None = None
        self._stamp = ""  # the store's change stamp when the keyword index was last brought in line
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
        keyword = self.keyword_index()  # first: it reopens a store another process changed
        if mode in ("hybrid", "dense"):
            dense = self.store.query(self._embed_query(query), n, build_where(type, year, unit))
            rankings.append([cid for cid, _, _ in dense])
            for cid, text, meta in dense:
                texts[cid], metas[cid] = text, meta
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
        """The keyword index, refreshed when any process committed to the store since it was built."""
        with self._lock:
            stamp = self.store.change_stamp()  # one small file read per search
            if self._keyword is None or stamp != self._stamp:
                if self._keyword is not None:
                    self.store.catch_up()  # Chroma keeps the vector index it loaded; another writer's is newer
                self.refresh(save=False)
            assert self._keyword is not None
            return self._keyword

    def refresh(self, save: bool) -> None:
        """Bring the keyword cache in line with the complete documents, tokenising only new ones.

        ``save=True`` is a writer's last step: it commits the store first, so its own stamp is the one seen."""
        with self._lock:
            if save:
                self.store.commit()
            stamp_seen = self.store.change_stamp()  # before reading: a later commit triggers another refresh
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
                docs.update(_entries(self.store, missing))
                changed = index.stamp != stamp
                index = KeywordIndex(stamp=stamp, docs=docs)
                index.build()
                if save or changed:  # a reader may refresh the cache too; the write is atomic
                    index.save(self.store.settings.keyword_dir)
            self._keyword = index
            self._stamp = stamp_seen


def _entries(store: Store, doc_ids: list[str]) -> dict[str, DocTokens]:
    """Tokens of these documents' chunks, read from Chroma."""
    if not doc_ids:
        return {}
    ids, texts, metas = store.chunks_of(doc_ids)
    grouped: dict[str, tuple[list[str], list[str], list[dict[str, object]]]] = {}
    for cid, text, meta in zip(ids, texts, metas, strict=True):
        entry = grouped.setdefault(str(meta["doc_id"]), ([], [], []))
        entry[0].append(cid)
        entry[1].append(text)
        entry[2].append(meta)
    return {doc_id: KeywordIndex.entry(cids, ts, ms) for doc_id, (cids, ts, ms) in grouped.items()}


def check_keyword_cache(store: Store, repair: bool) -> tuple[list[str], list[str]]:
    """The doctor's look at the keyword cache: (problems left, what was repaired), in Chinese."""
    directory = store.settings.keyword_dir
    cached, unusable = KeywordIndex.read(directory)
    records = store.records()
    problems: list[str] = []
    legacy = (directory / LEGACY).exists()
    if legacy:
        problems.append(f"发现旧版关键词缓存 {LEGACY}（pickle 格式，不会被打开）")
    if unusable and (records or not unusable.endswith("缺失")):
        problems.append(unusable)
    elif not unusable:
        ids, _, metas = store.chunks_of(list(records))
        expected: dict[str, set[str]] = {}
        for cid, meta in zip(ids, metas, strict=True):
            expected.setdefault(str(meta.get("doc_id")), set()).add(cid)
        held = {d: set(t.chunk_ids) for d, t in cached.docs.items()}
        if cached.stamp != doc_set_stamp(records) or held != expected:
            problems.append(
                f"关键词缓存与库不一致：缓存 {len(held)} 篇、{sum(map(len, held.values()))} 个片段，"
                f"库中 {len(records)} 篇、{len(ids)} 个片段"
            )
    if not problems or not repair:
        return problems, []
    index = KeywordIndex(stamp=doc_set_stamp(records), docs=_entries(store, list(records)))
    index.save(directory)  # also deletes the legacy pickle, unread
    chunks = sum(len(t.chunk_ids) for t in index.docs.values())
    repaired = [f"已从向量库重建关键词缓存（{len(index.docs)} 篇、{chunks} 个片段）"]
    return [], repaired + ([f"已删除旧版关键词缓存 {LEGACY}"] if legacy else [])


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
