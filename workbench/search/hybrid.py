"""Hybrid search: dense vectors from the store and BM25 keywords, fused by reciprocal rank.

The keyword index is a cache of the complete documents in the store; ``HybridSearch`` keeps it in line
(tokenising only new documents) and is shared by every caller of one library. It follows the manifest's
stamp, so a server sees what another process ingested or removed without a restart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..backends.embed import Vectors
from ..library.access import combine, may_see, where_for
from ..library.store import Store, build_where
from ..types import Hit, Viewer
from .fusion import collapse, fuse_documents, rrf
from .keyword import LEGACY, DocIndex, DocTokens, KeywordIndex, doc_set_stamp

CANDIDATES = 30  # per retriever, before fusion


@dataclass(frozen=True)
class DocumentFusion:
    """How document mode ranks: chosen on the realistic set of ``bench/retrieval_real.py`` (see README)."""

    keyword_weight: float = 0.5  # the keyword ranking of chunks, aggregated per document (dense = 1)
    whole_weight: float = 1.0  # the keyword ranking of whole documents
    title_weight: float = (
        0.0  # the title field (titles the query covers at least TITLE_COVER of): no gain measured
    )
    depth: int = 30  # chunks per retriever before aggregation (documents: the same number)
    aggregation: str = "max"  # see fusion.AGGREGATIONS: top2 and rrf favour long reports over short articles


TITLE_COVER = 0.5  # a title counts as matched when the query holds this share of its words


@dataclass
class Candidates:
    """Each retriever's best chunks (ids, best first) with their texts and metadata."""

    dense: list[str] = field(default_factory=list)
    keyword: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    metas: dict[str, dict[str, object]] = field(default_factory=dict)
    doc_of: dict[str, str] = field(default_factory=dict)  # chunk id → doc id, for every ranked chunk

    def rankings(self) -> list[list[str]]:
        return [r for r in (self.dense, self.keyword) if r]


class HybridSearch:
    """Search over one store; thread-safe (the web app searches from several threads)."""

    def __init__(
        self,
        store: Store,
        embed_query: Callable[[str], Vectors],
        keyword_weight: float,
        fusion: DocumentFusion | None = None,
    ) -> None:
        self.store = store
        self._embed_query = embed_query
        self.keyword_weight = keyword_weight
        self.fusion = fusion or DocumentFusion()
        self._keyword: KeywordIndex | None = None
        self._doc_indexes: tuple[KeywordIndex, DocIndex, DocIndex] | None = (
            None  # built beside this keyword index
        )
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
        documents: bool = False,
        viewer: Viewer | None = None,
    ) -> list[Hit]:
        """Best chunks, near duplicates collapsed, from complete documents only (those ``viewer`` may see);
        with ``documents``, best documents (one hit each: its best chunk, the document's score)."""
        if documents:
            return self._documents(query, k, type, year, unit, mode, viewer)
        n = max(CANDIDATES, 3 * k)
        found = self.candidates(query, n, type, year, unit, mode, viewer=viewer)
        texts, metas = found.texts, found.metas
        weights = [1.0, self.keyword_weight] if mode == "hybrid" else [1.0]
        fused = rrf(found.rankings(), weights=weights[: len(found.rankings())])
        ranked = sorted((cid for cid in fused if cid in texts), key=lambda c: -fused[c])
        keep = collapse([(cid, texts[cid]) for cid in ranked], k)
        return [_hit(cid, texts[cid], metas[cid], fused[cid]) for cid in keep]

    def candidates(
        self,
        query: str,
        n: int,
        type: str | None,
        year: int | None,
        unit: str | None,
        mode: str,
        fetch: bool = True,
        viewer: Viewer | None = None,
    ) -> Candidates:
        """The ``n`` best chunks of each retriever the mode uses, from complete documents only; ``fetch=False``
        leaves out the keyword chunks' texts (document mode needs only their documents)."""
        found = Candidates()
        keyword = self.keyword_index()  # first: it reopens a store another process changed
        complete = keyword.docs  # only complete documents are in the keyword index
        if mode in ("hybrid", "dense"):
            where = combine(build_where(type, year, unit), where_for(viewer))
            dense = self.store.query(self._embed_query(query), n, where)
            found.dense = [cid for cid, _, meta in dense if str(meta.get("doc_id")) in complete]
            for cid, text, meta in dense:
                found.texts[cid], found.metas[cid] = text, meta
                found.doc_of[cid] = str(meta.get("doc_id"))
        if mode in ("hybrid", "keyword"):
            allowed = _visible_docs(self.store, viewer)
            found.keyword = [cid for cid, _ in keyword.search(query, n, type, year, unit, allowed)]
            if fetch:
                missing = [c for c in found.keyword if c not in found.texts]
                for cid, (text, meta) in self.store.get_chunks(missing).items():
                    found.texts[cid], found.metas[cid] = text, meta
                found.keyword = [cid for cid in found.keyword if cid in found.texts]
            found.doc_of.update((cid, keyword.doc_by_chunk[cid]) for cid in found.keyword)
        return found

    def _documents(
        self,
        query: str,
        k: int,
        type: str | None,
        year: int | None,
        unit: str | None,
        mode: str,
        viewer: Viewer | None = None,
    ) -> list[Hit]:
        """Documents ranked by RRF of the retrievers' document rankings (chunks aggregated per document,
        and the title field); each hit carries the document's best chunk."""
        p = self.fusion
        depth = max(p.depth, k)
        found = self.candidates(query, depth, type, year, unit, mode, fetch=False, viewer=viewer)
        chunk_rankings = [(r, w) for r, w in ((found.dense, 1.0), (found.keyword, p.keyword_weight)) if r]
        by_doc: list[tuple[list[str], float]] = []
        if mode != "dense":
            whole, titles = self.doc_indexes()
            allowed = _visible_docs(self.store, viewer)
            if p.whole_weight > 0:
                ranked = whole.search(query, depth, type, year, unit, docs=allowed)
                by_doc.append(([d for d, _ in ranked], p.whole_weight))
            if p.title_weight > 0:
                matched = titles.search(query, depth, type, year, unit, cover=TITLE_COVER, docs=allowed)
                by_doc.append(([d for d, _ in matched], p.title_weight))
        fused = fuse_documents(chunk_rankings, by_doc, found.doc_of, p.aggregation)
        best = sorted(fused, key=lambda d: -fused[d])[:k]
        # A document's passage: its chunk ranked best by the chunk fusion; its first chunk if only its title matched.
        chunk_scores = rrf([r for r, _ in chunk_rankings], weights=[w for _, w in chunk_rankings])
        passage: dict[str, str] = {}
        matches: dict[str, int] = {}
        for cid in sorted(chunk_scores, key=lambda c: -chunk_scores[c]):
            passage.setdefault(found.doc_of[cid], cid)
            matches[found.doc_of[cid]] = matches.get(found.doc_of[cid], 0) + 1
        docs = self.keyword_index().docs
        for d in best:
            if d not in passage and docs[d].chunk_ids:
                passage[d] = docs[d].chunk_ids[0]
        missing = [passage[d] for d in best if d in passage and passage[d] not in found.texts]
        for cid, (text, meta) in self.store.get_chunks(missing).items():
            found.texts[cid], found.metas[cid] = text, meta
        hits = []
        for d in best:
            cid = passage.get(d, "")
            if cid in found.texts:
                hit = _hit(cid, found.texts[cid], found.metas[cid], fused[d])
                hits.append(replace(hit, matches=matches.get(d, 0)))
        return hits

    def doc_indexes(self) -> tuple[DocIndex, DocIndex]:
        """BM25 over whole documents and over their titles, rebuilt when the keyword index is (document mode
        builds them on its first search)."""
        with self._lock:
            keyword = self.keyword_index()
            if self._doc_indexes is None or self._doc_indexes[0] is not keyword:
                titles = {d: r.title for d, r in self.store.records().items()}
                self._doc_indexes = (keyword, keyword.whole(titles), keyword.titles(titles))
            return self._doc_indexes[1], self._doc_indexes[2]

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


def _visible_docs(store: Store, viewer: Viewer | None) -> set[str] | None:
    """The documents ``viewer`` may see (the keyword side of the filter); None when it sees all."""
    if where_for(viewer) is None:
        return None
    return {d for d, r in store.records().items() if may_see(viewer, r.owner, r.owner_unit, r.visibility)}


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
