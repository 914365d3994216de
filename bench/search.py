"""Hybrid search latency at >= 40,000 chunks, queries embedded by the default embedder (e5-small).

    python -m bench.search [REPLICAS]

Embedding 40,000 chunks with e5 takes ~45 min on 2 cores, so the scale store replicates the e5 vectors of the
500-article store built by ``bench.ingest`` (each replica's vectors jittered and renormalised, so the HNSW
graph is not degenerate; each replica is its own document in Chroma and in the BM25 index). Prints p50/p95
for hybrid, dense-only and keyword-only search, document mode (``documents=True``), and the query-embedding
share.
"""

from __future__ import annotations

import shutil
import sys
import time

import numpy as np

from workbench import Settings, Workbench
from workbench.library.store import DocRecord, Store
from workbench.types import Chunk, Document

from .common import RESULTS, news_articles, percentile, save


def build_scale_store(replicas: int) -> Settings:
    source = RESULTS / "news-e5"
    if not source.is_dir():
        sys.exit("run `python -m bench.ingest` first: it builds bench/results/news-e5")
    home = RESULTS / f"news-e5-x{replicas}"
    settings = Settings(home=home, embedder="e5-small")
    if home.is_dir():
        return settings
    src = Store(Settings(home=source, embedder="e5-small"), "e5-small", 384)
    got = src._chunks.get(include=["embeddings", "documents", "metadatas"])
    by_doc: dict[str, list[int]] = {}
    for i, meta in enumerate(got["metadatas"]):
        by_doc.setdefault(str(meta["doc_id"]), []).append(i)
    records = src.records()
    dst = Store(settings, "e5-small", 384)
    rng = np.random.default_rng(0)
    vectors = np.asarray(got["embeddings"], dtype=np.float32)
    for r in range(replicas):
        jitter = vectors + rng.normal(0, 0.01, vectors.shape).astype(np.float32)
        jitter /= np.linalg.norm(jitter, axis=1, keepdims=True)
        items: list[tuple[Document, Chunk]] = []
        rows_all: list[int] = []
        new_records = []
        for doc_id, rows in by_doc.items():
            rec = records[doc_id]
            new_id = f"{doc_id}-{r:03d}"
            doc = Document(new_id, "", rec.title, rec.type, rec.unit, rec.date, f"replica-{r}/{doc_id}")
            for i in rows:
                meta = got["metadatas"][i]
                heading = tuple(filter(None, str(meta["heading"]).split(" > ")))
                items.append((doc, Chunk(new_id, int(meta["index"]), got["documents"][i], heading)))
            rows_all += rows
            new_records.append(
                DocRecord(new_id, rec.title, rec.type, rec.unit, rec.date, len(rows), "complete", {})
            )
        dst.add_chunks(
            items, jitter[rows_all]
        )  # one replica per write batch: each Chroma write costs a commit
        dst.put_records(new_records)
    return settings


def main() -> None:
    replicas = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    t0 = time.perf_counter()
    settings = build_scale_store(replicas)
    build_s = time.perf_counter() - t0
    wb = Workbench(settings)
    chunks = wb.store.chunk_count()
    t0 = time.perf_counter()
    wb.search("预热", k=5)  # opens Chroma, loads the model, builds or loads the keyword index
    warm_s = time.perf_counter() - t0

    # Queries: sentences from articles outside the store, and short keyword queries staff would type.
    queries = [a[40:70] for a in news_articles(60, offset=3000)]
    queries += ["教育局召开工作会议", "学生心理健康", "乡村振兴 产业", "新能源汽车销量", "高温天气 防暑"] * 4
    timings: dict[str, list[float]] = {"hybrid": [], "dense": [], "keyword": [], "documents": []}
    wb.search("预热", k=5, documents=True)  # builds the title index
    for q in queries:  # modes interleaved, so a busy moment on a shared machine hits them alike
        for mode in timings:
            t = time.perf_counter()
            if mode == "documents":  # document mode (hybrid): what 查找范文 and drafting use
                wb.search(q, k=5, documents=True)
            else:
                wb.search(q, k=5, mode=mode)
            timings[mode].append((time.perf_counter() - t) * 1000)
    embed_ms = []
    for q in queries:
        t = time.perf_counter()
        wb.embedder.embed_query(q)
        embed_ms.append((time.perf_counter() - t) * 1000)

    result: dict[str, object] = {
        "chunks": chunks,
        "queries": len(queries),
        "build_seconds": round(build_s, 1),
        "first_search_seconds": round(warm_s, 2),
        "query_embed_ms_p50": round(percentile(embed_ms, 0.5), 2),
    }
    for mode, ms in timings.items():
        result[f"{mode}_ms_p50"] = round(percentile(ms, 0.5), 2)
        result[f"{mode}_ms_p95"] = round(percentile(ms, 0.95), 2)
    result["target_hybrid_p50_ms"] = 50
    result["ratio_hybrid_p50_to_target"] = round(percentile(timings["hybrid"], 0.5) / 50, 3)
    result["ratio_documents_p50_to_target"] = round(percentile(timings["documents"], 0.5) / 50, 3)
    result["ratio_documents_to_hybrid_p50"] = round(
        percentile(timings["documents"], 0.5) / percentile(timings["hybrid"], 0.5), 3
    )
    save(f"search-x{replicas}", result)
    if "--keep" not in sys.argv:
        shutil.rmtree(RESULTS / f"news-e5-x{replicas}", ignore_errors=True)


if __name__ == "__main__":
    main()
